/**
 * The embedded PostgreSQL server (src/db/embedded-postgres.ts): a new cluster by initdb and
 * from the npm-install template, an orphaned server left by a killed process, a DATA_DIR
 * too deep for a Unix socket, and a half-made cluster directory. Real servers, no mocks.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareClusterTemplate } from '../../src/db/cluster-template.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { readMigrations } from '../../src/db/migrate.js';

const dirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'custodian-embedded-'));
  chmodSync(dir, 0o755); // as root, the server's user must pass through it
  dirs.push(dir);
  return dir;
}

async function query<Row>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('creates a cluster with initdb on first start: UTF-8, Unicode case mapping, a private password file', async () => {
    const dataDir = newDataDir();
    const server = await startEmbeddedPostgres({ dataDir, durable: false });
    servers.push(server);
    expect(server.created).toBe(true);
    expect(server.url).toContain(`host=${encodeURIComponent(path.join(dataDir, 'postgres-run'))}`);
    const [row] = await query<{ encoding: string; lower: string }>(
      server.url,
      `SELECT current_setting('server_encoding') AS encoding, lower('ÄBC华为') AS lower`,
    );
    expect(row).toEqual({ encoding: 'UTF8', lower: 'äbc华为' });
    expect(statSync(path.join(dataDir, 'postgres.secret')).mode & 0o777).toBe(0o600);
    // Only the Unix socket: no TCP listener.
    const [listen] = await query<{ value: string }>(server.url, `SELECT current_setting('listen_addresses') AS value`);
    expect(listen?.value).toBe('');
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);

    // The second start opens the same cluster.
    const again = await startEmbeddedPostgres({ dataDir, durable: false });
    servers.push(again);
    expect(again.created).toBe(false);
    await again.stop();
  });

  it('a new DATA_DIR is copied from the npm-install template, migrations included', async () => {
    const template = await prepareClusterTemplate();
    const server = await startEmbeddedPostgres({ dataDir: newDataDir(), durable: false, template: template.path });
    servers.push(server);
    expect(server.created).toBe(true);
    const rows = await query<{ migration_name: string }>(
      server.url,
      'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual((await readMigrations()).map((m) => m.name));
    await server.stop();
  });

  it('a server orphaned by a killed process is stopped, and exactly one new server runs', async () => {
    const dataDir = newDataDir();
    const orphan = await startEmbeddedPostgres({ dataDir, durable: false });
    // Not stopped: as after `kill -9` of the process that started it.
    const events: string[] = [];
    const next = await startEmbeddedPostgres({ dataDir, durable: false, onEvent: (message) => events.push(message) });
    servers.push(next);
    expect(events).toContain('stopped an orphaned embedded PostgreSQL server left by an earlier run');
    expect(isAlive(orphan.pid)).toBe(false);
    expect(next.pid).not.toBe(orphan.pid);
    expect(await query(next.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await next.stop();
  });

  it('a DATA_DIR too deep for a Unix socket path gets a free loopback port instead, never 5432', async () => {
    const deep = path.join(newDataDir(), 'a'.repeat(40), 'b'.repeat(40));
    mkdirSync(deep, { recursive: true });
    for (let dir = deep; dir.length > tmpdir().length + 1; dir = path.dirname(dir)) chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: deep, durable: false });
    servers.push(server);
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe('5432');
    expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await server.stop();
  });

  it("the server's processes get none of the bot's environment (the Slack tokens stay in the bot)", async () => {
    process.env.CUSTODIAN_TEST_TOKEN = 'xoxb-must-not-leak';
    try {
      const server = await startEmbeddedPostgres({ dataDir: newDataDir(), durable: false });
      servers.push(server);
      const environ = readFileSync(`/proc/${server.pid}/environ`, 'utf8');
      expect(environ).not.toContain('xoxb-must-not-leak');
      expect(environ).toContain('PATH=');
      await server.stop();
    } finally {
      delete process.env.CUSTODIAN_TEST_TOKEN;
    }
  });

  it('a postmaster.pid naming a live process that is not this cluster’s server (a reused pid) is left alone', async () => {
    const dataDir = newDataDir();
    const first = await startEmbeddedPostgres({ dataDir, durable: false });
    await first.stop();
    const bystander = spawn('sleep', ['30']);
    try {
      const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
      writeFileSync(pidFile, `${bystander.pid}\n${path.join(dataDir, 'postgres')}\n`);
      const server = await startEmbeddedPostgres({ dataDir, durable: false });
      servers.push(server);
      expect(isAlive(bystander.pid ?? 0)).toBe(true);
      expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await server.stop();
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('each DATA_DIR copied from the template gets a password of its own', async () => {
    const template = await prepareClusterTemplate();
    const templateSecret = readFileSync(path.join(template.path, 'postgres.secret'), 'utf8').trim();
    const secrets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const dataDir = newDataDir();
      const server = await startEmbeddedPostgres({ dataDir, durable: false, template: template.path });
      servers.push(server);
      secrets.push(readFileSync(path.join(dataDir, 'postgres.secret'), 'utf8').trim());
      const withTemplateSecret = new URL(server.url);
      withTemplateSecret.password = templateSecret;
      await expect(query(withTemplateSecret.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
      expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await server.stop();
    }
    expect(new Set([...secrets, templateSecret]).size).toBe(3);
  });

  it('a DATA_DIR with Chinese characters and a comma in its path still starts', async () => {
    const dataDir = path.join(newDataDir(), '客户档案,数据');
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    const server = await startEmbeddedPostgres({ dataDir, durable: false });
    servers.push(server);
    expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await server.stop();
  });

  it('refuses a postgres/ directory that holds no cluster, naming it, and changes nothing', async () => {
    const dataDir = newDataDir();
    mkdirSync(path.join(dataDir, 'postgres'));
    await expect(startEmbeddedPostgres({ dataDir, durable: false })).rejects.toThrow(
      `${path.join(dataDir, 'postgres')} exists but holds no PostgreSQL cluster`,
    );
  });
});
