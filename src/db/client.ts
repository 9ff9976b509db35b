/**
 * Opens the ledger: the embedded PostgreSQL server in DATA_DIR by default
 * (src/db/embedded-postgres.ts), an external PostgreSQL when DATABASE_URL is set. Both are
 * reached the same way (`pg` pool + `@prisma/adapter-pg`); the database is migrated before
 * the client is returned.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import { clusterTemplatePath } from './cluster-template.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { type MigrateResult, migrate, pgRunner } from './migrate.js';
import { ensureRuntimeRole, runtimeUrl } from './runtime-role.js';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: 'embedded' | 'external';
  migration: MigrateResult;
  /** Whether this start created the embedded cluster (always false for an external server). */
  created: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Named in DATA_DIR's lock file so a refused process knows who holds the embedded database. */
  command: string;
  /** Told about the embedded server's notable events (a new cluster, an orphan stopped). */
  onEvent?: (message: string, fields?: Record<string, unknown>) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return connect(options.databaseUrl, 'external', options.onEvent);
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // One process owns DATA_DIR and its server at a time: a second one is refused, naming it.
  const release = acquireDataDirLock(path.join(dataDir, 'custodian.lock'), options.command);
  let server: EmbeddedPostgres | undefined;
  try {
    // On an existing cluster the server is spawned before this function first yields, so it
    // starts while `pg`, Prisma and the caller's modules load (bench/README.md, startup).
    const clusterExists = existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'));
    const starting = startEmbeddedPostgres({
      dataDir,
      ...(!clusterExists && { template: clusterTemplatePath() }),
      ...(options.onEvent && { onEvent: options.onEvent }),
    });
    starting.catch(() => {}); // awaited just below
    loadPg().catch(() => {}); // meanwhile; awaited (and any failure reported) by connect()
    server = await starting;
    const embedded = server;
    return await connect(embedded.url, 'embedded', options.onEvent, embedded.created, async () => {
      await embedded.stop();
      release();
    });
  } catch (error) {
    await server?.stop().catch(() => {});
    release();
    throw error;
  }
}

let pgModule: Promise<typeof pg> | undefined;
/** `pg`, imported on first use: not before the embedded server has been spawned. */
function loadPg(): Promise<typeof pg> {
  pgModule ??= import('pg').then((module) => module.default);
  return pgModule;
}

async function newPool(url: string, onEvent: OpenDatabaseOptions['onEvent']): Promise<pg.Pool> {
  const pg = await loadPg();
  // The bot's queries are small; a parallel plan's worker start-up costs more than it saves
  // (measured: a 20 ms search scan became 75 ms with two workers on a 2-core machine).
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c max_parallel_workers_per_gather=0' });
  // An idle connection the server closes (a restart, a terminated backend, the embedded
  // server stopping) is an 'error' event on the pool: unhandled, it would end the process.
  // The pool replaces the connection; the next query reconnects.
  pool.on('error', (error) => onEvent?.('a database connection was closed by the server', { error: error.message }));
  return pool;
}

/**
 * The pool the bot's queries use: the runtime role's (runtime-role.ts). An external server
 * whose user may not create roles keeps the bot on that user, and says so.
 */
async function runtimePool(
  owner: pg.PoolClient,
  ownerUrl: string,
  onEvent: OpenDatabaseOptions['onEvent'],
): Promise<pg.Pool> {
  // The role is the whole server's: two databases set up at once may collide (tuple
  // concurrently updated, role exists); a second try sees the other's work.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureRuntimeRole(owner, ownerUrl);
      break;
    } catch (error) {
      if (attempt < 3) continue;
      onEvent?.('the runtime role could not be set up: the bot runs as the migration role (see README, Database)', {
        error: (error as Error).message,
      });
      return await newPool(ownerUrl, onEvent);
    }
  }
  const pool = await newPool(runtimeUrl(ownerUrl), onEvent);
  const check = await pool.connect();
  check.release();
  return pool;
}

async function connect(
  url: string,
  kind: Database['kind'],
  onEvent: OpenDatabaseOptions['onEvent'],
  created = false,
  afterClose: () => Promise<void> = async () => {},
): Promise<Database> {
  const pool = await newPool(url, onEvent);
  // Prisma's modules load while the migrations are checked (imported here, not at the top,
  // so that the embedded server also starts while they load).
  const prismaModules = Promise.all([import('../generated/prisma/client.js'), import('@prisma/adapter-pg')]);
  prismaModules.catch(() => {});
  let migration: MigrateResult;
  let runtime = pool;
  try {
    const connection = await pool.connect();
    try {
      migration = await migrate(pgRunner(connection));
      runtime = await runtimePool(connection, url, onEvent);
    } finally {
      connection.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  // The owner's pool was for the migrations; the bot's queries use the runtime role's.
  if (runtime !== pool) await pool.end();
  const [{ PrismaClient }, { PrismaPg }] = await prismaModules;
  // A burst of audited requests queues on the audit chain's lock; Prisma's default 2 s wait
  // for a transaction to start turned such a burst into errors (P2028) on a slow machine.
  let closing: Promise<void> | undefined;
  const prisma = new PrismaClient({
    adapter: new PrismaPg(runtime),
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  return {
    prisma,
    kind,
    migration,
    created,
    // Idempotent: a signal may close the database while a command is still closing it.
    close() {
      closing ??= (async () => {
        await prisma.$disconnect();
        await runtime.end();
        await afterClose();
      })();
      return closing;
    },
  };
}
