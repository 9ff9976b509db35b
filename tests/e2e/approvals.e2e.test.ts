/**
 * Approvals end to end: a view request goes from the form to each approver's DM, decisions
 * update every copy of the step's message, the next approvers are messaged, the requester
 * follows in a thread, and wrong people, double clicks and Slack retries change nothing.
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
  await givePerson(db.prisma, 'UARCH1', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UARCH2', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

const kh = (user: string, text: string) => bot.kh(user, text);

async function click(user: string, actionId: string, value: string, headers: Record<string, string> = {}) {
  const since = bot.slack.calls.length;
  const response = await bot.post(blockAction(bot.slack, { user, action_id: actionId, value }), { headers });
  expect(response.status).toBe(200);
  await bot.app.idle();
  return since;
}

let customers = 0;
/** A confidential customer of USALES1's that no other test uses (its chain: head, archivist, manager). */
async function confidentialCustomer(name = `机密客户${++customers}号`): Promise<string> {
  const phone = `0755-${String(70000000 + ++customers)}`;
  return (await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name, phone, secrecyLevel: 'confidential' })))
    .code;
}

/** Step `position` (0 = the department head) of a request. */
const stepOf = (requestCode: string, position: number) =>
  db.prisma.approvalStep.findFirstOrThrow({ where: { position, request: { code: requestCode } } });

/** The text of the App Home section that starts with `heading`. */
function sectionUnder(view: unknown, heading: string): string {
  const blocks = (view as { blocks: { type: string; text?: { text: string } }[] }).blocks;
  return blocks.find((b) => b.type === 'section' && b.text?.text.startsWith(heading))?.text?.text ?? '';
}

