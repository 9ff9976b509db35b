/** ARCH-5 as pure rules: the due day, the stage a day calls for, lateness, the month collected. */
import { describe, expect, it } from 'vitest';
import {
  monthBefore,
  parseMonth,
  receivedLate,
  submissionDueOn,
  submissionStage,
} from '../../src/domain/custody/submission-rules.js';

const day = (text: string) => {
  const [year, month, d] = text.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 0, day: d ?? 0 };
};

describe('ARCH-5: due by day N of the next month', () => {
  it.each([
    ['2026-11', 5, '2026-12-05'],
    ['2026-12', 5, '2027-01-05'],
    ['2027-01', 31, '2027-02-28'],
    ['2028-01', 31, '2028-02-29'],
  ])('%s with N=%i is due %s', (month, n, due) => {
    expect(submissionDueOn(month, n)).toEqual(day(due));
  });

  it.each([
    ['2026-12-01', 'none'],
    ['2026-12-02', 'reminder'],
    ['2026-12-04', 'reminder'],
    ['2026-12-05', 'reminder'],
    ['2026-12-06', 'overdue'],
    ['2027-01-20', 'overdue'],
  ])('due 2026-12-05, on %s: %s', (today, stage) => {
    expect(submissionStage(day(today), day('2026-12-05'))).toBe(stage);
  });

  it('STAT-18: late only after the due day', () => {
    expect(receivedLate(day('2026-12-05'), day('2026-12-05'))).toBe(false);
    expect(receivedLate(day('2026-12-06'), day('2026-12-05'))).toBe(true);
  });

  it('the month collected is the one before; months are YYYY-MM', () => {
    expect(monthBefore(day('2027-01-03'))).toBe('2026-12');
    expect(monthBefore(day('2026-12-31'))).toBe('2026-11');
    expect(parseMonth('2026-13')).toBeUndefined();
    expect(parseMonth('2026-1')).toBeUndefined();
    expect(parseMonth('2026-01')).toEqual({ year: 2026, month: 1 });
  });
});
