/**
 * DB-8, DB-10: the grading statement (`GRADE_SQL` in grade-customers.ts, run by `runGrading` and
 * the monthly `grading` job) against its specification, `gradeCustomers` (grading-rules.ts,
 * table-tested in tests/unit/grading-rules.test.ts), on a real database.
 *
 * 61 customers (a prime count, so that no share cut is a whole number of customers) with sales
 * over August to December 2026, graded at the job's firing on 1 December (September to
 * November): a tie beginning at every share cut, sums exactly at and one fen below the amount
 * thresholds, zero months, missing months, returns (negative months) leaving a net of 0 or
 * less, customers with no figures at all or only outside the three months, a 机密 customer.
 * Under each policy in turn, set as an admin sets it, every customer's stored grade and every
 * new GradeChange row must be what `gradeCustomers` gives for the figures read back from the
 * table month by month under the same policy; the counts per grade are also checked against
 * the ones worked out by hand below, so that the data keeps exercising the cuts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { type ConfigKey, setConfigValue } from '../../src/domain/settings/config-values.js';
import { runGrading } from '../../src/domain/statistics/grade-customers.js';
import {
  fenToYuan,
  type Grade,
  type GradingPolicy,
  gradeCustomers,
  lastThreeCompleteMonths,
} from '../../src/domain/statistics/grading-rules.js';
import { importSalesFile } from '../../src/domain/statistics/import-sales.js';
import { localDateOf } from '../../src/domain/time.js';
import { gradingJob } from '../../src/jobs/grading.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

/** The grading job's firing (src/jobs/grading.ts: the 1st at 06:00 company time): September to November. */
const FIRING = new Date('2026-12-01T06:00:00+08:00');
const GRADED = lastThreeCompleteMonths(localDateOf(FIRING, TIME_ZONE));
/** Figures outside the three months: August before them, December (the month the job runs in, incomplete) after. */
const BEFORE = '2026-08';
const AFTER = '2026-12';

/**
 * Each customer's figures in yuan for September, October and November ('' = no figure; a
 * leading '-' is a return, written straight into the table since the sheet refuses negative
 * amounts), and optionally for August and December. Listed from the highest three-month sum
 * down; created in another order (see `creationOrder`), so that customer ids do not follow it.
 * Each share cut falls on the first of a tie of three: a cut rounded down instead of up, a row
 * number instead of the rank, or `<` for `≤`, and the tie (or part of it) gets the worse grade.
 */
interface Row {
  what: string;
  months: [string, string, string];
  outside?: { before?: string; after?: string };
  confidential?: true;
}

