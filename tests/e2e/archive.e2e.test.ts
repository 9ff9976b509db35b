/**
 * The physical archive end to end through the real Bolt app and a fake Slack Web API: a
 * storage location added, a document filed from the `/kh file` form, found with `/kh where`,
 * its volume's sheets sent, then a loan asked for, approved with buttons, signed for by the
 * borrower, listed in the register and returned (ARCH-6, INFO-6, INFO-19, INFO-20, ARCH-28).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { stem, zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';
import { appHomeOpened, blockAction, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

type Element = { action_id?: string; value?: string };
const buttonValue = (blocks: unknown, actionId: string): string => {
  for (const block of (blocks ?? []) as { elements?: Element[] }[]) {
    const button = block.elements?.find((element) => element.action_id === actionId);
    if (button?.value) return button.value;
  }
  return '';
};

const input = (value: string) => ({ value: { type: 'plain_text_input', value } });
const choice = (value: string) => ({
  value: { type: 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } },
});
const day = (value: string) => ({ value: { type: 'datepicker', selected_date: value } });

async function submit(user: string, callbackId: string, code: string, state: Record<string, unknown>) {
  const since = bot.slack.calls.length;
  const response = await bot.post(
    viewSubmission({
      user,
      callback_id: callbackId,
      private_metadata: JSON.stringify({ code }),
      state: state as never,
    }),
  );
  await bot.app.idle();
  return { since, response };
}

async function click(user: string, actionId: string, value: string) {
  const since = bot.slack.calls.length;
  const response = await bot.post(blockAction(bot.slack, { user, action_id: actionId, value }));
  expect(response.status).toBe(200);
  await bot.app.idle();
  return since;
}

describe('filing and lending a volume through Slack', () => {
  it('ARCH-6, INFO-6, INFO-19, INFO-20: filed from the form, found, lent with buttons, signed for, returned', async () => {
    const customer = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '端到端档案客户' }));
    const added = await bot.kh('UARCH', 'location add 档案室1/A柜/1层/1盒');
    expect(added.text).toContain('档案室1/A柜/1层/1盒');

    // The filing form opens for a customer code, and is refused beside the field when unvetted.
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: `file ${customer.code}`, user_id: 'UARCH' }));
    const opened = await bot.slack.waitFor('views.open', since);
    expect((opened.body.view as { callback_id: string }).callback_id).toBe(VIEW.documentForm);
    const fields = {
      type: choice('sales_contract'),
      title: input('年度销售合同'),
      formedOn: day('2026-03-02'),
      copies: input('1'),
      pages: input('12'),
      form: choice('copy'),
      carrier: choice('paper'),
      retention: choice('long_term'),
    };
    const unvetted = await submit('UARCH', VIEW.documentForm, customer.code, fields);
    expect(JSON.parse(unvetted.response.text)).toEqual({
      response_action: 'errors',
      errors: { vetted: zh('fieldError.vetting_required') },
    });
    const filed = await submit('UARCH', VIEW.documentForm, customer.code, {
      ...fields,
      vetted: { value: { type: 'checkboxes', selected_options: [{ value: 'yes' }] } },
    });
    const done = JSON.parse(filed.response.text) as { view: { blocks: { text: { text: string } }[] } };
    const confirmation = done.view.blocks[0]?.text.text ?? '';
    const volume = /JZ-2026-\d{4}/.exec(confirmation)?.[0] ?? '';
    expect(volume).not.toBe('');

    // Where it is, and its sheets: in Slack and as an .xlsx in the archivist's DM.
    expect((await bot.kh('UARCH', `where ${volume}`)).text).toContain('档案室1/A柜/1层/1盒');
    const sheetSince = bot.slack.calls.length;
    const sheet = await bot.kh('UARCH', `sheet ${volume}`);
    expect(JSON.stringify(sheet.blocks)).toContain('年度销售合同');
    await bot.app.idle();
    expect(bot.slack.of('files.getUploadURLExternal', sheetSince)[0]?.body).toMatchObject({
      filename: `${volume}.xlsx`,
    });

    // A salesperson of another department asks to borrow it: head → archivist.
    const askSince = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: `request loan ${volume}`, user_id: 'USALES2' }));
    const loanForm = await bot.slack.waitFor('views.open', askSince);
    expect((loanForm.body.view as { callback_id: string }).callback_id).toBe(VIEW.loanForm);
    const loanFields = {
      material: input('2026 年销售合同'),
      copies: input('1'),
      purpose: input('核对条款'),
      reason: input('客户投诉'),
      requesterProfile: input('王磊 销售二部'),
    };
    const tooLong = await submit('USALES2', VIEW.loanForm, volume, { ...loanFields, dueOn: day('2026-12-31') });
    expect(JSON.parse(tooLong.response.text).errors).toEqual({ dueOn: zh('fieldError.loan_too_long', { max: 3 }) });
    const asked = await submit('USALES2', VIEW.loanForm, volume, { ...loanFields, dueOn: day('2026-11-30') });
    const toHead = bot.slack.of('chat.postMessage', asked.since).find((p) => p.body.channel === 'UHEAD2');
    const headStep = buttonValue(toHead?.body.blocks, ACTION.approveStep);
    const afterHead = await click('UHEAD2', ACTION.approveStep, headStep);
    const toArchivist = bot.slack.of('chat.postMessage', afterHead).find((p) => p.body.channel === 'UARCH');
    const afterArchivist = await click(
      'UARCH',
      ACTION.approveStep,
      buttonValue(toArchivist?.body.blocks, ACTION.approveStep),
    );

    // The borrower is asked to sign for it, in their request's thread.
    const receipt = bot.slack
      .of('chat.postMessage', afterArchivist)
      .find((p) => buttonValue(p.body.blocks, ACTION.receiveLoan) !== '');
    const loanCode = buttonValue(receipt?.body.blocks, ACTION.receiveLoan);
    expect(loanCode).toMatch(/^JY-2026-\d{4}$/);
    const signSince = await click('USALES2', ACTION.receiveLoan, loanCode);
    const signed = bot.slack.of('response_url', signSince)[0]?.body;
    expect(signed?.text).toBe(zh('loan.received', { code: loanCode, volume, due: '2026-11-30' }));

    // Someone else's click on the button changes nothing.
    const otherSince = await click('USALES1', ACTION.receiveLoan, loanCode);
    expect(bot.slack.of('response_url', otherSince)[0]?.body.text).toBe(
      zh('error.not_allowed', { action: zh('action.loan_receipt') }),
    );

    // App Home: the borrower sees the loan and its due date; the archivist the register's count.
    const home = async (user: string, heading: string) => {
      const at = bot.slack.calls.length;
      await bot.post(appHomeOpened(user), { contentType: 'application/json' });
      const view = (await bot.slack.waitFor('views.publish', at)).body.view as {
        blocks: { text?: { text: string } }[];
      };
      return view.blocks.map((b) => b.text?.text ?? '').find((text) => text.startsWith(heading)) ?? '';
    };
    const mine = await home('USALES2', zh('home.my_loans'));
    expect(mine).toContain(loanCode);
    expect(mine).toContain('2026-11-30');
    expect(await home('UARCH', stem('home.loan_register'))).toBe(zh('home.loan_register', { open: 1, overdue: 0 }));

    // The register, then the return: the borrower is told.
    expect((await bot.kh('UARCH', 'loans')).text).toContain(loanCode);
    expect((await bot.kh('USALES2', 'loans')).text).toContain(stem('loan.register_mine'));
    const returnSince = bot.slack.calls.length;
    const returned = await bot.kh('UARCH', `return ${loanCode}`);
    expect(returned.text).toContain(loanCode);
    await bot.app.idle();
    const told = bot.slack.of('chat.postMessage', returnSince).find((p) => p.body.channel === 'USALES2');
    expect(told?.body.text).toBe(zh('loan.returned_borrower', { code: loanCode, volume }));
    expect((await bot.kh('UARCH', `return ${loanCode}`)).text).toBe(
      zh('error.loan_closed', { code: loanCode, state: zh('loan.state.returned') }),
    );
  });
});
