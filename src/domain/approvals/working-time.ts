import { addDays, localDateOf, startOfLocalDay } from '../time.js';

/** Saturday and Sunday do not count towards waiting time (public holidays are not modelled). */
function isWorkingDay(date: { year: number; month: number; day: number }): boolean {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Milliseconds between two instants that fall on working days in the company time zone. */
export function workingMillisBetween(from: Date, to: Date, timeZone: string): number {
  if (to <= from) return 0;
  let total = 0;
  let day = localDateOf(from, timeZone);
  for (let guard = 0; guard < 3_660; guard++) {
    const start = startOfLocalDay(day, timeZone);
    const next = addDays(day, 1);
    const end = startOfLocalDay(next, timeZone);
    if (start >= to) break;
    if (isWorkingDay(day)) {
      const a = Math.max(start.getTime(), from.getTime());
      const b = Math.min(end.getTime(), to.getTime());
      if (b > a) total += b - a;
    }
    day = next;
  }
  return total;
}