const ROWS: Row[] = [
  { what: '90,000', months: ['30000', '30000', '30000'], outside: { after: '99999.99' } },
  { what: '60,000.01: average 20,000.00 (rounded down)', months: ['20000', '20000', '20000.01'] },
  { what: '45,000.02: average 15,000.01 (rounded up)', months: ['15000', '15000', '15000.02'] },
  { what: '20,000 in one month, one zero, one missing', months: ['20000', '0', ''] },
  { what: '15,000.00: exactly 3 × 5,000 (A by amount)', months: ['', '', '15000'] },
  { what: '14,999.99: one fen below (B by amount, average shown as 5000.00)', months: ['5000', '5000', '4999.99'] },
  { what: '12,000', months: ['4000', '4000', '4000'], outside: { before: '50000' } },
  { what: '11,000', months: ['3000', '4000', '4000'] },
  { what: '10,000.01', months: ['3333.33', '3333.34', '3333.34'] },
  { what: '10,000', months: ['10000', '', ''] },
  { what: '9,500', months: ['3000', '3000', '3500'] },
  { what: '9,200', months: ['', '4600', '4600'] },
  // Positions 13–15: the default A cut is ceil(61 × 20%) = 13.
  { what: '9,000 (tie across the 20% cut)', months: ['3000', '3000', '3000'] },
  { what: '9,000 (tie across the 20% cut)', months: ['9000', '', ''] },
  { what: '9,000 (tie across the 20% cut)', months: ['0', '4500', '4500'] },
  { what: '8,000', months: ['8000', '0', '0'] },
  { what: '7,500', months: ['2500', '2500', '2500'] },
  { what: '7,000', months: ['', '7000', ''] },
  { what: '6,500', months: ['2000', '2000', '2500'] },
  { what: '6,400', months: ['3200', '', '3200'] },
  { what: '6,300', months: ['2100', '2100', '2100'] },
  // Positions 22–24: the 35% A cut is ceil(61 × 35%) = 22.
  { what: '6,200 (tie across the 35% cut)', months: ['6200', '', ''] },
  { what: '6,200 (tie across the 35% cut)', months: ['2000', '2100', '2100'] },
  { what: '6,200 (tie across the 35% cut)', months: ['', '3100', '3100'] },
  { what: '6,000.00: exactly 3 × 2,000', months: ['2000', '2000', '2000'] },
  { what: '5,999.99: one fen below', months: ['2000', '1999.99', '2000'] },
  { what: '5,500', months: ['5500', '', ''] },
  { what: '5,000', months: ['1000', '2000', '2000'] },
  { what: '4,500', months: ['1500', '1500', '1500'] },
  { what: '4,000', months: ['', '', '4000'] },
  // Positions 31–33: the default B cut is ceil(61 × 50%) = 31.
  { what: '3,500 (tie across the 50% cut)', months: ['1000', '1000', '1500'] },
  { what: '3,500 (tie across the 50% cut)', months: ['3500', '0', ''] },
  { what: '3,500 (tie across the 50% cut)', months: ['1500', '1000', '1000'], confidential: true },
  { what: '3,000.00: exactly 3 × 1,000 (B by amount)', months: ['1000', '1000', '1000'] },
  { what: '2,999.99: one fen below (C by amount)', months: ['999.99', '1000', '1000'] },
  { what: '2,800', months: ['2800', '', ''] },
  { what: '2,600', months: ['600', '1000', '1000'] },
  { what: '2,400', months: ['800', '800', '800'] },
  { what: '2,200', months: ['', '2200', ''] },
  { what: '2,000', months: ['1000', '1000', '0'] },
  { what: '1,800', months: ['600', '600', '600'] },
  { what: '1,600', months: ['1600', '0', '0'] },
  // Positions 43–45: the 70% B cut is ceil(61 × 70%) = 43.
  { what: '1,500 (tie across the 70% cut)', months: ['500', '500', '500'] },
  { what: '1,500 after a return (tie across the 70% cut)', months: ['2000', '0', '-500'] },
  { what: '1,500 (tie across the 70% cut)', months: ['', '1500', ''] },
  { what: '500', months: ['', '', '500'] },
  { what: '100.01: average 33.34', months: ['100.01', '', ''] },
  { what: '1.00: average 0.33', months: ['0.5', '0.5', ''] },
  { what: '0.02: average 0.01', months: ['0.01', '', '0.01'] },
  { what: '0.01: average 0.00, still net sales', months: ['', '0.01', ''] },
  { what: '0.01 after a return', months: ['1000', '-999.99', ''] },
  // No net sales: C under every policy, whatever their rank.
  { what: 'zero in every month', months: ['0', '0', '0'] },
  { what: 'one zero month', months: ['', '0', ''] },
  { what: 'returns cancelling the sales', months: ['500', '', '-500'] },
  { what: 'no figures at all', months: ['', '', ''] },
  { what: 'no figures at all', months: ['', '', ''] },
  { what: 'no figures at all', months: ['', '', ''] },
  { what: 'figures only outside the three months', months: ['', '', ''], outside: { before: '80000', after: '80000' } },
  { what: '-0.02 (average -0.01)', months: ['', '', '-0.02'] },
  { what: '-200 (returns exceed the sales)', months: ['100', '-300', ''] },
  { what: '-50 (a return only)', months: ['-50', '', ''] },
];

/** Created in the order 0, 23, 46, 8, …: 23 is coprime to 61, so every row once, ids not by rank. */
const creationOrder = ROWS.map((_, i) => (i * 23) % ROWS.length);

/** The settings an admin sets for a policy, and the policy the specification is given. */
interface Case {
  title: string;
  settings: Record<'grade_a_percent' | 'grade_b_percent' | 'grade_a_min_yuan' | 'grade_b_min_yuan', number>;
  policy: GradingPolicy;
  reason: string;
  /** A/B/C counts worked out by hand from ROWS (positions as commented there). */
  counts: Record<Grade, number>;
}

