/**
 * Where the audit chain's witnesses are kept outside the database: one JSON line each in
 * DATA_DIR/audit-witnesses.jsonl (append-only by habit; copies posted to the archive
 * channel are the second record), and where the audit key comes from.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_KEY_BYTES } from './domain/audit/audit-key.js';
import type { AuditWitness } from './domain/audit/verify-audit-chain.js';

export interface WitnessStore {
  append(witness: AuditWitness): void;
  read(): AuditWitness[];
}

export function witnessFile(dataDir: string): WitnessStore {
  const file = path.join(dataDir, 'audit-witnesses.jsonl');
  return {
    append(witness) {
      mkdirSync(dataDir, { recursive: true });
      appendFileSync(file, `${JSON.stringify(witness)}\n`, { mode: 0o600 });
    },
    read() {
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as AuditWitness);
    },
  };
}

/**
 * The audit key: AUDIT_KEY (hex, at least 64 digits) when set, otherwise DATA_DIR/audit.key,
 * made once with 32 random bytes (mode 0600). Keep a copy of it away from the database host:
 * without it the chain can still be checked only up to its last witness.
 */
export function loadAuditKey(config: { auditKey?: string; dataDir: string }): Buffer {
  const { dataDir } = config;
  if (config.auditKey) {
    const key = /^[0-9a-fA-F]+$/.test(config.auditKey) ? Buffer.from(config.auditKey, 'hex') : Buffer.alloc(0);
    if (key.length < AUDIT_KEY_BYTES) throw new Error(`AUDIT_KEY must be at least ${AUDIT_KEY_BYTES * 2} hex digits`);
    return key;
  }
  const file = path.join(dataDir, 'audit.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(AUDIT_KEY_BYTES).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}
