/**
 * Socket Mode (SLACK_APP_TOKEN set): the real Bolt app opens its connection through the
 * fake Web API, receives a slash command envelope over a WebSocket, acks it on the socket
 * and answers through response_url — the same handlers as in HTTP mode.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createSlackApp, type SlackApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { givePerson, NOW, TIME_ZONE } from '../helpers/fixtures.js';
import { socketSlashCommand } from '../helpers/payloads.js';

let db: TestDb;
let slack: FakeSlack;
let wss: WebSocketServer;
let app: SlackApp;
let socket: WebSocket | undefined;
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales']);
  slack = new FakeSlack();
  await slack.start();
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  slack.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { approximate_connection_time: 3600 } }));
  });
  const logger = createLogger('silent');
  app = await createSlackApp({
    slack: { botToken: 'xoxb-socket', appToken: 'xapp-socket', apiUrl: slack.apiUrl },
    port: 0,
    host: '127.0.0.1',
    deps: { db: db.prisma, clock: () => NOW, timeZone: TIME_ZONE, defaultLocale: 'zh-CN', logger },
    logger,
    retries: 0,
  });
  await app.start();
});

afterAll(async () => {
  await app.stop(1_000);
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await slack.stop();
  await db.close();
});

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL with the app token', () => {
    expect(app.mode).toBe('socket');
    expect(slack.of('apps.connections.open')).toHaveLength(1);
  });

  it('a slash command envelope is acked on the socket and answered through response_url', async () => {
    const since = slack.calls.length;
    socket?.send(socketSlashCommand(slack, { envelope_id: 'env-1', text: 'whoami', user_id: 'USALES1' }));
    const reply = await slack.waitFor('response_url', since);
    expect(String(reply.body.text)).toContain('销售人员');
    expect(received).toContainEqual(expect.objectContaining({ envelope_id: 'env-1' }));
  });
});