const shares = (a: number, b: number) => ({
  settings: { grade_a_percent: a, grade_b_percent: b, grade_a_min_yuan: 0, grade_b_min_yuan: 0 },
  policy: { mode: 'share', aPercent: a, bPercent: b } as const,
  reason: `share: A top ${a}%, B next ${b}%, C the rest`,
});
const amounts = (a: number, b: number) => ({
  settings: { grade_a_percent: 20, grade_b_percent: 30, grade_a_min_yuan: a, grade_b_min_yuan: b },
  policy: { mode: 'amount', aMinFen: BigInt(a) * 100n, bMinFen: BigInt(b) * 100n } as const,
  reason: `amount: A from ${a}.00, B from ${b}.00 yuan a month`,
});

const CASES: Case[] = [
  {
    title:
      'DB-8, DB-10: the grading job at its firing, default shares 20/30: cuts at 13 and 31, each on the first of a tie that all takes the better grade',
    ...shares(20, 30),
    counts: { A: 15, B: 18, C: 28 },
  },
  {
    title: 'DB-8, DB-10: shares 35/35: cuts at 22 and 43, each on the first of a tie',
    ...shares(35, 35),
    counts: { A: 24, B: 21, C: 16 },
  },
  {
    title: 'DB-8, DB-10: shares 0/0: everyone C',
    ...shares(0, 0),
    counts: { A: 0, B: 0, C: 61 },
  },
  {
    title: 'DB-8, DB-10: shares 100/0: every customer with net sales A (0.01 included), a net ≤ 0 C at any rank',
    ...shares(100, 0),
    counts: { A: 51, B: 0, C: 10 },
  },
  {
    title:
      'DB-8, DB-10: amounts 5,000/1,000 yuan: compared as sum ≥ 3 × threshold (14,999.99 is B, 2,999.99 is C, though their averages show 5000.00 and 1000.00)',
    ...amounts(5000, 1000),
    counts: { A: 5, B: 29, C: 27 },
  },
  {
    title: 'DB-8, DB-10: amounts 2,000/2,000 yuan: no B; 5,999.99 over three months is C',
    ...amounts(2000, 2000),
    counts: { A: 25, B: 0, C: 36 },
  },
  {
    title: 'DB-8, DB-10: back to the default shares 20/30 after amounts (both thresholds 0)',
    ...shares(20, 30),
    counts: { A: 15, B: 18, C: 28 },
  },
];

let db: TestDb;
/** Customer ids by row of ROWS. */
let ids: number[] = [];

const yuanToFen = (text: string): bigint => {
  const [whole = '0', cents = ''] = text.replace('-', '').split('.');
  const fen = BigInt(whole) * 100n + BigInt(cents.padEnd(2, '0'));
  return text.startsWith('-') ? -fen : fen;
};

/** The figures of the three months as the table holds them, in fen, read month by month (no figure: 0n). */
async function figuresFromTable(): Promise<Map<number, bigint[]>> {
  const byCustomer = new Map<number, bigint[]>(ids.map((id) => [id, [0n, 0n, 0n]]));
  const figures = await db.prisma.salesFigure.findMany({ where: { month: { in: [...GRADED] } } });
  for (const figure of figures) {
    const months = byCustomer.get(figure.customerId);
    if (!months) throw new Error(`a figure for customer ${figure.customerId}, not one of the test's`);
    months[GRADED.indexOf(figure.month)] = yuanToFen(figure.amount.toFixed(2));
  }
  return byCustomer;
}

async function storedGrades(): Promise<Map<number, Grade | null>> {
  const customers = await db.prisma.customer.findMany({ select: { id: true, grade: true } });
  return new Map(customers.map((c) => [c.id, c.grade]));
}

async function setPolicy(settings: Case['settings']): Promise<void> {
  for (const [key, value] of Object.entries(settings)) {
    await setConfigValue(ctx(db.prisma, 'UADMIN', FIRING), key as ConfigKey, value);
  }
}

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  const byRow = new Map<number, number>();
  for (const row of creationOrder) {
    const spec = ROWS[row];
    if (!spec) throw new Error(`no row ${row}`);
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({
        name: `分级客户${row + 1}号`,
        phone: `0571-${String(86000000 + row + 1)}`,
        ...(spec.confidential && { secrecyLevel: 'confidential' }),
      }),
    );
    byRow.set(row, (await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } })).id);
  }
  ids = ROWS.map((_, row) => byRow.get(row) ?? 0);

  // Every non-negative figure through the sales import (by a supervisor, who may read the 机密 customer).
  const lines: string[] = [];
  const returns: { customerId: number; month: string; amount: string }[] = [];
  for (const row of creationOrder) {
    const spec = ROWS[row];
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: ids[row] ?? 0 } });
    const entries: [string, string | undefined][] = [
      [BEFORE, spec?.outside?.before],
      ...GRADED.map((month, i) => [month, spec?.months[i]] as [string, string | undefined]),
      [AFTER, spec?.outside?.after],
    ];
    for (const [month, amount] of entries) {
      if (amount === undefined || amount === '') continue;
      if (amount.startsWith('-')) returns.push({ customerId: customer.id, month, amount });
      else lines.push(`${customer.code},${month},${amount}`);
    }
  }
  const imported = await importSalesFile(ctx(db.prisma, 'USUPER', FIRING), {
    name: 'sales.csv',
    bytes: new TextEncoder().encode(['客户编号,月份,销售额', ...lines].join('\n')),
  });
  if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
  // The sheet refuses negative amounts (STAT-4); the table holds them, and the rule grades them.
  const { id: importId } = await db.prisma.salesImport.findFirstOrThrow();
  await db.prisma.salesFigure.createMany({ data: returns.map((r) => ({ ...r, importId })) });
});
afterAll(() => db?.close());