/** The step id carried by the Approve button of an approval message. */
const stepIdOf = (blocks: unknown): string => {
  for (const block of (blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((element) => element.action_id === ACTION.approveStep);
    if (button?.value) return button.value;
  }
  return '';
};

/**
 * Submits a view request form for `code` as `user`, as Slack would; returns the calls it
 * caused from `since`, the new request's code and the step id on the department head's DM.
 */
async function submitViewRequest(user: string, code: string, profile: string) {
  const since = bot.slack.calls.length;
  const state = {
    purpose: { value: { type: 'plain_text_input', value: '回访' } },
    reason: { value: { type: 'plain_text_input', value: '客户来电' } },
    requesterProfile: { value: { type: 'plain_text_input', value: profile } },
  };
  await bot.post(
    viewSubmission({
      user,
      callback_id: VIEW.requestForm,
      private_metadata: JSON.stringify({ kind: 'view', code }),
      state,
    }),
  );
  await bot.app.idle();
  const posts = bot.slack.of('chat.postMessage', since);
  return {
    since,
    requestCode: /SQ-\d{4}-\d{4}/.exec(String(posts[0]?.body.text))?.[0] ?? '',
    stepId: stepIdOf(posts.find((p) => p.body.channel === 'UHEAD2')?.body.blocks),
  };
}

describe('a confidential view request (INFO-18)', () => {
  it('INFO-18: the form asks object, purpose, reason and profile; missing fields are refused beside them', async () => {
    const code = await confidentialCustomer();
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: `request view ${code}`, user_id: 'USALES2' }));
    const open = await bot.slack.waitFor('views.open', since);
    const view = open.body.view as { callback_id: string; blocks: { block_id?: string }[]; private_metadata: string };
    expect(view.callback_id).toBe(VIEW.requestForm);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'purpose',
      'reason',
      'requesterProfile',
      'requesterType',
      'externalReference',
      'grantDays',
    ]);
    const empty = await bot.post(
      viewSubmission({
        user: 'USALES2',
        callback_id: VIEW.requestForm,
        private_metadata: view.private_metadata,
        state: { purpose: { value: { type: 'plain_text_input', value: '' } } },
      }),
    );
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: 'errors',
      errors: { purpose: zh('fieldError.required'), reason: zh('fieldError.required') },
    });
    expect(await db.prisma.request.count({ where: { customer: { code } } })).toBe(0);
  });

  it('INFO-18: a request for someone from outside the company is refused beside the letter field until it names one', async () => {
    const code = await confidentialCustomer();
    const response = await bot.post(
      viewSubmission({
        user: 'USALES2',
        callback_id: VIEW.requestForm,
        private_metadata: JSON.stringify({ kind: 'view', code }),
        state: {
          purpose: { value: { type: 'plain_text_input', value: '外部审计' } },
          reason: { value: { type: 'plain_text_input', value: '年度审计' } },
          requesterProfile: { value: { type: 'plain_text_input', value: '审计师 李明' } },
          requesterType: { value: { type: 'static_select', selected_option: { value: 'outsider' } } },
          externalReference: { value: { type: 'plain_text_input', value: '' } },
        },
      }),
    );
    expect(JSON.parse(response.text)).toEqual({
      response_action: 'errors',
      errors: { externalReference: zh('fieldError.external_reference_required') },
    });
    expect(await db.prisma.request.count({ where: { customer: { code } } })).toBe(0);
  });

  it('submitting DMs the requester (the thread) and the head of the requester’s department, with buttons', async () => {
    const code = await confidentialCustomer('机密客户甲');
    const since = bot.slack.calls.length;
    const state = {
      purpose: { value: { type: 'plain_text_input', value: '核对合同条款' } },
      reason: { value: { type: 'plain_text_input', value: '客户投诉' } },
      requesterProfile: { value: { type: 'plain_text_input', value: '张伟 销售二部' } },
      externalReference: { value: { type: 'plain_text_input', value: null } },
      grantDays: { value: { type: 'plain_text_input', value: '3' } },
    };
    const response = await bot.post(
      viewSubmission({
        user: 'USALES2',
        callback_id: VIEW.requestForm,
        private_metadata: JSON.stringify({ kind: 'view', code }),
        state,
      }),
    );
    expect(JSON.parse(response.text)).toMatchObject({ response_action: 'update' });
    await bot.app.idle();
    const request = await db.prisma.request.findFirstOrThrow({
      where: { customer: { code } },
      include: { requester: true },
    });
    expect(request).toMatchObject({ requester: { slackUserId: 'USALES2' }, grantDays: 3, state: 'pending' });
    const posts = bot.slack.of('chat.postMessage', since);
    expect(posts.map((p) => p.body.channel)).toEqual(['USALES2', 'UHEAD2']);
    expect(String(posts[0]?.body.text)).toContain(request.code);
    expect(stepIdOf(posts[1]?.body.blocks)).not.toBe('');
    // The approver's DM names the request, not the confidential customer's name.
    expect(JSON.stringify(posts[1]?.body.blocks)).not.toContain('机密客户甲');
  });

  it('App Home: the approver sees it waiting for them, the requester among their requests', async () => {
    const { requestCode } = await submitViewRequest('USALES2', await confidentialCustomer(), '张伟');
    let since = bot.slack.calls.length;
    await bot.post(appHomeOpened('UHEAD2'), { contentType: 'application/json' });
    const waiting = sectionUnder((await bot.slack.waitFor('views.publish', since)).body.view, zh('home.waiting'));
    expect(waiting).toContain(`*${requestCode}* ${zh('request.kind.view')}`);
    since = bot.slack.calls.length;
    await bot.post(appHomeOpened('USALES2'), { contentType: 'application/json' });
    const mine = sectionUnder((await bot.slack.waitFor('views.publish', since)).body.view, zh('home.my_requests'));
    const line = mine.split('\n').find((l) => l.includes(requestCode));
    expect(line).toContain(zh('request.kind.view'));
    expect(line).toContain(zh('request.state.pending'));
  });

  it('the wrong person clicking is refused and audited; nothing changes', async () => {
    const { stepId } = await submitViewRequest('USALES2', await confidentialCustomer(), '张伟');
    const refusals = () => db.prisma.auditEvent.count({ where: { action: 'access.denied', actor: 'UARCH1' } });
    const before = await refusals();
    const since = await click('UARCH1', ACTION.approveStep, stepId);
    expect(String((await bot.slack.waitFor('response_url', since)).body.text)).toContain(stem('error.not_allowed'));
    expect(bot.slack.of('chat.update', since)).toEqual([]);
    expect(await refusals()).toBe(before + 1);
    expect(await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: Number(stepId) } })).toMatchObject({
      state: 'open',
    });
  });

  it('the department head approves: the message is updated, both archivists are messaged, the requester is told in the thread', async () => {
    const { stepId } = await submitViewRequest('USALES2', await confidentialCustomer(), '张伟');
    const since = await click('UHEAD2', ACTION.approveStep, stepId);
    const updates = bot.slack.of('chat.update', since);
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]?.body.blocks)).not.toContain(ACTION.approveStep);
    expect(JSON.stringify(updates[0]?.body.blocks)).toContain(zh('request.step.approved'));
    const posts = bot.slack.of('chat.postMessage', since);
    expect(posts.map((p) => p.body.channel).sort()).toEqual(['D0TEST', 'UARCH1', 'UARCH2']);
    const thread = posts.find((p) => p.body.channel === 'D0TEST');
    expect(thread?.body.thread_ts).toBeTruthy();
    expect(String(thread?.body.text)).toContain('<@UHEAD2>');
  });

  it('two archivists clicking, a double click and a Slack retry record one decision; every copy is updated', async () => {
    const { requestCode, stepId } = await submitViewRequest('USALES2', await confidentialCustomer(), '张伟');
    await click('UHEAD2', ACTION.approveStep, stepId);
    const step = await stepOf(requestCode, 1);
    const since = bot.slack.calls.length;
    await Promise.all([
      bot.post(blockAction(bot.slack, { user: 'UARCH1', action_id: ACTION.approveStep, value: String(step.id) })),
      bot.post(blockAction(bot.slack, { user: 'UARCH2', action_id: ACTION.approveStep, value: String(step.id) })),
      bot.post(blockAction(bot.slack, { user: 'UARCH1', action_id: ACTION.approveStep, value: String(step.id) }), {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    ]);
    await bot.app.idle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await bot.app.idle();
    const decided = await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: step.id } });
    expect(decided.state).toBe('approved');
    expect(
      await db.prisma.auditEvent.count({
        where: { action: 'request.step_approved', subjectId: requestCode, details: { path: ['step'], equals: 1 } },
      }),
    ).toBe(1);
    // Both archivists' copies show the decision; the losers were told who decided.
    expect(
      bot.slack
        .of('chat.update', since)
        .map((u) => u.body.channel)
        .sort(),
    ).toEqual(['D0TEST', 'D0TEST']);
    const told = bot.slack.of('response_url', since).map((r) => String(r.body.text));
    expect(told).toEqual([
      zh('error.step_already_decided', { code: requestCode, user: String(decided.decidedBy) }),
      zh('error.step_already_decided', { code: requestCode, user: String(decided.decidedBy) }),
    ]);
    // The service manager is next.
    expect(bot.slack.of('chat.postMessage', since).map((p) => p.body.channel)).toContain('UMGR');
  });

  it('the last approval grants access for the asked days and tells the requester', async () => {
    const code = await confidentialCustomer('机密客户戊');
    const { requestCode, stepId } = await submitViewRequest('USALES2', code, '张伟');
    expect((await kh('USALES2', `show ${code}`)).blocks).toBeUndefined();
    await click('UHEAD2', ACTION.approveStep, stepId);
    await click('UARCH1', ACTION.approveStep, String((await stepOf(requestCode, 1)).id));
    const since = await click('UMGR', ACTION.approveStep, String((await stepOf(requestCode, 2)).id));
    const thread = bot.slack.of('chat.postMessage', since).find((p) => p.body.thread_ts);
    expect(String(thread?.body.text)).toContain(stem('request.thread_approved_view'));
    expect(String(thread?.body.text)).toContain(code);
    const card = await kh('USALES2', `show ${code}`);
    expect(JSON.stringify(card.blocks)).toContain('机密客户戊');
  });
});

