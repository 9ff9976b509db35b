import { describe, expect, it } from 'vitest';
import { addDays, formatLocalDateTime, localDateOf, parseLocalDate, startOfLocalDay } from '../../src/domain/time.js';

describe('company-local calendar (TZ_COMPANY)', () => {
  it('the local date of an instant depends on the company time zone', () => {
    const instant = new Date('2026-12-31T17:30:00Z');
    expect(localDateOf(instant, 'Asia/Shanghai')).toEqual({ year: 2027, month: 1, day: 1 });
    expect(localDateOf(instant, 'UTC')).toEqual({ year: 2026, month: 12, day: 31 });
  });

  it('start of a local day, including across a daylight-saving change', () => {
    expect(startOfLocalDay({ year: 2026, month: 12, day: 1 }, 'Asia/Shanghai')).toEqual(
      new Date('2026-11-30T16:00:00Z'),
    );
    // Berlin springs forward on 2026-03-29: that day starts at 23:00 UTC the day before (UTC+1).
    expect(startOfLocalDay({ year: 2026, month: 3, day: 29 }, 'Europe/Berlin')).toEqual(
      new Date('2026-03-28T23:00:00Z'),
    );
    expect(startOfLocalDay({ year: 2026, month: 3, day: 30 }, 'Europe/Berlin')).toEqual(
      new Date('2026-03-29T22:00:00Z'),
    );
  });

  it('parses only real calendar dates', () => {
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2027-02-29')).toBeUndefined();
    expect(parseLocalDate('2027-2-1')).toBeUndefined();
    expect(parseLocalDate('tomorrow')).toBeUndefined();
  });

  it('adds days across months and years, and formats local times', () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(formatLocalDateTime(new Date('2026-11-28T02:05:00Z'), 'Asia/Shanghai')).toBe('2026-11-28 10:05');
  });
});
