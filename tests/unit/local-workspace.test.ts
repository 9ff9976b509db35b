/**
 * The local workspace's server on its own, with a stand-in bot that checks Slack's request
 * signature: what it answers the bot (as Slack's Web API would) and what each person's page
 * may see. The whole product through it, in a browser, is tests/browser/.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertLoopback, type LocalServer, startLocalServer } from '../../src/local/server.js';
import { Workspace } from '../../src/local/workspace.js';

const TOKEN = 'xoxb-local-test';
const SECRET = 'local-signing-secret';
const A = 'ULOCALA';
const B = 'ULOCALB';

let workspace: Workspace;
let server: LocalServer;
let bot: Server;
/** What the stand-in bot received, with whether Slack's signature checked out. */
const received: { body: string; signed: boolean }[] = [];

beforeAll(async () => {
  bot = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const ts = String(req.headers['x-slack-request-timestamp']);
      const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
      received.push({ body, signed: req.headers['x-slack-signature'] === expected });
      res.writeHead(200, { 'content-type': 'application/json' });
      // An ack carrying an ephemeral reply, as a slash command may answer.
      res.end(body.includes('command=') ? JSON.stringify({ text: 'ack text' }) : '');
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  const port = (bot.address() as AddressInfo).port;
  workspace = new Workspace({
    botUserId: 'UBOT',
    people: [
      { id: A, name: '甲', roles: ['sales'], department: null },
      { id: B, name: '乙', roles: ['sales'], department: null },
    ],
    channels: [{ id: 'CLOCALGENERAL', name: 'general' }],
  });
  server = await startLocalServer({
    workspace,
    host: '127.0.0.1',
    port: 0,
    botToken: TOKEN,
    bot: () => ({ eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET }),
    jobs: { names: ['declassify'], run: async () => ({ status: 'done' }) },
  });
});

afterAll(async () => {
  await server.close();
  await new Promise((resolve) => bot.close(resolve));
});

