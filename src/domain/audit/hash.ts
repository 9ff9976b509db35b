import { createHash, createHmac } from 'node:crypto';

/** The prevHash of the first event in the chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  prevHash: string;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order cannot change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The event's hash over the previous hash and every stored field: HMAC-SHA256 with the audit
 * key (events written since keyed hashing), or plain SHA-256 (older events, `key` omitted).
 */
export function hashAuditEvent(fields: HashedFields, key?: Buffer): string {
  const material = canonicalJson([
    fields.prevHash,
    fields.at.toISOString(),
    fields.actor,
    fields.action,
    fields.subjectType,
    fields.subjectId,
    fields.details,
  ]);
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(material).digest('hex');
}
