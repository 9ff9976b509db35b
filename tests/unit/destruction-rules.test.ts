/** ARCH-29 as pure rules: when retention runs out and when the six-month hold ends, company calendar. */
import { describe, expect, it } from 'vitest';
import { holdEnded, holdUntilOf, retentionExpired } from '../../src/domain/custody/destruction-rules.js';

const day = (text: string) => {
  const [year, month, d] = text.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 0, day: d ?? 0 };
};
const YEARS = { long_term: 30, short_term: 10 };

describe('ARCH-29: retention and the hold', () => {
  it.each([
    [2015, 'short_term', '2025-12-31', false],
    [2015, 'short_term', '2026-01-01', true],
    [1995, 'long_term', '2025-12-31', false],
    [1995, 'long_term', '2026-01-01', true],
    [1900, 'permanent', '2026-01-01', false],
  ] as const)('a %i volume kept %s: expired on %s? %s', (year, retention, today, expired) => {
    expect(retentionExpired({ year, retention }, YEARS, day(today))).toBe(expired);
  });

  it.each([
    ['2026-12-02', 6, '2027-06-01'],
    ['2026-08-31', 6, '2027-02-27'],
    ['2027-08-31', 6, '2028-02-28'],
    ['2026-01-15', 1, '2026-02-14'],
  ])('approved %s, held %i months: held through %s', (approved, months, until) => {
    expect(holdUntilOf(day(approved), months)).toEqual(day(until));
  });

  it('the hold ends the day after its last day', () => {
    expect(holdEnded(day('2027-06-01'), day('2027-06-01'))).toBe(false);
    expect(holdEnded(day('2027-06-01'), day('2027-06-02'))).toBe(true);
  });
});
