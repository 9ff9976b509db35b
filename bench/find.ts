/**
 * `npm run bench` — `/kh find` and `/kh show` against 100,000 customers, on the embedded
 * PostgreSQL server the bot runs by default (an external server is the same engine behind
 * the same adapter).
 *
 * Each request is a signed slash command into the real Bolt app over HTTP; the time is
 * measured from sending it to the moment the reply reaches the fake Slack Web API
 * (response_url), which is what a user waits for. Requests are sent one at a time, after a
 * warm-up, over a mix of queries (name substrings, pinyin initials, full pinyin, codes,
 * phone numbers, misses). The whole measurement is repeated RUNS times and the median of
 * each percentile is reported, with the machine and date, into bench/README.md.
 *
 *   npm run bench                      # 100,000 customers
 *   BENCH_CUSTOMERS=20000 npm run bench
 */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { t } from '../src/blocks/i18n/index.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { COMPANY_WORDS } from '../src/demo/vocabulary.js';
import { formatCode } from '../src/domain/codes.js';
import { nameKey } from '../src/domain/customers/search-text.js';
import { signedPost } from '../tests/helpers/bot.js';
import { slashCommand } from '../tests/helpers/payloads.js';
import { BENCH_SECRET, bulkLoadCustomers, publishFigures, startBenchBot } from './lib.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 30;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const YEAR = 2026;

const CITIES = [
  '深圳',
  '广州',
  '上海',
  '杭州',
  '南京',
  '北京',
  '天津',
  '成都',
  '重庆',
  '武汉',
  '西安',
  '长沙',
  '厦门',
  '青岛',
  '苏州',
  '宁波',
];
const WORDS = COMPANY_WORDS;
const TRADES = [
  '电子科技有限公司',
  '贸易有限公司',
  '建材有限公司',
  '食品有限公司',
  '医药连锁有限公司',
  '物流有限公司',
  '机械设备有限公司',
  '服装有限公司',
];
const LEVELS = ['unclassified', 'restricted', 'restricted', 'restricted', 'confidential', 'top_secret'] as const;

function customerName(i: number): string {
  const city = CITIES[i % CITIES.length];
  const word = WORDS[Math.floor(i / CITIES.length) % WORDS.length];
  const trade = TRADES[Math.floor(i / (CITIES.length * WORDS.length)) % TRADES.length];
  const round = Math.floor(i / (CITIES.length * WORDS.length * TRADES.length));
  return `${city}${word}${trade}${round ? `${round + 1}分公司` : ''}`;
}
const phoneOf = (i: number) => `0${(i % 90) + 10}-${String(60_000_000 + i).padStart(8, '0')}`;

