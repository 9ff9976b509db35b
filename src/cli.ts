/**
 * Operator commands: `npm run cli -- <command>`.
 *   migrate                       apply pending migrations
 *   db prepare                    make the embedded cluster template (run by npm install)
 *   audit verify                  check the audit hash chain, report the first broken link
 *   seed demo [--customers N]     load a realistic demo data set (Chinese); N more generated customers in bulk
 *   job run <name> [--at <ISO>]   run a scheduled job for a given moment (default: now); posts to
 *                                 Slack when SLACK_BOT_TOKEN is set (SLACK_API_URL honoured)
 *   job list                      list the jobs and their schedules
 *   import sales <file> --as <U…> import monthly sales (.xlsx or .csv) on behalf of a Slack user
 *                                 who may (all or nothing; every bad row listed)
 *   import targets <file> --as <U…> the same for monthly targets (plans) per department
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadAuditKey, witnessFile } from './audit-witnesses.js';
import { domainErrorText } from './blocks/errors.js';
import { salesImportedText, salesRejectedText, targetsText } from './blocks/statistics.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { prepareClusterTemplate } from './db/cluster-template.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrate.js';
import { bulkAddCustomers } from './demo/bulk-customers.js';
import { seedDemo } from './demo/seed-demo.js';
import { auditKey, useAuditKey } from './domain/audit/audit-key.js';
import { type AuditBreak, verifyAuditChain } from './domain/audit/verify-audit-chain.js';
import type { Db, UseCaseContext } from './domain/context.js';
import { isDomainError } from './domain/errors.js';
import { importSalesFile } from './domain/statistics/import-sales.js';
import { importTargetsFile } from './domain/statistics/import-targets.js';
import { JOBS, runJob } from './jobs/scheduler.js';
import { createLogger } from './logger.js';

const BREAK_TEXT: Record<AuditBreak, string> = {
  hash_mismatch: 'an event does not match its hash: changed, or written without the key',
  prev_hash_mismatch: 'an event does not follow the one before it: one was removed or inserted',
  unkeyed_after_keyed: 'an event was hashed without the key after keyed hashing began',
  witness_mismatch: 'the chain disagrees with a witness: history was rewritten or its tail removed',
};

const USAGE = `usage: npm run cli -- <command>
  migrate                       apply pending migrations
  db prepare                    make the embedded database's cluster template (npm install runs it)
  audit verify                  check the audit hash chain
  seed demo [--customers N]     load a demo data set (departments, people, ~200 customers); with
                                --customers, N more generated customers added in bulk (benchmarks)
  job list                      list scheduled jobs
  job run <name> [--at <ISO>]   run a job as if fired at that moment (default: now);
                                with SLACK_BOT_TOKEN set its messages are posted to Slack
  import sales <file> --as <U…>  import monthly sales (.xlsx or .csv) as that Slack user (who must
                                hold a role that imports figures); all or nothing
  import targets <file> --as <U…>  import monthly targets per department (部门, 等级, 月份, 目标)`;

function exit(message: string, code: number): never {
  (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { at: { type: 'string' }, as: { type: 'string' }, customers: { type: 'string' } },
  });
  const [command, sub, name] = positionals;
  const key = [command, sub].filter(Boolean).join(' ');
  const known = [
    'migrate',
    'db prepare',
    'audit verify',
    'seed demo',
    'job run',
    'job list',
    'import sales',
    'import targets',
  ];
  if (!known.includes(command === 'migrate' ? 'migrate' : key)) exit(USAGE, 2);

  if (key === 'db prepare') {
    const template = await prepareClusterTemplate();
    process.stdout.write(`${template.created ? 'made' : 'up to date'}: ${template.path}\n`);
    return 0;
  }
  if (key === 'job list') {
    for (const job of JOBS) process.stdout.write(`${job.name}\t${job.schedule}\n`);
    return 0;
  }
  let at = new Date();
  if (key === 'job run') {
    if (!name || !JOBS.some((job) => job.name === name))
      exit(`unknown job "${name ?? ''}". Jobs: ${JOBS.map((j) => j.name).join(', ')}`, 2);
    if (values.at !== undefined) {
      at = new Date(values.at);
      if (Number.isNaN(at.getTime()))
        exit(`--at must be an ISO 8601 time such as 2026-12-01T00:05:00+08:00, not "${values.at}"`, 2);
    }
  }

  let bulk = 0;
  if (key === 'seed demo' && values.customers !== undefined) {
    bulk = Number(values.customers);
    if (!Number.isInteger(bulk) || bulk < 1 || bulk > 10_000_000)
      exit(`--customers must be a whole number from 1 to 10000000, not "${values.customers}"`, 2);
  }

  let upload: { name: string; bytes: Uint8Array } | undefined;
  if (key === 'import sales' || key === 'import targets') {
    if (!name || !values.as) exit(`usage: npm run cli -- ${key} <file.xlsx|file.csv> --as <Slack user id>`, 2);
    try {
      upload = { name: path.basename(name), bytes: new Uint8Array(readFileSync(name)) };
    } catch (error) {
      exit(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
    }
  }

  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  useAuditKey(loadAuditKey(config));
  const witnesses = witnessFile(config.dataDir);
  const opening = openDatabase({
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
    dataDir: config.dataDir,
    command: `npm run cli -- ${key}`,
  });
  // Ctrl-C (or a stop), even while the database is still opening, stops the embedded server
  // the command started.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`custodian cli: ${signal}, stopping\n`);
      interrupted ??= opening
        .then((database) => database.close())
        .catch(() => {})
        .then(() => process.exit(130));
    });
  }
  const database = await opening;
  try {
    switch (key) {
      case 'migrate':
        process.stdout.write(
          database.migration.applied.length
            ? `applied: ${database.migration.applied.join(', ')}\n`
            : `up to date (${database.migration.alreadyApplied} migrations)\n`,
        );
        return 0;
      case 'audit verify': {
        const report = await verifyAuditChain(database.prisma, { key: auditKey(), witnesses: witnesses.read() });
        if (report.ok) {
          process.stdout.write(`audit chain OK: ${report.events} events, ${report.witnessesChecked} witnesses agree\n`);
          if (report.witnessesChecked === 0) {
            process.stdout.write(
              `no witnesses in ${config.dataDir}/audit-witnesses.jsonl yet: nothing outside the database vouches for the chain (the audit-witness job writes one daily)\n`,
            );
          }
          return 0;
        }
        const where =
          report.brokenAt === null ? 'events after it were removed' : `first untrusted event ${report.brokenAt}`;
        const witness = report.lastGoodWitness
          ? `last good witness: ${report.lastGoodWitness.events} events at ${report.lastGoodWitness.at}`
          : 'no witness agrees';
        process.stdout.write(
          `audit chain BROKEN (${BREAK_TEXT[report.reason]}): ${where}; ${witness}; ${report.events} events checked\n`,
        );
        return 1;
      }
      case 'seed demo': {
        const result = await seedDemo(database.prisma, { now: new Date(), timeZone: config.timeZone });
        process.stdout.write(
          result.skipped
            ? 'demo data already present\n'
            : `demo data loaded: ${result.people} people, ${result.customers} customers\n`,
        );
        if (bulk > 0) {
          const started = Date.now();
          const added = await bulkAddCustomers(database.prisma, {
            count: bulk,
            now: new Date(),
            timeZone: config.timeZone,
            onBatch: (n) => {
              if (n % 100_000 < 2_000) process.stdout.write(`  ${n.toLocaleString('en')} customers added…\n`);
            },
          });
          process.stdout.write(
            `${added.added.toLocaleString('en')} generated customers added (${added.first ?? '-'} … ${added.last ?? '-'}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
          );
        }
        return 0;
      }
      case 'import targets': {
        const ctx = upload && values.as ? await onBehalfOf(database.prisma, values.as, config.timeZone) : undefined;
        if (!ctx || !upload) return 2;
        const outcome = await importTargetsFile(ctx, upload);
        process.stdout.write(`${targetsText(config.defaultLocale, outcome)}\n`);
        return outcome.ok ? 0 : 1;
      }
      case 'import sales': {
        const ctx = upload && values.as ? await onBehalfOf(database.prisma, values.as, config.timeZone) : undefined;
        if (!ctx || !upload) return 2;
        const locale = config.defaultLocale;
        const outcome = await importSalesFile(ctx, upload);
        if (!outcome.ok) {
          process.stdout.write(`${salesRejectedText(locale, outcome.problems, Number.POSITIVE_INFINITY)}\n`);
          return 1;
        }
        process.stdout.write(`${salesImportedText(locale, outcome.imported)}\n`);
        return 0;
      }
      default: {
        const job = JOBS.find((j) => j.name === name);
        if (!job) return 2;
        // With SLACK_BOT_TOKEN the job posts through the Web API as the scheduled firing would;
        // without it its posts are skipped (the result says so).
        const notifier = config.slack.botToken
          ? (await import('./jobs/web-api-notifier.js')).webApiNotifier(config.slack.botToken, config.slack.apiUrl)
          : undefined;
        const outcome = await runJob(
          {
            db: database.prisma,
            logger,
            timeZone: config.timeZone,
            defaultLocale: config.defaultLocale,
            witnesses,
            ...(notifier && { notifier }),
          },
          job,
          at,
          'cli',
        );
        process.stdout.write(`${JSON.stringify(outcome)}\n`);
        return outcome.status === 'failed' ? 1 : 0;
      }
    }
  } finally {
    await database.close();
  }
}

/**
 * An import acts on behalf of a person the bot knows, checked as they are: never registered by
 * the CLI, never "system". Undefined (and said on stderr) otherwise.
 */
async function onBehalfOf(db: Db, slackUserId: string, timeZone: string): Promise<UseCaseContext | undefined> {
  const person = await db.person.findUnique({ where: { slackUserId } });
  if (!person || slackUserId === 'system') {
    process.stderr.write(
      `custodian cli: no person ${slackUserId} is known to the bot (they must have used /kh once)\n`,
    );
    return undefined;
  }
  return { db, now: new Date(), actor: { slackUserId }, timeZone };
}

/** The language of the CLI's messages: DEFAULT_LOCALE, or zh-CN when the configuration cannot be read. */
function loadedLocale() {
  try {
    return loadConfig().defaultLocale;
  } catch {
    return 'zh-CN' as const;
  }
}

/** Set by a signal: the command's own end (often an error, as its connections close) waits for it. */
let interrupted: Promise<never> | undefined;

main(process.argv.slice(2)).then(
  async (code) => process.exit(interrupted ? await interrupted : code),
  async (error: unknown) => {
    if (interrupted) await interrupted;
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof MigrationError) {
      exit(error.message, 1);
    }
    if (isDomainError(error)) exit(`custodian cli: ${domainErrorText(loadedLocale(), error)}`, 1);
    exit(`custodian cli: ${(error as Error).message}`, 1);
  },
);
