import { effectiveSecrecy, levelRank, type SecrecyLevel } from '../access/visibility.js';

type Secret = { secrecyLevel: SecrecyLevel; secrecyUntil: Date | null };

/** A loan is as secret as the higher of its volume and its customer (a raised customer raises its loans). */
export function loanLevel(volume: Secret, customer: Secret, now: Date): SecrecyLevel {
  const a = effectiveSecrecy(volume, now);
  const b = effectiveSecrecy(customer, now);
  return levelRank(a) >= levelRank(b) ? a : b;
}
