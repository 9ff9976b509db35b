/**
 * Custody through the real Bolt app and a fake Slack Web API (INFO-14, ARCH-21, ARCH-24,
 * INFO-15): `/kh inspection do` opens the checklist form, its submission (checkboxes, readings,
 * findings) is checked beside its fields and recorded, and `/kh inspection close` closes a finding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { givePerson } from '../helpers/fixtures.js';
import { insertBox } from '../helpers/loan-rows.js';
import { slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USALES', ['sales'], '销售一部');
  await insertBox(db.prisma);
  bot = await startBot(db);
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
