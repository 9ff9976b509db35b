/**
 * ARCH-5 as pure rules: a month's material is due by day N of the next month (company
 * calendar); the responsible people are reminded three days before and alerted (with their
 * department's heads) the day after. Pure: no database, no clock.
 */
import type { DocumentType } from '../../generated/prisma/client.js';
import { DOCUMENT_TYPES } from '../archive/document-input.js';
import { addDays, clampedDay, compareLocalDates, type LocalDate } from '../time.js';

/** How many days before the due day the reminder goes out. */
export const REMINDER_DAYS_BEFORE = 3;

/** What ARCH-5 names for each kind of department (the table admins set starts from it). */
export const ARCH5_MATERIALS = {
  sales: ['basic_info', 'sales_contract', 'sales_statistics'],
  finance: ['credit_evaluation'],
  service: ['qualification_rating', 'analysis_report'],
} as const satisfies Record<string, readonly DocumentType[]>;

export function isDocumentType(text: string): text is DocumentType {
  return (DOCUMENT_TYPES as readonly string[]).includes(text);
}

/** YYYY-MM → its year and month; undefined if not a real month. */
export function parseMonth(text: string): { year: number; month: number } | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return month >= 1 && month <= 12 && year >= 2000 ? { year, month } : undefined;
}

/** The month before today's (company calendar), YYYY-MM: the one whose material is now being collected. */
export function monthBefore(today: LocalDate): string {
  const year = today.month === 1 ? today.year - 1 : today.year;
  const month = today.month === 1 ? 12 : today.month - 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Day `dueDay` of the month after `month` (a day past the month's end is its last day). */
export function submissionDueOn(month: string, dueDay: number): LocalDate {
  const parsed = parseMonth(month);
  if (!parsed) throw new Error(`not a month: ${month}`);
  return parsed.month === 12
    ? clampedDay(parsed.year + 1, 1, dueDay)
    : clampedDay(parsed.year, parsed.month + 1, dueDay);
}

export type SubmissionStage = 'none' | 'reminder' | 'overdue';

/**
 * What today calls for while material is missing: the reminder from three days before the due
 * day until the due day (a missed firing still reminds), the overdue alert from the day after.
 */
export function submissionStage(today: LocalDate, dueOn: LocalDate): SubmissionStage {
  if (compareLocalDates(today, dueOn) > 0) return 'overdue';
  if (compareLocalDates(today, addDays(dueOn, -REMINDER_DAYS_BEFORE)) >= 0) return 'reminder';
  return 'none';
}

/** Late when received after its due day (company calendar). */
export function receivedLate(receivedOn: LocalDate, dueOn: LocalDate): boolean {
  return compareLocalDates(receivedOn, dueOn) > 0;
}
