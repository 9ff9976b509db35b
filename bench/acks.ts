/**
 * `npm run bench:acks` — ack latency of slash commands and button clicks with 20 concurrent
 * senders (DESIGN.md: p99 < 100 ms; Slack's own limit is 3 s).
 *
 * The real Bolt app in HTTP mode on the embedded PostgreSQL server (the default) receives signed `/kh find` commands and Approve clicks from 20 concurrent senders
 * on loopback. The time measured is from sending the request to receiving Bolt's HTTP
 * response, which is the ack; the listeners' work (search, decision, replies to the fake
 * Web API) runs after it on the same event loop and competes with the next acks, which is
 * what this measures. Bounded: REQUESTS requests in all, then it stops.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTION } from '../src/blocks/ids.js';
import { openDatabase } from '../src/db/client.js';
import { createRequest } from '../src/domain/approvals/create-request.js';
import { decideStep } from '../src/domain/approvals/decide-step.js';
import { createCustomer } from '../src/domain/customers/create-customer.js';
import { validateCustomerInput } from '../src/domain/customers/customer-input.js';
import { signedPost } from '../tests/helpers/bot.js';
import { blockAction, slashCommand } from '../tests/helpers/payloads.js';
import { BENCH_SECRET, startBenchBot } from './lib.js';

const SENDERS = 20;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TZ = 'Asia/Shanghai';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

type Mode = 'paced' | 'saturated';

/** Paced: each sender sends one request a second (20 people clicking); saturated: back to back. */
const PACE_MS = 1_000;

async function measure(
  db: Awaited<ReturnType<typeof openDatabase>>,
  mode: Mode,
): Promise<{ command: number[]; button: number[] }[]> {
  const now = new Date();
  const ctx = (user: string) => ({ db: db.prisma, now, actor: { slackUserId: user }, timeZone: TZ });
  for (const [id, roles, dept] of [
    ['USALES1', ['sales'], '销售一部'],
    ['USALES2', ['sales'], '销售二部'],
    ['UHEAD2', ['dept_head'], '销售二部'],
    ['UARCH', ['archivist'], '客户服务部'],
  ] as const) {
    const department = await db.prisma.department.upsert({ where: { name: dept }, create: { name: dept }, update: {} });
    await db.prisma.person.create({ data: { slackUserId: id, roles: [...roles], departmentId: department.id } });
  }
  for (let i = 0; i < 200; i++) {
    const input = validateCustomerInput(
      {
        name: `华为测试客户${i}`,
        kind: 'dealer',
        legalRepresentative: '赵明',
        address: '深圳',
        postalCode: '518000',
        phone: `0755-${String(20_000_000 + i)}`,
        secrecyLevel: 'restricted',
        secrecyUntil: '2030-12-31',
      },
      { now, timeZone: TZ },
    );
    if (!input.ok) throw new Error('bad bench customer');
    await createCustomer(ctx('USALES1'), input.value);
  }
  // A decided step: every click on it goes through the whole decision path and is refused as already decided.
  const { request } = await createRequest(ctx('USALES2'), {
    kind: 'view',
    customerCode: `KH-${localYear(now)}-0001`,
    purpose: 'bench',
    reason: 'bench',
    requesterProfile: 'bench',
  });
  const stepId = request.steps[0]?.id ?? 0;
  await decideStep(ctx('UHEAD2'), { stepId, decision: 'approve' });

  const bot = await startBenchBot(db);
  const { app, slack, url } = bot;

  const send = async (body: string): Promise<number> => {
    const start = performance.now();
    const response = await signedPost(url, BENCH_SECRET, body);
    await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return performance.now() - start;
  };

  const runs: { command: number[]; button: number[] }[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const command: number[] = [];
    const button: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, sender) => {
        // Paced senders start spread over the first second, like people who do not click in step.
        if (mode === 'paced') await sleep((sender * PACE_MS) / SENDERS);
        for (;;) {
          const i = next++;
          if (i >= REQUESTS) return;
          const started = performance.now();
          if (i % 2 === 0) {
            command.push(await send(slashCommand(slack, { text: `find 华为测试客户${i % 200}`, user_id: 'USALES1' })));
          } else {
            button.push(
              await send(blockAction(slack, { user: 'UARCH', action_id: ACTION.approveStep, value: String(stepId) })),
            );
          }
          if (mode === 'paced') await sleep(Math.max(0, PACE_MS - (performance.now() - started)));
        }
      }),
    );
    await app.idle();
    if (run > 0) runs.push({ command: command.sort((a, b) => a - b), button: button.sort((a, b) => a - b) });
    console.log(
      `  ${mode} ${run === 0 ? 'warm-up' : `run ${run}`}: command p99 ${percentile(
        command.sort((a, b) => a - b),
        99,
      ).toFixed(1)} ms, button p99 ${percentile(
        button.sort((a, b) => a - b),
        99,
      ).toFixed(1)} ms`,
    );
  }
  await bot.stop();
  return runs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const rows: string[] = [];
  const row = (
    name: string,
    runs: { command: number[]; button: number[] }[],
    pick: (r: { command: number[]; button: number[] }) => number[],
  ) =>
    `| ${name} | ${[50, 95, 99].map((p) => `${median(runs.map((r) => percentile(pick(r), p))).toFixed(1)} ms`).join(' | ')} |`;
  for (const mode of ['paced', 'saturated'] as const) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'custodian-acks-'));
    const database = await openDatabase({ dataDir, command: 'bench acks' });
    const runs = await measure(database, mode);
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    rows.push(
      row(`embedded PostgreSQL, ${mode}: \`/kh find\``, runs, (r) => r.command),
      row(`embedded PostgreSQL, ${mode}: Approve click`, runs, (r) => r.button),
    );
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, Node ${process.version}; ${SENDERS} concurrent senders, ${REQUESTS} requests per run (half commands, half clicks), median of ${RUNS} runs after a warm-up run. Paced: each sender sends one request a second; saturated: back to back.`,
    '',
    '| database, load: ack of | p50 | p95 | p99 |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}`);
  const readmePath = path.join(import.meta.dirname, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  if (process.env.BENCH_WRITE !== '0') {
    writeFileSync(
      readmePath,
      readme.replace(/<!-- acks:begin -->[\s\S]*<!-- acks:end -->/, `<!-- acks:begin -->\n${table}\n<!-- acks:end -->`),
    );
  }
}

function localYear(date: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: TZ, year: 'numeric' }).format(date));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
