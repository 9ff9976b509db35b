import { describe, expect, it, onTestFinished } from 'vitest';
import { appendAuditEvent, appendAuditEvents } from '../../src/domain/audit/append-audit-event.js';
import { verifyAuditChain } from '../../src/domain/audit/verify-audit-chain.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { NOW } from '../helpers/fixtures.js';

/**
 * A database of the test's own holding five chained events and nothing else: the chain is
 * verified from its first event over the whole table, and tampering breaks it for good.
 */
async function auditedDb(): Promise<TestDb> {
  const db = await createTestDb();
  onTestFinished(() => db.close());
  for (let i = 0; i < 5; i++) {
    await db.prisma.$transaction((tx) =>
      appendAuditEvent(tx, {
        at: new Date(NOW.getTime() + i * 1000),
        actor: 'UTEST',
        action: 'customer.viewed',
        subjectType: 'customer',
        subjectId: `KH-2026-000${i + 1}`,
        details: { level: 'confidential', nested: { z: 1, a: ['x', 2] }, 名称: '华为' },
      }),
    );
  }
  return db;
}

/** Runs SQL with triggers disabled, as an attacker with database access could. */
async function tamper(db: TestDb, sql: string) {
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
    await tx.$executeRawUnsafe(sql);
  });
}

describe('the audit trail (SEC-16)', () => {
  it('SEC-16: events form a chain that verifies', async () => {
    const db = await auditedDb();
    expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, events: 5 });
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
  });

  it('SEC-16: several events appended at once (one search revealing several customers) chain in order', async () => {
    const db = await auditedDb();
    await db.prisma.$transaction((tx) =>
      appendAuditEvents(
        tx,
        ['KH-2026-0007', 'KH-2026-0008', 'KH-2026-0009'].map((code) => ({
          at: NOW,
          actor: 'UTEST',
          action: 'customer.viewed',
          subjectType: 'customer',
          subjectId: code,
          details: { via: 'find' },
        })),
      ),
    );
    const last = await db.prisma.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 3 });
    expect(last.map((e) => e.subjectId).reverse()).toEqual(['KH-2026-0007', 'KH-2026-0008', 'KH-2026-0009']);
    expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, events: 8 });
  });

  it('SEC-16: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const db = await auditedDb();
    await expect(db.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET actor = 'UOTHER'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow();
    expect(await db.prisma.auditEvent.count()).toBe(5);
    expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, events: 5 });
  });

  it('SEC-16 STAT-18: a row changed behind the trigger is detected at that row', async () => {
    const db = await auditedDb();
    const third = (await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } }))[2];
    await tamper(db, `UPDATE "AuditEvent" SET actor = 'UMALLORY' WHERE id = ${third?.id}`);
    expect(await verifyAuditChain(db.prisma)).toEqual({
      ok: false,
      events: 3,
      brokenAt: String(third?.id),
      reason: 'hash_mismatch',
    });
    await tamper(db, `UPDATE "AuditEvent" SET actor = 'UTEST' WHERE id = ${third?.id}`);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('SEC-16: a deleted row is detected at the event after it', async () => {
    const db = await auditedDb();
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    await tamper(db, `DELETE FROM "AuditEvent" WHERE id = ${events[1]?.id}`);
    expect(await verifyAuditChain(db.prisma)).toEqual({
      ok: false,
      events: 2,
      brokenAt: String(events[2]?.id),
      reason: 'prev_hash_mismatch',
    });
  });
});
