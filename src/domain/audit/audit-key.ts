/**
 * The key the audit chain is hashed with (HMAC-SHA256). It lives outside the database —
 * AUDIT_KEY, or a file in DATA_DIR made on first start — so someone who can write to the
 * database cannot forge an event that verifies. The composition root (main.ts, cli.ts) and
 * the test setup install it once; appending without one is a bug, not a silent downgrade.
 */
let installed: Buffer | undefined;

/** The smallest key accepted: 256 bits. */
export const AUDIT_KEY_BYTES = 32;

export function useAuditKey(key: Buffer): void {
  if (key.length < AUDIT_KEY_BYTES) throw new Error(`the audit key must have at least ${AUDIT_KEY_BYTES} bytes`);
  installed = Buffer.from(key);
}

export function auditKey(): Buffer {
  if (!installed) throw new Error('no audit key installed (useAuditKey): the audit chain cannot be written');
  return installed;
}
