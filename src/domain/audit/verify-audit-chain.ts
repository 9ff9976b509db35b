import type { Db } from '../context.js';
import { GENESIS_HASH, hashAuditEvent } from './hash.js';

export type AuditChainReport =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: string; reason: 'prev_hash_mismatch' | 'hash_mismatch' };

const BATCH = 2_000;

/**
 * Walks the chain from the first event and recomputes every hash. Reports the first event
 * whose stored hash does not match its contents (it was changed) or whose prevHash does not
 * match the event before it (an event was removed or inserted).
 */
export async function verifyAuditChain(db: Db): Promise<AuditChainReport> {
  let expectedPrev = GENESIS_HASH;
  let cursor: bigint | undefined;
  let events = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      orderBy: { id: 'asc' },
      take: BATCH,
      ...(cursor !== undefined && { where: { id: { gt: cursor } } }),
    });
    for (const event of batch) {
      events++;
      if (event.prevHash !== expectedPrev) {
        return { ok: false, events, brokenAt: event.id.toString(), reason: 'prev_hash_mismatch' };
      }
      const recomputed = hashAuditEvent({ ...event, details: event.details });
      if (recomputed !== event.hash) {
        return { ok: false, events, brokenAt: event.id.toString(), reason: 'hash_mismatch' };
      }
      expectedPrev = event.hash;
    }
    if (batch.length < BATCH) return { ok: true, events };
    cursor = batch[batch.length - 1]?.id;
  }
}
