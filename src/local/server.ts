/**
 * The local workspace's HTTP server, on loopback only. It plays both of Slack's parts:
 *
 * - towards the bot, the Web API (`/api/<method>`, the bot's SLACK_API_URL), `response_url`
 *   replies (`/respond/<id>`), file uploads (`/upload/<id>`) and the files people uploaded
 *   (`/files/<id>`, fetched with the bot's token) — the methods the bot calls, answered as
 *   Slack answers them;
 * - towards the person at the page (`/`, `/local/…`), a Slack-like client: what they type or
 *   click becomes a signed request to the bot's `/slack/events` (bot-link.ts), and what the
 *   bot posts reaches the page live as server-sent events.
 *
 * Nothing in the bot knows it is talking to this instead of Slack.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BotAnswer,
  type BotLink,
  type Container,
  sendAppHomeOpened,
  sendBlockAction,
  sendSlashCommand,
  sendViewClosed,
  sendViewSubmission,
} from './bot-link.js';
import type { Workspace, WorkspaceEvent } from './workspace.js';

export class LocalWorkspaceError extends Error {
  override name = 'LocalWorkspaceError';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The page may only be served where nobody else can reach it: it lets anyone act as anyone. */
export function assertLoopback(host: string): void {
  if (!LOOPBACK.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
    throw new LocalWorkspaceError(
      `the local workspace listens on loopback only (127.0.0.1, ::1 or localhost), not on ${host}: ` +
        'it lets anyone who reaches it act as any person. Unset HOST, or set the Slack credentials to use a real workspace.',
    );
  }
}

export interface JobControl {
  names: string[];
  run(name: string, at: Date): Promise<Record<string, unknown>>;
}

export interface LocalServerOptions {
  workspace: Workspace;
  host: string;
  port: number;
  botToken: string;
  /** Where the bot listens; filled in once the bot has started (it needs this server's URL first). */
  bot: () => BotLink | undefined;
  jobs: JobControl;
  onError?: (error: unknown, where: string) => void;
}

export interface LocalServer {
  url: string;
  apiUrl: string;
  close(): Promise<void>;
}

/** Sent by the page with every POST (see app.js): a header a cross-site form or fetch cannot add unasked. */
const PAGE_HEADER = 'x-custodian-local';

/** A person's App Home has one view id, as in Slack. */
const homeViewId = (user: string) => `VHOME${user}`;

const MAX_JSON_BYTES = 1024 * 1024;
const MAX_FILE_BYTES = 25 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object body; anything else (`null`, an array, bad JSON) is a 400. */
async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const value: unknown = JSON.parse((await readBody(req, MAX_JSON_BYTES)).toString('utf8') || '{}');
  if (!isObject(value)) throw new HttpError(400, 'expected a JSON object');
  return value;
}

/**
 * What a person typed, as Slack hands it to an app: `&`, `<` and `>` escaped, except the
 * mentions and channel links the client writes for `@someone` and `#channel` (`<@U…>`,
 * `<#C…>`); `@U…` typed with a person's id becomes such a mention.
 */