async function loadCustomers(db: Database): Promise<void> {
  const prisma = db.prisma;
  const owner = await prisma.person.create({ data: { slackUserId: 'UBENCHSALES', roles: ['sales'] } });
  await prisma.person.create({ data: { slackUserId: 'UBENCHARCH', roles: ['archivist'] } });
  const started = Date.now();
  await bulkLoadCustomers(db, CUSTOMERS, (i) => {
    const name = customerName(i);
    const level = LEVELS[i % LEVELS.length] ?? 'restricted';
    return {
      code: formatCode('customer', YEAR, i + 1),
      name,
      nameKey: nameKey(name),
      kind: 'dealer' as const,
      legalRepresentative: '张三',
      address: `${CITIES[i % CITIES.length]}市人民路${i % 500}号`,
      postalCode: '518000',
      phone: phoneOf(i),
      region: CITIES[i % CITIES.length] ?? null,
      secrecyLevel: level,
      secrecyUntil: level === 'unclassified' ? null : new Date('2030-01-01T00:00:00Z'),
      ownerId: owner.id,
      createdById: owner.id,
    };
  });
  await prisma.codeCounter.create({ data: { scope: `customer:${YEAR}`, last: CUSTOMERS } });
  await prisma.$executeRawUnsafe('ANALYZE "Customer"');
  await prisma.$executeRawUnsafe('ANALYZE "CustomerSearch"');
  console.log(`  loaded ${CUSTOMERS} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A realistic mix: most searches hit, some are pinyin, some miss entirely. */
function queries(): string[] {
  const list: string[] = [];
  for (let i = 0; list.length < REQUESTS; i++) {
    const n = (i * 7919) % CUSTOMERS;
    switch (i % 8) {
      case 0:
        list.push(`find ${CITIES[i % CITIES.length]}${WORDS[i % WORDS.length]}`);
        break;
      case 1:
        list.push(`find ${WORDS[i % WORDS.length]}`);
        break;
      case 2:
        list.push('find szhx');
        break;
      case 3:
        list.push(`find ${formatCode('customer', YEAR, n + 1)}`);
        break;
      case 4:
        list.push(`find ${phoneOf(n).slice(-8)}`);
        break;
      case 5:
        list.push('find 不存在的客户名称');
        break;
      case 6:
        list.push(`show ${formatCode('customer', YEAR, n + 1)}`);
        break;
      default:
        list.push('find hangzhou');
        break;
    }
  }
  return list;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface Figures {
  find: { p50: number; p95: number; p99: number };
  show: { p50: number; p95: number; p99: number };
  rssMb: number;
}

/** How the bot's apology for an unexpected failure starts (it then gives a reference). */
const ERROR_STEM = t('zh-CN', 'generic.error', { ref: '' }).split('，')[0] ?? '';

async function measure(db: Database): Promise<Figures> {
  const bot = await startBenchBot(db);
  const { slack, url } = bot;
  const send = async (text: string): Promise<number> => {
    const body = slashCommand(slack, { text, user_id: 'UBENCHARCH' });
    const arrived = slack.next('response_url');
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
  const list = queries();
  for (const text of list.slice(0, WARMUP)) await send(text);
  const runs: Figures[] = [];
  for (let run = 0; run < RUNS; run++) {
    const find: number[] = [];
    const show: number[] = [];
    for (const text of list) (text.startsWith('show') ? show : find).push(await send(text));
    find.sort((a, b) => a - b);
    show.sort((a, b) => a - b);
    const figures = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) });
    runs.push({ find: figures(find), show: figures(show), rssMb: process.memoryUsage().rss / 2 ** 20 });
    console.log(
      `  run ${run + 1}: find p95 ${runs.at(-1)?.find.p95.toFixed(1)} ms, show p95 ${runs.at(-1)?.show.p95.toFixed(1)} ms`,
    );
  }
  await bot.stop();
  const pick = (f: (x: Figures) => number) => median(runs.map(f));
  return {
    find: { p50: pick((r) => r.find.p50), p95: pick((r) => r.find.p95), p99: pick((r) => r.find.p99) },
    show: { p50: pick((r) => r.show.p50), p95: pick((r) => r.show.p95), p99: pick((r) => r.show.p99) },
    rssMb: Math.max(...runs.map((r) => r.rssMb)),
  };
}

async function main() {
  const results: [string, Figures][] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-'));
  try {
    console.log('embedded PostgreSQL (DATA_DIR in a temporary directory)');
    const database = await openDatabase({ dataDir, command: 'bench' });
    await loadCustomers(database);
    results.push(['embedded PostgreSQL 17 (Unix socket)', await measure(database)]);
    await database.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  const ms = (x: number) => x.toFixed(1);
  const table = [
    `Measured ${date} on ${machine}; ${CUSTOMERS.toLocaleString('en')} customers, ${REQUESTS} requests per run (after ${WARMUP} warm-up), median of ${RUNS} runs.`,
    '',
    '| database | find p50 | find p95 | find p99 | show p50 | show p95 | show p99 | max RSS |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      ([name, f]) =>
        `| ${name} | ${ms(f.find.p50)} ms | ${ms(f.find.p95)} ms | ${ms(f.find.p99)} ms | ${ms(f.show.p50)} ms | ${ms(f.show.p95)} ms | ${ms(f.show.p99)} ms | ${f.rssMb.toFixed(0)} MB |`,
    ),
  ].join('\n');
  publishFigures('find', table, CUSTOMERS === 100_000);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
