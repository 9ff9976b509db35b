/**
 * The monthly statistics summary (STAT-3, STAT-7, STAT-15) posted to the reports channel: the
 * month just ended against the one before, by department, and the grade mix. A channel is read
 * by anyone with a role, so only figures anyone may see go in (SEC-3, STAT-5): customers that
 * are not classified (公开, or whose secrecy period has ended). Plain data; the job words it.
 */
import type { Grade } from '../../generated/prisma/client.js';
import type { Db } from '../context.js';
import { localDateOf } from '../time.js';
import { monthKey } from './sales-sheet.js';

export interface DepartmentSales {
  /** Null: owners without a department. */
  department: string | null;
  fen: bigint;
  previousFen: bigint;
}

export interface MonthlySummary {
  /** The month summarised and the one before it (YYYY-MM). */
  month: string;
  previous: string;
  /** Customers with a figure for the month. */
  customers: number;
  totalFen: bigint;
  previousTotalFen: bigint;
  departments: DepartmentSales[];
  grades: Record<Grade | 'none', number>;
}

/** The month before `today`'s (company calendar), and the one before that. */
export function summaryMonths(today: { year: number; month: number }): { month: string; previous: string } {
  const index = today.year * 12 + (today.month - 1) - 1;
  const at = (i: number) => monthKey({ year: Math.floor(i / 12), month: (i % 12) + 1 });
  return { month: at(index), previous: at(index - 1) };
}

export async function monthlySummary(db: Db, now: Date, timeZone: string): Promise<MonthlySummary> {
  const { month, previous } = summaryMonths(localDateOf(now, timeZone));
  // Only what anyone may see: a classified customer's figures never reach a channel, not even summed.
  const open = (param: string) =>
    `(c."secrecyLevel" = 'unclassified' OR (c."secrecyUntil" IS NOT NULL AND c."secrecyUntil" <= ${param}))`;
  const rows = await db.$queryRawUnsafe<
    { department: string | null; fen: string | null; previous_fen: string | null; customers: number }[]
  >(
    `SELECT d.name AS department,
            ((sum(f.amount) FILTER (WHERE f.month = $1)) * 100)::bigint::text AS fen,
            ((sum(f.amount) FILTER (WHERE f.month = $2)) * 100)::bigint::text AS previous_fen,
            (count(DISTINCT f."customerId") FILTER (WHERE f.month = $1))::int AS customers
       FROM "SalesFigure" f
       JOIN "Customer" c ON c.id = f."customerId"
       JOIN "Person" p ON p.id = c."ownerId"
       LEFT JOIN "Department" d ON d.id = p."departmentId"
      WHERE f.month IN ($1, $2) AND ${open('$3')}
      GROUP BY d.name`,
    month,
    previous,
    now,
  );
  const departments = rows
    .map((row) => ({
      department: row.department,
      fen: BigInt(row.fen ?? '0'),
      previousFen: BigInt(row.previous_fen ?? '0'),
    }))
    .sort((a, b) => (b.fen > a.fen ? 1 : b.fen < a.fen ? -1 : (a.department ?? '').localeCompare(b.department ?? '')));
  const gradeRows = await db.$queryRawUnsafe<{ grade: Grade | null; n: number }[]>(
    `SELECT c.grade, count(*)::int AS n FROM "Customer" c WHERE ${open('$1')} GROUP BY c.grade`,
    now,
  );
  const grades: Record<Grade | 'none', number> = { A: 0, B: 0, C: 0, none: 0 };
  for (const row of gradeRows) grades[row.grade ?? 'none'] += row.n;
  return {
    month,
    previous,
    customers: rows.reduce((n, row) => n + row.customers, 0),
    totalFen: departments.reduce((sum, d) => sum + d.fen, 0n),
    previousTotalFen: departments.reduce((sum, d) => sum + d.previousFen, 0n),
    departments,
    grades,
  };
}
