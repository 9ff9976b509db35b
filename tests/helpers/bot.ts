/**
 * The real bot for end-to-end tests: the Bolt app in HTTP mode on a free loopback port,
 * its Web API pointed at FakeSlack, a real test database, and a signed-request client
 * that speaks to it exactly as Slack does.
 */
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createSlackApp, type SlackApp } from '../../src/app.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { TestDb } from './db.js';
import { FakeSlack } from './fake-slack.js';
import { NOW, TIME_ZONE } from './fixtures.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface TestBot {
  slack: FakeSlack;
  app: SlackApp;
  url: string;
  logLines: string[];
  /** POSTs a body signed as Slack signs it; resolves with the HTTP status and body. */
  post(
    body: string,
    options?: { contentType?: string; timestamp?: number; secret?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

export async function startBot(db: TestDb, options: { now?: () => Date } = {}): Promise<TestBot> {
  const slack = new FakeSlack();
  await slack.start();
  const logLines: string[] = [];
  const logger: Logger = createLogger('debug', { write: (line: string) => logLines.push(line) });
  const app = await createSlackApp({
    slack: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    port: 0,
    host: '127.0.0.1',
    deps: { db: db.prisma, clock: options.now ?? (() => NOW), timeZone: TIME_ZONE, defaultLocale: 'zh-CN', logger },
    logger,
    retries: 0,
  });
  const server = await app.start();
  if (!server) throw new Error('the bot did not start an HTTP server');
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/slack/events`;
  return {
    slack,
    app,
    url,
    logLines,
    async post(body, opts = {}) {
      const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
      const signature = `v0=${createHmac('sha256', opts.secret ?? SIGNING_SECRET)
        .update(`v0:${timestamp}:${body}`)
        .digest('hex')}`;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature,
          ...opts.headers,
        },
        body,
      });
      return { status: response.status, text: await response.text() };
    },
    async stop() {
      await app.stop(2_000);
      await slack.stop();
    },
  };
}
