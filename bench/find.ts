/**
 * `npm run bench` — `/kh find` and `/kh show` against 100,000 customers (or
 * BENCH_CUSTOMERS=1000000), on the embedded PostgreSQL server the bot runs by default.
 *
 * The customers are loaded through `seed demo --customers`'s own bulk path
 * (src/demo/bulk-customers.ts). Each request is a signed slash command into the real Bolt app
 * over HTTP, timed from sending it to the moment the reply reaches the fake Slack Web API
 * (response_url), which is what a person waits for. Each kind of query (issue 14's list) is
 * timed on its own, as the archivist (who reads most customers) and as a salesperson (who
 * reads a third of them and matches the rest by exact code only); `/kh show` of a code is the
 * yardstick: a primary-key lookup through the same bot path. Requests go one at a time,
 * interleaved across kinds, after a warm-up; the whole measurement is repeated RUNS times
 * and the median of each figure reported, with the machine and date, into bench/README.md.
 *
 * Registration is timed too (`createCustomer`, the use case `/kh new` runs): with the search
 * indexes, and again after dropping them (the trigram and b-tree indexes, and
 * CustomerSearchGram's key), in the same database.
 *
 *   npm run bench                           # 100,000 customers
 *   BENCH_CUSTOMERS=1000000 npm run bench   # 1,000,000 (the load takes several minutes)
 */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { t } from '../src/blocks/i18n/index.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { clusterTemplatePath } from '../src/db/cluster-template.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { bulkAddCustomers, generatedCustomer } from '../src/demo/bulk-customers.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { formatCode } from '../src/domain/codes.js';
import { createCustomer } from '../src/domain/customers/create-customer.js';
import { validateCustomerInput } from '../src/domain/customers/customer-input.js';
import { signedPost } from '../tests/helpers/bot.js';
import { slashCommand } from '../tests/helpers/payloads.js';
import { BENCH_SECRET, publishFigures, startBenchBot } from './lib.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
/** Requests per kind of query per run. */
const PER_KIND = Number(process.env.BENCH_PER_KIND ?? 40);
const WARMUP = 40;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REGISTRATIONS = 100;
const TIME_ZONE = 'Asia/Shanghai';
const NOW = new Date();
const YEAR = Number(new Intl.DateTimeFormat('en', { timeZone: TIME_ZONE, year: 'numeric' }).format(NOW));
const SEARCHERS = { archivist: 'UDEMOARCH1', salesperson: 'UDEMOSALES1' } as const;

/** A generated customer's parts, to make queries that hit: name pieces, pinyin, phone. */
function someCustomer(i: number) {
  // The bulk numbers follow the demo's 200 customers; a generated customer's number is its code's.
  const n = 201 + ((i * 7_919) % CUSTOMERS);
  return { ...generatedCustomer(n), code: formatCode('customer', YEAR, n) };
}

/** Issue 14's kinds of query, each a function of i giving a varied but realistic query. */
const KINDS: Record<string, (i: number) => string> = {
  'one Chinese character': (i) => [...someCustomer(i).name][2 + (i % 3)] ?? '华',
  'two Chinese characters': (i) => [...someCustomer(i).name].slice(2, 4).join(''),
  'a longer Chinese substring': (i) => [...someCustomer(i).name].slice(2, 6).join(''),
  'full pinyin': (i) =>
    ['hangzhou', 'huaxin', 'xixi', 'dianzi', 'shenzhen', 'jinqiao', 'maoyi', 'hongda'][i % 8] ?? 'hangzhou',
  'pinyin initials': (i) => ['hz', 'hx', 'sz', 'dz', 'hzhx', 'szjq', 'bj', 'xx'][i % 8] ?? 'hz',
  code: (i) => someCustomer(i).code,
  'phone digits': (i) => someCustomer(i).phone.replace(/\D/g, '').slice(-6),
  'mixed Chinese and Latin': (i) => ['tcl华信', 'abc', 'king', 'sun宏达'][i % 4] ?? 'abc',
  'full-width forms': (i) => ['ＨＡＮＧＺＨＯＵ', '０５７１', 'ＴＣＬ', 'ＨＺ'][i % 4] ?? 'ＨＺ',
  'a miss': (i) => ['不存在的客户名称', 'zzzqqq', '99999999999'][i % 3] ?? 'zzzqqq',
};

