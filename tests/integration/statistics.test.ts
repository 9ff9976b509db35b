/**
 * Sales figures and grading on a real database (DB-8, DB-10, STAT-4, STAT-11): an import is all
 * or nothing, a re-imported month replaces the figure and keeps the old one, a customer the
 * importer may not know of is an unknown code, and grading ranks the last three complete
 * months and keeps every change with its figures.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { moveInRoute, showRoute } from '../../src/domain/customers/route.js';
import { gradeNow } from '../../src/domain/statistics/grade-customers.js';
import { importSalesFile } from '../../src/domain/statistics/import-sales.js';
import { importTargetsFile } from '../../src/domain/statistics/import-targets.js';
import { gradingJob } from '../../src/jobs/grading.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

/** Grading and imports touch every customer: each test has a database of its own. */
async function ownDb(): Promise<TestDb> {
  const db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USERV', ['service'], '客户服务部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UKEEPER', ['sales'], '销售一部');
  return db;
}

async function customers(db: TestDb, n: number): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 1; i <= n; i++) {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: `统计客户${i}号`, phone: `0571-${String(89000000 + i)}` }),
    );
    codes.push(created.code);
  }
  return codes;
}

const csv = (rows: string[][]) =>
  new TextEncoder().encode(['客户编号,月份,销售额', ...rows.map((r) => r.join(','))].join('\n'));

describe('importing sales (DB-10, STAT-4, STAT-11)', () => {
  it('STAT-4: all or nothing — one bad row and nothing is saved, every problem listed', async () => {
    const db = await ownDb();
    const [a, b] = await customers(db, 2);
    const outcome = await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'sales.csv',
      bytes: csv([
        [a ?? '', '2026-09', '1000.00'],
        [b ?? '', '2026-09', '-5'],
        ['KH-2026-9999', '2026-10', '10'],
      ]),
    });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problems).toEqual([{ row: 3, column: 'amount', reason: 'negative_amount' }]);
    expect(await db.prisma.salesFigure.count()).toBe(0);
    // With the sheet right, the unknown code is the one problem left: still nothing saved.
    const unknown = await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'sales.csv',
      bytes: csv([
        [a ?? '', '2026-09', '1000.00'],
        ['KH-2026-9999', '2026-10', '10'],
      ]),
    });
    expect(!unknown.ok && unknown.problems).toEqual([{ row: 3, column: 'code', reason: 'unknown_customer' }]);
    expect(await db.prisma.salesFigure.count()).toBe(0);
    expect(await db.prisma.salesImport.count()).toBe(0);
  });

  it('DB-10, STAT-11: a re-imported month replaces the figure, keeps the old one, and is audited', async () => {
    const db = await ownDb();
    const [a, b] = await customers(db, 2);
    const first = await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'september.csv',
      bytes: csv([
        [a ?? '', '2026-09', '"1,234.50"'],
        [b ?? '', '2026-09', '10'],
      ]),
    });
    expect(first.ok && first.imported).toMatchObject({ rows: 2, customers: 2, months: ['2026-09'], replaced: 0 });
    const again = await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'september-fixed.csv',
      bytes: csv([[a ?? '', '2026-09', '1300']]),
    });
    expect(again.ok && again.imported).toMatchObject({ rows: 1, replaced: 1 });
    const figure = await db.prisma.salesFigure.findFirstOrThrow({ where: { customer: { code: a } } });
    expect(figure.amount.toFixed(2)).toBe('1300.00');
    const change = await db.prisma.salesFigureChange.findFirstOrThrow();
    expect([change.oldAmount.toFixed(2), change.newAmount.toFixed(2), change.month]).toEqual([
      '1234.50',
      '1300.00',
      '2026-09',
    ]);
    const audited = await db.prisma.auditEvent.findMany({
      where: { action: 'sales.imported' },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => (e.details as { replaced: number }).replaced)).toEqual([0, 1]);
  });

  it('SEC-3: a customer the importer may not know of is an unknown code; someone without the role is refused', async () => {
    const db = await ownDb();
    const [a] = await customers(db, 1);
    const secret = await createCustomer(ctx(db.prisma, 'USUPER'), {
      ...validCustomer({
        name: '绝密统计客户',
        phone: '0571-88880000',
        secrecyLevel: 'top_secret',
        ownerSlackUserId: 'USALES1',
      }),
      custodianSlackUserIds: ['UKEEPER'],
    });
    // 机密: the archivist may know it exists but not read it — its figures are not theirs to set.
    const confidential = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '机密统计客户', phone: '0571-88880001', secrecyLevel: 'confidential' }),
    );
    const outcome = await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'sales.csv',
      bytes: csv([
        [a ?? '', '2026-09', '1'],
        [secret.code, '2026-09', '1'],
        ['KH-2026-9999', '2026-09', '1'],
        [confidential.code, '2026-09', '1'],
      ]),
    });
    expect(!outcome.ok && outcome.problems).toEqual([
      { row: 3, column: 'code', reason: 'unknown_customer' },
      { row: 4, column: 'code', reason: 'unknown_customer' },
      { row: 5, column: 'code', reason: 'unknown_customer' },
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: 'sales.import_refused', actor: 'UARCH' } })).toBe(1);
    // The grading answer counts only what the asker may read: the 机密 and 绝密 customers are not in it.
    await importSalesFile(ctx(db.prisma, 'USUPER'), {
      name: 'ok.csv',
      bytes: csv([
        [a ?? '', '2026-09', '10'],
        [confidential.code, '2026-09', '20'],
      ]),
    });
    const graded = await gradeNow(ctx(db.prisma, 'UARCH'));
    expect(graded).toMatchObject({ graded: 1, changed: 1 });
    expect(await db.prisma.customer.count({ where: { grade: { not: null } } })).toBe(3);
    await expect(
      importSalesFile(ctx(db.prisma, 'USALES1'), { name: 'sales.csv', bytes: csv([[a ?? '', '2026-09', '1']]) }),
    ).rejects.toBeDomainError('not_allowed', { action: 'import' });
  });
});

