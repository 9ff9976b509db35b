/**
 * `npm run bench:grading` — the monthly A/B/C grading over 100,000 customers × 36 months of
 * sales (DESIGN.md: < 5 s on PostgreSQL; the Prisma path ≤ 1.5× hand-written SQL for the same
 * work), on the embedded PostgreSQL server the bot runs by default.
 *
 * Loaded with `generate_series` as the owner role, in one transaction: a sales person,
 * CUSTOMERS customers and, under one SalesImport, their figures for 2024-01..2026-12 (a
 * lognormal monthly level per customer, so a few sell far more than most; some customers
 * with no figures at all, some lapsed or new, some with gaps, zero months and returns, and
 * some selling whole thousands so that equal sums straddle the cuts). Then, RUNS times each,
 * at the monthly job's firing 2027-01-01 06:00 company time (grading Oct–Dec 2026), with every
 * grade reset first (the worst case: every grade changes):
 *   (a) `runGrading`, the job's path, as the bot's runtime role;
 *   (b) hand-written SQL as the same role: one statement sums the three months, ranks, cuts
 *       and applies the grades (one UPDATE, one INSERT … SELECT into GradeChange), in one
 *       transaction; its grades and grade history are checked equal to (a)'s, or the run fails;
 *   (c) an ordinary month: `runGrading` right after (b), nothing left to change.
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
import { type GradingRun, runGrading } from '../src/domain/statistics/grade-customers.js';
import { lastThreeCompleteMonths } from '../src/domain/statistics/grading-rules.js';
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Everything inserted set-based, in one transaction, as the owner (VACUUM and ANALYZE need it). */
async function load(owner: pg.Client): Promise<void> {
  const graded = lastThreeCompleteMonths(localDateOf(NOW, TZ))
    .map((m) => `'${m}'`)
    .join(', ');
  const month = (m: string) => `to_char(date '${FIRST_MONTH}' + ${m} * interval '1 month', 'YYYY-MM')`;
  const statements = [
    // random() is seeded: every invocation loads the same figures.
    `SELECT setseed(0.2027)`,
    `INSERT INTO "Person" ("slackUserId", roles, "updatedAt") VALUES ('UBENCHSALES', ARRAY['sales']::"Role"[], now())`,
    `INSERT INTO "Customer" (code, name, "nameKey", kind, "legalRepresentative", address, "postalCode", phone,
                             "secrecyLevel", "secrecyUntil", "ownerId", "createdById", "updatedAt")
       SELECT 'KH-2024-' || lpad(g::text, 6, '0'), '压测客户' || g, '压测客户' || g, 'dealer', '张三',
              '深圳市人民路' || g || '号', '518000', '0755-' || lpad(g::text, 8, '0'), 'restricted',
              '2030-01-01T00:00:00Z', p.id, p.id, now()
         FROM generate_series(1, ${CUSTOMERS}) g, (SELECT id FROM "Person" WHERE "slackUserId" = 'UBENCHSALES') p`,
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

async function main() {
  // runGrading appends an audit event, and the audit chain is keyed: a throwaway key, as npm start has its own.
  useAuditKey(randomBytes(32));
  const months = lastThreeCompleteMonths(localDateOf(NOW, TZ));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-grading-'));
  const runs: { prisma: number; sql: number; ordinary: number; ordinaryChanged: number }[] = [];
  let full: GradingRun | undefined;
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
        facts.inWindow = await count(
          `SELECT count(*) AS n FROM "SalesFigure" WHERE month IN ('${months[0]}', '${months[1]}', '${months[2]}')`,
        );
        facts.withoutSales = await count(
          `SELECT count(*) AS n FROM "Customer" c WHERE coalesce((SELECT sum(amount) FROM "SalesFigure" s
             WHERE s."customerId" = c.id AND month IN ('${months[0]}', '${months[1]}', '${months[2]}')), 0) <= 0`,
        );
        console.log(
          `  loaded ${CUSTOMERS.toLocaleString('en')} customers and ${facts.figures.toLocaleString('en')} sales figures in ${((Date.now() - loading) / 1000).toFixed(1)} s`,
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

        // A warm-up of each (connections, plans, caches, JIT of our own code), not counted.
        await reset();
        full = (await prismaPath()).run;
        await snapshot();
        await reset();
        await compare((await sqlPath()).changed);
        if (full.changed !== CUSTOMERS) throw new Error(`only ${full.changed} of ${CUSTOMERS} grades changed`);
        console.log(
          `  ${facts.inWindow.toLocaleString('en')} figures in ${months.join(', ')}; grades A ${full.byGrade.A}, B ${full.byGrade.B}, C ${full.byGrade.C} (cuts at positions ${Math.ceil(CUSTOMERS * 0.2)} and ${Math.ceil(CUSTOMERS * 0.5)})`,
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
          runs.push({ prisma: a.ms, sql: b.ms, ordinary: c.ms, ordinaryChanged: c.run.changed });
          console.log(
            `  run ${run + 1}: (a) runGrading ${a.ms.toFixed(0)} ms, (b) SQL ${b.ms.toFixed(0)} ms, (a)/(b) ${(a.ms / b.ms).toFixed(2)}×, (c) ordinary month ${c.ms.toFixed(0)} ms (${c.run.changed} changes)`,
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
  const ratios = runs.map((r) => r.prisma / r.sql);
  const f = (n: number | undefined) => (n ?? 0).toLocaleString('en');
  const g = full?.byGrade ?? { A: 0, B: 0, C: 0 };
  const aCut = Math.ceil(CUSTOMERS * 0.2);
  const bCut = Math.ceil(CUSTOMERS * 0.5);
  const table = [
    `Measured ${date} on ${machine}; ${f(CUSTOMERS)} customers, ${f(facts.figures)} sales figures (2024-01..2026-12, one import; ${f(facts.inWindow)} in ${months.join(', ')}), graded at ${NOW.toISOString()} (06:00 on 2027-01-01 in Shanghai), every grade reset before (a) and (b); median of ${RUNS} runs (all runs in brackets, sorted).`,
    '',
    '| what | median (runs) | target |',
    '|---|---|---|',
    `| (a) \`runGrading\`, the job's path: every grade changes (${f(full?.changed)} updated, as many GradeChange rows) | ${ms(runs.map((r) => r.prisma))} | < 5 s |`,
    `| (b) hand-written SQL: one statement (sums, rank, cuts, UPDATE, INSERT … SELECT), one transaction | ${ms(runs.map((r) => r.sql))} | — |`,
    `| (a)/(b), run by run | ${median(ratios).toFixed(2)}× (${sorted(ratios, 2, '×')}) | ≤ 1.5× |`,
    `| (c) an ordinary month: \`runGrading\` right after (b) (${runs[0]?.ordinaryChanged ?? 0} changes) | ${ms(runs.map((r) => r.ordinary))} | — |`,
    '',
    `Run by run, (a) / (b) / ratio / (c): ${runs.map((r, i) => `${i + 1}: ${r.prisma.toFixed(0)} / ${r.sql.toFixed(0)} ms / ${(r.prisma / r.sql).toFixed(2)}× / ${r.ordinary.toFixed(0)} ms`).join('; ')}.`,
    '',
    `Each run: A ${f(g.A)}, B ${f(g.B)}, C ${f(g.C)} (${f(facts.withoutSales)} with no net sales in the three months); the cuts fall at positions ${f(aCut)} and ${f(bCut)}, so ${f(g.A - aCut)} customers past the first and ${f(g.A + g.B - bCut)} past the second took the better grade by a tie. (b) gave every customer the same grade, rank, average and history row as (a) in every run. Max RSS of the benchmark process ${(maxRss / 2 ** 20).toFixed(0)} MB.`,
  ].join('\n');
  publishFigures('grading', table, CUSTOMERS === 100_000);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
