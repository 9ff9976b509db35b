/**
 * Statistics reports through the real Bolt app and a fake Slack Web API (STAT-3, STAT-5,
 * STAT-11, STAT-15, INFO-11, INFO-12, INFO-13): `/kh report compile` opens the form and the
 * draft is saved; `/kh report submit` DMs the supervisor, whose Approve click DMs the service
 * manager, whose click releases it; the report is shown and exported as .xlsx (checked cell by
 * cell); a correction slip is filed in its form and approved by the general manager with one
 * click, and the report then shows the original figure beside the corrected one.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../src/blocks/i18n/index.js';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { importSalesFile } from '../../src/domain/statistics/import-sales.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';
import { blockAction, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  bot = await startBot(db);
  const customer = await createCustomer(
    ctx(db.prisma, 'USALES1'),
    validCustomer({ name: '报表测试客户', region: '西湖' }),
  );
  const imported = await importSalesFile(ctx(db.prisma, 'UARCH'), {
    name: 's.csv',
    bytes: new TextEncoder().encode(`客户编号,月份,销售额\n${customer.code},2026-10,1234.50\n`),
  });
  expect(imported.ok).toBe(true);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

/** Clicks the approve button of the request's open step, as its approver. */
async function approveOpenStep(user: string, requestCode: string) {
  const step = await db.prisma.approvalStep.findFirstOrThrow({
    where: { request: { code: requestCode }, state: 'open' },
  });
  const since = bot.slack.calls.length;
  await bot.post(blockAction(bot.slack, { user, action_id: ACTION.approveStep, value: String(step.id) }));
  await bot.app.idle();
  return since;
}

const blockTexts = (blocks: unknown) => JSON.stringify(blocks);

