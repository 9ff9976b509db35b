/**
 * A fresh, migrated database per test file: an in-memory PGlite cloned from a migrated
 * template (default), or a PostgreSQL database copied from the template database when the
 * `postgres` project runs. Same Prisma client either way; nothing is mocked.
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { inject } from 'vitest';
import { pgliteRunner } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';

export type DatabaseKind = 'pglite' | 'postgres';

export const TEST_DATABASE: DatabaseKind = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';

export interface TestDb {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** The database URL (postgres only), for code under test that opens its own connection. */
  url?: string;
  close(): Promise<void>;
}

let pgliteTemplate: Promise<PGlite> | undefined;

function migratedPgliteTemplate(): Promise<PGlite> {
  pgliteTemplate ??= (async () => {
    const template = await PGlite.create();
    await migrate(pgliteRunner(template));
    return template;
  })();
  return pgliteTemplate;
}

export async function createTestDb(): Promise<TestDb> {
  if (TEST_DATABASE === 'postgres') return createPostgresDb();
  const client = (await (await migratedPgliteTemplate()).clone()) as PGlite;
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(client),
    transactionOptions: { maxWait: 15_000, timeout: 20_000 },
  });
  return {
    prisma,
    kind: 'pglite',
    async close() {
      await prisma.$disconnect();
      await client.close();
    },
  };
}

async function createPostgresDb(): Promise<TestDb> {
  const serverUrl = inject('postgresUrl');
  const name = `t_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE custodian_template`);
  await admin.query('INSERT INTO custodian_test_databases (name) VALUES ($1)', [name]);
  await admin.end();
  const url = serverUrl.replace(/\/postgres$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: 'postgres',
    url,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
