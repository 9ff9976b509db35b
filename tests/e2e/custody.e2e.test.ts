/**
 * Custody through the real Bolt app and a fake Slack Web API (INFO-14, ARCH-21, ARCH-24,
 * INFO-15, ARCH-29): `/kh inspection do` opens the checklist form, its submission (checkboxes,
 * readings, findings) is checked beside its fields and recorded, and `/kh inspection close`
 * closes a finding; a destruction batch is listed, appraised and approved with buttons, held,
 * and destroyed when the named supervisor clicks Confirm, the register sent to their DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertVolume } from '../helpers/loan-rows.js';
import { blockAction, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;
/** The bot's clock: moved past a destruction's hold. */
let clock = new Date('2026-12-02T02:00:00.000Z');

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USALES', ['sales'], '销售一部');
  await givePerson(db.prisma, 'UHEAD', ['dept_head'], '销售一部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
  await givePerson(db.prisma, 'UDIR', ['director'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  const boxId = await insertBox(db.prisma);
  const customer = await createCustomer(ctx(db.prisma, 'USALES'), validCustomer({ name: '销毁端到端客户' }));
  const archivist = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UARCH' } });
  const { id } = await db.prisma.customer.findUniqueOrThrow({ where: { code: customer.code } });
  await insertVolume(db.prisma, {
    code: 'JZ-2001-0001',
    customer: { id },
    boxId,
    responsibleId: archivist.id,
    year: 2001,
    retention: 'short_term',
  });
  bot = await startBot(db, { now: () => clock });
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

describe('an inspection through Slack (INFO-14, ARCH-21, INFO-15)', () => {
  it('INFO-14, ARCH-21, INFO-15: the checklist form opened, refused beside a bad line, recorded, its finding closed', async () => {
    const listed = await bot.kh('UARCH', 'inspection');
    const code = /\*(JC-\d{4}-\d{4})\* [^\n]*半年全面检查/.exec(listed.text)?.[1];
    expect(code, listed.text).toBeDefined();
    // A salesperson may not use it at all.
    expect((await bot.kh('USALES', 'inspection')).text).toBe(
      zh('error.not_allowed', { action: zh('action.inspection') }),
    );

    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: `inspection do ${code}`, user_id: 'UARCH' }));
    const opened = await bot.slack.waitFor('views.open', since);
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe(VIEW.inspectionForm);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'check_environment',
      'check_material',
      'check_security',
      'temperature',
      'humidity',
      'findings',
      'notes',
    ]);

    const state = (findings: string) => ({
      check_environment: {
        [ACTION.fieldValue]: {
          type: 'checkboxes',
          selected_options: [{ value: 'doors_windows' }, { value: 'no_mould' }],
        },
      },
      check_material: { [ACTION.fieldValue]: { type: 'checkboxes', selected_options: [{ value: 'not_lost' }] } },
      temperature: { [ACTION.fieldValue]: { type: 'plain_text_input', value: '19' } },
      findings: { [ACTION.fieldValue]: { type: 'plain_text_input', value: findings } },
    });
    const refused = await bot.post(
      viewSubmission({
        user: 'UARCH',
        callback_id: VIEW.inspectionForm,
        private_metadata: view.private_metadata,
        state: state('坏行') as never,
      }),
    );
    expect(JSON.parse(refused.text)).toEqual({
      response_action: 'errors',
      errors: { findings: zh('fieldError.finding_format', { line: 1 }) },
    });
    expect(await db.prisma.inspection.count({ where: { status: 'done' } })).toBe(0);

    const saved = await bot.post(
      viewSubmission({
        user: 'UARCH',
        callback_id: VIEW.inspectionForm,
        private_metadata: view.private_metadata,
        state: state('档案室1/A柜/3层/12盒；盒底受潮；换盒') as never,
      }),
    );
    expect(JSON.stringify(JSON.parse(saved.text))).toContain(
      zh('inspection.completed', { code: code ?? '', findings: 1 }),
    );
    const row = await db.prisma.inspection.findUniqueOrThrow({
      where: { code: code ?? '' },
      include: { findings: true },
    });
    const checklist = row.checklist as { item: string; ok: boolean }[];
    expect(checklist.filter((c) => c.ok).map((c) => c.item)).toEqual(['doors_windows', 'no_mould', 'not_lost']);
    const finding = row.findings[0];
    expect(finding).toMatchObject({ action: 'rebox', closedAt: null });

    expect((await bot.kh('UARCH', `inspection close ${finding?.id} 已换新盒`)).text).toBe(
      zh('inspection.finding_closed', { id: finding?.id ?? 0, code: code ?? '' }),
    );
    expect((await db.prisma.inspectionFinding.findUniqueOrThrow({ where: { id: finding?.id ?? 0 } })).closedBy).toBe(
      'UARCH',
    );
  });
});

