/**
 * The audit chain is keyed (src/domain/audit/audit-key.ts); use cases called directly by
 * tests write with this key, as the bot writes with AUDIT_KEY or DATA_DIR/audit.key.
 */
import { useAuditKey } from '../../src/domain/audit/audit-key.js';

export const TEST_AUDIT_KEY = Buffer.alloc(32, 7);
useAuditKey(TEST_AUDIT_KEY);