function asSlackEscapes(text: string): string {
  return text
    .split(/(<[@#][A-Z0-9]+(?:\|[^<>]*)?>)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/@(U[A-Z0-9]{2,})/g, '<@$1>'),
    )
    .join('');
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A Web API call's arguments: form-encoded or JSON, with nested fields sent as JSON strings. */
function apiArguments(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  const parsed: unknown = (req.headers['content-type'] ?? '').includes('application/json')
    ? JSON.parse(text || '{}')
    : Object.fromEntries(new URLSearchParams(text));
  if (!isObject(parsed)) throw new HttpError(400, 'expected a JSON object');
  const args = parsed;
  for (const field of ['blocks', 'view', 'files', 'attachments']) {
    if (typeof args[field] === 'string') {
      try {
        args[field] = JSON.parse(args[field] as string);
      } catch {
        // left as text: the method answers invalid_arguments
      }
    }
  }
  return args;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * The file in an upload to `upload_url`: the body itself, or its file part when sent as
 * multipart/form-data (as the Web API client's files.uploadV2 does); Slack takes both.
 */
async function uploadedBytes(req: IncomingMessage, body: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return body;
  const form = await new Response(body, { headers: { 'content-type': type } }).formData();
  const file = [...form.values()].find((value) => typeof value !== 'string');
  if (!file || typeof file === 'string') throw new HttpError(400, 'no file in the upload');
  return Buffer.from(await file.arrayBuffer());
}

/** The page's static files: beside this module in src/, or under src/ seen from the bundle in dist/. */
function publicDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'public'), path.join(here, '..', 'src', 'local', 'public')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (!found)
    throw new LocalWorkspaceError(`the local workspace's page is missing (looked in ${candidates.join(', ')})`);
  return found;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface PendingReply {
  user: string;
  channel: string;
  /** The message the interaction came from, which `replace_original` replaces. */
  messageTs?: string;
  uses: number;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  assertLoopback(options.host);
  const { workspace } = options;
  const dir = publicDir();
  const pendingUploads = new Map<string, { name: string; bytes?: Buffer }>();
  const replies = new Map<string, PendingReply>();
  let origin = '';
  const ownHosts = new Set<string>();

  const isBot = (req: IncomingMessage, args?: Record<string, unknown>) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : String(args?.token ?? '');
    const a = Buffer.from(given);
    const b = Buffer.from(options.botToken);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const channelName = (channel: string) =>
    workspace.dmOwner(channel)
      ? 'directmessage'
      : (workspace.listChannels().find((c) => c.id === channel)?.name ?? channel);

  const replyUrl = (reply: Omit<PendingReply, 'uses'>) => {
    const id = randomBytes(12).toString('hex');
    replies.set(id, { ...reply, uses: 0 });
    return `${origin}/respond/${id}`;
  };

  /**
   * The bot's answer, or undefined after telling the person it did not answer in time (Slack
   * waits three seconds for an acknowledgement, then shows "operation_timeout").
   */
  const answered = async (user: string, channel: string, sending: Promise<BotAnswer>) => {
    const answer = await sending.catch((error: Error) => error);
    if (!(answer instanceof Error) && answer.status === 200) return answer;
    const detail =
      answer instanceof Error
        ? answer.name === 'TimeoutError'
          ? 'operation_timeout'
          : answer.message
        : `HTTP ${answer.status}`;
    workspace.post({
      channel,
      user: workspace.botUserId,
      ephemeralFor: user,
      text: `（本地工作区）机器人没有应答 The bot did not answer: ${detail}`,
    });
    return undefined;
  };

  const bot = (): BotLink => {
    const link = options.bot();
    if (!link) throw new HttpError(503, 'the bot is still starting');
    return link;
  };

  // ---- the Web API, as the bot calls it ----
  const webApi = async (method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const text = typeof args.text === 'string' ? args.text : '';
    const blocks = Array.isArray(args.blocks) ? (args.blocks as unknown[]) : undefined;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `${origin}/`,
          team: 'Custodian (local)',
          user: 'custodian',
          team_id: 'T0LOCAL',
          user_id: workspace.botUserId,
          bot_id: 'B0LOCAL',
        };
      case 'chat.postMessage': {
        const channel = workspace.resolveChannel(String(args.channel ?? ''));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!text && !blocks) return { ok: false, error: 'no_text' };
        const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined;
        const posted = workspace.post({
          channel,
          user: workspace.botUserId,
          text,
          ...(blocks && { blocks }),
          ...(threadTs && { threadTs }),
        });
        return { ok: true, channel, ts: posted.ts, message: { type: 'message', text, ts: posted.ts } };
      }
      case 'chat.postEphemeral': {
        const channel = workspace.resolveChannel(String(args.channel ?? ''));
        const user = String(args.user ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!workspace.person(user)) return { ok: false, error: 'user_not_in_channel' };
        const posted = workspace.post({
          channel,
          user: workspace.botUserId,
          text,
          ...(blocks && { blocks }),
          ephemeralFor: user,
        });
        return { ok: true, message_ts: posted.ts };
      }
      case 'chat.update': {
        const channel = workspace.resolveChannel(String(args.channel ?? ''));
        const ts = String(args.ts ?? '');
        const updated = channel && workspace.update(channel, ts, { text, ...(blocks && { blocks }) });
        return updated ? { ok: true, channel, ts, text } : { ok: false, error: 'message_not_found' };
      }
      case 'chat.delete': {
        const channel = workspace.resolveChannel(String(args.channel ?? ''));
        const deleted = channel && workspace.update(channel, String(args.ts ?? ''), { deleted: true });
        return deleted ? { ok: true, channel, ts: args.ts } : { ok: false, error: 'message_not_found' };
      }
      case 'conversations.open': {
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        const user = users.length === 1 ? users[0] : undefined;
        if (!user || !workspace.person(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: workspace.dmOf(user) } };
      }
      case 'users.info': {
        const person = workspace.person(String(args.user ?? ''));
        if (!person) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: person.id,
            name: person.id.toLowerCase(),
            real_name: person.name,
            profile: { display_name: person.name, real_name: person.name },
          },
        };
      }
      case 'views.open':
      case 'views.push': {
        const user = workspace.useTrigger(String(args.trigger_id ?? ''));
        if (!user) return { ok: false, error: 'expired_trigger_id' };
        const view = args.view as Record<string, unknown> | undefined;
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        const opened = workspace.openView(user, view, method === 'views.push');
        if (!opened) return { ok: false, error: 'push_limit_reached' };
        return { ok: true, view: { ...view, id: opened.id } };
      }
      case 'views.update': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        const updated = workspace.updateView(String(args.view_id ?? ''), view);
        return updated ? { ok: true, view: { ...view, id: updated.view.id } } : { ok: false, error: 'not_found' };
      }
      case 'views.publish': {
        const user = String(args.user_id ?? '');
        const view = args.view as Record<string, unknown> | undefined;
        if (!workspace.person(user)) return { ok: false, error: 'user_not_found' };
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        workspace.publishHome(user, view);
        return { ok: true, view: { ...view, id: homeViewId(user) } };
      }
      case 'files.getUploadURLExternal': {
        const id = workspace.newId('F');
        pendingUploads.set(id, { name: String(args.filename ?? 'file') });
        return { ok: true, upload_url: `${origin}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = Array.isArray(args.files) ? (args.files as { id?: string; title?: string }[]) : [];
        const done: { id: string; name: string; title: string; size: number }[] = [];
        for (const entry of listed) {
          const pending = entry.id ? pendingUploads.get(entry.id) : undefined;
          if (!entry.id || !pending?.bytes) return { ok: false, error: 'file_not_found' };
          pendingUploads.delete(entry.id);
          const file = workspace.addFile({
            name: pending.name,
            title: entry.title ?? pending.name,
            bytes: pending.bytes,
            owner: workspace.botUserId,
          });
          done.push({ id: file.id, name: file.name, title: file.title, size: file.bytes.length });
        }
        const channel = args.channel_id ? workspace.resolveChannel(String(args.channel_id)) : undefined;
        if (args.channel_id && !channel) return { ok: false, error: 'channel_not_found' };
        if (channel) {
          const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined;
          workspace.post({
            channel,
            user: workspace.botUserId,
            text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
            files: done,
            ...(threadTs && { threadTs }),
          });
        }
        return { ok: true, files: done.map((f) => ({ id: f.id, title: f.title, name: f.name })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  /** `respond()`: an ephemeral reply by default; `replace_original` replaces the message clicked. */
  const respond = (reply: PendingReply, body: Record<string, unknown>) => {
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined;
    if (body.delete_original && reply.messageTs) {
      workspace.update(reply.channel, reply.messageTs, { deleted: true });
      return;
    }
    if (body.replace_original === true && reply.messageTs && workspace.message(reply.channel, reply.messageTs)) {
      workspace.update(reply.channel, reply.messageTs, { text, blocks });
      return;
    }
    const inChannel = body.response_type === 'in_channel';
    workspace.post({
      channel: reply.channel,
      user: workspace.botUserId,
      text,
      ...(blocks && { blocks }),
      ...(!inChannel && { ephemeralFor: reply.user }),
    });
  };

  // ---- what the person at the page does ----
  const requirePerson = (user: unknown) => {
    const person = typeof user === 'string' ? workspace.person(user) : undefined;
    if (!person) throw new HttpError(400, 'unknown person');
    return person.id;
  };

  const command = async (args: Record<string, unknown>) => {
    const user = requirePerson(args.user);
    const channel = String(args.channel ?? workspace.dmOf(user));
    if (!workspace.canSee(user, channel)) throw new HttpError(400, 'unknown channel');
    const typed = String(args.text ?? '').trim();
    const match = /^\/kh(?:\s+([\s\S]*))?$/.exec(typed);
    if (!match) {
      // Not a command: a plain message, as in Slack (the bot listens to /kh only).
      if (typed) workspace.post({ channel, user, text: asSlackEscapes(typed) });
      return { ok: true };
    }
    const answer = await answered(
      user,
      channel,
      sendSlashCommand(bot(), {
        user,
        channel,
        channelName: channelName(channel),
        text: asSlackEscapes((match[1] ?? '').trim()),
        triggerId: workspace.trigger(user),
        responseUrl: replyUrl({ user, channel }),
      }),
    );
    if (answer?.body && (answer.body.text || answer.body.blocks)) respond({ user, channel, uses: 0 }, answer.body);
    return { ok: true };
  };

  const action = async (args: Record<string, unknown>) => {
    const user = requirePerson(args.user);
    const act = args.action as Record<string, unknown> | undefined;
    if (!act || typeof act.action_id !== 'string') throw new HttpError(400, 'no action');
    let container: Container;
    let responseUrl: string | undefined;
    let channel: string | undefined;
    if (typeof args.viewId === 'string') {
      // A modal of theirs, or their App Home (published, not opened).
      const home = args.viewId === homeViewId(user) ? workspace.home(user) : undefined;
      const open = home ? { id: args.viewId, view: home } : workspace.findView(user, args.viewId);
      if (!open) throw new HttpError(400, 'no such view');
      container = { type: 'view', view: { ...open.view, id: open.id } };
    } else {
      channel = String(args.channel ?? '');
      const message = workspace.message(channel, String(args.ts ?? ''));
      if (!message || !workspace.visibleTo(user, message)) throw new HttpError(400, 'no such message');
      container = {
        type: 'message',
        channel,
        channelName: channelName(channel),
        messageTs: message.ts,
        ephemeral: message.ephemeralFor !== undefined,
        ...(message.ephemeralFor === undefined && {
          message: {
            type: 'message',
            ts: message.ts,
            text: message.text,
            blocks: message.blocks ?? [],
            user: message.user,
          },
        }),
      };
      responseUrl = replyUrl({ user, channel, messageTs: message.ts });
    }
    await answered(
      user,
      channel ?? workspace.dmOf(user),
      sendBlockAction(bot(), {
        user,
        container,
        action: act,
        triggerId: workspace.trigger(user),
        ...(responseUrl && { responseUrl }),
      }),
    );
    return { ok: true };
  };

  const submit = async (args: Record<string, unknown>) => {
    const user = requirePerson(args.user);
    const open = workspace.findView(user, String(args.viewId ?? ''));
    if (!open) throw new HttpError(400, 'no such view');
    const answer = await answered(
      user,
      workspace.dmOf(user),
      sendViewSubmission(bot(), {
        user,
        view: { ...open.view, id: open.id },
        values: args.values ?? {},
        triggerId: workspace.trigger(user),
      }),
    );
    if (!answer) return { ok: false };
    const body = answer.body ?? {};
    const view = isObject(body.view) ? body.view : undefined;
    switch (body.response_action) {
      case 'errors':
        return { ok: true, errors: isObject(body.errors) ? body.errors : {} };
      case 'update':
        if (view) workspace.replaceTop(user, view);
        return { ok: true };
      case 'push':
        if (view) workspace.openView(user, view, true);
        return { ok: true };
      case 'clear':
        workspace.closeView(user, true);
        return { ok: true };
      default:
        workspace.closeView(user);
        return { ok: true };
    }
  };

  const close = async (args: Record<string, unknown>) => {
    const user = requirePerson(args.user);
    const stack = workspace.openViews(user);
    const open = stack[stack.length - 1];
    // Cancel closes the view on top, the one the person sees.
    if (!open || open.id !== args.viewId) return { ok: true };
    workspace.closeView(user);
    if (open.view.notify_on_close)
      await sendViewClosed(bot(), { user, view: { ...open.view, id: open.id } }).catch(() => {});
    return { ok: true };
  };

  const homeOpened = async (args: Record<string, unknown>) => {
    const user = requirePerson(args.user);
    await answered(user, workspace.dmOf(user), sendAppHomeOpened(bot(), { user, channel: workspace.dmOf(user) }));
    return { ok: true, view: workspace.home(user) ?? null, viewId: homeViewId(user) };
  };

  const runJob = async (args: Record<string, unknown>) => {
    const name = String(args.name ?? '');
    if (!options.jobs.names.includes(name)) throw new HttpError(400, 'unknown job');
    const at = args.at ? new Date(String(args.at)) : new Date();
    if (Number.isNaN(at.getTime())) throw new HttpError(400, 'bad time');
    return { ok: true, outcome: await options.jobs.run(name, at) };
  };

  const events = (req: IncomingMessage, res: ServerResponse, user: string) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const send = (event: WorkspaceEvent) => {
      if (workspace.concerns(user, event)) res.write(`data: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = workspace.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const p = url.pathname;

    if (method === 'POST' && p.startsWith('/api/')) {
      const args = apiArguments(req, await readBody(req, MAX_JSON_BYTES));
      if (!isBot(req, args)) return json(res, 200, { ok: false, error: 'invalid_auth' });
      return json(res, 200, await webApi(p.slice('/api/'.length), args));
    }
    if (method === 'POST' && p.startsWith('/upload/')) {
      const pending = pendingUploads.get(p.slice('/upload/'.length));
      if (!pending) return json(res, 404, { ok: false, error: 'not_found' });
      pending.bytes = await uploadedBytes(req, await readBody(req, MAX_FILE_BYTES));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
      return;
    }
    if (method === 'POST' && p.startsWith('/respond/')) {
      const reply = replies.get(p.slice('/respond/'.length));
      // Slack takes a response_url five times.
      if (!reply || reply.uses >= 5) return json(res, 404, { ok: false, error: 'expired_url' });
      reply.uses++;
      respond(reply, await jsonBody(req));
      return json(res, 200, { ok: true });
    }
    if (method === 'GET' && p.startsWith('/files/')) {
      // url_private_download: the bot fetches a person's upload with its token.
      if (!isBot(req)) return json(res, 403, { ok: false, error: 'invalid_auth' });
      const file = workspace.file(p.split('/')[2] ?? '');
      if (!file) return json(res, 404, { ok: false, error: 'file_not_found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }

    // The page and its API answer only to a browser that asked for this loopback address
    // (DNS rebinding: another site's name pointed at 127.0.0.1 carries its own Host), and
    // their POSTs carry a header no other site can send without asking first (CSRF).
    if (p === '/' || p.startsWith('/static/') || p.startsWith('/local/')) {
      if (!ownHosts.has(req.headers.host ?? '')) return json(res, 421, { ok: false, error: 'misdirected request' });
      if (method === 'POST' && req.headers[PAGE_HEADER] !== '1')
        return json(res, 403, { ok: false, error: 'forbidden' });
    }
    if (method === 'GET' && (p === '/' || p.startsWith('/static/'))) {
      const name = p === '/' ? 'index.html' : path.basename(p);
      const file = path.join(dir, name);
      const type = STATIC_TYPES[path.extname(name)];
      if (!type || !existsSync(file)) return json(res, 404, { ok: false });
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(readFileSync(file));
      return;
    }
    if (method === 'GET' && p === '/local/state') {
      return json(res, 200, {
        botUserId: workspace.botUserId,
        people: workspace.listPeople(),
        channels: workspace.listChannels(),
        jobs: options.jobs.names,
      });
    }
    if (method === 'GET' && p === '/local/history') {
      const user = requirePerson(url.searchParams.get('user'));
      const channel = url.searchParams.get('channel') ?? workspace.dmOf(user);
      return json(res, 200, {
        messages: workspace.history(user, channel),
        views: workspace.openViews(user),
        home: workspace.home(user) ?? null,
      });
    }
    if (method === 'GET' && p === '/local/events') {
      return events(req, res, requirePerson(url.searchParams.get('user')));
    }
    if (method === 'GET' && p.startsWith('/local/files/')) {
      const user = requirePerson(url.searchParams.get('user'));
      const file = workspace.file(p.split('/')[3] ?? '');
      if (!file || !workspace.canDownload(user, file.id)) return json(res, 404, { ok: false, error: 'file_not_found' });
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.bytes.length,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      });
      res.end(file.bytes);
      return;
    }
    if (method === 'POST' && p === '/local/upload') {
      // A file chosen in a modal's file input: stored as Slack stores an upload.
      const user = requirePerson(url.searchParams.get('user'));
      const name = path.basename(url.searchParams.get('name') ?? 'upload') || 'upload';
      const file = workspace.addFile({ name, title: name, bytes: await readBody(req, MAX_FILE_BYTES), owner: user });
      const download = `${origin}/files/${file.id}/${encodeURIComponent(name)}`;
      return json(res, 200, {
        id: file.id,
        name,
        title: name,
        filetype: path.extname(name).slice(1),
        size: file.bytes.length,
        url_private: download,
        url_private_download: download,
      });
    }
    if (method === 'POST' && p.startsWith('/local/')) {
      const args = await jsonBody(req);
      const handlers: Record<string, (a: Record<string, unknown>) => Promise<unknown>> = {
        '/local/command': command,
        '/local/action': action,
        '/local/submit': submit,
        '/local/close': close,
        '/local/home-opened': homeOpened,
        '/local/job': runJob,
      };
      const handler = handlers[p];
      if (handler) return json(res, 200, await handler(args));
    }
    json(res, 404, { ok: false, error: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return json(res, error.status, { ok: false, error: error.message });
      if (error instanceof SyntaxError) return json(res, 400, { ok: false, error: 'invalid JSON' });
      options.onError?.(error, req.url ?? '');
      if (!res.headersSent) json(res, 500, { ok: false, error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  for (const name of [host, 'localhost', '127.0.0.1', '[::1]']) ownHosts.add(`${name}:${address.port}`);
  return {
    url: `${origin}/`,
    apiUrl: `${origin}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