describe('grading in SQL against its specification, customer by customer (DB-8, DB-10)', () => {
  it('DB-10: the table holds the figures as listed, in fen, for the three complete months before the firing', async () => {
    expect(GRADED).toEqual(['2026-09', '2026-10', '2026-11']);
    const table = await figuresFromTable();
    expect(ids.map((id) => table.get(id))).toEqual(
      ROWS.map((row) => row.months.map((m) => (m === '' ? 0n : yuanToFen(m)))),
    );
    expect(await db.prisma.salesFigure.count({ where: { month: { in: [BEFORE, AFTER] } } })).toBe(4);
  });

  let firings = 0;
  for (const c of CASES) {
    it(c.title, async () => {
      await setPolicy(c.settings);
      const before = await storedGrades();
      const lastChange = (await db.prisma.gradeChange.aggregate({ _max: { id: true } }))._max.id ?? 0;

      // The first through the job at its firing, as the scheduler runs it; then runGrading, a minute later each.
      const at = new Date(FIRING.getTime() + firings * 60_000);
      let run: Record<string, unknown>;
      if (firings === 0) {
        const outcome = await runJob(
          { db: db.prisma, logger: createLogger('silent'), timeZone: TIME_ZONE, defaultLocale: 'zh-CN' },
          gradingJob,
          at,
        );
        if (outcome.status !== 'done') throw new Error(`the job did not run: ${JSON.stringify(outcome)}`);
        run = outcome.result;
      } else {
        const graded = await runGrading(db.prisma, at, TIME_ZONE);
        run = { months: graded.months.join(','), graded: graded.graded, changed: graded.changed, ...graded.byGrade };
      }
      firings++;

      const table = await figuresFromTable();
      const spec = gradeCustomers(
        [...table].map(([customerId, months]) => ({ customerId, months })),
        c.policy,
      );
      const specCounts = { A: 0, B: 0, C: 0 };
      for (const g of spec) specCounts[g.grade]++;
      expect(specCounts).toEqual(c.counts);

      // Every customer's stored grade.
      const after = await storedGrades();
      expect(Object.fromEntries(after)).toEqual(Object.fromEntries(spec.map((g) => [g.customerId, g.grade])));

      // Every new history row, in the order kept (rank, then customer), for exactly the customers that changed.
      const changed = spec.filter((g) => g.grade !== before.get(g.customerId));
      const rows = await db.prisma.gradeChange.findMany({ where: { id: { gt: lastChange } }, orderBy: { id: 'asc' } });
      expect(
        rows.map((r) => ({
          customerId: r.customerId,
          from: r.from,
          to: r.to,
          average: r.average.toFixed(2),
          rank: r.rank,
          population: r.population,
          fromMonth: r.fromMonth,
          toMonth: r.toMonth,
          reason: r.reason,
          changedAt: r.changedAt,
          changedBy: r.changedBy,
        })),
      ).toEqual(
        changed.map((g) => ({
          customerId: g.customerId,
          from: before.get(g.customerId) ?? null,
          to: g.grade,
          average: fenToYuan(g.averageFen),
          rank: g.rank,
          population: ROWS.length,
          fromMonth: GRADED[0],
          toMonth: GRADED[2],
          reason: c.reason,
          changedAt: at,
          changedBy: 'system',
        })),
      );
      expect(run).toEqual({
        months: GRADED.join(','),
        graded: ROWS.length,
        changed: changed.length,
        ...c.counts,
      });
    });
  }
});
