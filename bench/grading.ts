/**
 * `npm run bench:grading` — the monthly A/B/C grading and the monthly report over 100,000
 * customers × 36 months of sales (DESIGN.md: < 5 s on PostgreSQL; the bot's path ≤ 1.5×
 * hand-written SQL for the same figures), on the embedded PostgreSQL server the bot runs by
 * default.
 *
 * Loaded with `generate_series` as the owner role, in one transaction: sales departments with a
 * few owners each (and two owners in none), CUSTOMERS customers spread over them and over 40
 * regions (a few with none), under one SalesImport their figures for 2024-01..2026-12 (a
 * lognormal monthly level per customer, so a few sell far more than most; some customers with
 * no figures at all, some lapsed or new, some with gaps, zero months and returns, and some
 * selling whole thousands so that equal sums straddle the cuts), and monthly targets per
 * department (`all`, and A/B/C for some; one department with targets and no customers, one
 * with customers and no target).
 *
 * First, untimed, a check of the grading statement against its specification: `runGrading`
 * under several policies in a row (shares, amounts, nobody A, everybody A, nothing imported),
 * each result compared customer by customer with `gradeCustomers` (grading-rules.ts) run on the
 * figures themselves; any difference fails the run. Then, RUNS times each, at the monthly job's
 * firing 2027-01-01 06:00 company time (grading Oct–Dec 2026, the report for 2026-12):
 *   (a) `runGrading`, the job's path, as the bot's runtime role, every grade reset first (the
 *       worst case: every grade changes);
 *   (b) hand-written SQL as the same role: one statement sums the three months, ranks, cuts
 *       and applies the grades (one UPDATE, one INSERT … SELECT into GradeChange), in one
 *       transaction, every grade reset first; its grades and grade history are checked equal to
 *       (a)'s, or the run fails;
 *   (c) an ordinary month: `runGrading` right after (b), nothing left to change;
 *   (d) the monthly report 2026-12 as the bot compiles it: `compileReport` as an archivist
 *       (figures by `reportFigures`, the draft saved, audited), and `reportFigures` alone;
 *   (e) hand-written SQL for the same figures (per customer first, then the four groupings,
 *       and the targets), checked equal to what (d) stored, or the run fails.
 * Medians and every run go into bench/README.md.
 *
 *   npm run bench:grading
 *   BENCH_CUSTOMERS=20000 npm run bench:grading     # smaller, README left alone
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { clusterTemplatePath } from '../src/db/cluster-template.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { runtimeUrl } from '../src/db/runtime-role.js';
import { useAuditKey } from '../src/domain/audit/audit-key.js';
import type { UseCaseContext } from '../src/domain/context.js';
import { compileReport } from '../src/domain/statistics/compile-report.js';
import { type GradingRun, runGrading } from '../src/domain/statistics/grade-customers.js';
import {
  DEFAULT_GRADING,
  fenToYuan,
  type GradingPolicy,
  gradeCustomers,
  lastThreeCompleteMonths,
} from '../src/domain/statistics/grading-rules.js';
import { figureLines, type ReportFigures, reportFigures } from '../src/domain/statistics/report-figures.js';
import { monthsOf, parsePeriod, previousPeriod } from '../src/domain/statistics/report-periods.js';
import { localDateOf } from '../src/domain/time.js';
import { publishFigures } from './lib.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TZ = 'Asia/Shanghai';
/** The monthly job's firing (src/jobs/grading.ts: the 1st at 06:00 company time): grades Oct–Dec 2026. */
const NOW = new Date('2027-01-01T06:00:00+08:00');
const FIRST_MONTH = '2024-01-01';
const MONTHS = 36;
/** What runGrading records as the reason under the default policy (no settings: share 20/30). */
const REASON = 'share: A top 20%, B next 30%, C the rest';
/** The report timed: the month just ended at NOW. */
const PERIOD = '2026-12';
const ARCHIVIST = 'UBENCHARCH';
/** Sales departments; the first three also have grade targets, the last none at all. */
const SALES_DEPARTMENTS = ['销售一部', '销售二部', '销售三部', '销售四部', '销售五部', '销售六部'];
/** Has targets but no customers: its line comes from the targets alone. */
const MARKETING = '市场部';
const OWNERS_PER_DEPARTMENT = 5;
/** Owners in no department (the report's "none" line). */
const LOOSE_OWNERS = 2;
// biome-ignore format: a list of names, kept compact
const REGIONS = [
  '北京朝阳', '北京海淀', '上海浦东', '上海闵行', '广州天河', '广州番禺', '深圳南山', '深圳福田', '深圳宝安',
  '杭州西湖', '杭州滨江', '南京鼓楼', '苏州工业园', '无锡新吴', '宁波鄞州', '温州鹿城', '合肥蜀山', '福州鼓楼',
  '厦门思明', '济南历下', '青岛市南', '郑州金水', '武汉江汉', '长沙岳麓', '南昌红谷滩', '成都高新', '重庆渝中',
  '西安雁塔', '昆明五华', '贵阳观山湖', '南宁青秀', '海口龙华', '天津和平', '石家庄长安', '太原小店',
  '沈阳和平', '大连中山', '长春朝阳', '哈尔滨南岗', '乌鲁木齐天山',
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const sqlList = (xs: readonly string[]) => xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(', ');

/** Everything inserted set-based, in one transaction, as the owner (VACUUM and ANALYZE need it). */
async function load(owner: pg.Client): Promise<void> {
  const graded = sqlList(lastThreeCompleteMonths(localDateOf(NOW, TZ)));
  const month = (m: string) => `to_char(date '${FIRST_MONTH}' + ${m} * interval '1 month', 'YYYY-MM')`;
  const owners = SALES_DEPARTMENTS.length * OWNERS_PER_DEPARTMENT + LOOSE_OWNERS;
  const statements = [
    // random() is seeded: every invocation loads the same figures.
    `SELECT setseed(0.2027)`,
    `INSERT INTO "Department" (name) SELECT unnest(ARRAY[${sqlList([...SALES_DEPARTMENTS, MARKETING, '客户服务部'])}])`,
    `INSERT INTO "Person" ("slackUserId", roles, "updatedAt") VALUES ('UBENCHSALES', ARRAY['sales']::"Role"[], now())`,
    `INSERT INTO "Person" ("slackUserId", roles, "departmentId", "updatedAt")
       SELECT '${ARCHIVIST}', ARRAY['archivist']::"Role"[], id, now() FROM "Department" WHERE name = '客户服务部'`,
    // The owners: OWNERS_PER_DEPARTMENT in each sales department, then LOOSE_OWNERS in none.
    `INSERT INTO "Person" ("slackUserId", roles, "departmentId", "updatedAt")
       SELECT 'UBENCHOWNER' || lpad(g::text, 2, '0'), ARRAY['sales']::"Role"[],
              (ARRAY(SELECT id FROM "Department" WHERE name IN (${sqlList(SALES_DEPARTMENTS)}) ORDER BY id))[(g - 1) / ${OWNERS_PER_DEPARTMENT} + 1],
              now()
         FROM generate_series(1, ${owners}) g`,
    // Owners and regions skewed (power of random()): some hold far more customers than others.
    `INSERT INTO "Customer" (code, name, "nameKey", kind, "legalRepresentative", address, "postalCode", phone,
                             "secrecyLevel", "secrecyUntil", region, "ownerId", "createdById", "updatedAt")
       SELECT 'KH-2024-' || lpad(g::text, 6, '0'), '压测客户' || g, '压测客户' || g, 'dealer', '张三',
              '深圳市人民路' || g || '号', '518000', '0755-' || lpad(g::text, 8, '0'), 'restricted',
              '2030-01-01T00:00:00Z',
              CASE WHEN random() < 0.03 THEN NULL
                   ELSE (ARRAY[${sqlList(REGIONS)}])[1 + floor(power(random(), 1.4) * ${REGIONS.length})::int] END,
              o.ids[1 + floor(power(random(), 1.3) * ${owners})::int], p.id, now()
         FROM generate_series(1, ${CUSTOMERS}) g,
              (SELECT id FROM "Person" WHERE "slackUserId" = 'UBENCHSALES') p,
              (SELECT array_agg(id ORDER BY id) AS ids FROM "Person" WHERE "slackUserId" LIKE 'UBENCHOWNER%') o`,
    // Per customer: a kind of history, a monthly level (lognormal: median ≈ 3,000 yuan, the top
    // 1% above ≈ 120,000) and the month it lapsed or started.
    `CREATE TEMP TABLE plan AS
       SELECT id,
              CASE WHEN u < 0.01 THEN 'none'    -- never bought: no figures at all
                   WHEN u < 0.03 THEN 'lapsed'  -- no figures from some month on
                   WHEN u < 0.05 THEN 'new'     -- figures from some month on
                   WHEN u < 0.08 THEN 'gappy'   -- a third of the months missing
                   WHEN u < 0.13 THEN 'round'   -- whole thousands: equal sums across the cuts
                   ELSE 'steady' END AS profile,
              exp(random_normal(8, 1.6)) AS level,
              floor(random() * ${MONTHS})::int AS turn
         FROM (SELECT id, random() AS u FROM "Customer" OFFSET 0) c`,
    `INSERT INTO "SalesImport" (code, "fileName", rows, months, "importedBy", "importedAt")
       SELECT 'XS-2027-0001', '销售数据2024-2026.xlsx', 0, array_agg(${month('m')} ORDER BY m), 'UBENCHINFO',
              '2027-01-01T02:00:00+08:00'
         FROM generate_series(0, ${MONTHS - 1}) m`,
    // Customer by customer, as a sheet sorted by customer lists them: a month's figures are
    // spread over the whole table.
    `INSERT INTO "SalesFigure" ("customerId", month, amount, "importId")
       SELECT f.id, ${month('f.m')},
              CASE WHEN f.profile = 'round' THEN (1 + floor(f.r2 * 20)) * 1000
                   WHEN f.r < 0.03 THEN 0                                           -- a month without sales
                   WHEN f.r < 0.035 THEN round((-f.level * f.r2 * 0.5)::numeric, 2) -- returns exceeding sales
                   ELSE round((f.level * (0.4 + 1.2 * f.r2))::numeric, 2) END,
              (SELECT id FROM "SalesImport" WHERE code = 'XS-2027-0001')
         FROM (SELECT p.*, m, random() AS r, random() AS r2
                 FROM plan p CROSS JOIN generate_series(0, ${MONTHS - 1}) m OFFSET 0) f
        WHERE f.profile <> 'none'
          AND NOT (f.profile = 'lapsed' AND f.m >= f.turn)
          AND NOT (f.profile = 'new' AND f.m < f.turn)
          AND NOT (f.profile = 'gappy' AND f.r >= 0.67)
        ORDER BY f.id, f.m`,
    // Ties across both cuts, whatever the draw: the three customers just past each cut get the
    // figures of the last one within it for the three months graded (the better grade is theirs).
    `CREATE TEMP TABLE position AS
       SELECT c.id, row_number() OVER (ORDER BY coalesce(s.total, 0) DESC, c.id) AS pos
         FROM "Customer" c
         LEFT JOIN (SELECT "customerId", sum(amount) AS total FROM "SalesFigure" WHERE month IN (${graded})
                     GROUP BY "customerId") s ON s."customerId" = c.id`,
    `CREATE TEMP TABLE tie AS
       SELECT past.id AS target, last.id AS source
         FROM position last JOIN position past ON past.pos BETWEEN last.pos + 1 AND last.pos + 3
        WHERE last.pos IN (${Math.ceil(CUSTOMERS * 0.2)}, ${Math.ceil(CUSTOMERS * 0.5)})`,
    `DELETE FROM "SalesFigure" f USING tie WHERE f."customerId" = tie.target AND f.month IN (${graded})`,
    `INSERT INTO "SalesFigure" ("customerId", month, amount, "importId")
       SELECT tie.target, f.month, f.amount, f."importId"
         FROM tie JOIN "SalesFigure" f ON f."customerId" = tie.source AND f.month IN (${graded})`,
    `UPDATE "SalesImport" SET rows = (SELECT count(*) FROM "SalesFigure") WHERE code = 'XS-2027-0001'`,
    // Targets (plans): each month, a department's actual sales × 0.95–1.15 in whole 10,000 yuan
    // for the first five sales departments (the sixth has none), A/B/C shares of it for the
    // first three, and a fixed plan for the department without customers.
    `INSERT INTO "SalesTarget" ("departmentId", scope, month, amount, "importedBy", "importedAt")
       SELECT t.dept, s.scope, t.month, round(t.plan * s.share / 10000) * 10000, 'UBENCHINFO', '2027-01-01T02:00:00+08:00'
         FROM (SELECT d.id AS dept, d.name, f.month, sum(f.amount) * (0.95 + 0.2 * random()) AS plan
                 FROM "SalesFigure" f JOIN "Customer" c ON c.id = f."customerId"
                 JOIN "Person" p ON p.id = c."ownerId" JOIN "Department" d ON d.id = p."departmentId"
                WHERE d.name IN (${sqlList(SALES_DEPARTMENTS.slice(0, 5))})
                GROUP BY d.id, d.name, f.month) t
         JOIN (VALUES ('all', 1.0), ('A', 0.6), ('B', 0.3), ('C', 0.1)) s(scope, share)
           ON s.scope = 'all' OR t.name IN (${sqlList(SALES_DEPARTMENTS.slice(0, 3))})`,
    `INSERT INTO "SalesTarget" ("departmentId", scope, month, amount, "importedBy", "importedAt")
       SELECT d.id, 'all', ${month('m')}, 1000000, 'UBENCHINFO', '2027-01-01T02:00:00+08:00'
         FROM "Department" d, generate_series(0, ${MONTHS - 1}) m WHERE d.name = '${MARKETING}'`,
  ];
  await owner.query('BEGIN');
  for (const sql of statements) await owner.query(sql);
  await owner.query('COMMIT');
  // As autovacuum would have left an import made before the job fires (hint bits, visibility map).
  await owner.query('VACUUM ANALYZE');
}

/**
 * (b): the same grades in plain SQL, one statement: sum per customer over the three months
 * (no figures = 0), competition rank over all customers, the share cuts (A within
 * ceil(n × 20%), B within ceil(n × 50%); a tie keeps the better grade), a sum ≤ 0 is C;
 * nobody graded when the three months hold no figures at all (as runGrading). The changed
 * customers are updated and their changes recorded with the rounded average, rank and
 * population — what runGrading writes. Its audit event is left out.
 */
const BASELINE = `
  WITH sums AS (
    SELECT c.id, c.grade AS was, coalesce(s.total, 0) AS total
      FROM "Customer" c
      LEFT JOIN (SELECT "customerId", sum(amount) AS total
                   FROM "SalesFigure" WHERE month IN ($1, $2, $3)
                  GROUP BY "customerId") s ON s."customerId" = c.id
  ), ranked AS (
    SELECT id, was, total, rank() OVER (ORDER BY total DESC) AS rank, count(*) OVER () AS n FROM sums
  ), changed AS (
    SELECT r.id, r.was, r.total, r.rank, r.n, g.grade
      FROM ranked r,
           LATERAL (SELECT (CASE WHEN r.total <= 0 THEN 'C'
                                 WHEN r.rank <= ceil(r.n * 0.2) THEN 'A'
                                 WHEN r.rank <= ceil(r.n * 0.5) THEN 'B'
                                 ELSE 'C' END)::"Grade" AS grade) g
     WHERE g.grade IS DISTINCT FROM r.was
       AND EXISTS (SELECT FROM "SalesFigure" WHERE month IN ($1, $2, $3))
  ), updated AS (
    UPDATE "Customer" c SET grade = ch.grade, "gradedAt" = $4 FROM changed ch WHERE c.id = ch.id
  )
  INSERT INTO "GradeChange" ("customerId", "from", "to", average, "fromMonth", "toMonth", rank, population, reason,
                             "changedAt", "changedBy")
  SELECT id, was, grade, round(total / 3, 2), $1, $3, rank, n, $5, $4, 'system' FROM changed`;

/** Grades and grade history as the owner sees them, for comparing (a) with (b). */
const GRADES = `SELECT id, grade, "gradedAt" FROM "Customer"`;
const CHANGES = `SELECT "customerId", "from", "to", average, "fromMonth", "toMonth", rank, population, reason,
                        "changedAt", "changedBy" FROM "GradeChange"`;

/**
 * (e): the report's figures in plain SQL, written apart from reportFigures: each customer's
 * sums for the period and the period before first, then total, departments (the owner's),
 * regions and grades over those; `customers` counts those with a figure in the period.
 */
const REPORT_LINES = `
  WITH per_customer AS (
    SELECT "customerId" AS id,
           sum(amount) FILTER (WHERE month = ANY($1::text[])) AS actual,
           sum(amount) FILTER (WHERE month = ANY($2::text[])) AS previous
      FROM "SalesFigure" WHERE month = ANY($1::text[] || $2::text[])
     GROUP BY "customerId"
  ), tagged AS (
    SELECT pc.actual, pc.previous, d.id AS department_id, d.name AS department, c.region, c.grade::text AS grade
      FROM per_customer pc JOIN "Customer" c ON c.id = pc.id JOIN "Person" p ON p.id = c."ownerId"
      LEFT JOIN "Department" d ON d.id = p."departmentId"
  ), lines AS (
    SELECT 'total' AS grp, NULL AS label, sum(actual) AS actual, sum(previous) AS previous,
           count(actual) AS customers FROM tagged
    UNION ALL
    SELECT 'department', department, sum(actual), sum(previous), count(actual)
      FROM tagged GROUP BY department_id, department
    UNION ALL
    SELECT 'region', region, sum(actual), sum(previous), count(actual) FROM tagged GROUP BY region
    UNION ALL
    SELECT 'grade', grade, sum(actual), sum(previous), count(actual) FROM tagged GROUP BY grade
  )
  SELECT grp, label, (coalesce(actual, 0) * 100)::bigint::text AS actual,
         (coalesce(previous, 0) * 100)::bigint::text AS previous, customers::int FROM lines`;
const REPORT_TARGETS = `
  SELECT d.name AS label, t.scope, (sum(t.amount) * 100)::bigint::text AS fen
    FROM "SalesTarget" t JOIN "Department" d ON d.id = t."departmentId"
   WHERE t.month = ANY($1::text[]) GROUP BY t."departmentId", d.name, t.scope`;

/**
 * A report's lines as compared: group and label (a department's name, a region, a grade; none
 * for the total and for no department, region or grade) → [customers, actual, previous,
 * target], fen as text. Named by label, not by the report's key, whose spelling is its own.
 */
type Lines = Map<string, [number, string, string, string | null]>;
const lineName = (group: string, label: string | null) => `${group}:${label ?? '(none)'}`;

function linesOf(figures: ReportFigures): Lines {
  return new Map(
    figureLines(figures).map((l) => [
      lineName(l.group, l.label),
      [l.customers, String(l.actualFen), String(l.previousFen), l.targetFen === null ? null : String(l.targetFen)],
    ]),
  );
}

/** (e) as one would hand-write it: the two queries, and the lines put together as the report names them. */
async function sqlReport(app: pg.Client, months: string[], previousMonths: string[]): Promise<Lines> {
  const lines = await app.query<{
    grp: string;
    label: string | null;
    actual: string;
    previous: string;
    customers: number;
  }>(REPORT_LINES, [months, previousMonths]);
  const targets = await app.query<{ label: string; scope: string; fen: string }>(REPORT_TARGETS, [months]);
  const out: Lines = new Map();
  for (const l of lines.rows) out.set(lineName(l.grp, l.label), [l.customers, l.actual, l.previous, null]);
  // Every grade has a line, with figures or not.
  for (const grade of ['A', 'B', 'C', null])
    if (!out.has(lineName('grade', grade))) out.set(lineName('grade', grade), [0, '0', '0', null]);
  const addTarget = (name: string, fen: string) => {
    const line = out.get(name) ?? [0, '0', '0', null];
    line[3] = String(BigInt(line[3] ?? '0') + BigInt(fen));
    out.set(name, line);
  };
  for (const t of targets.rows) {
    if (t.scope === 'all') {
      addTarget(lineName('department', t.label), t.fen);
      addTarget(lineName('total', null), t.fen);
    } else addTarget(lineName('grade', t.scope), t.fen);
  }
  return out;
}

function compareLines(bot: Lines, sql: Lines): string[] {
  const problems: string[] = [];
  for (const key of new Set([...bot.keys(), ...sql.keys()])) {
    const a = JSON.stringify(bot.get(key) ?? null);
    const b = JSON.stringify(sql.get(key) ?? null);
    if (a !== b) problems.push(`${key}: bot ${a}, SQL ${b}`);
  }
  return problems;
}

/** "123.45" / "-0.50" (numeric with two decimals) → fen. */
const fenOf = (amount: string) => BigInt(amount.replace('.', ''));

/**
 * runGrading under several policies in a row, each result checked customer by customer against
 * gradeCustomers on the figures themselves (read month by month, not summed by SQL): the
 * grades, which customers changed, and every GradeChange row (from, to, average, rank,
 * population, reason); then a firing whose months hold no figures, which must grade nobody.
 */
async function checkAgainstSpec(owner: pg.Client, db: Parameters<typeof runGrading>[0]): Promise<string[]> {
  const months = lastThreeCompleteMonths(localDateOf(NOW, TZ));
  const figures = await owner.query<{ id: number; month: string; amount: string }>(
    `SELECT "customerId" AS id, month, amount::text FROM "SalesFigure" WHERE month = ANY($1::text[])`,
    [months],
  );
  const sales = new Map<number, bigint[]>();
  for (const { id } of (await owner.query<{ id: number }>(`SELECT id FROM "Customer"`)).rows) sales.set(id, []);
  for (const f of figures.rows) sales.get(f.id)?.push(fenOf(f.amount));
  const input = [...sales].map(([customerId, fen]) => ({ customerId, months: fen }));
  const cases: { name: string; settings: Record<string, number>; policy: GradingPolicy; reason: string }[] = [
    { name: 'default shares 20/30', settings: {}, policy: DEFAULT_GRADING, reason: REASON },
    {
      name: 'shares 35/35',
      settings: { grade_a_percent: 35, grade_b_percent: 35 },
      policy: { mode: 'share', aPercent: 35, bPercent: 35 },
      reason: 'share: A top 35%, B next 35%, C the rest',
    },
    {
      name: 'amounts 5,000 / 1,000 yuan',
      settings: { grade_a_min_yuan: 5000, grade_b_min_yuan: 1000 },
      policy: { mode: 'amount', aMinFen: 500_000n, bMinFen: 100_000n },
      reason: 'amount: A from 5000.00, B from 1000.00 yuan a month',
    },
    {
      name: 'amounts 2,000 / 2,000 yuan (no B)',
      settings: { grade_a_min_yuan: 2000, grade_b_min_yuan: 2000 },
      policy: { mode: 'amount', aMinFen: 200_000n, bMinFen: 200_000n },
      reason: 'amount: A from 2000.00, B from 2000.00 yuan a month',
    },
    {
      name: 'shares 0/0 (everyone C)',
      settings: { grade_a_percent: 0, grade_b_percent: 0 },
      policy: { mode: 'share', aPercent: 0, bPercent: 0 },
      reason: 'share: A top 0%, B next 0%, C the rest',
    },
    {
      name: 'shares 100/0 (every sale A)',
      settings: { grade_a_percent: 100, grade_b_percent: 0 },
      policy: { mode: 'share', aPercent: 100, bPercent: 0 },
      reason: 'share: A top 100%, B next 0%, C the rest',
    },
    { name: 'default shares again', settings: {}, policy: DEFAULT_GRADING, reason: REASON },
  ];
  const report: string[] = [];
  for (const [i, c] of cases.entries()) {
    await owner.query(`DELETE FROM "Setting" WHERE key LIKE 'config.grade_%'`);
    for (const [key, value] of Object.entries(c.settings))
      await owner.query(
        `INSERT INTO "Setting" (key, value, "updatedAt", "updatedBy") VALUES ($1, $2, now(), 'UBENCH')`,
        [`config.${key}`, String(value)],
      );
    const before = new Map(
      (await owner.query<{ id: number; grade: string | null }>(`SELECT id, grade FROM "Customer"`)).rows.map((r) => [
        r.id,
        r.grade,
      ]),
    );
    // The same three months, a minute apart, so that each firing's GradeChange rows are its own.
    const at = new Date(NOW.getTime() - (cases.length - i) * 60_000);
    const run = await runGrading(db, at, TZ);
    const expected = gradeCustomers(input, c.policy);
    const after = new Map(
      (
        await owner.query<{ id: number; grade: string | null; graded_at: Date | null }>(
          `SELECT id, grade, "gradedAt" AS graded_at FROM "Customer"`,
        )
      ).rows.map((r) => [r.id, r]),
    );
    const rows = await owner.query<{
      id: number;
      from: string | null;
      to: string;
      average: string;
      from_month: string;
      to_month: string;
      rank: number;
      population: number;
      reason: string;
      by: string;
    }>(
      `SELECT "customerId" AS id, "from", "to", average::text, "fromMonth" AS from_month, "toMonth" AS to_month,
              rank, population, reason, "changedBy" AS by FROM "GradeChange" WHERE "changedAt" = $1`,
      [at],
    );
    const recorded = new Map(rows.rows.map((r) => [r.id, r]));
    const problems: string[] = [];
    const byGrade = { A: 0, B: 0, C: 0 };
    let changes = 0;
    for (const g of expected) {
      byGrade[g.grade]++;
      const now = after.get(g.customerId);
      if (now?.grade !== g.grade) problems.push(`customer ${g.customerId}: ${now?.grade} instead of ${g.grade}`);
      const was = before.get(g.customerId) ?? null;
      const row = recorded.get(g.customerId);
      if (was === g.grade) {
        if (row) problems.push(`customer ${g.customerId}: a change recorded although ${was} stayed`);
        continue;
      }
      changes++;
      const want = [was, g.grade, fenToYuan(g.averageFen), months[0], months[2], g.rank, expected.length, c.reason];
      const got = row && [
        row.from,
        row.to,
        row.average,
        row.from_month,
        row.to_month,
        row.rank,
        row.population,
        row.reason,
      ];
      if (JSON.stringify(got) !== JSON.stringify(want) || row?.by !== 'system')
        problems.push(`customer ${g.customerId}: recorded ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      if (now?.graded_at?.getTime() !== at.getTime()) problems.push(`customer ${g.customerId}: gradedAt not set`);
    }
    if (recorded.size !== changes) problems.push(`${recorded.size} changes recorded, ${changes} expected`);
    const want = { graded: expected.length, changed: changes, byGrade, reason: c.reason };
    const got = { graded: run.graded, changed: run.changed, byGrade: run.byGrade, reason: run.reason };
    if (JSON.stringify(got) !== JSON.stringify(want))
      problems.push(`runGrading answered ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    if (problems.length > 0)
      throw new Error(`runGrading differs from gradeCustomers under ${c.name}: ${problems.slice(0, 5).join('; ')}`);
    report.push(`${c.name}: A ${byGrade.A}, B ${byGrade.B}, C ${byGrade.C}, ${changes} changed`);
  }
  // A firing whose three months hold no figures at all: nobody graded, nothing recorded or audited.
  const count = async (sql: string) => Number((await owner.query<{ n: string }>(sql)).rows[0]?.n);
  const state = async () =>
    [
      await count(`SELECT count(*) AS n FROM "GradeChange"`),
      await count(`SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'customers.graded'`),
      await count(`SELECT count(*) AS n FROM "Customer" WHERE grade IS NOT NULL`),
    ].join('/');
  const was = await state();
  const empty = await runGrading(db, new Date('2024-01-01T06:00:00+08:00'), TZ);
  if (empty.graded !== 0 || empty.changed !== 0 || (await state()) !== was)
    throw new Error(`runGrading graded on months without figures: ${JSON.stringify(empty)}`);
  report.push('months without figures (2023-10..12): nobody graded, nothing recorded');
  await owner.query(`DELETE FROM "Setting" WHERE key LIKE 'config.grade_%'`);
  return report;
}

interface Run {
  prisma: number;
  sql: number;
  ordinary: number;
  ordinaryChanged: number;
  report: number;
  reportFigures: number;
  reportSql: number;
}

async function main() {
  // runGrading appends an audit event, and the audit chain is keyed: a throwaway key, as npm start has its own.
  useAuditKey(randomBytes(32));
  const months = lastThreeCompleteMonths(localDateOf(NOW, TZ));
  const period = parsePeriod(PERIOD);
  if (!period) throw new Error(`not a period: ${PERIOD}`);
  const reportMonths = monthsOf(period);
  const previousMonths = monthsOf(previousPeriod(period));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-grading-'));
  const runs: Run[] = [];
  let full: GradingRun | undefined;
  let spec: string[] = [];
  let reportShape = '';
  const facts: Record<string, number> = {};
  let maxRss = 0;
  try {
    console.log('embedded PostgreSQL (DATA_DIR in a temporary directory)');
    const server = await startEmbeddedPostgres({ dataDir, template: await clusterTemplatePath() });
    try {
      const database = await openDatabase({ databaseUrl: server.url, dataDir, command: 'bench:grading' });
      const owner = new pg.Client({ connectionString: server.url });
      // The baseline as the bot's runtime role, with the bot's pool's session settings (src/db/client.ts).
      const app = new pg.Client({
        connectionString: runtimeUrl(server.url),
        options: '-c max_parallel_workers_per_gather=0',
      });
      await owner.connect();
      await app.connect();
      try {
        const loading = Date.now();
        await load(owner);
        const count = async (sql: string) => Number((await owner.query<{ n: string }>(sql)).rows[0]?.n);
        facts.figures = await count(`SELECT count(*) AS n FROM "SalesFigure"`);
        facts.inWindow = await count(`SELECT count(*) AS n FROM "SalesFigure" WHERE month IN (${sqlList(months)})`);
        facts.withoutSales = await count(
          `SELECT count(*) AS n FROM "Customer" c WHERE coalesce((SELECT sum(amount) FROM "SalesFigure" s
             WHERE s."customerId" = c.id AND month IN (${sqlList(months)})), 0) <= 0`,
        );
        facts.inReport = await count(
          `SELECT count(*) AS n FROM "SalesFigure" WHERE month IN (${sqlList([...reportMonths, ...previousMonths])})`,
        );
        facts.targets = await count(`SELECT count(*) AS n FROM "SalesTarget"`);
        console.log(
          `  loaded ${CUSTOMERS.toLocaleString('en')} customers, ${facts.figures.toLocaleString('en')} sales figures and ${facts.targets.toLocaleString('en')} targets in ${((Date.now() - loading) / 1000).toFixed(1)} s`,
        );

        const checking = Date.now();
        spec = await checkAgainstSpec(owner, database.prisma);
        console.log(
          `  runGrading = gradeCustomers, customer by customer, under ${spec.length} firings (${((Date.now() - checking) / 1000).toFixed(1)} s):\n    ${spec.join('\n    ')}`,
        );

        // Every grade back to none, as the owner (TRUNCATE), then VACUUM so that each run
        // finds the tables alike (no dead rows from the run before) and CHECKPOINT so that
        // each run logs the same full pages.
        const reset = async () => {
          await owner.query(`UPDATE "Customer" SET grade = NULL, "gradedAt" = NULL`);
          await owner.query('TRUNCATE "GradeChange"');
          await owner.query('VACUUM ANALYZE "Customer", "GradeChange"');
          await owner.query('CHECKPOINT');
        };
        const prismaPath = async () => {
          const start = performance.now();
          const run = await runGrading(database.prisma, NOW, TZ);
          const ms = performance.now() - start;
          maxRss = Math.max(maxRss, process.memoryUsage().rss);
          return { ms, run };
        };
        const sqlPath = async () => {
          const start = performance.now();
          await app.query('BEGIN');
          const inserted = await app.query(BASELINE, [months[0], months[1], months[2], NOW, REASON]);
          await app.query('COMMIT');
          return { ms: performance.now() - start, changed: inserted.rowCount ?? 0 };
        };
        // (b) must leave exactly what (a) left: every grade and every GradeChange row.
        const snapshot = async () => {
          await owner.query('DROP TABLE IF EXISTS a_grades, a_changes');
          await owner.query(`CREATE TEMP TABLE a_grades AS ${GRADES}`);
          await owner.query(`CREATE TEMP TABLE a_changes AS ${CHANGES}`);
        };
        const compare = async (changed: number) => {
          const diff = async (left: string, right: string) =>
            (await owner.query(`SELECT * FROM ((${left}) EXCEPT ALL (${right})) d LIMIT 5`)).rows;
          const problems = [
            ...(await diff(GRADES, 'TABLE a_grades')).map((r) => ({ sql: r })),
            ...(await diff('TABLE a_grades', GRADES)).map((r) => ({ prisma: r })),
            ...(await diff(CHANGES, 'TABLE a_changes')).map((r) => ({ sql: r })),
            ...(await diff('TABLE a_changes', CHANGES)).map((r) => ({ prisma: r })),
          ];
          if (problems.length > 0 || changed !== full?.changed) {
            throw new Error(
              `the hand-written SQL (${changed} changes) and runGrading (${full?.changed} changes) disagree; first differences: ${JSON.stringify(problems, null, 1)}`,
            );
          }
        };

        // The report: compiled as an archivist would (the draft saved and audited), then the
        // same figures by hand-written SQL; what (d) stored must equal what (e) computed.
        const archivist: UseCaseContext = {
          db: database.prisma,
          now: NOW,
          actor: { slackUserId: ARCHIVIST },
          timeZone: TZ,
        };
        const explanation = { text: '12月销售额环比上升，主要来自华东大客户的年末集中采购。' };
        const botReport = async () => {
          await owner.query('CHECKPOINT');
          const start = performance.now();
          const { report } = await compileReport(archivist, { period: PERIOD, explanation });
          return { ms: performance.now() - start, lines: linesOf(report.figures) };
        };
        const botFigures = async () => {
          await owner.query('CHECKPOINT');
          const start = performance.now();
          const figures = await reportFigures(database.prisma, period);
          return { ms: performance.now() - start, lines: linesOf(figures) };
        };
        const sqlFigures = async () => {
          await owner.query('CHECKPOINT');
          const start = performance.now();
          const lines = await sqlReport(app, reportMonths, previousMonths);
          return { ms: performance.now() - start, lines };
        };
        const reportRound = async (round: number) => {
          // Alternated, so that neither side always reads after the other has warmed the cache.
          const order = round % 2 === 0 ? ['bot', 'figures', 'sql'] : ['sql', 'figures', 'bot'];
          const timed: Record<string, { ms: number; lines: Lines }> = {};
          for (const which of order)
            timed[which] = await (which === 'bot' ? botReport() : which === 'figures' ? botFigures() : sqlFigures());
          const { bot, figures, sql } = timed as Record<'bot' | 'figures' | 'sql', { ms: number; lines: Lines }>;
          const problems = [...compareLines(bot.lines, sql.lines), ...compareLines(figures.lines, sql.lines)];
          if (problems.length > 0)
            throw new Error(
              `the report's figures and the hand-written SQL's disagree: ${problems.slice(0, 5).join('; ')}`,
            );
          return { bot, figures, sql };
        };

        // A warm-up of each (connections, plans, caches, JIT of our own code), not counted.
        await reset();
        full = (await prismaPath()).run;
        await snapshot();
        await reset();
        await compare((await sqlPath()).changed);
        if (full.changed !== CUSTOMERS) throw new Error(`only ${full.changed} of ${CUSTOMERS} grades changed`);
        const warm = await reportRound(0);
        const groups = [...warm.bot.lines.keys()];
        const countOf = (prefix: string) => groups.filter((k) => k.startsWith(prefix)).length;
        const targeted = [...warm.bot.lines.values()].filter((l) => l[3] !== null).length;
        const total = warm.bot.lines.get(lineName('total', null));
        reportShape = `${countOf('department:')} department lines (one of them owners in no department, one from targets alone), ${countOf('region:')} region lines (one of them no region), 4 grade lines; ${targeted} lines with a target; ${f(total?.[0])} customers with a figure in ${PERIOD}, ${yuan(total?.[1])} yuan against a target of ${yuan(total?.[3] ?? undefined)}`;
        console.log(
          `  ${facts.inWindow.toLocaleString('en')} figures in ${months.join(', ')}; grades A ${full.byGrade.A}, B ${full.byGrade.B}, C ${full.byGrade.C} (cuts at positions ${Math.ceil(CUSTOMERS * 0.2)} and ${Math.ceil(CUSTOMERS * 0.5)})\n  report ${PERIOD}: ${reportShape}`,
        );

        for (let run = 0; run < RUNS; run++) {
          await reset();
          const a = await prismaPath();
          if (a.run.changed !== CUSTOMERS) throw new Error(`run ${run + 1}: only ${a.run.changed} grades changed`);
          full = a.run;
          await snapshot();
          await reset();
          const b = await sqlPath();
          await compare(b.changed);
          // An ordinary month: the grades already stand (here: exactly), nothing to change.
          const c = await prismaPath();
          if (c.run.changed !== 0)
            throw new Error(`run ${run + 1}: runGrading changed ${c.run.changed} grades after (b)`);
          const r = await reportRound(run + 1);
          runs.push({
            prisma: a.ms,
            sql: b.ms,
            ordinary: c.ms,
            ordinaryChanged: c.run.changed,
            report: r.bot.ms,
            reportFigures: r.figures.ms,
            reportSql: r.sql.ms,
          });
          console.log(
            `  run ${run + 1}: (a) runGrading ${a.ms.toFixed(0)} ms, (b) SQL ${b.ms.toFixed(0)} ms, (a)/(b) ${(a.ms / b.ms).toFixed(2)}×, (c) ordinary month ${c.ms.toFixed(0)} ms; (d) compileReport ${r.bot.ms.toFixed(0)} ms (reportFigures ${r.figures.ms.toFixed(0)} ms), (e) SQL ${r.sql.ms.toFixed(0)} ms; together ${(a.ms + r.bot.ms).toFixed(0)} / ${(b.ms + r.sql.ms).toFixed(0)} ms = ${((a.ms + r.bot.ms) / (b.ms + r.sql.ms)).toFixed(2)}×`,
          );
        }
      } finally {
        await app.end();
        await owner.end();
        await database.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  const sorted = (xs: number[], digits = 0, unit = '') =>
    [...xs]
      .sort((a, b) => a - b)
      .map((x) => x.toFixed(digits) + unit)
      .join(' / ');
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (${sorted(xs)})`;
  const ratio = (xs: number[]) => `${median(xs).toFixed(2)}× (${sorted(xs, 2, '×')})`;
  const g = full?.byGrade ?? { A: 0, B: 0, C: 0 };
  const aCut = Math.ceil(CUSTOMERS * 0.2);
  const bCut = Math.ceil(CUSTOMERS * 0.5);
  const botTotal = runs.map((r) => r.prisma + r.report);
  const sqlTotal = runs.map((r) => r.sql + r.reportSql);
  const table = [
    `Measured ${date} on ${machine}; ${f(CUSTOMERS)} customers, ${f(facts.figures)} sales figures (2024-01..2026-12, one import; ${f(facts.inWindow)} in ${months.join(', ')}; ${f(facts.inReport)} in ${PERIOD} and the month before), ${f(facts.targets)} targets; graded at ${NOW.toISOString()} (06:00 on 2027-01-01 in Shanghai), every grade reset before (a) and (b); the report for ${PERIOD} compiled after (c); median of ${RUNS} runs (all runs in brackets, sorted).`,
    '',
    '| what | median (runs) | target |',
    '|---|---|---|',
    `| (a) grading, the bot: \`runGrading\`, every grade changes (${f(full?.changed)} updated, as many GradeChange rows) | ${ms(runs.map((r) => r.prisma))} | — |`,
    `| (b) grading, hand-written SQL: one statement (sums, rank, cuts, UPDATE, INSERT … SELECT), one transaction | ${ms(runs.map((r) => r.sql))} | — |`,
    `| (a)/(b), run by run | ${ratio(runs.map((r) => r.prisma / r.sql))} | — |`,
    `| (c) an ordinary month: \`runGrading\` right after (b) (${runs[0]?.ordinaryChanged ?? 0} changes) | ${ms(runs.map((r) => r.ordinary))} | — |`,
    `| (d) monthly report ${PERIOD}, the bot: \`compileReport\` as an archivist (figures, draft saved, audited) | ${ms(runs.map((r) => r.report))} | — |`,
    `| (d′) of which \`reportFigures\` alone (timed apart) | ${ms(runs.map((r) => r.reportFigures))} | — |`,
    `| (e) monthly report, hand-written SQL for the same figures | ${ms(runs.map((r) => r.reportSql))} | — |`,
    `| (d)/(e), run by run | ${ratio(runs.map((r) => r.report / r.reportSql))} | — |`,
    `| **grading + monthly report, the bot: (a) + (d)** | ${ms(botTotal)} | < 5 s |`,
    `| grading + monthly report, hand-written SQL: (b) + (e) | ${ms(sqlTotal)} | — |`,
    `| **((a) + (d)) / ((b) + (e)), run by run** | ${ratio(runs.map((_, i) => (botTotal[i] ?? 0) / (sqlTotal[i] ?? 1)))} | ≤ 1.5× |`,
    '',
    `Run by run, (a) / (b) / (c) / (d) / (d′) / (e) ms, together bot / SQL = ratio: ${runs.map((r, i) => `${i + 1}: ${[r.prisma, r.sql, r.ordinary, r.report, r.reportFigures, r.reportSql].map((x) => x.toFixed(0)).join(' / ')}, ${(botTotal[i] ?? 0).toFixed(0)} / ${(sqlTotal[i] ?? 0).toFixed(0)} = ${((botTotal[i] ?? 0) / (sqlTotal[i] ?? 1)).toFixed(2)}×`).join('; ')}.`,
    '',
    `Grading, each run: A ${f(g.A)}, B ${f(g.B)}, C ${f(g.C)} (${f(facts.withoutSales)} with no net sales in the three months); the cuts fall at positions ${f(aCut)} and ${f(bCut)}, so ${f(g.A - aCut)} customers past the first and ${f(g.A + g.B - bCut)} past the second took the better grade by a tie. (b) gave every customer the same grade, rank, average and history row as (a) in every run. Before the runs, \`runGrading\` matched \`gradeCustomers\` customer by customer (grades, changes, every history row) in ${spec.length} firings: ${spec.join('; ')}.`,
    '',
    `Report, each run: ${reportShape}; (e) gave every line the same label, customers, actual, previous and target as (d) stored and as \`reportFigures\` returned. Max RSS of the benchmark process ${(maxRss / 2 ** 20).toFixed(0)} MB.`,
  ].join('\n');
  publishFigures('grading', table, CUSTOMERS === 100_000);
}

const f = (n: number | undefined) => (n ?? 0).toLocaleString('en');
/** Fen text → whole yuan with separators, for the prose. */
const yuan = (fen: string | undefined) => (fen === undefined ? '—' : f(Number(BigInt(fen) / 100n)));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
