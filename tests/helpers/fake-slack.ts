/**
 * A fake Slack Web API on loopback: answers `POST /api/<method>` like Slack does and
 * records every call, plus `POST /respond/<id>` for response_url replies. The real Bolt
 * app and its real WebClient talk to it; nothing in the app is stubbed.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  /** performance.now() when the call arrived (benchmarks measure latency with it). */
  at: number;
}

const JSON_FIELDS = ['blocks', 'view', 'attachments'];

function parseBody(req: IncomingMessage, raw: string): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  const body: Record<string, unknown> = type.includes('application/json')
    ? (JSON.parse(raw || '{}') as Record<string, unknown>)
    : Object.fromEntries(new URLSearchParams(raw));
  for (const field of JSON_FIELDS) {
    if (typeof body[field] === 'string') body[field] = JSON.parse(body[field] as string);
  }
  return body;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private failures = new Map<string, string>();
  private counter = 0;
  private listeners = new Set<(call: RecordedCall) => void>();
  url = '';
  /** What apps.connections.open answers (Socket Mode tests point it at their WebSocket server). */
  socketUrl = '';

  /** Resolves at the arrival of the next call of `method` (no polling delay). */
  next(method: string, timeoutMs = 10_000): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${method} call within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (call: RecordedCall) => {
        if (call.method !== method) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(call);
      };
      this.listeners.add(listener);
    });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      // A file someone uploaded to Slack, fetched by the bot with its token (url_private_download).
      const hosted = req.method === 'GET' ? this.hosted.get(req.url ?? '') : undefined;
      if (hosted) {
        this.calls.push({
          method: 'file_download',
          body: { authorization: req.headers.authorization ?? '' },
          at: performance.now(),
        });
        res.setHeader('content-type', 'application/octet-stream');
        res.end(Buffer.from(hosted));
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      req.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const raw = bytes.toString('utf8');
        const path = req.url ?? '/';
        const method = path.startsWith('/respond/')
          ? 'response_url'
          : path.startsWith('/upload/')
            ? 'file_upload'
            : path.replace(/^\/api\//, '');
        // A file upload's body is the file itself, kept as text and as bytes (a workbook is binary).
        const body = method === 'file_upload' ? { raw, bytes } : parseBody(req, raw);
        const call = { method, body, at: performance.now() };
        this.calls.push(call);
        for (const listener of this.listeners) listener(call);
        res.setHeader('content-type', 'application/json');
        const failure = this.failures.get(method);
        if (failure) {
          this.failures.delete(method);
          res.end(JSON.stringify({ ok: false, error: failure }));
          return;
        }
        res.end(JSON.stringify(this.answer(method)));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('fake Slack has no port');
    this.url = `http://127.0.0.1:${address.port}`;
  }

  /** Files people uploaded to Slack, by path: what the bot downloads with its token. */
  private hosted = new Map<string, Uint8Array>();

  /** Hosts a file as Slack would after an upload; returns its url_private_download. */
  hostFile(bytes: Uint8Array): string {
    const path = `/files/${++this.counter}`;
    this.hosted.set(path, bytes);
    return `${this.url}${path}`;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(): string {
    return `${this.url}/respond/${++this.counter}`;
  }

  /** The next call of this method answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, error);
  }

  private answer(method: string): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: 'UBOT',
          bot_id: 'BBOT',
          team_id: 'T0TEST',
          team: 'test',
          url: 'https://test.slack.com/',
        };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${++this.counter}` } };
      case 'conversations.open':
        return { ok: true, channel: { id: 'D0DIRECT' } };
      case 'files.getUploadURLExternal': {
        const n = ++this.counter;
        return { ok: true, upload_url: `${this.url}/upload/${n}`, file_id: `F${n}` };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1', title: 'export' }] };
      case 'file_upload':
        return { ok: true };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'not_configured' };
      case 'chat.postMessage':
        return { ok: true, channel: 'D0TEST', ts: `${Date.now() / 1000}` };
      default:
        return { ok: true };
    }
  }

  /** Calls of one method (after an index, to look only at what a step caused). */
  of(method: string, since = 0): RecordedCall[] {
    return this.calls.slice(since).filter((call) => call.method === method);
  }

  /** Waits until a call of `method` after index `since` matches, or fails after the timeout. */
  async waitFor(method: string, since = 0, timeoutMs = 5_000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const call = this.of(method, since)[0];
      if (call) return call;
      if (Date.now() > deadline) {
        throw new Error(
          `no ${method} call within ${timeoutMs} ms; calls: ${this.calls
            .slice(since)
            .map((c) => c.method)
            .join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
