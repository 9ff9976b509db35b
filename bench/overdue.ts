/**
 * `npm run bench:overdue` — the overdue-loans sweep over 100,000 open loans (DESIGN.md:
 * < 2 s), on the embedded PostgreSQL server the bot runs by default.
 *
 * The ledger is bulk-inserted with `generate_series` as the owner role: 20 departments, 2,000
 * borrowers (100 a department, some borrowing far more than others), a head per department
 * (two in five of them), 3 archivists, 10,000 customers, and a volume, an approved loan
 * request and an open loan each for 100,000 loans due over the last 10 and the next 5 days
 * (levels mixed as in bench/find.ts). Then, RUNS times each, with LoanAlert emptied first so
 * that every run claims every alert:
 *   - the job: `overdueLoansJob.run` with a notifier that only counts (the sweep, then every
 *     message worded as it would be sent);
 *   - the sweep alone: `sweepOverdueLoans` (one transaction: the set-based claim and joins,
 *     the recipients, the total).
 * The bot's runtime role runs both, as in production. Medians go into bench/README.md.
 *
 *   npm run bench:overdue
 *   BENCH_LOANS=20000 npm run bench:overdue     # smaller, README left alone
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { clusterTemplatePath } from '../src/db/cluster-template.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { useAuditKey } from '../src/domain/audit/audit-key.js';
import { sweepOverdueLoans } from '../src/domain/loans/overdue-loans.js';
import { formatLocalDate, localDateOf } from '../src/domain/time.js';
import type { Notifier } from '../src/jobs/job.js';
import { overdueLoansJob } from '../src/jobs/overdue-loans.js';
import { createLogger } from '../src/logger.js';
import { publishFigures } from './lib.js';

const LOANS = Number(process.env.BENCH_LOANS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TZ = 'Asia/Shanghai';
/** The sweep's moment: the daily firing, 09:00 company time. */
const NOW = new Date('2026-12-02T09:00:00+08:00');
const DEPARTMENTS = 20;
const BORROWERS = 2_000;
const CUSTOMERS = 10_000;
const BOXES = 200;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Everything inserted set-based, in one transaction, as the owner (ANALYZE needs it). */
async function load(owner: pg.Client): Promise<void> {
  const today = formatLocalDate(localDateOf(NOW, TZ));
  const levels = `(ARRAY['unclassified','restricted','restricted','restricted','confidential','top_secret']::"SecrecyLevel"[])`;
  const statements = [
    `INSERT INTO "Department" (name) SELECT '销售' || g || '部' FROM generate_series(1, ${DEPARTMENTS}) g`,
    `CREATE TEMP TABLE dept AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM "Department"`,
    // Borrowers: 100 a department.
    `INSERT INTO "Person" ("slackUserId", roles, "departmentId", "updatedAt")
       SELECT 'UB' || lpad(g::text, 5, '0'), ARRAY['sales']::"Role"[], d.id, now()
         FROM generate_series(0, ${BORROWERS - 1}) g JOIN dept d ON d.i = g % ${DEPARTMENTS}`,
    // A head per department, a second one in every fifth department.
    `INSERT INTO "Person" ("slackUserId", roles, "departmentId", "updatedAt")
       SELECT 'UH' || lpad(d.i::text, 2, '0') || '-' || k, ARRAY['dept_head']::"Role"[], d.id, now()
         FROM dept d CROSS JOIN generate_series(1, 2) k WHERE k = 1 OR d.i % 5 = 0`,
    `INSERT INTO "Person" ("slackUserId", roles, "updatedAt")
       SELECT 'UA' || g, ARRAY['archivist']::"Role"[], now() FROM generate_series(1, 3) g`,
    `CREATE TEMP TABLE borrower AS
       SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM "Person" WHERE "slackUserId" LIKE 'UB%'`,
    `INSERT INTO "Customer" (code, name, "nameKey", kind, "legalRepresentative", address, "postalCode", phone,
                             "secrecyLevel", "secrecyUntil", "ownerId", "createdById", "updatedAt")
       SELECT 'KH-2026-' || lpad(g::text, 5, '0'), '压测客户' || g, '压测客户' || g, 'dealer', '张三', '深圳市人民路' || g || '号',
              '518000', '0755-' || lpad(g::text, 8, '0'), 'restricted', '2030-01-01T00:00:00Z', b.id, b.id, now()
         FROM generate_series(1, ${CUSTOMERS}) g JOIN borrower b ON b.i = g % ${BORROWERS}`,
    `CREATE TEMP TABLE cust AS SELECT id, code, row_number() OVER (ORDER BY id) - 1 AS i FROM "Customer"`,
    `INSERT INTO "Location" (kind, label, position, path, "sortKey", "createdAt")
       SELECT 'box', g || '盒', g, '档案室1/' || g || '盒', lpad(g::text, 6, '0'), now() FROM generate_series(1, ${BOXES}) g`,
    `CREATE TEMP TABLE box AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM "Location"`,
    // Who borrows what: a skewed mix (a few borrowers hold many loans), fixed per loan number.
    `CREATE TEMP TABLE plan AS
       SELECT g, (${levels})[1 + g % 6] AS level,
              ((g::bigint * 7919) % ${BORROWERS}) * ((g % 3) + 1) % ${BORROWERS} AS borrower_i,
              '${today}'::date + ((g % 16) - 10) AS due
         FROM generate_series(1, ${LOANS}) g`,
    `INSERT INTO "Volume" (code, "customerId", year, "topSecret", "secrecyLevel", "secrecyUntil", retention, "boxId",
                           state, "responsibleId", "createdAt", "updatedAt")
       SELECT 'JZ-2026-' || lpad(p.g::text, 6, '0'), c.id, 2000 + p.g / ${CUSTOMERS}, p.level = 'top_secret', p.level,
              CASE WHEN p.level = 'unclassified' THEN NULL ELSE timestamptz '2030-01-01T00:00:00Z' END,
              'long_term', x.id, 'on_loan', (SELECT min(id) FROM "Person" WHERE "slackUserId" LIKE 'UA%'), now(), now()
         FROM plan p JOIN cust c ON c.i = p.g % ${CUSTOMERS} JOIN box x ON x.i = p.g % ${BOXES}`,
    `INSERT INTO "Request" (code, kind, "customerId", "customerCode", "requesterId", "departmentId", level, purpose, reason,
                            "requesterProfile", "volumeId", "loanMaterial", "loanCopies", "loanDays", state, "createdAt",
                            "decidedAt")
       SELECT 'SQ-2026-' || lpad(p.g::text, 6, '0'), 'loan', v."customerId", c.code, b.id, per."departmentId", p.level,
              '核对合同', '客户来访', '销售部', v.id, '销售合同', 1, 3, 'approved', now(), now()
         FROM plan p
         JOIN "Volume" v ON v.code = 'JZ-2026-' || lpad(p.g::text, 6, '0')
         JOIN cust c ON c.id = v."customerId"
         JOIN borrower b ON b.i = p.borrower_i
         JOIN "Person" per ON per.id = b.id`,
    `INSERT INTO "Loan" (code, "volumeId", "requestId", "borrowerId", material, copies, reason, days, state,
                         "approvedAt", "outAt", "dueOn")
       SELECT 'JY-2026-' || lpad(p.g::text, 6, '0'), r."volumeId", r.id, r."requesterId", '销售合同', 1, '客户来访', 3, 'open',
              now(), now(), p.due
         FROM plan p JOIN "Request" r ON r.code = 'SQ-2026-' || lpad(p.g::text, 6, '0')`,
    `INSERT INTO "Setting" (key, value, "updatedAt", "updatedBy") VALUES ('channel.alerts', 'C0BENCHALERTS', now(), 'bench')`,
  ];
  await owner.query('BEGIN');
  for (const sql of statements) await owner.query(sql);
  await owner.query('COMMIT');
  await owner.query('ANALYZE');
}

