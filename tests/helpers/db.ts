/**
 * A fresh, migrated database per test file, copied from the run's template database on the
 * embedded PostgreSQL server (tests/setup/postgres.ts). The same pool and Prisma adapter as
 * the bot; nothing is mocked.
 */
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { inject } from 'vitest';
import { PrismaClient } from '../../src/generated/prisma/client.js';

export interface TestDb {
  prisma: PrismaClient;
  /** The database URL, for code under test that opens its own connection. */
  url: string;
  close(): Promise<void>;
}

/** The URL of database `name` on the test run's server. */
export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database: a copy of the migrated template, or empty (for migration tests). */
export async function createDatabase(from: 'template' | 'empty' = 'template'): Promise<{
  name: string;
  url: string;
  drop(): Promise<void>;
}> {
  const name = `t_${randomUUID().replace(/-/g, '')}`;
  await admin(async (client) => {
    await client.query(`CREATE DATABASE ${name}${from === 'template' ? ' TEMPLATE custodian_template' : ''}`);
    await client.query('INSERT INTO custodian_test_databases (name) VALUES ($1)', [name]);
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export async function createTestDb(): Promise<TestDb> {
  const database = await createDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // The DROP … WITH (FORCE) below ends connections pool.end() has not finished closing;
  // their 57P01 (admin shutdown) is expected then, and anything else is a real failure.
  let closing = false;
  pool.on('error', (error: Error & { code?: string }) => {
    if (!(closing && error.code === '57P01')) throw error;
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    url: database.url,
    async close() {
      closing = true;
      await prisma.$disconnect();
      await pool.end();
      await database.drop();
    },
  };
}
