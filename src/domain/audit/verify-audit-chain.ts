import type { Db } from '../context.js';
import { GENESIS_HASH, hashAuditEvent } from './hash.js';

/**
 * The chain's head as seen at one moment, kept outside the database (a file in DATA_DIR and
 * a post in the archive channel): a later rewrite of history, or the loss of its tail, no
 * longer matches what was witnessed.
 */
export interface AuditWitness {
  at: string;
  /** How many events the chain had. */
  events: number;
  lastId: string;
  hash: string;
}

export type AuditBreak =
  /** An event's contents do not match its hash (changed, or inserted without the key). */
  | 'hash_mismatch'
  /** An event's link does not match the event before it (one removed or inserted). */
  | 'prev_hash_mismatch'
  /** An event hashed without the key after keyed hashing began: written around the bot. */
  | 'unkeyed_after_keyed'
  /** The chain disagrees with a witness: history before it was rewritten, or its tail removed. */
  | 'witness_mismatch';

export type AuditChainReport =
  | { ok: true; events: number; witnessesChecked: number }
  | {
      ok: false;
      events: number;
      /** The first event that cannot be trusted (its id), or null when it was removed. */
      brokenAt: string | null;
      reason: AuditBreak;
      /** The last witness the chain still agrees with; events up to it are as witnessed. */
      lastGoodWitness: AuditWitness | null;
    };

const BATCH = 2_000;

/**
 * Walks the chain from the first event and recomputes every hash (HMAC with `key` for keyed
 * events, SHA-256 for those written before keyed hashing), and checks it against each
 * witness. Reports the first event that cannot be trusted: the first whose hash or link does
 * not match, or, when a witness disagrees, the first event after the last good witness.
 *
 * What it proves: without the key nobody can add, change or remove an event unnoticed
 * (changes break a hash, removals a link, additions need the key); with the key but not the
 * witnesses, history up to the last witness cannot be rewritten or cut unnoticed. What it
 * cannot: events written after the last witness by someone holding the key, or a database
 * replaced wholesale together with every copy of the witnesses.
 */
export async function verifyAuditChain(
  db: Db,
  options: { key?: Buffer; witnesses?: readonly AuditWitness[] } = {},
): Promise<AuditChainReport> {
  const witnesses = [...(options.witnesses ?? [])].sort((a, b) => a.events - b.events);
  let nextWitness = 0;
  let lastGood: AuditWitness | null = null;
  let expectedPrev = GENESIS_HASH;
  let keyedSeen = false;
  let cursor: bigint | undefined;
  let events = 0;
  const broken = (brokenAt: string | null, reason: AuditBreak): AuditChainReport => ({
    ok: false,
    events,
    brokenAt,
    reason,
    lastGoodWitness: lastGood,
  });
  let firstAfterGood: string | null = null;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      orderBy: { id: 'asc' },
      take: BATCH,
      ...(cursor !== undefined && { where: { id: { gt: cursor } } }),
    });
    for (const event of batch) {
      events++;
      const id = event.id.toString();
      if (firstAfterGood === null) firstAfterGood = id;
      if (event.prevHash !== expectedPrev) return broken(id, 'prev_hash_mismatch');
      if (keyedSeen && !event.keyed) return broken(id, 'unkeyed_after_keyed');
      if (event.keyed && !options.key) throw new Error('the chain is keyed: verifying it needs the audit key');
      const recomputed = hashAuditEvent({ ...event, details: event.details }, event.keyed ? options.key : undefined);
      if (recomputed !== event.hash) return broken(id, 'hash_mismatch');
      keyedSeen ||= event.keyed;
      expectedPrev = event.hash;
      // Several witnesses may name the same head (no events in between): each must agree.
      for (let witness = witnesses[nextWitness]; witness?.events === events; witness = witnesses[nextWitness]) {
        if (witness.lastId !== id || witness.hash !== event.hash) return broken(firstAfterGood, 'witness_mismatch');
        lastGood = witness;
        firstAfterGood = null;
        nextWitness++;
      }
    }
    if (batch.length < BATCH) break;
    cursor = batch[batch.length - 1]?.id;
  }
  // A witness of more events than the chain has: its tail was removed.
  if (nextWitness < witnesses.length) return broken(firstAfterGood, 'witness_mismatch');
  return { ok: true, events, witnessesChecked: witnesses.length };
}

/** The chain's head now, to be witnessed. */
export async function auditChainHead(db: Db, now: Date): Promise<AuditWitness | null> {
  const last = await db.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } });
  if (!last) return null;
  const events = await db.auditEvent.count({ where: { id: { lte: last.id } } });
  return { at: now.toISOString(), events, lastId: last.id.toString(), hash: last.hash };
}