describe('a monthly report from compile to correction (INFO-13, INFO-11, STAT-15)', () => {
  it('INFO-13, STAT-15, STAT-5, INFO-11: compiled, signed twice, released, exported, corrected', async () => {
    // The form for October.
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: 'report compile 2026-10', user_id: 'UARCH' }));
    const opened = await bot.slack.waitFor('views.open', since);
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe(VIEW.reportForm);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['text']);

    // An empty explanation is refused beside its field; then saved.
    const empty = await bot.post(
      viewSubmission({
        user: 'UARCH',
        callback_id: VIEW.reportForm,
        private_metadata: view.private_metadata,
        state: { text: { [ACTION.fieldValue]: { type: 'plain_text_input', value: ' ' } } } as never,
      }),
    );
    expect(JSON.parse(empty.text)).toEqual({ response_action: 'errors', errors: { text: zh('fieldError.required') } });
    const saved = await bot.post(
      viewSubmission({
        user: 'UARCH',
        callback_id: VIEW.reportForm,
        private_metadata: view.private_metadata,
        state: { text: { [ACTION.fieldValue]: { type: 'plain_text_input', value: '十月 <!channel> 平稳' } } } as never,
      }),
    );
    const report = await db.prisma.report.findFirstOrThrow();
    expect(JSON.stringify(JSON.parse(saved.text))).toContain(report.code);

    // A salesperson is told there is no such report, the same as for a code that does not exist.
    expect((await bot.kh('USALES1', `report show ${report.code}`)).text).toBe(
      zh('error.report_not_found', { ref: report.code }),
    );
    expect((await bot.kh('USALES1', 'report show TJ-2026-0999')).text).toBe(
      zh('error.report_not_found', { ref: 'TJ-2026-0999' }),
    );

    // Submitted: the supervisor gets the approval DM.
    const submitSince = bot.slack.calls.length;
    const submitted = await bot.kh('UARCH', `report submit ${report.code}`);
    await bot.app.idle();
    const request = await db.prisma.request.findFirstOrThrow({ where: { kind: 'report_release' } });
    expect(submitted.text).toBe(zh('report.submitted', { code: report.code, request: request.code }));
    const toSupervisor = bot.slack.of('chat.postMessage', submitSince).filter((c) => c.body.channel === 'USUPER');
    expect(toSupervisor).toHaveLength(1);
    expect(blockTexts(toSupervisor[0]?.body.blocks)).toContain(report.code);

    // The supervisor's click opens the service manager's step; the manager's click releases it.
    const first = await approveOpenStep('USUPER', request.code);
    expect(bot.slack.of('chat.postMessage', first).some((c) => c.body.channel === 'UMGR')).toBe(true);
    const second = await approveOpenStep('UMGR', request.code);
    expect(await db.prisma.report.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({ state: 'released' });
    const told = bot.slack.of('chat.postMessage', second).filter((c) => c.body.channel === 'UARCH' || c.body.thread_ts);
    expect(told.map((c) => c.body.text).join('\n')).toContain(
      zh('request.thread_approved_report_released', { code: report.code }),
    );

    // Shown to the general manager: the figure, and the explanation escaped.
    const shown = await bot.kh('UGM', 'report show 2026-10');
    const text = blockTexts(shown.blocks);
    expect(text).toContain('¥1,234.50');
    const explanation = (shown.blocks as { text?: { text: string } }[]).find((b) => b.text?.text.includes('平稳'));
    expect(explanation?.text?.text).toBe(`*${zh('report.field.text')}*\n${escapeMrkdwn('十月 <!channel> 平稳')}`);
    expect(escapeMrkdwn('十月 <!channel> 平稳')).not.toBe('十月 <!channel> 平稳');

    // Exported to the DM as a workbook.
    const exportSince = bot.slack.calls.length;
    expect((await bot.kh('UGM', `report export ${report.code}`)).text).toBe(
      zh('report.exported', { code: report.code }),
    );
    await bot.app.idle();
    const upload = bot.slack.of('file_upload', exportSince)[0];
    expect(bot.slack.of('files.getUploadURLExternal', exportSince)[0]?.body).toMatchObject({
      filename: `${report.code}-2026-10.xlsx`,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(upload?.body.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(2).getCell(3).value).toBe(zh('report.xlsx.actual'));
    const total = sheet?.getRow(3);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => total?.getCell(n).value ?? null)).toEqual([
      zh('report.xlsx.total'),
      zh('report.line.total'),
      1234.5,
      null,
      null,
      null,
      0,
      1,
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: 'report.exported', actor: 'UGM' } })).toBe(1);

    // A correction slip, filed in its form and approved by the general manager with one click.
    const slipSince = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: `report correct ${report.code}`, user_id: 'UARCH' }));
    const form = await bot.slack.waitFor('views.open', slipSince);
    expect((form.body.view as { callback_id: string }).callback_id).toBe(VIEW.correctionForm);
    const badAmount = await bot.post(
      viewSubmission({
        user: 'UARCH',
        callback_id: VIEW.correctionForm,
        private_metadata: JSON.stringify({ code: report.code }),
        state: {
          item: { [ACTION.fieldValue]: { type: 'static_select', selected_option: { value: 'total' } } },
          corrected: { [ACTION.fieldValue]: { type: 'plain_text_input', value: '12.345' } },
          reason: { [ACTION.fieldValue]: { type: 'plain_text_input', value: '漏记' } },
        } as never,
      }),
    );
    expect(JSON.parse(badAmount.text)).toEqual({
      response_action: 'errors',
      errors: { corrected: zh('fieldError.not_a_number') },
    });
    await bot.post(
      viewSubmission({
        user: 'UARCH',
        callback_id: VIEW.correctionForm,
        private_metadata: JSON.stringify({ code: report.code }),
        state: {
          item: { [ACTION.fieldValue]: { type: 'static_select', selected_option: { value: 'total' } } },
          corrected: { [ACTION.fieldValue]: { type: 'plain_text_input', value: '1300' } },
          reason: { [ACTION.fieldValue]: { type: 'plain_text_input', value: '漏记一笔' } },
        } as never,
      }),
    );
    await bot.app.idle();
    const slip = await db.prisma.request.findFirstOrThrow({ where: { kind: 'report_correction' } });
    expect(bot.slack.of('chat.postMessage', slipSince).some((c) => c.body.channel === 'UGM')).toBe(true);
    await approveOpenStep('UGM', slip.code);
    const corrected = blockTexts((await bot.kh('USUPER', `report show ${report.code}`)).blocks);
    expect(corrected).toContain(
      zh('report.corrected', { original: '¥1,234.50', corrected: '¥1,300.00', slip: slip.code }),
    );
  });
});
