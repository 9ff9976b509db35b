import type { Tx } from '../context.js';
import { auditKey } from './audit-key.js';
import { GENESIS_HASH, hashAuditEvent } from './hash.js';

/** Serialises appends so each event links to the one before it, across replicas. */
const AUDIT_CHAIN_LOCK_KEY = 72_707_370;

export interface AuditEventInput {
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one event to the hash chain. Call it inside the transaction that makes the change
 * it records, so the change and its audit commit or roll back together.
 */
export async function appendAuditEvent(tx: Tx, input: AuditEventInput): Promise<void> {
  await appendAuditEvents(tx, [input]);
}

/** Appends several events in order with one lock and one insert (a search revealing ten customers). */
export async function appendAuditEvents(tx: Tx, inputs: readonly AuditEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const key = auditKey();
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = inputs.map((input) => {
    // Round-trip through JSON so what we hash is exactly what jsonb will give back.
    const details = JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>;
    const fields = {
      prevHash,
      at: input.at,
      actor: input.actor,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId ?? null,
      details,
    };
    const hash = hashAuditEvent(fields, key);
    prevHash = hash;
    return { ...fields, details: details as object, hash, keyed: true };
  });
  // createMany inserts in the order given, so ids follow the chain.
  await tx.auditEvent.createMany({ data: rows });
}
