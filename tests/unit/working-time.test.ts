import { describe, expect, it } from 'vitest';
import { workingMillisBetween } from '../../src/domain/approvals/working-time.js';

const H = 3_600_000;
const TZ = 'Asia/Shanghai';

describe('waiting time counts working days in the company time zone', () => {
  it('a weekday counts in full', () => {
    // Tue 2026-11-24 10:00 → Wed 10:00 Shanghai.
    expect(workingMillisBetween(new Date('2026-11-24T02:00:00Z'), new Date('2026-11-25T02:00:00Z'), TZ)).toBe(24 * H);
  });

  it('Saturday and Sunday do not count', () => {
    // Fri 2026-11-27 10:00 → Mon 2026-11-30 10:00 Shanghai: Friday 14 h + Monday 10 h.
    expect(workingMillisBetween(new Date('2026-11-27T02:00:00Z'), new Date('2026-11-30T02:00:00Z'), TZ)).toBe(24 * H);
  });

  it('the weekend is the company’s, not UTC’s', () => {
    // Sat 2026-11-28 07:00 Shanghai is Fri 23:00 UTC: none of it counts.
    expect(workingMillisBetween(new Date('2026-11-27T23:00:00Z'), new Date('2026-11-28T10:00:00Z'), TZ)).toBe(0);
  });
});
