/**
 * Applies prisma/migrations without Prisma's native engine (which cannot be downloaded
 * here). Each pending migration runs in its own transaction under an advisory lock, so
 * replicas starting together apply it once, and is recorded in `_prisma_migrations`
 * exactly as Prisma records it (checksum = sha256 of the file), so `prisma migrate deploy`
 * agrees wherever the native engine exists.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { MIGRATIONS_DIR } from './paths.js';

/** The few operations the runner needs, over PGlite or a pg connection. */
export interface SqlRunner {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
  transaction(fn: (tx: SqlRunner) => Promise<void>): Promise<void>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {}

/** Arbitrary but fixed: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 72_707_369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** readMigrations, synchronously (a few dozen small files). */
export function readMigrationsSync(dir = MIGRATIONS_DIR): MigrationFile[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return names.map((name) => {
    const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Applies every pending migration in order. Refuses to continue past a failed or edited one. */
export async function migrate(db: SqlRunner, migrations?: MigrationFile[]): Promise<MigrateResult> {
  const files = migrations ?? (await readMigrations());
  await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await db.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const recorded = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const file of files) {
      const row = recorded.get(file.name);
      if (row) {
        if (row.finished_at === null) {
          throw new MigrationError(
            `Migration ${file.name} started earlier but never finished; repair the database by hand.`,
          );
        }
        if (row.checksum !== file.checksum) {
          throw new MigrationError(`Migration ${file.name} was edited after it was applied (checksum differs).`);
        }
        continue;
      }
      await db.transaction(async (tx) => {
        // Not waiting for the commit's flush is safe here: a migration lost in a crash is
        // not recorded either, and is applied again at the next start.
        await tx.exec('SET LOCAL synchronous_commit = off');
        await tx.exec(file.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), file.checksum, file.name],
        );
      });
      applied.push(file.name);
    }
    return { applied, alreadyApplied: files.length - applied.length };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

/** A SqlRunner over one `pg` connection. */
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