describe('grading (DB-8, DB-10)', () => {
  it('DB-8: the last three complete months ranked: top 20% A, next 30% B, the rest C; each change kept', async () => {
    const db = await ownDb();
    const codes = await customers(db, 10);
    // NOW is 2026-11-28: the three complete months are August to October. November is not complete.
    const rows = codes.flatMap((code, i) => [
      [code, '2026-08', String((10 - i) * 100)],
      [code, '2026-09', String((10 - i) * 100)],
      [code, '2026-10', String((10 - i) * 100)],
      [code, '2026-11', String(i * 1000)],
    ]);
    const imported = await importSalesFile(ctx(db.prisma, 'UARCH'), { name: 'q3.csv', bytes: csv(rows) });
    expect(imported.ok).toBe(true);
    const run = await gradeNow(ctx(db.prisma, 'UARCH'));
    expect(run).toMatchObject({
      months: ['2026-08', '2026-09', '2026-10'],
      graded: 10,
      changed: 10,
      byGrade: { A: 2, B: 3, C: 5 },
    });
    const grades = await db.prisma.customer.findMany({ orderBy: { code: 'asc' }, select: { code: true, grade: true } });
    expect(grades.map((g) => g.grade)).toEqual(['A', 'A', 'B', 'B', 'B', 'C', 'C', 'C', 'C', 'C']);
    const first = await db.prisma.customer.findUniqueOrThrow({ where: { code: codes[0] ?? '' } });
    const history = await db.prisma.gradeChange.findFirstOrThrow({ where: { customerId: first.id } });
    expect(history).toMatchObject({
      from: null,
      to: 'A',
      rank: 1,
      population: 10,
      fromMonth: '2026-08',
      toMonth: '2026-10',
      changedBy: 'UARCH',
    });
    expect(history.average.toFixed(2)).toBe('1000.00');
    // Run again: nothing changed, nothing more kept.
    expect(await gradeNow(ctx(db.prisma, 'UARCH'))).toMatchObject({ changed: 0 });
    expect(await db.prisma.gradeChange.count()).toBe(10);
    await expect(gradeNow(ctx(db.prisma, 'USALES1'))).rejects.toBeDomainError('not_allowed', { action: 'grade' });
  });

  it('DB-8: the monthly job grades by the months before its firing (company time); with no figures nobody is graded', async () => {
    const db = await ownDb();
    const [a, b] = await customers(db, 2);
    const deps = {
      db: db.prisma,
      logger: createLogger('silent'),
      timeZone: TIME_ZONE,
      defaultLocale: 'zh-CN' as const,
    };
    // Nothing imported: nobody graded on nothing.
    expect(await gradingJob.run(deps, NOW)).toMatchObject({ graded: 0, changed: 0 });
    expect(await db.prisma.customer.count({ where: { grade: { not: null } } })).toBe(0);
    await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'november.csv',
      bytes: csv([
        [a ?? '', '2026-11', '500'],
        [b ?? '', '2026-10', '100'],
      ]),
    });
    // 00:30 on 1 December in Shanghai is still 30 November in UTC: the months are September to November.
    const firing = new Date('2026-11-30T16:30:00Z');
    const result = await gradingJob.run(deps, firing);
    expect(result).toMatchObject({ months: '2026-09,2026-10,2026-11', graded: 2, changed: 2, A: 1 });
    const byCode = new Map(
      (await db.prisma.customer.findMany({ select: { code: true, grade: true } })).map((c) => [c.code, c.grade]),
    );
    expect(byCode.get(a ?? '')).toBe('A');
    const events = await db.prisma.auditEvent.count({ where: { action: 'customers.graded', actor: 'system' } });
    expect(events).toBe(1);
  });
});

