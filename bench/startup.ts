/**
 * `npm run bench:startup` — cold start and memory of the bot, measured against a bare Bolt
 * app with one `/kh` listener (bench/bare-bolt.mjs) started the same way in the same run,
 * so the figures are ratios that survive a noisy machine (issue 7's targets: start ≤ 1.5×
 * the bare app on an existing DATA_DIR and ≤ 3× on a new one; RSS ≤ 3× the bare app's idle
 * RSS, and ≤ 4× after 500 `/kh find`).
 *
 * Both run as their own process, started as `npm start` starts the bot (the command line is
 * read from package.json; dist/ is built first, as `prestart` does), in HTTP mode against a
 * fake Slack Web API; the time is spawn → "is running", each start after a `sync` and a pause.
 * The bot starts on a new DATA_DIR
 * (creates the embedded PostgreSQL cluster and migrates) and on an existing one holding
 * 20,000 customers; then each gets 500 signed `/kh find` commands, 10 at a time. RSS is the
 * process's VmRSS; the embedded server's memory is reported beside it as the summed PSS of
 * its processes (shared memory divided among them, so it adds up honestly).
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAuditKey } from '../src/audit-witnesses.js';
import { openDatabase } from '../src/db/client.js';
import { bulkAddCustomers } from '../src/demo/bulk-customers.js';
import { COMPANY_WORDS } from '../src/demo/vocabulary.js';
import { useAuditKey } from '../src/domain/audit/audit-key.js';
import { signedPost } from '../tests/helpers/bot.js';
import { FakeSlack } from '../tests/helpers/fake-slack.js';
import { slashCommand } from '../tests/helpers/payloads.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const REQUESTS = 500;
const SECRET = 'bench-secret';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const startScript = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;
const [startCommand, ...botArgs] = startScript.split(/\s+/);
if (startCommand !== 'node') throw new Error(`npm start no longer runs node directly: ${startScript}`);

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Summed PSS of the embedded server's processes (the postmaster and its children). */
function serverPssMb(dataDir: string): number {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        return Number(pid) === postmaster || ppid === postmaster;
      } catch {
        return false;
      }
    });
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return kb / 1024;
}

async function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<{ child: ChildProcess; ms: number; output: () => string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, ms: performance.now() - started, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The bot must stop its server on SIGTERM: a benchmark that leaks servers measures nothing. */
function assertServerStopped(dataDir: string, output: string): void {
  if (existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))) {
    throw new Error(`the bot left its PostgreSQL server running in ${dataDir}; its output:\n${output}`);
  }
}

function newDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755); // as root, the server's user must pass through it
  return dir;
}

async function load(dataDir: string): Promise<void> {
  // DATA_DIR's own audit key, as `seed demo` uses it: the bot then continues the same chain.
  useAuditKey(loadAuditKey({ dataDir }));
  const db = await openDatabase({ dataDir, command: 'bench startup loader' });
  await db.prisma.person.create({ data: { slackUserId: 'UBENCHSALES', roles: ['sales'] } });
  await db.prisma.person.create({ data: { slackUserId: 'UBENCHARCH', roles: ['archivist'] } });
  // The bulk path of `seed demo --customers`, owned by the one salesperson.
  await bulkAddCustomers(db.prisma, { count: CUSTOMERS, now: new Date(), timeZone: 'Asia/Shanghai' });
  await db.close();
}

/** 500 signed `/kh find` commands, 10 at a time, each waited for until its reply arrives. */
async function finds(slack: FakeSlack, url: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= REQUESTS) return;
        const arrived = slack.next('response_url', 30_000);
        const text = `find ${COMPANY_WORDS[i % COMPANY_WORDS.length]}`;
        const response = await signedPost(url, SECRET, slashCommand(slack, { text, user_id: 'UBENCHARCH' }));
        await response.text();
        await arrived;
      }
    }),
  );
}

/**
 * What creating a file costs on this machine now (a new cluster is about 1,100 files), so
 * that the new-DATA_DIR figure can be read against the file system's state at the time.
 */
function fileCreationMicros(): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'custodian-files-'));
  try {
    const started = performance.now();
    for (let i = 0; i < 300; i++) writeFileSync(path.join(dir, `f${i}`), 'x'.repeat(8192));
    return ((performance.now() - started) * 1000) / 300;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Before each timed start: the file system's deferred work from the last step (a deleted
 * cluster of ≈ 1,000 files, the file-creation probe) is flushed and left to finish, so that it
 * is not charged to whichever start comes next.
 */
