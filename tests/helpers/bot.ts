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
import { slashCommand } from './payloads.js';

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
  /** Sends `/kh <text>` as `user` and returns the reply posted to response_url. */
  kh(user: string, text: string): Promise<SlackReply>;
  stop(): Promise<void>;
}

/** A response_url reply as the tests read it. */
export interface SlackReply {
  text: string;
  blocks?: unknown[];
  response_type?: string;
  replace_original?: boolean;
}

/** Signs a body as Slack does (v0 HMAC over timestamp and body) and POSTs it. */
export async function signedPost(
  url: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
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
      const response = await signedPost(url, opts.secret ?? SIGNING_SECRET, body, opts);
      return { status: response.status, text: await response.text() };
    },
    async kh(user, text) {
      const since = slack.calls.length;
      const response = await signedPost(url, SIGNING_SECRET, slashCommand(slack, { text, user_id: user }));
      if (response.status !== 200) throw new Error(`/kh ${text}: HTTP ${response.status}`);
      return (await slack.waitFor('response_url', since)).body as unknown as SlackReply;
    },
    async stop() {
      await app.stop(2_000);
      await slack.stop();
    },
  };
}
