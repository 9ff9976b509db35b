/**
 * ARCH-29 as pure rules: when a volume's retention has run out, and how long an approved batch
 * is held apart before it may be destroyed. No database, no clock.
 */
import type { RetentionClass } from '../../generated/prisma/client.js';
import { addDays, clampedDay, compareLocalDates, type LocalDate } from '../time.js';

/**
 * A volume of year Y kept N years is expired from 1 January of Y + N + 1 (its last year is
 * Y + N); a permanent one never expires.
 */
export function retentionExpired(
  volume: { year: number; retention: RetentionClass },
  years: { long_term: number; short_term: number },
  today: LocalDate,
): boolean {
  if (volume.retention === 'permanent') return false;
  return today.year > volume.year + years[volume.retention];
}

/**
 * The last day an approved batch is held apart: the day before the same date `months` later
 * (company calendar; the 31st becomes the month's last day). It may be destroyed from the day after.
 */
export function holdUntilOf(approvedOn: LocalDate, months: number): LocalDate {
  const index = approvedOn.year * 12 + (approvedOn.month - 1) + months;
  const release = clampedDay(Math.floor(index / 12), (index % 12) + 1, approvedOn.day);
  return addDays(release, -1);
}

/** Whether the hold is over on `today`. */
export function holdEnded(holdUntil: LocalDate, today: LocalDate): boolean {
  return compareLocalDates(today, holdUntil) > 0;
}
