/**
 * Opens the ledger: embedded PGlite in DATA_DIR by default, PostgreSQL when DATABASE_URL is
 * set. Same schema, same migrations; the database is migrated before the client is returned.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { type MigrateResult, migrate, type SqlRunner } from './migrate.js';

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
    const client = await PGlite.create(path.join(dir, 'pglite'));
    const migration = await migrate(pgliteRunner(client));
    // PGlite learns the database's array types when it starts; types that migrations just
    // created (Role[] among them) would otherwise be sent as malformed array literals.
    if (migration.applied.length > 0) await client.refreshArrayTypes();
    const prisma = new PrismaClient({
      adapter: new PrismaPGlite(client),
      transactionOptions: PGLITE_TRANSACTION_OPTIONS,
    });
    return {
      prisma,
      kind: 'pglite',
      migration,
      async close() {
        await prisma.$disconnect();
        await client.close();
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