async function load(db: Database, owner: pg.Client): Promise<void> {
  const started = Date.now();
  await seedDemo(db.prisma, { now: NOW, timeZone: TIME_ZONE });
  await bulkAddCustomers(db.prisma, {
    count: CUSTOMERS,
    now: NOW,
    timeZone: TIME_ZONE,
    onBatch: (n) => {
      if (n % 100_000 < 2_000) console.log(`  ${n.toLocaleString('en')} loaded`);
    },
  });
  // What autovacuum does within a minute of a load: statistics, and the visibility map that
  // lets the name pieces be read from their index alone.
  await owner.query('VACUUM (ANALYZE)');
  console.log(
    `  loaded ${CUSTOMERS.toLocaleString('en')} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** How the bot's apology for an unexpected failure starts (it then gives a reference). */
const ERROR_STEM = t('zh-CN', 'generic.error', { ref: '' }).split('，')[0] ?? '';

type Percentiles = { p50: number; p95: number };

async function measure(db: Database): Promise<Map<string, Percentiles[]>> {
  const bot = await startBenchBot(db);
  const { slack, url } = bot;
  const send = async (user: string, text: string): Promise<number> => {
    const body = slashCommand(slack, { text, user_id: user });
    const arrived = slack.next('response_url', 60_000);
    const start = performance.now();
    const response = await signedPost(url, BENCH_SECRET, body);
    await response.text();
    const reply = await arrived;
    // A failure answered quickly must not pass for a fast search.
    if (String(reply.body.text).startsWith(ERROR_STEM)) {
      throw new Error(`the bot answered "${text}" with an error: ${String(reply.body.text)}`);
    }
    return reply.at - start;
  };
  // Every (searcher, kind) and the show yardstick, interleaved so drift hits all alike.
  const plan: { label: string; user: string; text: string }[] = [];
  for (let i = 0; i < PER_KIND; i++) {
    for (const [who, user] of Object.entries(SEARCHERS)) {
      plan.push({ label: `${who}: show`, user, text: `show ${someCustomer(i * 13).code}` });
      for (const [kind, query] of Object.entries(KINDS))
        plan.push({ label: `${who}: ${kind}`, user, text: `find ${query(i)}` });
    }
  }
  for (const step of plan.slice(0, WARMUP)) await send(step.user, step.text);
  const figures = new Map<string, Percentiles[]>();
  for (let run = 0; run < RUNS; run++) {
    const times = new Map<string, number[]>();
    for (const step of plan) {
      const list = times.get(step.label) ?? [];
      list.push(await send(step.user, step.text));
      times.set(step.label, list);
    }
    for (const [label, list] of times) {
      list.sort((a, b) => a - b);
      figures.set(label, [...(figures.get(label) ?? []), { p50: percentile(list, 50), p95: percentile(list, 95) }]);
    }
    const show = median((figures.get('archivist: show') ?? []).map((f) => f.p95));
    console.log(`  run ${run + 1} done (archivist show p95 ${show.toFixed(1)} ms)`);
  }
  await bot.stop();
  return figures;
}

/** `/kh new`'s use case, REGISTRATIONS times; the median in ms. */
async function registrations(db: Database, round: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REGISTRATIONS; i++) {
    const result = validateCustomerInput(
      {
        name: `基准${round}号登记测试${i}号贸易有限公司`,
        kind: 'dealer',
        legalRepresentative: '张三',
        address: '杭州市西湖区文三路 1 号',
        postalCode: '310000',
        phone: `0571-${String(77_000_000 + round * 1_000 + i)}`,
        secrecyLevel: 'restricted',
        secrecyUntil: `${YEAR + 3}-12-31`,
      },
      { now: NOW, timeZone: TIME_ZONE },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const started = performance.now();
    await createCustomer(
      { db: db.prisma, now: NOW, timeZone: TIME_ZONE, actor: { slackUserId: 'UDEMOSALES1' } },
      result.value,
    );
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The search indexes of the migration `search_grams`, dropped and made again between rounds.
 * CustomerSearchGram's index on customerId stays: the code still deletes a customer's pieces
 * before writing them, and without it that delete would read the whole table.
 */
const DROP_INDEXES = [
  'DROP INDEX "CustomerSearch_searchText_trgm", "CustomerSearch_nameKey_idx", "CustomerSearch_code_idx"',
  'ALTER TABLE "CustomerSearchGram" DROP CONSTRAINT "CustomerSearchGram_pkey"',
];
const CREATE_INDEXES = [
  'CREATE INDEX "CustomerSearch_searchText_trgm" ON "CustomerSearch" USING GIN ("searchText" gin_trgm_ops)',
  'CREATE INDEX "CustomerSearch_nameKey_idx" ON "CustomerSearch"("nameKey")',
  'CREATE INDEX "CustomerSearch_code_idx" ON "CustomerSearch"("code")',
  'ALTER TABLE "CustomerSearchGram" ADD CONSTRAINT "CustomerSearchGram_pkey" PRIMARY KEY ("gram", "customerId")',
];

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-'));
  let figures: Map<string, Percentiles[]>;
  const registration: { indexed: number[]; bare: number[] } = { indexed: [], bare: [] };
  try {
    console.log(`embedded PostgreSQL, ${CUSTOMERS.toLocaleString('en')} customers`);
    // The server apart from the bot's pool, so that the owner can ANALYZE and drop indexes.
    const server = await startEmbeddedPostgres({ dataDir, template: await clusterTemplatePath() });
    const database = await openDatabase({ databaseUrl: server.url, dataDir, command: 'bench' });
    const owner = new pg.Client({ connectionString: server.url });
    await owner.connect();
    try {
      await load(database, owner);
      figures = await measure(database);
      // Registration with the search indexes and with them dropped, round by round alike.
      for (let round = 0; round < RUNS; round++) {
        registration.indexed.push(await registrations(database, 2 * round));
        for (const sql of DROP_INDEXES) await owner.query(sql);
        registration.bare.push(await registrations(database, 2 * round + 1));
        for (const sql of CREATE_INDEXES) await owner.query(sql);
      }
    } finally {
      await owner.end();
      await database.close();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const get = (label: string, p: keyof Percentiles) => median((figures.get(label) ?? []).map((f) => f[p]));
  const target = CUSTOMERS >= 1_000_000 ? 3 : 2;
  const rows: string[] = [];
  for (const who of Object.keys(SEARCHERS)) {
    const show = get(`${who}: show`, 'p95');
    rows.push(`| ${who} | show (the yardstick) | ${ms(get(`${who}: show`, 'p50'))} | ${ms(show)} | 1.00× | — |`);
    for (const kind of Object.keys(KINDS)) {
      const p95 = get(`${who}: ${kind}`, 'p95');
      rows.push(
        `| ${who} | find: ${kind} | ${ms(get(`${who}: ${kind}`, 'p50'))} | ${ms(p95)} | ${(p95 / show).toFixed(2)}× | ≤ ${target}× |`,
      );
    }
  }
  const indexed = median(registration.indexed);
  const bare = median(registration.bare);
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${CUSTOMERS.toLocaleString('en')} customers (bulk path of \`seed demo --customers\`), ${PER_KIND} requests per kind and searcher per run (after ${WARMUP} warm-up), median of ${RUNS} runs.`,
    '',
    '| searcher | request | p50 | p95 | p95 / show p95 | target |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Registration (\`createCustomer\`, median of ${REGISTRATIONS} × ${RUNS} rounds, alternating): with the search indexes ${ms(indexed)}, with them dropped ${ms(bare)}: ${(indexed / bare).toFixed(2)}× (target ≤ 1.5×). Rounds: ${registration.indexed.map(ms).join(' / ')} against ${registration.bare.map(ms).join(' / ')}.`,
  ].join('\n');
  publishFigures(CUSTOMERS >= 1_000_000 ? 'find-1m' : 'find', table, CUSTOMERS === 100_000 || CUSTOMERS === 1_000_000);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