async function settle(): Promise<void> {
  execFileSync('sync');
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const slack = new FakeSlack();
  await slack.start();
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const env = (dataDir: string) => ({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const m = {
    bareStart: [] as number[],
    bareIdle: [] as number[],
    bareLoaded: [] as number[],
    fresh: [] as number[],
    existing: [] as number[],
    idle: [] as number[],
    loaded: [] as number[],
    serverIdle: [] as number[],
    serverLoaded: [] as number[],
    fileMicros: [] as number[],
  };
  const dataDir = newDir('custodian-startup-');
  try {
    await load(dataDir);
    for (let run = 0; run < RUNS; run++) {
      // Interleaved, so that a slow moment of the machine hits both alike.
      await settle();
      const bare = await startProcess([path.join(ROOT, 'bench/bare-bolt.mjs')], env(''), 'bare Bolt app is running');
      m.bareStart.push(bare.ms);
      m.bareIdle.push(rssMb(bare.child.pid ?? 0));
      await finds(slack, url);
      m.bareLoaded.push(rssMb(bare.child.pid ?? 0));
      await stop(bare.child);

      const emptyDir = newDir('custodian-startup-new-');
      await settle();
      const first = await startProcess(botArgs, env(emptyDir), 'Custodian is running');
      m.fresh.push(first.ms);
      await stop(first.child);
      assertServerStopped(emptyDir, first.output());
      rmSync(emptyDir, { recursive: true, force: true });
      m.fileMicros.push(fileCreationMicros());

      await settle();
      const bot = await startProcess(botArgs, env(dataDir), 'Custodian is running');
      m.existing.push(bot.ms);
      m.idle.push(rssMb(bot.child.pid ?? 0));
      m.serverIdle.push(serverPssMb(dataDir));
      await finds(slack, url);
      m.loaded.push(rssMb(bot.child.pid ?? 0));
      m.serverLoaded.push(serverPssMb(dataDir));
      await stop(bot.child);
      assertServerStopped(dataDir, bot.output());
      console.log(
        `  run ${run + 1}: bare ${m.bareStart.at(-1)?.toFixed(0)} ms ${m.bareIdle.at(-1)?.toFixed(0)} MB; ` +
          `bot new ${m.fresh.at(-1)?.toFixed(0)} ms, existing ${m.existing.at(-1)?.toFixed(0)} ms, ` +
          `RSS ${m.idle.at(-1)?.toFixed(0)} → ${m.loaded.at(-1)?.toFixed(0)} MB, server PSS ${m.serverLoaded.at(-1)?.toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await slack.stop();
  }
  const bareStart = median(m.bareStart);
  const bareIdle = median(m.bareIdle);
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; median of ${RUNS} interleaved runs; each as its own process (\`${startScript}\` for the bot, \`node bench/bare-bolt.mjs\` for the bare app), HTTP mode, embedded PostgreSQL. Creating an 8 KiB file took ${median(m.fileMicros).toFixed(0)} µs (median) during the run.`,
    '',
    '| what | bare Bolt app | Custodian | ratio | target |',
    '|---|---|---|---|---|',
    `| start, existing DATA_DIR (${CUSTOMERS.toLocaleString('en')} customers) | ${bareStart.toFixed(0)} ms | ${median(m.existing).toFixed(0)} ms | ${ratio(median(m.existing), bareStart)} | ≤ 1.5× |`,
    `| start, new DATA_DIR (initdb + migrate) | ${bareStart.toFixed(0)} ms | ${median(m.fresh).toFixed(0)} ms | ${ratio(median(m.fresh), bareStart)} | ≤ 3× |`,
    `| RSS idle | ${bareIdle.toFixed(0)} MB | ${median(m.idle).toFixed(0)} MB | ${ratio(median(m.idle), bareIdle)} | ≤ 3× |`,
    `| RSS after ${REQUESTS} \`/kh find\` (10 concurrent) | ${median(m.bareLoaded).toFixed(0)} MB | ${median(m.loaded).toFixed(0)} MB | ${ratio(median(m.loaded), bareIdle)} of bare idle | ≤ 4× |`,
    `| embedded server, PSS of its processes: idle / after the finds | — | ${median(m.serverIdle).toFixed(0)} / ${median(m.serverLoaded).toFixed(0)} MB | — | — |`,
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
