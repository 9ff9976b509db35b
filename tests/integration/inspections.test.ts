/**
 * Inspections on a real database (INFO-14, INFO-16, ARCH-21, ARCH-22, ARCH-23, ARCH-24, INFO-8,
 * INFO-15): the `inspection-reminders` job, run with `--at` at its boundaries in company time,
 * makes the half-yearly full inspection and the monthly environment check and tells the archive
 * channel and the archivists when each is due and when overdue, once; an event opens one due in
 * three days; the checklist form records what was in order, the readings and the findings (each
 * subject a real volume or location), exactly once; each follow-up is closed with who and when.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  checkInspectionForm,
  closeFinding,
  completeInspection,
  listInspections,
  openInspection,
  setSecurityItems,
} from '../../src/domain/custody/inspections.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { reportIncident } from '../../src/domain/incidents/report-incident.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import { inspectionRemindersJob } from '../../src/jobs/inspection-reminders.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertVolume } from '../helpers/loan-rows.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { refusal } from '../helpers/refusal.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const ARCHIVE = 'C0ARCHIVE';

async function archive() {
  const db: TestDb = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UARCH2', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USALES', ['sales'], '销售一部');
  await setChannel(ctx(db.prisma, 'UADMIN'), 'archive', ARCHIVE);
  const notifier = new RecordingNotifier();
  const deps = (): JobDeps => ({
    db: db.prisma,
    logger: createLogger('silent'),
    timeZone: TIME_ZONE,
    defaultLocale: 'zh-CN',
    notifier,
  });
  const run = (at: string) => runJob(deps(), inspectionRemindersJob, sh(at));
  return { db, notifier, run };
}

const form = { temperature: '', humidity: '', findings: '', notes: '' };

describe('the inspection-reminders job (INFO-14, INFO-16, ARCH-22)', () => {
  it('INFO-14: the half-year’s full inspection is due from seven days before 06-30, overdue from 07-01; each told once', async () => {
    const { db, notifier, run } = await archive();
    await run('2026-06-22T09:10:00');
    const made = await db.prisma.inspection.findMany({ orderBy: { id: 'asc' } });
    expect(made.map((i) => [i.kind, i.period])).toEqual([
      ['full', '2026-H1'],
      ['environment', '2026-06'],
    ]);
    // 06-22 is eight days before the 30th: nothing yet; the month's check (due 06-30) neither.
    expect(notifier.posts).toEqual([]);
    await run('2026-06-23T09:10:00');
    const due = notifier.to(ARCHIVE);
    expect(due).toHaveLength(1);
    expect(due[0]).toContain(made[0]?.code);
    expect(due[0]).toContain(made[1]?.code);
    expect(notifier.to('UARCH')).toEqual(due);
    expect(notifier.to('UARCH2')).toEqual(due);
    await run('2026-06-30T09:10:00');
    expect(notifier.to(ARCHIVE)).toHaveLength(1);
    // 07-01: both overdue (told once), and the second half-year and July are made.
    await run('2026-07-01T09:10:00');
    await run('2026-07-02T09:10:00');
    expect(notifier.to(ARCHIVE)).toHaveLength(2);
    expect(notifier.to(ARCHIVE)[1]).toContain('2026-06-30');
    const periods = (await db.prisma.inspection.findMany({ orderBy: { id: 'asc' } })).map((i) => i.period);
    expect(periods).toEqual(['2026-H1', '2026-06', '2026-H2', '2026-07']);
  });

  it('INFO-16, ARCH-23: the monthly check is due on the month’s last day; an event’s inspection three days after it', async () => {
    const { db, notifier, run } = await archive();
    const report = await reportIncident(ctx(db.prisma, 'UARCH', sh('2026-02-10T15:00:00')), {
      cause: 'fire',
      description: '档案室 2 号柜过火',
      howDiscovered: '烟感报警',
      remedy: '已灭火',
      customerCodes: '',
    });
    const event = await db.prisma.inspection.findFirstOrThrow({ where: { incident: { code: report.code } } });
    expect(event.code).toMatch(/^JC-2026-\d{4}$/);
    expect(event.dueOn?.toISOString().slice(0, 10)).toBe('2026-02-13');
    // Told at once (due within the notice days), overdue on the 14th.
    await run('2026-02-10T16:00:00');
    expect(notifier.to(ARCHIVE)[0]).toContain(event.code);
    await run('2026-02-14T09:10:00');
    expect(notifier.to(ARCHIVE).at(-1)).toContain(event.code);
    const february = await db.prisma.inspection.findFirstOrThrow({ where: { kind: 'environment', period: '2026-02' } });
    expect(february.dueOn?.toISOString().slice(0, 10)).toBe('2026-02-28');
  });
});

describe('carrying out an inspection (ARCH-21, ARCH-24, INFO-8, INFO-15)', () => {
  it('ARCH-21, INFO-15: the checklist, readings and findings recorded once; each finding closed with who and when', async () => {
    const { db } = await archive();
    await insertBox(db.prisma);
    const list = await listInspections(ctx(db.prisma, 'UARCH', sh('2026-12-02T10:00:00')));
    const full = list.open.find((i) => i.kind === 'full');
    if (!full) throw new Error('no full inspection');
    const opened = await openInspection(ctx(db.prisma, 'UARCH'), full.code);
    expect(opened.checklist.map((g) => [g.group, g.items.length])).toEqual([
      ['environment', 5],
      ['material', 6],
      ['security', 7],
    ]);
    // Bad findings are refused beside the field, nothing recorded.
    const bad = await checkInspectionForm(ctx(db.prisma, 'UARCH'), {
      ...form,
      findings: '档案室1/A柜/3层/12盒；受潮；晾干\nJZ-2026-0999；霉斑；修补',
      temperature: '99',
    });
    expect(bad).toEqual({
      ok: false,
      errors: {
        temperature: { code: 'not_a_number' },
        findings: { code: 'finding_action', params: { line: 1 } },
      },
    });
    const unknown = await checkInspectionForm(ctx(db.prisma, 'UARCH'), {
      ...form,
      findings: '\nJZ-2026-0999；霉斑；修补',
    });
    expect(unknown).toEqual({ ok: false, errors: { findings: { code: 'finding_subject', params: { line: 2 } } } });

    const passed = [...opened.checklist.flatMap((g) => g.items.map((i) => i.id))].filter((id) => id !== 'no_damp');
    const done = await completeInspection(ctx(db.prisma, 'UARCH', sh('2026-12-02T11:00:00')), {
      code: full.code,
      passed,
      ...form,
      temperature: '18.5',
      humidity: '72',
      findings: '档案室1/A柜/3层/12盒；盒底受潮；换盒',
    });
    expect(done.findings).toMatchObject([
      { subject: '档案室1/A柜/3层/12盒', problem: '盒底受潮', action: 'rebox', closedAt: null },
    ]);
    const row = await db.prisma.inspection.findUniqueOrThrow({ where: { code: full.code } });
    expect(row).toMatchObject({ status: 'done', completedBy: 'UARCH', humidity: 72 });
    expect(row.temperature?.toFixed(1)).toBe('18.5');
    expect((row.checklist as { item: string; ok: boolean }[]).filter((c) => !c.ok).map((c) => c.item)).toEqual([
      'no_damp',
    ]);
    // A second archivist submitting the same form is told who did it.
    expect(await refusal(completeInspection(ctx(db.prisma, 'UARCH2'), { code: full.code, passed, ...form }))).toBe(
      'inspection_done',
    );
    const findingId = done.findings[0]?.id ?? 0;
    await closeFinding(ctx(db.prisma, 'UARCH2', sh('2026-12-03T09:00:00')), { id: findingId, note: '已换新盒' });
    expect(await refusal(closeFinding(ctx(db.prisma, 'UARCH'), { id: findingId, note: '' }))).toBe('finding_closed');
    const finding = await db.prisma.inspectionFinding.findUniqueOrThrow({ where: { id: findingId } });
    expect(finding).toMatchObject({ closedBy: 'UARCH2', closeNote: '已换新盒', closedAt: sh('2026-12-03T09:00:00') });
    const audited = await db.prisma.auditEvent.findMany({
      where: { action: { in: ['inspection.completed', 'inspection.finding_closed'] } },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => [e.action, e.actor])).toEqual([
      ['inspection.completed', 'UARCH'],
      ['inspection.finding_closed', 'UARCH2'],
    ]);
  });

  it('ARCH-24: admins keep the security checklist; only those who keep the archive inspect', async () => {
    const { db } = await archive();
    expect(await refusal(setSecurityItems(ctx(db.prisma, 'UARCH'), ['禁止吸烟']))).toBe('not_allowed');
    expect(
      await refusal(
        setSecurityItems(
          ctx(db.prisma, 'UADMIN'),
          Array.from({ length: 11 }, (_, i) => `项目${i}`),
        ),
      ),
    ).toBe('inspection_items_invalid');
    await setSecurityItems(ctx(db.prisma, 'UADMIN'), ['库房内严禁吸烟', ' 离开时锁门 ', '']);
    const list = await listInspections(ctx(db.prisma, 'UARCH'));
    const code = list.open.find((i) => i.kind === 'full')?.code ?? '';
    const opened = await openInspection(ctx(db.prisma, 'UARCH'), code);
    expect(opened.checklist.find((g) => g.group === 'security')?.items.map((i) => i.label)).toEqual([
      '库房内严禁吸烟',
      '离开时锁门',
    ]);
    expect(await refusal(openInspection(ctx(db.prisma, 'USALES'), code))).toBe('not_allowed');
    expect(await refusal(listInspections(ctx(db.prisma, 'USALES')))).toBe('not_allowed');
    expect(await refusal(completeInspection(ctx(db.prisma, 'USALES'), { code, passed: [], ...form }))).toBe(
      'not_allowed',
    );
  });
});

describe('an insider probing inspections (SEC-3)', () => {
  it('SEC-3: a finding naming a 绝密 volume the inspector may not know of is answered like an unknown one', async () => {
    const { db } = await archive();
    await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
    await givePerson(db.prisma, 'UCUST', ['archivist'], '客户服务部');
    const secret = await createCustomer(ctx(db.prisma, 'USUPER'), {
      ...validCustomer({ name: '绝密检查客户', secrecyLevel: 'top_secret', ownerSlackUserId: 'USALES' }),
      custodianSlackUserIds: ['UCUST'],
    });
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: secret.code } });
    const keeper = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UCUST' } });
    await insertVolume(db.prisma, {
      code: 'JZ-2020-0007',
      customer,
      boxId: await insertBox(db.prisma),
      responsibleId: keeper.id,
      year: 2020,
      retention: 'long_term',
      level: 'top_secret',
    });
    const line = (subject: string) => ({ ...form, findings: `${subject}；霉斑；修补` });
    const unknown = await checkInspectionForm(ctx(db.prisma, 'UARCH'), line('JZ-2020-0999'));
    expect(await checkInspectionForm(ctx(db.prisma, 'UARCH'), line('JZ-2020-0007'))).toEqual(unknown);
    // Its custodian may name it.
    expect((await checkInspectionForm(ctx(db.prisma, 'UCUST'), line('JZ-2020-0007'))).ok).toBe(true);
  });
});
