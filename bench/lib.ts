/** What the benchmarks share: starting the real bot in-process, writing figures. (Customers load through src/demo/bulk-customers.ts.) */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createSlackApp, type SlackApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { useAuditKey } from '../src/domain/audit/audit-key.js';
import { createLogger } from '../src/logger.js';
import { FakeSlack } from '../tests/helpers/fake-slack.js';

// The audit chain is keyed; a benchmark's throwaway database gets a throwaway key, as npm start
// gets DATA_DIR/audit.key (without one every audited request would fail, and be timed as such).
useAuditKey(randomBytes(32));

export const BENCH_SECRET = 'bench-secret';

/** The real Bolt app in HTTP mode on a free loopback port, its Web API pointed at a fake Slack. */
export async function startBenchBot(
  db: Database,
): Promise<{ app: SlackApp; slack: FakeSlack; url: string; stop(): Promise<void> }> {
  const slack = new FakeSlack();
  await slack.start();
  const logger = createLogger('error');
  const app = await createSlackApp({
    slack: { botToken: 'xoxb-bench', signingSecret: BENCH_SECRET, apiUrl: slack.apiUrl },
    port: 0,
    host: '127.0.0.1',
    deps: { db: db.prisma, clock: () => new Date(), timeZone: 'Asia/Shanghai', defaultLocale: 'zh-CN', logger },
    logger,
    retries: 0,
  });
  const server = await app.start();
  if (!server) throw new Error('the bot did not start an HTTP server');
  return {
    app,
    slack,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    async stop() {
      await app.stop(2_000);
      await slack.stop();
    },
  };
}

/**
 * Prints a benchmark's figures and writes them into bench/README.md between
 * `<!-- name:begin -->` and `<!-- name:end -->` — only for a full-size run (`fullSize`), and not
 * with BENCH_WRITE=0.
 */
export function publishFigures(name: string, table: string, fullSize: boolean): void {
  console.log(`\n${table}`);
  if (process.env.BENCH_WRITE === '0' || !fullSize) return;
  const readmePath = path.join(import.meta.dirname, 'README.md');
  const markers = new RegExp(`<!-- ${name}:begin -->[\\s\\S]*<!-- ${name}:end -->`);
  const readme = readFileSync(readmePath, 'utf8');
  writeFileSync(readmePath, readme.replace(markers, `<!-- ${name}:begin -->\n${table}\n<!-- ${name}:end -->`));
}
