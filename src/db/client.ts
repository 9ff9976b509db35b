/**
 * Opens the ledger: embedded PGlite in DATA_DIR by default, PostgreSQL when DATABASE_URL is
 * set. Same schema, same migrations; the database is migrated before the client is returned.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { type MigrateResult, migrate, type SqlRunner } from './migrate.js';
import { startPgliteThread } from './pglite-thread.js';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  migration: MigrateResult;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Named in the lock file so a refused process knows who holds the embedded database. */
  command: string;
}

/**
 * PGlite runs one transaction at a time; a burst of Slack requests queues behind it, so the
 * default 2 s wait for a transaction slot is too short (P2028 under load).
 */
const PGLITE_TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 20_000 };

export function pgliteRunner(client: PGlite | import('@electric-sql/pglite').Transaction): SqlRunner {
  return {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await client.query<Row>(sql, params)).rows;
    },
    async exec(sql: string) {
      await client.exec(sql);
    },
    async transaction(fn) {
      if (!('transaction' in client)) throw new Error('nested transaction');
      await client.transaction((tx) => fn(pgliteRunner(tx)));
    },
  };
}

export function pgRunner(client: pg.ClientBase): SqlRunner {
  return {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as Row[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        await fn(pgRunner(client));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir, options.command);
}

async function openPglite(dataDir: string, command: string): Promise<Database> {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const release = acquireDataDirLock(path.join(dir, 'pglite.lock'), command);
  try {
    // PGlite runs in its own thread (src/db/pglite-worker.ts), which also migrates it, so
    // its WebAssembly work never holds up the bot's event loop (bench/README.md, acks).
    const thread = await startPgliteThread(path.join(dir, 'pglite'));
    const prisma = new PrismaClient({ adapter: thread.factory, transactionOptions: PGLITE_TRANSACTION_OPTIONS });
    return {
      prisma,
      kind: 'pglite',
      migration: thread.migration,
      async close() {
        await prisma.$disconnect();
        await thread.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function openPostgres(url: string): Promise<Database> {
  // The bot's queries are small; a parallel plan's worker start-up costs more than it saves
  // (measured: a 20 ms search scan became 75 ms with two workers on a 2-core machine).
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c max_parallel_workers_per_gather=0' });
  const connection = await pool.connect();
  let migration: MigrateResult;
  try {
    migration = await migrate(pgRunner(connection));
  } finally {
    connection.release();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: 'postgres',
    migration,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
