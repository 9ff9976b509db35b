/**
 * The bot and the CLI as real processes: startup without credentials, a real start in
 * HTTP mode against the fake Slack, graceful stop on SIGTERM, and the embedded database
 * lock that keeps a second process out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.js';
import { slashCommand } from '../helpers/payloads.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(script: string, args: string[], env: Record<string, string>): Run {
  // One process (no tsx wrapper), as `npm start` runs it: signals and pids are the bot's own.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(proc: Run, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let dataDir: string;
let slack: FakeSlack;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'custodian-process-'));
  slack = new FakeSlack();
  await slack.start();
});
afterAll(async () => {
  await slack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('without Slack credentials it names the missing variables, explains manifest.yml and exits non-zero', async () => {
    const proc = run('src/main.ts', [], { SLACK_BOT_TOKEN: '', DATA_DIR: dataDir });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain('SLACK_BOT_TOKEN');
    expect(proc.output()).toContain('SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
    expect(proc.output()).toContain('manifest.yml');
    expect(proc.output()).not.toMatch(/\n\s+at /);
  });

  it('a token Slack refuses is reported clearly, without a stack trace', async () => {
    slack.failNext('auth.test', 'invalid_auth');
    const proc = run('src/main.ts', [], {
      SLACK_BOT_TOKEN: 'xoxb-bad',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      DATA_DIR: dataDir,
      PORT: '0',
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('Slack refused the bot token (invalid_auth)');
    expect(proc.output()).not.toContain('xoxb-bad');
    expect(proc.output()).not.toMatch(/\n\s+at /);
  });

  it('starts in HTTP mode on the embedded database, answers /kh, refuses a second process, stops on SIGTERM', async () => {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const bot = run('src/main.ts', [], {
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_SIGNING_SECRET: 'process-secret',
      SLACK_API_URL: slack.apiUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_USER_IDS: 'UPROCADMIN',
    });
    try {
      await waitForOutput(bot, /Custodian is running/, 60_000);
      expect(bot.output()).toContain('/slack/events');

      const body = slashCommand(slack, { text: 'whoami', user_id: 'UPROCADMIN' });
      const timestamp = Math.floor(Date.now() / 1000);
      const since = slack.calls.length;
      const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': `v0=${createHmac('sha256', 'process-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`,
        },
        body,
      });
      expect(response.status).toBe(200);
      const reply = await slack.waitFor('response_url', since, 10_000);
      expect(String(reply.body.text)).toContain('管理员');

      // The CLI on the same data directory is refused, naming the bot's process.
      const cli = run('src/cli.ts', ['audit', 'verify'], { DATA_DIR: dataDir });
      expect(await cli.exited).toBe(1);
      expect(cli.output()).toContain(`in use by process ${bot.child.pid}`);
      expect(cli.output()).toContain('npm start (bot)');

      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.output()).toContain('stopped');
      expect(bot.output()).not.toContain('xoxb-process-test');
    } finally {
      bot.child.kill('SIGKILL');
    }
  }, 90_000);

  it('after the bot stopped, the CLI opens the same database and the audit chain verifies', async () => {
    const cli = run('src/cli.ts', ['audit', 'verify'], { DATA_DIR: dataDir });
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/audit chain OK: \d+ events/);
  }, 60_000);

  it('a lock left by a process that died is taken over', async () => {
    const { writeFileSync } = await import('node:fs');
    const { hostname } = await import('node:os');
    writeFileSync(
      path.join(dataDir, 'pglite.lock'),
      JSON.stringify({ pid: 999_999_999, hostname: hostname(), command: 'crashed', startedAt: '2026-01-01' }),
    );
    const cli = run('src/cli.ts', ['migrate'], { DATA_DIR: dataDir });
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('up to date');
  }, 60_000);
});