async function main() {
  // The sweep writes no audit events, but the database layer expects a key, as npm start has.
  useAuditKey(randomBytes(32));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-overdue-'));
  const figures = {
    job: [] as number[],
    sweep: [] as number[],
    day: [] as number[],
    again: [] as number[],
    result: {} as Record<string, unknown>,
    dayResult: {} as Record<string, unknown>,
  };
  let maxRss = 0;
  try {
    console.log('embedded PostgreSQL (DATA_DIR in a temporary directory)');
    const server = await startEmbeddedPostgres({ dataDir, template: await clusterTemplatePath() });
    try {
      const database = await openDatabase({ databaseUrl: server.url, dataDir, command: 'bench:overdue' });
      const owner = new pg.Client({ connectionString: server.url });
      await owner.connect();
      try {
        const loading = Date.now();
        await load(owner);
        console.log(
          `  loaded ${LOANS.toLocaleString('en')} open loans in ${((Date.now() - loading) / 1000).toFixed(1)} s`,
        );
        let sent = 0;
        const notifier: Notifier = {
          async post() {
            sent++;
          },
          async upload() {},
        };
        const deps = {
          db: database.prisma,
          logger: createLogger('error'),
          timeZone: TZ,
          defaultLocale: 'zh-CN' as const,
        };
        // Emptied by the owner (TRUNCATE): a DELETE would leave every run's rows dead in the
        // table and its index for the next run to step over.
        const clear = () => owner.query('TRUNCATE "LoanAlert"');
        const job = async (at: Date) => {
          sent = 0;
          const start = performance.now();
          const result = await overdueLoansJob.run({ ...deps, notifier }, at);
          maxRss = Math.max(maxRss, process.memoryUsage().rss);
          return { ms: performance.now() - start, result, sent };
        };
        const dayBefore = new Date(NOW.getTime() - 86_400_000);
        // A warm-up of each (connections, plans, JIT of our own code), not counted.
        await clear();
        await sweepOverdueLoans(database.prisma, NOW, TZ);
        for (let run = 0; run < RUNS; run++) {
          // Everything at once: the ledger emptied, every alert of every loan claimed and sent.
          await clear();
          const full = await job(NOW);
          figures.job.push(full.ms);
          figures.result = full.result;
          await clear();
          const start = performance.now();
          const sweep = await sweepOverdueLoans(database.prisma, NOW, TZ);
          figures.sweep.push(performance.now() - start);
          maxRss = Math.max(maxRss, process.memoryUsage().rss);
          // An ordinary day: yesterday's firing claimed its alerts, today's claims what moved on.
          await clear();
          await sweepOverdueLoans(database.prisma, dayBefore, TZ);
          const day = await job(NOW);
          figures.day.push(day.ms);
          figures.dayResult = day.result;
          // The same firing again (a restart, a replica): nothing left to claim.
          const again = await job(NOW);
          figures.again.push(again.ms);
          console.log(
            `  run ${run + 1}: job ${full.ms.toFixed(0)} ms (${full.sent} messages), sweep alone ${figures.sweep.at(-1)?.toFixed(0)} ms (${sweep.alerts.length} alerts), a day ${day.ms.toFixed(0)} ms (${day.sent} messages), again ${again.ms.toFixed(0)} ms (${again.sent})`,
          );
        }
      } finally {
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
  const r = figures.result;
  const d = figures.dayResult;
  const ms = (xs: number[]) =>
    `${median(xs).toFixed(0)} ms (${[...xs]
      .sort((a, b) => a - b)
      .map((x) => x.toFixed(0))
      .join(' / ')})`;
  const table = [
    `Measured ${date} on ${machine}; ${LOANS.toLocaleString('en')} open loans, swept at ${NOW.toISOString()} (09:00 in Shanghai), LoanAlert emptied before each run; median of ${RUNS} runs (all runs in brackets, sorted).`,
    '',
    '| what | median (runs) | target |',
    '|---|---|---|',
    `| everything at once (LoanAlert emptied): the job, sweep + ${r.messages} messages worded and handed to a counting notifier | ${ms(figures.job)} | < 2 s |`,
    `| the sweep alone (one transaction: claim + joins, recipients, total) | ${ms(figures.sweep)} | — |`,
    `| an ordinary day: the job after the day before's firing (${d.due_tomorrow} + ${d.overdue} + ${d.escalated} new alerts, ${d.messages} messages) | ${ms(figures.day)} | — |`,
    `| the same firing again (nothing left to claim) | ${ms(figures.again)} | — |`,
    '',
    `Everything at once, each run: ${r.due_tomorrow} due tomorrow, ${r.overdue} overdue, ${r.escalated} escalated alerts claimed; ${r.overdueTotal} overdue in all, ${r.listed} listed (${r.withheldFromChannel} top-secret withheld from the channel). Max RSS of the benchmark process ${(maxRss / 2 ** 20).toFixed(0)} MB.`,
  ].join('\n');
  publishFigures('overdue', table, LOANS === 100_000);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
