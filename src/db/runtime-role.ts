/**
 * SEC-16: the bot does not run as the role that owns the tables. Migrations run as the owner
 * (the embedded server's superuser, or DATABASE_URL's user); the bot's queries run as
 * `custodian_app`, which may read and write the ledger but only INSERT and SELECT the audit
 * trail — it cannot UPDATE, DELETE or TRUNCATE it, nor disable its triggers (that takes the
 * owner), nor switch them off for a session (that takes a superuser).
 *
 * Its password is derived from the owner's (HMAC), so every replica computes the same one
 * and nothing more is stored. Re-applied at every start, after the migrations, so new tables
 * are covered.
 */
import { createHmac } from 'node:crypto';
import type pg from 'pg';

export const RUNTIME_ROLE = 'custodian_app';

export function runtimePassword(ownerUrl: string): string {
  const owner = new URL(ownerUrl);
  return createHmac('sha256', `${owner.username}:${decodeURIComponent(owner.password)}`)
    .update(RUNTIME_ROLE)
    .digest('hex');
}

/** The owner's URL with the runtime role's name and password. */
export function runtimeUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = RUNTIME_ROLE;
  url.password = runtimePassword(ownerUrl);
  return url.toString();
}

/** Creates (or updates) the runtime role and its grants; the owner runs it after migrating. */
export async function ensureRuntimeRole(owner: pg.PoolClient, ownerUrl: string): Promise<void> {
  // Replicas (and parallel test files) starting together: one at a time, the others see the role.
  await owner.query('BEGIN');
  try {
    await owner.query(`SELECT pg_advisory_xact_lock(${RUNTIME_ROLE_LOCK})`);
    await grantRuntimeRole(owner, ownerUrl);
    await owner.query('COMMIT');
  } catch (error) {
    await owner.query('ROLLBACK');
    throw error;
  }
}

const RUNTIME_ROLE_LOCK = 72_707_371;

async function grantRuntimeRole(owner: pg.PoolClient, ownerUrl: string): Promise<void> {
  const password = runtimePassword(ownerUrl).replace(/'/g, "''");
  await owner.query(`DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
    CREATE ROLE ${RUNTIME_ROLE} LOGIN;
  END IF;
END $$`);
  await owner.query(
    `ALTER ROLE ${RUNTIME_ROLE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`,
  );
  const database = (await owner.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
  await owner.query(`GRANT CONNECT ON DATABASE "${database.replace(/"/g, '""')}" TO ${RUNTIME_ROLE}`);
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${RUNTIME_ROLE}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${RUNTIME_ROLE}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${RUNTIME_ROLE}`);
  // The audit trail is append-only for the bot; the migrations table is the owner's.
  await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "AuditEvent" FROM ${RUNTIME_ROLE}`);
  await owner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM ${RUNTIME_ROLE}`);
}
