/**
 * Global setup of the test run: one embedded PostgreSQL server (the same code `npm start`
 * uses, src/db/embedded-postgres.ts) in a temporary DATA_DIR, with a migrated template
 * database that each test file copies (CREATE DATABASE … TEMPLATE). Stopped and deleted
 * at the end of the run.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { prepareClusterTemplate } from '../../src/db/cluster-template.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate, pgRunner } from '../../src/db/migrate.js';

export const TEMPLATE_DATABASE = 'custodian_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the server's `postgres` database (for CREATE/DROP DATABASE). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'custodian-test-pg-'));
  // mkdtemp makes the directory 0700; as root the server's user must pass through it.
  chmodSync(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir,
    durable: false,
    template: (await prepareClusterTemplate()).path,
  });
  const stop = async () => {
    try {
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    // Each test database is registered here, so the run can prove the database part ran.
    await admin.query(
      'CREATE TABLE custodian_test_databases (name text PRIMARY KEY, created_at timestamptz DEFAULT now())',
    );
    await admin.end();
    const template = new pg.Client({ connectionString: server.urlFor(TEMPLATE_DATABASE) });
    await template.connect();
    await migrate(pgRunner(template));
    await template.end();
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('postgresUrl', server.urlFor('postgres'));
  return async () => {
    try {
      const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
      await admin.connect();
      const { rows } = await admin.query<{ count: string }>('SELECT count(*) FROM custodian_test_databases');
      await admin.end();
      const used = Number(rows[0]?.count ?? 0);
      console.log(`PostgreSQL: ${used} test databases were created and used.`);
      // .ci/run reads this to fail when the database part silently did not run.
      // Each project has its own server: the report adds them up.
      if (process.env.POSTGRES_REPORT) {
        const report = process.env.POSTGRES_REPORT;
        const before = existsSync(report)
          ? Number((JSON.parse(readFileSync(report, 'utf8') || '{}') as { databases?: number }).databases ?? 0)
          : 0;
        writeFileSync(report, JSON.stringify({ databases: before + used }));
      }
    } finally {
      await stop();
    }
  };
}