describe('rejection, withdrawal and bad input', () => {
  it('reject asks for a reason; the decision reaches the requester', async () => {
    await givePerson(db.prisma, 'USALES3', ['sales'], '销售二部');
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '秘密客户乙', phone: '0755-12121212' }),
    );
    const { requestCode, stepId } = await submitViewRequest('USALES3', created.code, '李娜');
    let since = await click('UHEAD2', ACTION.rejectStep, stepId);
    const modal = await bot.slack.waitFor('views.open', since);
    const view = modal.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW.rejectForm);
    const missing = await bot.post(
      viewSubmission({
        user: 'UHEAD2',
        callback_id: VIEW.rejectForm,
        private_metadata: view.private_metadata,
        state: { reason: { value: { type: 'plain_text_input', value: ' ' } } },
      }),
    );
    expect(JSON.parse(missing.text)).toMatchObject({
      response_action: 'errors',
      errors: { reason: zh('fieldError.required') },
    });
    since = bot.slack.calls.length;
    await bot.post(
      viewSubmission({
        user: 'UHEAD2',
        callback_id: VIEW.rejectForm,
        private_metadata: view.private_metadata,
        state: { reason: { value: { type: 'plain_text_input', value: '无业务需要' } } },
      }),
    );
    await bot.app.idle();
    const thread = bot.slack.of('chat.postMessage', since).find((p) => p.body.thread_ts);
    expect(String(thread?.body.text)).toContain('无业务需要');
    expect(String(thread?.body.text)).toContain(zh('request.thread_rejected', { code: requestCode }));
  });

  it('a forged private_metadata on the request or rejection form is refused and creates nothing', async () => {
    const before = await db.prisma.request.count();
    const state = {
      purpose: { value: { type: 'plain_text_input', value: '回访' } },
      reason: { value: { type: 'plain_text_input', value: '客户来电' } },
      requesterProfile: { value: { type: 'plain_text_input', value: '张伟' } },
    };
    const forged = await bot.post(
      viewSubmission({
        user: 'USALES2',
        callback_id: VIEW.requestForm,
        private_metadata: '{"kind":"delete","code":"x"}',
        state,
      }),
    );
    expect(JSON.parse(forged.text)).toMatchObject({ response_action: 'errors' });
    const rejectForged = await bot.post(
      viewSubmission({
        user: 'UHEAD2',
        callback_id: VIEW.rejectForm,
        private_metadata: 'not json',
        state: { reason: { value: { type: 'plain_text_input', value: '理由' } } },
      }),
    );
    expect(JSON.parse(rejectForged.text)).toMatchObject({ response_action: 'errors' });
    expect(await db.prisma.request.count()).toBe(before);
  });

  it('usage messages, unknown codes, clicks on a finished request and forged button values', async () => {
    expect((await kh('USALES2', 'request')).text).toBe(zh('usage.request'));
    expect((await kh('USALES2', 'request view 华为')).text).toBe(zh('usage.request'));
    expect((await kh('USALES2', 'request withdraw SQ-2026-0999')).text).toBe(
      zh('error.request_not_found', { code: 'SQ-2026-0999' }),
    );
    const { requestCode, stepId } = await submitViewRequest('USALES2', await confidentialCustomer(), '张伟');
    await click('UHEAD2', ACTION.approveStep, stepId);
    await click('UARCH1', ACTION.approveStep, String((await stepOf(requestCode, 1)).id));
    const last = String((await stepOf(requestCode, 2)).id);
    await click('UMGR', ACTION.approveStep, last);
    const since = await click('UMGR', ACTION.approveStep, last);
    expect(String((await bot.slack.waitFor('response_url', since)).body.text)).toBe(
      zh('error.request_closed', { code: requestCode, state: zh('request.state.approved') }),
    );
    // A forged step id, and a real one the clicker may not decide, tell nothing about any request.
    for (const value of ['DROP TABLE', '999999', last]) {
      const forged = await click('USALES1', ACTION.approveStep, value);
      const told = String((await bot.slack.waitFor('response_url', forged)).body.text);
      expect(told).toContain(stem('error.not_allowed'));
      expect(told).not.toContain(requestCode);
    }
  });

  it('the requester withdraws: every open copy is updated; a click afterwards is told the request is closed', async () => {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '秘密客户丙', phone: '0755-34343434' }),
    );
    const { requestCode, stepId } = await submitViewRequest('USALES2', created.code, '张伟');
    const since = bot.slack.calls.length;
    expect((await kh('USALES2', `request withdraw ${requestCode}`)).text).toBe(
      zh('request.withdrawn', { code: requestCode }),
    );
    const updates = bot.slack.of('chat.update', since);
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]?.body.blocks)).not.toContain(ACTION.approveStep);
    const after = await click('UHEAD2', ACTION.approveStep, stepId);
    expect(String((await bot.slack.waitFor('response_url', after)).body.text)).toBe(
      zh('error.request_closed', { code: requestCode, state: zh('request.state.withdrawn') }),
    );
  });
});

describe('failures after a form was accepted', () => {
  it('a failure after the request form was accepted reaches the requester by DM, with a reference number', async () => {
    const other = (
      await createCustomer(
        ctx(db.prisma, 'USALES1'),
        validCustomer({ name: '机密客户丙', phone: '0755-66660000', secrecyLevel: 'confidential' }),
      )
    ).code;
    // The first message after the ack (the requester's own thread message) fails.
    bot.slack.failNext('chat.postMessage', 'channel_not_found');
    const { since } = await submitViewRequest('USALES2', other, '销售二部 李四');
    const told = bot.slack
      .of('chat.postMessage', since)
      .find((call) => call.body.channel === 'USALES2' && /[0-9a-f]{8}/.test(String(call.body.text)));
    expect(String(told?.body.text)).toContain(stem('generic.error'));
    expect(bot.logLines.some((line) => line.includes('request failed') && line.includes('view request_form'))).toBe(
      true,
    );
  });
});
