import type { Tx } from '../context.js';
import { DomainError } from '../errors.js';
import { nameKey } from './search-text.js';

/**
 * Refuses a second customer with the same name (ignoring case and spaces) or the same
 * unified social credit code, naming the existing customer's code.
 */
export async function assertNoDuplicate(
  tx: Tx,
  candidate: { name: string; creditCode: string | null },
  excludeId?: number,
): Promise<void> {
  const key = nameKey(candidate.name);
  const existing = await tx.customer.findFirst({
    where: {
      OR: [{ nameKey: key }, ...(candidate.creditCode ? [{ creditCode: candidate.creditCode }] : [])],
      ...(excludeId !== undefined && { id: { not: excludeId } }),
    },
    select: { code: true, nameKey: true },
  });
  if (!existing) return;
  throw existing.nameKey === key
    ? new DomainError('customer_duplicate_name', { code: existing.code })
    : new DomainError('customer_duplicate_credit_code', { code: existing.code });
}