describe('regions and routes (DB-9)', () => {
  it('DB-9: the visit order as each person may see it; moving a customer renumbers the route without a gap giving away a hidden one', async () => {
    const db = await ownDb();
    await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
    const codes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const created = await createCustomer(
        ctx(db.prisma, 'USALES1'),
        validCustomer({
          name: `华东客户${i}号`,
          phone: `0571-${String(87600000 + i)}`,
          region: '华东',
          routeOrder: String(i * 2),
        }),
      );
      codes.push(created.code);
    }
    // A 绝密 customer between them, which the archivist may not know of.
    await createCustomer(ctx(db.prisma, 'USUPER'), {
      ...validCustomer({
        name: '华东绝密客户',
        phone: '0571-87609999',
        region: '华东',
        routeOrder: '3',
        secrecyLevel: 'top_secret',
        ownerSlackUserId: 'USALES1',
      }),
      custodianSlackUserIds: ['UKEEPER'],
    });
    const seen = await showRoute(ctx(db.prisma, 'UARCH'), '华东');
    expect(seen.stops.map((s) => [s.position, s.code])).toEqual([
      [1, codes[0]],
      [2, codes[1]],
      [3, codes[2]],
    ]);
    const moved = await moveInRoute(ctx(db.prisma, 'UARCH'), { region: '华东', code: codes[2] ?? '', position: 1 });
    expect(moved.stops.map((s) => s.code)).toEqual([codes[2], codes[0], codes[1]]);
    // The whole route renumbered 1…4, the hidden one still right after the first of the others.
    const stored = await db.prisma.customer.findMany({ where: { region: '华东' }, orderBy: { routeOrder: 'asc' } });
    expect(stored.map((c) => c.routeOrder)).toEqual([1, 2, 3, 4]);
    expect(stored[2]?.name).toBe('华东绝密客户');
    // Another department's salesperson may not read these 秘密 customers: the route is answered
    // exactly like a region with nobody in it (a code between addresses would say where it is).
    await expect(showRoute(ctx(db.prisma, 'USALES2'), '华东')).rejects.toBeDomainError('region_empty', {
      region: '华东',
    });
    // Nor may they move one: it is not on their route, the same answer as an unknown code.
    await expect(
      moveInRoute(ctx(db.prisma, 'USALES2'), { region: '华东', code: codes[0] ?? '', position: 2 }),
    ).rejects.toBeDomainError('route_not_in_region', { code: codes[0] ?? '', region: '华东' });
    await expect(showRoute(ctx(db.prisma, 'UARCH'), '西北')).rejects.toBeDomainError('region_empty', {
      region: '西北',
    });
  });
});

describe('monthly targets (DB-10, STAT-17)', () => {
  it('STAT-17: targets per department and grade, all or nothing; a target set again replaces the old one', async () => {
    const db = await ownDb();
    const sheet = (rows: string[][]) =>
      new TextEncoder().encode(['部门,等级,月份,目标', ...rows.map((r) => r.join(','))].join('\n'));
    const bad = await importTargetsFile(ctx(db.prisma, 'UARCH'), {
      bytes: sheet([
        ['销售一部', '', '2026-12', '100000'],
        ['没有的部门', 'A', '2026-12', '5'],
        ['销售一部', 'D', '2026-12', '5'],
        ['销售一部', '', '2026-12', '1'],
      ]),
    });
    expect(!bad.ok && bad.problems).toEqual([
      { row: 3, column: 'department', reason: 'unknown_department' },
      { row: 4, column: 'grade', reason: 'invalid_grade' },
      { row: 5, column: null, reason: 'duplicate_row', firstRow: 2 },
    ]);
    expect(await db.prisma.salesTarget.count()).toBe(0);
    const good = await importTargetsFile(ctx(db.prisma, 'UARCH'), {
      bytes: sheet([
        ['销售一部', '', '2026-12', '100000'],
        ['销售一部', 'A', '2026-12', '60000'],
      ]),
    });
    expect(good).toEqual({ ok: true, targets: 2, months: ['2026-12'] });
    await importTargetsFile(ctx(db.prisma, 'UARCH'), { bytes: sheet([['销售一部', '', '2026-12', '120000.50']]) });
    const all = await db.prisma.salesTarget.findMany({ orderBy: { scope: 'asc' } });
    expect(all.map((t) => [t.scope, t.amount.toFixed(2)])).toEqual([
      ['A', '60000.00'],
      ['all', '120000.50'],
    ]);
    await expect(importTargetsFile(ctx(db.prisma, 'USALES1'), { bytes: sheet([]) })).rejects.toBeDomainError(
      'not_allowed',
      { action: 'import' },
    );
  });
});
