/**
 * STAT-7: statistics are organised by month, quarter and year. A report's period as people
 * type it (`2026-11`, `2026-Q4`, `2026`), the months it covers, the period before it (for the
 * comparison column), and its due day (STAT-18: a report released after it is late).
 * Pure: no database, no clock (the caller passes today, company calendar).
 */
import type { ReportPeriod } from '../../generated/prisma/client.js';
import { clampedDay, compareLocalDates, type LocalDate } from '../time.js';
import { monthKey } from './sales-sheet.js';

export type { ReportPeriod };

export const REPORT_PERIODS = ['month', 'quarter', 'year'] as const satisfies readonly ReportPeriod[];

export function isReportPeriod(text: string): text is ReportPeriod {
  return (REPORT_PERIODS as readonly string[]).includes(text);
}

export interface Period {
  period: ReportPeriod;
  /** 2026-11, 2026-Q4 or 2026. */
  key: string;
  year: number;
  /** First and last month covered, 1–12. */
  firstMonth: number;
  lastMonth: number;
}

const PERIOD_PATTERNS: { period: ReportPeriod; pattern: RegExp }[] = [
  { period: 'month', pattern: /^(\d{4})-(\d{1,2})$/ },
  { period: 'quarter', pattern: /^(\d{4})-?q([1-4])$/i },
  { period: 'year', pattern: /^(\d{4})$/ },
];

function make(period: ReportPeriod, year: number, n: number): Period {
  if (period === 'month') return { period, key: monthKey({ year, month: n }), year, firstMonth: n, lastMonth: n };
  if (period === 'quarter') return { period, key: `${year}-Q${n}`, year, firstMonth: n * 3 - 2, lastMonth: n * 3 };
  return { period, key: String(year), year, firstMonth: 1, lastMonth: 12 };
}

/** `2026-11`, `2026-Q4` (or `2026q4`), `2026`; undefined for anything else. */
export function parsePeriod(text: string): Period | undefined {
  const trimmed = text.trim();
  for (const { period, pattern } of PERIOD_PATTERNS) {
    const match = pattern.exec(trimmed);
    if (!match) continue;
    const year = Number(match[1]);
    const n = Number(match[2] ?? 1);
    if (year < 2000 || year > 2999) return undefined;
    if (period === 'month' && (n < 1 || n > 12)) return undefined;
    return make(period, year, n);
  }
  return undefined;
}

/** The period a stored report names. */
export function periodOf(period: ReportPeriod, key: string): Period {
  const parsed = parsePeriod(key);
  if (!parsed || parsed.period !== period) throw new Error(`not a ${period} key: ${key}`);
  return parsed;
}

/** The months covered, YYYY-MM, in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  for (let month = period.firstMonth; month <= period.lastMonth; month++)
    months.push(monthKey({ year: period.year, month }));
  return months;
}

/** The period of the same kind just before (2026-01 → 2025-12, 2026-Q1 → 2025-Q4, 2026 → 2025). */
export function previousPeriod(period: Period): Period {
  if (period.period === 'year') return make('year', period.year - 1, 1);
  if (period.period === 'quarter') {
    const quarter = period.lastMonth / 3;
    return quarter === 1 ? make('quarter', period.year - 1, 4) : make('quarter', period.year, quarter - 1);
  }
  return period.firstMonth === 1
    ? make('month', period.year - 1, 12)
    : make('month', period.year, period.firstMonth - 1);
}

/** The first day after the period, company calendar. */
function dayAfter(period: Period): LocalDate {
  return period.lastMonth === 12
    ? { year: period.year + 1, month: 1, day: 1 }
    : { year: period.year, month: period.lastMonth + 1, day: 1 };
}

/** A report is compiled only once its period has ended: figures of a month still running are not complete. */
export function hasEnded(period: Period, today: LocalDate): boolean {
  return compareLocalDates(today, dayAfter(period)) >= 0;
}

/**
 * STAT-18: the last day a report is on time: day `dueDay` of the month after the period (a
 * day past the month's end is its last day).
 */
export function dueDayOf(period: Period, dueDay: number): LocalDate {
  const after = dayAfter(period);
  return clampedDay(after.year, after.month, dueDay);
}