async function api(method: string, args: Record<string, unknown>, token = TOKEN) {
  const response = await fetch(`${server.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function page(path: string, body?: unknown, headers: Record<string, string> = { 'x-custodian-local': '1' }) {
  const response = await fetch(new URL(path, server.url), {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

const history = async (user: string, channel: string) =>
  (await page(`/local/history?user=${user}&channel=${channel}`)).json.messages as { text: string }[];

describe('towards the bot: Slack’s Web API', () => {
  it('answers invalid_auth to any token but the bot’s', async () => {
    expect(await api('auth.test', {}, 'xoxb-guess')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await api('auth.test', {})).toMatchObject({ ok: true, user_id: 'UBOT' });
  });

  it('posts to a user id in that person’s DM, which only they see', async () => {
    const posted = await api('chat.postMessage', { channel: A, text: 'for A only' });
    expect(posted).toMatchObject({ ok: true, channel: `D${A}` });
    expect((await history(A, `D${A}`)).map((m) => m.text)).toContain('for A only');
    expect(await history(B, `D${A}`)).toEqual([]);
  });

  it('updates a message in place (chat.update), and refuses an unknown one', async () => {
    const posted = await api('chat.postMessage', { channel: 'CLOCALGENERAL', text: 'before' });
    expect(await api('chat.update', { channel: 'CLOCALGENERAL', ts: posted.ts, text: 'after' })).toMatchObject({
      ok: true,
    });
    const texts = (await history(B, 'CLOCALGENERAL')).map((m) => m.text);
    expect(texts).toContain('after');
    expect(texts).not.toContain('before');
    expect(await api('chat.update', { channel: 'CLOCALGENERAL', ts: '1.000001', text: 'x' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
  });

  it('opens a modal only with a trigger id of a person’s own recent interaction', async () => {
    expect(await api('views.open', { trigger_id: 'made-up', view: { type: 'modal', blocks: [] } })).toEqual({
      ok: false,
      error: 'expired_trigger_id',
    });
  });

  it('answers unknown_method for what it does not implement, as Slack does', async () => {
    expect(await api('admin.users.remove', {})).toEqual({ ok: false, error: 'unknown_method' });
  });
});

describe('towards the people at the page', () => {
  it('sends /kh as a slash command signed with the signing secret; an ack’s text is an ephemeral reply', async () => {
    received.length = 0;
    await page('/local/command', { user: A, channel: 'CLOCALGENERAL', text: '/kh whoami' });
    expect(received).toHaveLength(1);
    expect(received[0]?.signed).toBe(true);
    expect(new URLSearchParams(received[0]?.body).get('text')).toBe('whoami');
    expect(new URLSearchParams(received[0]?.body).get('user_id')).toBe(A);
    expect((await history(A, 'CLOCALGENERAL')).map((m) => m.text)).toContain('ack text');
    expect((await history(B, 'CLOCALGENERAL')).map((m) => m.text)).not.toContain('ack text');
  });

  it('a person acts only as someone in the workspace, and clicks only messages they see', async () => {
    expect((await page('/local/command', { user: 'UNOBODY', text: '/kh help' })).status).toBe(400);
    const posted = await api('chat.postMessage', { channel: A, text: 'A’s button', blocks: [] });
    const click = await page('/local/action', {
      user: B,
      channel: `D${A}`,
      ts: posted.ts,
      action: { type: 'button', action_id: 'x', value: '1' },
    });
    expect(click.status).toBe(400);
  });

  it('a file uploaded by one person is downloaded by the bot with its token, never by another person', async () => {
    const upload = await fetch(new URL(`/local/upload?user=${A}&name=sales.csv`, server.url), {
      method: 'POST',
      headers: { 'x-custodian-local': '1' },
      body: 'a,b\n1,2\n',
    });
    const file = (await upload.json()) as { id: string; url_private_download: string };
    expect(new URL(file.url_private_download).origin).toBe(new URL(server.apiUrl).origin);
    const asBot = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await asBot.text()).toBe('a,b\n1,2\n');
    expect((await fetch(file.url_private_download)).status).toBe(403);
    expect((await page(`/local/files/${file.id}?user=${B}`)).status).toBe(404);
    expect((await fetch(new URL(`/local/files/${file.id}?user=${A}`, server.url))).status).toBe(200);
  });

  it('a file the bot uploads to a DM is offered for download to that person only', async () => {
    const { upload_url, file_id } = (await api('files.getUploadURLExternal', { filename: 'r.xlsx', length: 3 })) as {
      upload_url: string;
      file_id: string;
    };
    await fetch(upload_url, { method: 'POST', body: 'xyz' });
    const done = await api('files.completeUploadExternal', {
      files: JSON.stringify([{ id: file_id, title: '名册' }]),
      channel_id: `D${A}`,
    });
    expect(done).toMatchObject({ ok: true });
    const id = ((done.files as { id: string }[])[0] as { id: string }).id;
    const asA = await fetch(new URL(`/local/files/${id}?user=${A}`, server.url));
    expect(await asA.text()).toBe('xyz');
    expect((await page(`/local/files/${id}?user=${B}`)).status).toBe(404);
  });
});

describe('other sites and bad requests', () => {
  it('another site cannot post as a person: a POST without the page’s header is refused (CSRF)', async () => {
    const before = (await history(A, 'CLOCALGENERAL')).length;
    const forged = await page(
      '/local/command',
      { user: A, channel: 'CLOCALGENERAL', text: 'pwned' },
      {
        'content-type': 'text/plain',
      },
    );
    expect(forged.status).toBe(403);
    expect(await history(A, 'CLOCALGENERAL')).toHaveLength(before);
  });

  it('a request naming another host is refused, so a rebound domain reads nobody’s DM', async () => {
    const url = new URL(`/local/history?user=${A}&channel=D${A}`, server.url);
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve) => {
      request(url, { headers: { host: `evil.example:${url.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).end();
    });
    expect(status).toBe(421);
  });

  it('a body that is not a JSON object is a 400, not a crash', async () => {
    const response = await fetch(new URL('/local/command', server.url), {
      method: 'POST',
      headers: { 'x-custodian-local': '1' },
      body: 'null',
    });
    expect(response.status).toBe(400);
    expect((await page('/local/state')).status).toBe(200);
  });

  it('typed text reaches the bot escaped as Slack escapes it; a typed @id becomes a mention', async () => {
    received.length = 0;
    await page('/local/command', { user: A, channel: 'CLOCALGENERAL', text: `/kh find A&B <x> @${B}` });
    expect(new URLSearchParams(received[0]?.body).get('text')).toBe(`find A&amp;B &lt;x&gt; <@${B}>`);
  });
});

describe('where it listens', () => {
  it('only on loopback: anything else is refused with a reason', () => {
    expect(() => assertLoopback('127.0.0.1')).not.toThrow();
    expect(() => assertLoopback('::1')).not.toThrow();
    expect(() => assertLoopback('0.0.0.0')).toThrow(/loopback only/);
    expect(() => assertLoopback('192.168.1.10')).toThrow(/loopback only/);
  });
});
