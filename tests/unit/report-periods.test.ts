/**
 * STAT-7 and STAT-18 as pure rules: the periods people type, the months each covers, the
 * period before (the comparison column), whether it has ended, and its due day.
 */
import { describe, expect, it } from 'vitest';
import {
  dueDayOf,
  hasEnded,
  monthsOf,
  type Period,
  parsePeriod,
  previousPeriod,
} from '../../src/domain/statistics/report-periods.js';

const period = (text: string): Period => {
  const parsed = parsePeriod(text);
  if (!parsed) throw new Error(`not a period: ${text}`);
  return parsed;
};

describe('STAT-7: month, quarter and year', () => {
  it.each([
    ['2026-11', 'month', '2026-11'],
    ['2026-1', 'month', '2026-01'],
    [' 2026-Q4 ', 'quarter', '2026-Q4'],
    ['2026q1', 'quarter', '2026-Q1'],
    ['2026', 'year', '2026'],
  ] as const)('%j is the %s %s', (text, kind, key) => {
    expect(parsePeriod(text)).toMatchObject({ period: kind, key });
  });

  it.each(['2026-13', '2026-00', '2026-Q5', '26-11', '1999', '3000', 'november', '', '2026-11-01'])(
    '%j is not a period',
    (text) => {
      expect(parsePeriod(text)).toBeUndefined();
    },
  );

  it.each([
    ['2026-02', ['2026-02']],
    ['2026-Q2', ['2026-04', '2026-05', '2026-06']],
    [
      '2026',
      [
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
        '2026-11',
        '2026-12',
      ],
    ],
  ])('%s covers %j', (text, months) => {
    expect(monthsOf(period(text))).toEqual(months);
  });

  it.each([
    ['2026-01', '2025-12'],
    ['2026-07', '2026-06'],
    ['2026-Q1', '2025-Q4'],
    ['2026-Q3', '2026-Q2'],
    ['2026', '2025'],
  ])('the period before %s is %s', (text, before) => {
    expect(previousPeriod(period(text)).key).toBe(before);
  });
});

describe('a report is compiled once its period has ended', () => {
  it.each([
    ['2026-11', { year: 2026, month: 11, day: 30 }, false],
    ['2026-11', { year: 2026, month: 12, day: 1 }, true],
    ['2026-Q4', { year: 2026, month: 12, day: 31 }, false],
    ['2026-Q4', { year: 2027, month: 1, day: 1 }, true],
    ['2026', { year: 2026, month: 12, day: 31 }, false],
    ['2025', { year: 2026, month: 1, day: 1 }, true],
    ['2027-01', { year: 2026, month: 12, day: 2 }, false],
  ])('%s on %j: %s', (text, today, ended) => {
    expect(hasEnded(period(text), today)).toBe(ended);
  });
});

describe('STAT-18: the due day', () => {
  it.each([
    ['2026-11', 10, { year: 2026, month: 12, day: 10 }],
    ['2026-12', 10, { year: 2027, month: 1, day: 10 }],
    ['2026-Q4', 5, { year: 2027, month: 1, day: 5 }],
    ['2026', 28, { year: 2027, month: 1, day: 28 }],
    ['2027-01', 28, { year: 2027, month: 2, day: 28 }],
  ])('%s with day %i is due %j', (text, day, due) => {
    expect(dueDayOf(period(text), day)).toEqual(due);
  });
});
