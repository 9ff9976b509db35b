/**
 * `npm run bench:startup` — cold start and memory of the bot itself (DESIGN.md: cold start
 * with the embedded database < 3 s; RSS < 300 MB under load).
 *
 * Starts `node --import tsx src/main.ts` as its own process in HTTP mode against a fake
 * Slack Web API, with a new and then an existing DATA_DIR, and times spawn → "Custodian is
 * running". On the existing directory (loaded with 20,000 customers by the demo seeder's
 * use cases is too slow, so by bulk insert through the same migrations) it then sends
 * 500 signed `/kh find` commands, 10 at a time, and reads the bot's RSS from /proc.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/client.js';
import { COMPANY_WORDS } from '../src/demo/vocabulary.js';
import { formatCustomerCode } from '../src/domain/customers/customer-code.js';
import { nameKey } from '../src/domain/customers/search-text.js';
import { signedPost } from '../tests/helpers/bot.js';
import { FakeSlack } from '../tests/helpers/fake-slack.js';
import { slashCommand } from '../tests/helpers/payloads.js';
import { bulkLoadCustomers } from './lib.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const REQUESTS = 500;
const SECRET = 'bench-secret';
const RUNS = 3;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function startBot(dataDir: string, slack: FakeSlack, port: number): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Custodian is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
  return { child, ms: performance.now() - started };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function load(dataDir: string): Promise<void> {
  const db = await openDatabase({ dataDir, command: 'bench startup loader' });
  const owner = await db.prisma.person.create({ data: { slackUserId: 'UBENCHSALES', roles: ['sales'] } });
  await db.prisma.person.create({ data: { slackUserId: 'UBENCHARCH', roles: ['archivist'] } });
  await bulkLoadCustomers(db, CUSTOMERS, (i) => {
    const name = `深圳${COMPANY_WORDS[i % COMPANY_WORDS.length]}贸易有限公司${i}`;
    return {
      code: formatCustomerCode(2026, i + 1),
      name,
      nameKey: nameKey(name),
      kind: 'dealer' as const,
      legalRepresentative: '张三',
      address: '深圳',
      postalCode: '518000',
      phone: `0755-${String(30_000_000 + i)}`,
      secrecyLevel: 'restricted' as const,
      secrecyUntil: new Date('2030-01-01T00:00:00Z'),
      ownerId: owner.id,
      createdById: owner.id,
    };
  });
  await db.close();
}

async function main() {
  const slack = new FakeSlack();
  await slack.start();
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const fresh: number[] = [];
  const existing: number[] = [];
  const idle: number[] = [];
  const loaded: number[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-startup-'));
  try {
    for (let run = 0; run < RUNS; run++) {
      const newDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-startup-new-'));
      const first = await startBot(newDir, slack, port);
      fresh.push(first.ms);
      await stop(first.child);
      rmSync(newDir, { recursive: true, force: true });
    }
    await load(dataDir);
    for (let run = 0; run < RUNS; run++) {
      const bot = await startBot(dataDir, slack, port);
      existing.push(bot.ms);
      const pid = bot.child.pid ?? 0;
      idle.push(rssMb(pid));
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (;;) {
            const i = next++;
            if (i >= REQUESTS) return;
            const arrived = slack.next('response_url', 30_000);
            const response = await signedPost(
              url,
              SECRET,
              slashCommand(slack, { text: `find ${COMPANY_WORDS[i % COMPANY_WORDS.length]}`, user_id: 'UBENCHARCH' }),
            );
            await response.text();
            await arrived;
          }
        }),
      );
      loaded.push(rssMb(pid));
      await stop(bot.child);
      console.log(
        `  run ${run + 1}: start ${existing.at(-1)?.toFixed(0)} ms, RSS idle ${idle.at(-1)?.toFixed(0)} MB, after load ${loaded.at(-1)?.toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await slack.stop();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; median of ${RUNS} runs; the bot as its own process (node --import tsx src/main.ts), HTTP mode, PGlite.`,
    '',
    '| what | figure |',
    '|---|---|',
    `| cold start, new data directory (create + migrate) | ${median(fresh).toFixed(0)} ms |`,
    `| cold start, existing directory with ${CUSTOMERS.toLocaleString('en')} customers | ${median(existing).toFixed(0)} ms |`,
    `| RSS after start, idle | ${median(idle).toFixed(0)} MB |`,
    `| RSS after ${REQUESTS} \`/kh find\` (10 concurrent) | ${median(loaded).toFixed(0)} MB |`,
  ].join('\n');
  console.log(`\n${table}`);
  if (process.env.BENCH_WRITE !== '0') {
    const readmePath = path.join(import.meta.dirname, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    writeFileSync(
      readmePath,
      readme.replace(
        /<!-- startup:begin -->[\s\S]*<!-- startup:end -->/,
        `<!-- startup:begin -->\n${table}\n<!-- startup:end -->`,
      ),
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
