/**
 * Sales figures through the real Bolt app and a fake Slack Web API (DB-8, DB-10, STAT-4): the
 * template by DM, a file uploaded in the `/kh import sales` form and fetched with the bot's
 * token, a bad file refused with every problem and nothing saved, then `/kh grade` and the
 * grade on the customer card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW } from '../../src/blocks/ids.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';
import { slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USERV', ['archivist'], '客户服务部');
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

/** Submits the import form with a file Slack holds, as Slack sends it; returns the modal the bot answered. */
async function upload(name: string, text: string, kind: 'sales' | 'targets' = 'sales') {
  const url = bot.slack.hostFile(new TextEncoder().encode(text));
  const state = {
    file: { value: { type: 'file_input', files: [{ id: 'F0UP', name, url_private_download: url }] } },
  };
  const response = await bot.post(
    viewSubmission({
      user: 'USERV',
      callback_id: VIEW.salesImportForm,
      private_metadata: JSON.stringify({ kind }),
      state: state as never,
    }),
  );
  await bot.app.idle();
  const body = JSON.parse(response.text) as { view?: { blocks: { text: { text: string } }[] } };
  return body.view?.blocks[0]?.text.text ?? '';
}

describe('importing sales through Slack (DB-10, STAT-4)', () => {
  it('STAT-4, DB-8: the template by DM, a bad file refused whole, a good one imported, then graded', async () => {
    const customer = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '上传测试客户' }));

    const since = bot.slack.calls.length;
    expect((await bot.kh('USERV', 'import sales template')).text).toBe(zh('sales.template_sent'));
    await bot.app.idle();
    expect(bot.slack.of('files.getUploadURLExternal', since)[0]?.body).toMatchObject({
      filename: 'sales-template.csv',
    });

    const formSince = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: 'import sales', user_id: 'USERV' }));
    const opened = await bot.slack.waitFor('views.open', formSince);
    expect((opened.body.view as { callback_id: string }).callback_id).toBe(VIEW.salesImportForm);

    // Every problem listed, nothing saved.
    const refused = await upload(
      'bad.csv',
      `客户编号,月份,销售额\n${customer.code},2026-10,abc\nKH-2026-9999,2026-10,5\n`,
    );
    expect(refused.split('\n')[0]).toBe(zh('sales.rejected', { count: 1 }));
    expect(refused).toContain(
      zh('sales.problem', { row: 2, column: zh('sales.column.amount'), reason: zh('sales.reason.invalid_amount') }),
    );
    expect(await db.prisma.salesFigure.count()).toBe(0);
    // The file was fetched with the bot's token, as Slack requires.
    expect(bot.slack.of('file_download').at(-1)?.body.authorization).toMatch(/^Bearer xoxb-/);

    // A file URL that is not Slack's is never fetched with the bot's token.
    const downloads = bot.slack.of('file_download').length;
    const state = {
      file: {
        value: {
          type: 'file_input',
          files: [{ id: 'F0EVIL', name: 'x.csv', url_private_download: 'http://127.0.0.2:9/x.csv' }],
        },
      },
    };
    const evil = await bot.post(
      viewSubmission({ user: 'USERV', callback_id: VIEW.salesImportForm, private_metadata: '', state: state as never }),
    );
    expect(JSON.parse(evil.text)).toEqual({ response_action: 'errors', errors: { file: zh('sales.download_failed') } });
    expect(bot.slack.of('file_download')).toHaveLength(downloads);

    const imported = await upload('october.csv', `客户编号,月份,销售额\n${customer.code},2026-10,"1,200.00"\n`);
    expect(imported).toContain('XS-2026-');
    expect(await db.prisma.salesFigure.count()).toBe(1);

    await bot.kh('USERV', 'grade');
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { code: customer.code } })).toMatchObject({
      grade: 'A',
    });
    const card = await bot.kh('USALES1', `show ${customer.code}`);
    expect(JSON.stringify(card.blocks)).toContain(zh('grade.label', { grade: 'A' }));
  });

  it('STAT-17: targets are uploaded through the same form (`/kh import targets`)', async () => {
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: 'import targets', user_id: 'USERV' }));
    const opened = await bot.slack.waitFor('views.open', since);
    expect(JSON.parse((opened.body.view as { private_metadata: string }).private_metadata)).toEqual({
      kind: 'targets',
    });
    const done = await upload('plans.csv', '部门,等级,月份,目标\n客户服务部,,2026-12,5000\n', 'targets');
    expect(done).toBe(zh('targets.imported', { count: 1, months: '2026-12' }));
    expect(await db.prisma.salesTarget.count()).toBe(1);
  });
});