describe('a destruction through Slack (ARCH-29, INFO-25)', () => {
  /** Clicks Approve on the destruction request's open step, as Slack sends it. */
  async function approve(user: string) {
    const step = await db.prisma.approvalStep.findFirstOrThrow({
      where: { request: { kind: 'destruction' }, state: 'open' },
    });
    await bot.post(blockAction(bot.slack, { user, action_id: ACTION.approveStep, value: String(step.id) }));
    await bot.app.idle();
  }

  it('ARCH-29: listed, appraised with two clicks, approved by the director, then confirmed by the supervisor’s click after the hold', async () => {
    const since = bot.slack.calls.length;
    const proposed = await bot.kh('UARCH', 'destruction propose 销售一部');
    await bot.app.idle();
    expect(proposed.text).toMatch(/XH-2026-0001/);
    const asked = bot.slack.of('chat.postMessage', since).map((c) => c.body.channel);
    expect(asked).toEqual(expect.arrayContaining(['UMGR', 'UHEAD']));
    await approve('UMGR');
    await approve('UHEAD');
    const directorSince = bot.slack.calls.length;
    await approve('UDIR');
    expect(
      bot.slack
        .of('chat.postMessage', directorSince)
        .map((c) => String(c.body.text))
        .join('\n'),
    ).toContain(zh('request.thread_approved_destruction', { code: 'XH-2026-0001', until: '2027-06-01' }));

    // Still held on 2027-06-01: refused in the person's language.
    clock = new Date('2027-06-01T12:00:00+08:00');
    expect((await bot.kh('UARCH', 'destruction destroy XH-2026-0001 <@USUPER> 公司碎纸室')).text).toBe(
      zh('error.destruction_held', { code: 'XH-2026-0001', until: '2027-06-01' }),
    );
    clock = new Date('2027-06-02T09:00:00+08:00');
    const scheduleSince = bot.slack.calls.length;
    await bot.kh('UARCH', 'destruction destroy XH-2026-0001 <@USUPER> 公司碎纸室');
    await bot.app.idle();
    const dm = bot.slack.of('chat.postMessage', scheduleSince).find((c) => c.body.channel === 'USUPER');
    const button = ((dm?.body.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.confirmDestruction);
    expect(button?.value).toBe('XH-2026-0001');

    // Someone else clicking it is refused; the supervisor's click destroys and sends the register.
    const confirmSince = bot.slack.calls.length;
    await bot.post(
      blockAction(bot.slack, { user: 'UARCH', action_id: ACTION.confirmDestruction, value: 'XH-2026-0001' }),
    );
    await bot.app.idle();
    expect((await db.prisma.destructionBatch.findUniqueOrThrow({ where: { code: 'XH-2026-0001' } })).state).toBe(
      'approved',
    );
    await bot.post(
      blockAction(bot.slack, { user: 'USUPER', action_id: ACTION.confirmDestruction, value: 'XH-2026-0001' }),
    );
    await bot.app.idle();
    expect((await db.prisma.volume.findUniqueOrThrow({ where: { code: 'JZ-2001-0001' } })).state).toBe('destroyed');
    const replies = bot.slack.of('response_url', confirmSince).map((c) => String(c.body.text));
    expect(replies).toContain(zh('destruction.confirmed', { code: 'XH-2026-0001', count: 1 }));
    expect(bot.slack.of('files.getUploadURLExternal', confirmSince).map((c) => c.body.filename)).toEqual([
      'XH-2026-0001.xlsx',
      'XH-2026-0001.xlsx',
    ]);
  });
});
