/**
 * Global setup of the `postgres` test project: one server for the run, with a migrated
 * template database that each test file copies (CREATE DATABASE … TEMPLATE).
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { pgRunner } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { findPostgresBinaries, startPostgres } from '../helpers/postgres-server.js';

export const TEMPLATE_DATABASE = 'custodian_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const binDir = findPostgresBinaries();
  if (!binDir) throw new Error('PostgreSQL binaries not found (install Debian package postgresql)');
  const server = await startPostgres(binDir);
  try {
    const admin = new pg.Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    // Each test database is registered here, so the run can prove the PostgreSQL part ran.
    await admin.query(
      'CREATE TABLE custodian_test_databases (name text PRIMARY KEY, created_at timestamptz DEFAULT now())',
    );
    await admin.end();
    const template = new pg.Client({ connectionString: server.url(TEMPLATE_DATABASE) });
    await template.connect();
    await migrate(pgRunner(template));
    await template.end();
  } catch (error) {
    server.stop();
    throw error;
  }
  project.provide('postgresUrl', server.url('postgres'));
  return async () => {
    try {
      const admin = new pg.Client({ connectionString: server.url('postgres') });
      await admin.connect();
      const { rows } = await admin.query<{ count: string }>('SELECT count(*) FROM custodian_test_databases');
      await admin.end();
      const used = Number(rows[0]?.count ?? 0);
      console.log(`PostgreSQL project: ${used} test databases were created and used.`);
      // .ci/run reads this to fail when the PostgreSQL part silently did not run.
      if (process.env.POSTGRES_REPORT) writeFileSync(process.env.POSTGRES_REPORT, JSON.stringify({ databases: used }));
    } finally {
      server.stop();
    }
  };
}
