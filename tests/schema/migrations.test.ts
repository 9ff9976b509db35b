import { createHash } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { MigrationError, migrate, pgRunner, readMigrations, type SqlRunner } from '../../src/db/migrate.js';
import { diffMigrationsToSchema } from '../../src/db/schema-engine.js';
import { appendAuditEvent } from '../../src/domain/audit/append-audit-event.js';
import { createDatabase } from '../helpers/db.js';

/** An empty database on the test run's server, as a migration runner and a query function. */
async function emptyDatabase() {
  const database = await createDatabase('empty');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const runner: SqlRunner = pgRunner(client);
  return {
    runner,
    url: database.url,
    query: <Row>(sql: string, params: unknown[] = []) => runner.query<Row>(sql, params),
    exec: (sql: string) => runner.exec(sql),
    async close() {
      await client.end();
      await database.drop();
    },
  };
}

describe('migrations', () => {
  it('prisma/schema.prisma and the migrations agree (no drift)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  }, 120_000);

  it('applies pending migrations once and records them as Prisma does', async () => {
    const db = await emptyDatabase();
    const files = await readMigrations();
    expect(await migrate(db.runner)).toEqual({ applied: files.map((f) => f.name), alreadyApplied: 0 });
    expect(await migrate(db.runner)).toEqual({ applied: [], alreadyApplied: files.length });
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows[0]?.checksum).toBe(
      createHash('sha256')
        .update(files[0]?.sql ?? '')
        .digest('hex'),
    );
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    await db.close();
  });

  it('moving search text into CustomerSearch keeps existing customers findable', async () => {
    const db = await emptyDatabase();
    const [init, ...rest] = await readMigrations();
    if (!init) throw new Error('no migrations');
    await migrate(db.runner, [init]);
    await db.exec(`
      INSERT INTO "Person" ("slackUserId", roles, "updatedAt") VALUES ('U1', '{sales}', now());
      INSERT INTO "Customer" (code, name, "nameKey", kind, "legalRepresentative", address, "postalCode", phone,
        "secrecyLevel", "searchText", "ownerId", "createdById", "updatedAt")
      VALUES ('KH-2026-0001', '华为', '华为', 'dealer', '赵明', '深圳', '518129', '0755-1234567', 'restricted',
        '华为|kh-2026-0001|07551234567|huawei|hw', 1, 1, now());`);
    await migrate(db.runner, [init, ...rest]);
    const rows = await db.query('SELECT "customerId", "searchText", "secrecyLevel" FROM "CustomerSearch"');
    // The name left the search text later (search_grams): it is matched by its key and pieces.
    expect(rows).toEqual([
      { customerId: 1, searchText: 'kh-2026-0001|07551234567|huawei|hw', secrecyLevel: 'restricted' },
    ]);
    const pieces = await db.query<{ gram: string }>(
      'SELECT gram FROM "CustomerSearchGram" WHERE "customerId" = 1 ORDER BY gram',
    );
    expect(pieces.map((p) => p.gram).sort()).toEqual(['^华', '^华为', '为'].sort());
    await db.close();
  });

  it('ARCH-23: inspections opened by incidents before codes existed get JC codes in order, and new ones follow', async () => {
    const db = await emptyDatabase();
    const all = await readMigrations();
    const at = all.findIndex((m) => m.name.endsWith('_inspections'));
    await migrate(db.runner, all.slice(0, at));
    await db.exec(`
      INSERT INTO "Person" ("slackUserId", roles, "updatedAt") VALUES ('U1', '{sales}', now());
      INSERT INTO "Incident" (code, cause, description, "howDiscovered", remedy, "periodFrom", "periodTo",
        "reportedById", "reportedAt")
      VALUES ('SJ-2026-0001', 'fire', '库房起火', '值班发现', '灭火', '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z',
        1, '2026-05-01T00:00:00Z');
      INSERT INTO "Inspection" (reason, "incidentId", "requestedAt") VALUES
        ('fire', 1, '2026-05-01T00:00:00Z'), ('damage', 1, '2026-06-01T00:00:00Z'), ('loss', 1, '2027-01-02T00:00:00Z');`);
    await migrate(db.runner, all);
    const rows = await db.query<{ code: string; kind: string }>('SELECT code, kind FROM "Inspection" ORDER BY id');
    expect(rows).toEqual([
      { code: 'JC-2026-0001', kind: 'event' },
      { code: 'JC-2026-0002', kind: 'event' },
      { code: 'JC-2027-0001', kind: 'event' },
    ]);
    const counters = await db.query<{ scope: string; last: number }>(
      `SELECT scope, last FROM "CodeCounter" WHERE scope LIKE 'inspection:%' ORDER BY scope`,
    );
    expect(counters).toEqual([
      { scope: 'inspection:2026', last: 2 },
      { scope: 'inspection:2027', last: 1 },
    ]);
    await db.close();
  });

  it('openDatabase with DATABASE_URL migrates an external server on first start and takes enum arrays at once', async () => {
    const empty = await createDatabase('empty');
    const db = await openDatabase({ databaseUrl: empty.url, dataDir: '/nonexistent', command: 'test' });
    try {
      expect(db.kind).toBe('external');
      expect(db.migration.applied).toEqual((await readMigrations()).map((f) => f.name));
      await db.prisma.person.create({ data: { slackUserId: 'U1', roles: ['dept_head', 'sales'] } });
      const found = await db.prisma.person.findMany({ where: { roles: { hasSome: ['dept_head'] } } });
      expect(found.map((p) => p.roles)).toEqual([['dept_head', 'sales']]);
    } finally {
      await db.close();
      await empty.drop();
    }
  });

  it('SEC-16: the bot runs as a role that only appends to the audit trail and cannot switch its protections off', async () => {
    const database = await createDatabase('empty');
    const db = await openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', command: 'test' });
    try {
      const [who] = await db.prisma.$queryRaw<{ user: string }[]>`SELECT current_user AS "user"`;
      expect(who?.user).toBe('custodian_app');
      await db.prisma.$transaction((tx) =>
        appendAuditEvent(tx, { at: new Date(), actor: 'U1', action: 'customer.viewed', subjectType: 'customer' }),
      );
      expect(await db.prisma.auditEvent.count()).toBe(1);
      for (const sql of [
        'UPDATE "AuditEvent" SET actor = \'UMALLORY\'',
        'DELETE FROM "AuditEvent"',
        'TRUNCATE "AuditEvent"',
        'ALTER TABLE "AuditEvent" DISABLE TRIGGER USER',
        'SET session_replication_role = replica',
        'DELETE FROM "_prisma_migrations"',
      ]) {
        await expect(db.prisma.$executeRawUnsafe(sql), sql).rejects.toThrow(/permission denied|must be owner/);
      }
      expect(await db.prisma.auditEvent.count()).toBe(1);
      // The rest of the ledger is the bot's to write.
      await db.prisma.person.create({ data: { slackUserId: 'U2', roles: ['sales'] } });
    } finally {
      await db.close();
      await database.drop();
    }
  });

  it('a connection the server closes is replaced: the bot neither crashes nor stops answering', async () => {
    const database = await createDatabase();
    const events: string[] = [];
    const db = await openDatabase({
      databaseUrl: database.url,
      dataDir: '/nonexistent',
      command: 'test',
      onEvent: (message) => events.push(message),
    });
    try {
      expect(await db.prisma.person.count()).toBe(0);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      await admin.end();
      for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events).toContain('a database connection was closed by the server');
      expect(await db.prisma.person.count()).toBe(0);
    } finally {
      await db.close();
      await database.drop();
    }
  });

  it('refuses to run past a migration that was edited after it was applied', async () => {
    const db = await emptyDatabase();
    const files = await readMigrations();
    await migrate(db.runner, files);
    const edited = files.map((f, i) => (i === 0 ? { ...f, sql: `${f.sql}\n-- edited`, checksum: 'x'.repeat(64) } : f));
    await expect(migrate(db.runner, edited)).rejects.toBeInstanceOf(MigrationError);
    await db.close();
  });

  it('a failing migration changes nothing and is not recorded', async () => {
    const db = await emptyDatabase();
    const files = await readMigrations();
    const broken = {
      name: '99999999999999_broken',
      sql: 'CREATE TABLE "Half" (id int); SELECT * FROM "Missing";',
      checksum: 'y'.repeat(64),
    };
    await expect(migrate(db.runner, [...files, broken])).rejects.toThrow(/Missing/);
    const recorded = await db.query('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1', [broken.name]);
    expect(recorded).toEqual([]);
    const half = await db.query(`SELECT to_regclass('"Half"') AS t`);
    expect(half).toEqual([{ t: null }]);
    await db.close();
  });
});
