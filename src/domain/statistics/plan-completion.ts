/**
 * STAT-15, STAT-17: plan completion — actual against target, in percent with one decimal,
 * rounded half up, from integer fen (never a float). No target (or a zero one): no percentage.
 */
export function planCompletion(actualFen: bigint, targetFen: bigint): string | null {
  if (targetFen <= 0n) return null;
  const negative = actualFen < 0n;
  const actual = negative ? -actualFen : actualFen;
  // tenths of a percent = actual × 1000 / target, rounded half up.
  const tenths = (actual * 2000n + targetFen) / (targetFen * 2n);
  return `${negative ? '-' : ''}${tenths / 10n}.${tenths % 10n}`;
}
