import type { Tx } from '../context.js';

export const CUSTOMER_CODE = /^KH-(\d{4})-(\d{1,6})$/;

/** KH-2026-0001: year of registration (company time), then acquisition order in that year (DB-11). */
export function formatCustomerCode(year: number, sequence: number): string {
  return `KH-${year}-${String(sequence).padStart(4, '0')}`;
}

/** Normalizes what a user typed (kh-2026-1 → KH-2026-0001); undefined if it is not a code. */
export function parseCustomerCode(text: string): string | undefined {
  const match = CUSTOMER_CODE.exec(text.trim().toUpperCase());
  if (!match) return undefined;
  return formatCustomerCode(Number(match[1]), Number(match[2]));
}

/** Takes the next customer number of the year inside the caller's transaction (rolled back with it). */
export function nextCustomerSequence(tx: Tx, year: number): Promise<number> {
  return nextSequence(tx, `customer:${year}`);
}

/** The next number of a named counter, atomically, inside the caller's transaction. */
export async function nextSequence(tx: Tx, scope: string): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "CodeCounter" (scope, last) VALUES (${scope}, 1)
    ON CONFLICT (scope) DO UPDATE SET last = "CodeCounter".last + 1
    RETURNING last`;
  const last = rows[0]?.last;
  if (last === undefined) throw new Error(`counter ${scope} returned no row`);
  return last;
}
