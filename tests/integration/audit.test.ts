import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { witnessFile } from '../../src/audit-witnesses.js';
import { t } from '../../src/blocks/i18n/index.js';
import { appendAuditEvent, appendAuditEvents } from '../../src/domain/audit/append-audit-event.js';
import { hashAuditEvent } from '../../src/domain/audit/hash.js';
import { type AuditWitness, auditChainHead, verifyAuditChain } from '../../src/domain/audit/verify-audit-chain.js';
import { auditWitnessJob } from '../../src/jobs/audit-witness.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { NOW } from '../helpers/fixtures.js';
import { TEST_AUDIT_KEY } from '../setup/audit-key.js';

/** `npm run cli -- audit verify`: with the bot's key and the witnesses kept outside the database. */
const verify = (db: TestDb, witnesses: AuditWitness[] = []) =>
  verifyAuditChain(db.prisma, { key: TEST_AUDIT_KEY, witnesses });

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
    expect(await verify(db)).toEqual({ ok: true, events: 5, witnessesChecked: 0 });
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
    expect(await verify(db)).toEqual({ ok: true, events: 8, witnessesChecked: 0 });
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
    expect(await verify(db)).toEqual({ ok: true, events: 5, witnessesChecked: 0 });
  });

  it('SEC-16 STAT-18: a row changed behind the trigger is detected at that row', async () => {
    const db = await auditedDb();
    const third = (await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } }))[2];
    await tamper(db, `UPDATE "AuditEvent" SET actor = 'UMALLORY' WHERE id = ${third?.id}`);
    expect(await verify(db)).toEqual({
      ok: false,
      events: 3,
      brokenAt: String(third?.id),
      reason: 'hash_mismatch',
      lastGoodWitness: null,
    });
    await tamper(db, `UPDATE "AuditEvent" SET actor = 'UTEST' WHERE id = ${third?.id}`);
    expect((await verify(db)).ok).toBe(true);
  });

  it('SEC-16: a deleted row is detected at the event after it', async () => {
    const db = await auditedDb();
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    await tamper(db, `DELETE FROM "AuditEvent" WHERE id = ${events[1]?.id}`);
    expect(await verify(db)).toEqual({
      ok: false,
      events: 2,
      brokenAt: String(events[2]?.id),
      reason: 'prev_hash_mismatch',
      lastGoodWitness: null,
    });
  });

  it('SEC-16: events are keyed with a key outside the database; a forged event hashed like the others is detected', async () => {
    const db = await auditedDb();
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.every((e) => e.keyed)).toBe(true);
    const last = events.at(-1);
    // What an insider with the database but not the key can do: append a plain-SHA-256 event…
    const forged = {
      prevHash: last?.hash ?? '',
      at: NOW,
      actor: 'UINNOCENT',
      action: 'customer.viewed',
      subjectType: 'customer',
      subjectId: 'KH-2026-0001',
      details: { level: 'confidential' },
    };
    await db.prisma.auditEvent.create({ data: { ...forged, hash: hashAuditEvent(forged), keyed: false } });
    expect(await verify(db)).toMatchObject({ ok: false, reason: 'unkeyed_after_keyed' });
    // …or claim it is keyed, with a key they do not have.
    await tamper(db, `DELETE FROM "AuditEvent" WHERE actor = 'UINNOCENT'`);
    const guessed = hashAuditEvent(forged, Buffer.alloc(32, 1));
    await db.prisma.auditEvent.create({ data: { ...forged, hash: guessed, keyed: true } });
    expect(await verify(db)).toMatchObject({ ok: false, reason: 'hash_mismatch' });
  });

  it('SEC-16: deleting the last events with the trigger off is caught by the witness of the longer chain', async () => {
    const db = await auditedDb();
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    const early: AuditWitness = {
      at: NOW.toISOString(),
      events: 3,
      lastId: String(events[2]?.id),
      hash: events[2]?.hash ?? '',
    };
    const late = await auditChainHead(db.prisma, NOW);
    if (!late) throw new Error('no head');
    expect(await verify(db, [early, late])).toEqual({ ok: true, events: 5, witnessesChecked: 2 });
    // The tail removed: the chain itself still verifies, the later witness does not agree.
    await tamper(db, `DELETE FROM "AuditEvent" WHERE id >= ${events[3]?.id}`);
    expect(await verify(db)).toMatchObject({ ok: true, events: 3 });
    expect(await verify(db, [early, late])).toEqual({
      ok: false,
      events: 3,
      brokenAt: null,
      reason: 'witness_mismatch',
      lastGoodWitness: early,
    });
  });

  it('SEC-16: history rewritten and re-hashed with the key is caught at the first event after the last good witness', async () => {
    const db = await auditedDb();
    const early = await auditChainHead(db.prisma, NOW);
    if (!early) throw new Error('no head');
    await db.prisma.$transaction((tx) =>
      appendAuditEvent(tx, { at: NOW, actor: 'UTEST', action: 'customer.viewed', subjectType: 'customer' }),
    );
    const late = await auditChainHead(db.prisma, NOW);
    if (!late) throw new Error('no head');
    // Someone with the database and the key rewrites event 6's actor and re-hashes from there.
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    const sixth = events[5];
    if (!sixth) throw new Error('no sixth event');
    const rewritten = { ...sixth, actor: 'UMALLORY', details: sixth.details };
    const hash = hashAuditEvent(rewritten, TEST_AUDIT_KEY);
    await tamper(db, `UPDATE "AuditEvent" SET actor = 'UMALLORY', hash = '${hash}' WHERE id = ${sixth.id}`);
    expect(await verify(db)).toMatchObject({ ok: true });
    expect(await verify(db, [early, late])).toEqual({
      ok: false,
      events: 6,
      brokenAt: String(sixth.id),
      reason: 'witness_mismatch',
      lastGoodWitness: early,
    });
  });

  it('SEC-16: the audit-witness job keeps the head in DATA_DIR and posts it to the archive channel; verify reads it back', async () => {
    const db = await auditedDb();
    await db.prisma.setting.create({
      data: { key: 'channel.archive', value: 'C0ARCHIVE', updatedAt: NOW, updatedBy: 'UADMIN' },
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'custodian-witness-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const store = witnessFile(dir);
    const posts: { channel: string; text: string }[] = [];
    const outcome = await runJob(
      {
        db: db.prisma,
        logger: createLogger('silent'),
        timeZone: 'Asia/Shanghai',
        defaultLocale: 'zh-CN',
        witnesses: store,
        notifier: {
          post: async (channel, message) => void posts.push({ channel, text: message.text }),
          upload: async () => {},
        },
      },
      auditWitnessJob,
      NOW,
    );
    expect(outcome).toMatchObject({ status: 'done', result: { witnessed: true, kept: true, posted: true, events: 5 } });
    const [witness] = store.read();
    expect(witness).toMatchObject({ events: 5 });
    expect(posts).toEqual([
      {
        channel: 'C0ARCHIVE',
        text: t('zh-CN', 'audit.witness', { events: 5, id: witness?.lastId ?? '', hash: witness?.hash ?? '' }),
      },
    ]);
    expect(await verify(db, store.read())).toEqual({ ok: true, events: 5, witnessesChecked: 1 });
  });
});
