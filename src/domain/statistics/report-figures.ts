/**
 * The figures of a statistics report (INFO-12: one uniform format for the month, the quarter
 * and the year): sales by department, by region and by grade, against targets where a target
 * exists (STAT-17 plan completion), beside the period before. The official figures (STAT-4):
 * every customer counts, classified or not — which is why who reads a report follows
 * REPORT_ACCESS (report-policy.ts), never a channel.
 *
 * - A customer's department is its owner's; its grade is its grade when the report is
 *   compiled (the grade history keeps how it got there).
 * - Targets: a department's `all` target for the department and the total; the grade targets
 *   of every department summed for the grade. Regions have no targets.
 * - Amounts are fen as bigint, stored in the report's JSON as decimal strings: never a float.
 * - STAT-20, SEC-3: a line is an aggregate, never one customer. A department, region or grade
 *   with figures from fewer than MIN_CONTRIBUTORS customers (in the period or the one before)
 *   is not shown alone: such lines are merged into one "other" line of their group, and if that
 *   line is itself too small the smallest of the rest joins it, until it is not (or the group is
 *   one line). Otherwise a region holding one 机密 customer would print its sales. The total is exact.
 *
 * One pass over the period's figures with grouping sets, one over the targets.
 */
import type { Db, Tx } from '../context.js';
import { monthsOf, type Period, previousPeriod } from './report-periods.js';

export type FigureGroup = 'total' | 'department' | 'region' | 'grade';

/** The group a line's key names (`department:3`, `region!none` → department, region). */
export function figureGroupOf(key: string): FigureGroup {
  const group = key.split(/[:!]/)[0];
  return group === 'department' || group === 'region' || group === 'grade' ? group : 'total';
}

export interface FigureLine {
  /**
   * What a correction names: `total`, `department:<id>`, `region:<name>`, `grade:<A|B|C>`, or
   * `<group>!none` (no department, region or grade) and `<group>!other` (lines merged for
   * being too small). A real name always follows `:`, so no name collides with `!none`.
   */
  key: string;
  group: FigureGroup;
  /** The department's name, the region, the grade; null for the total, "none" and "other". */
  label: string | null;
  /** Customers with a figure in the period. */
  customers: number;
  /** Customers with a figure in the period or the one before: how many a line's figures come from. */
  contributors: number;
  /** An "other" line: how many lines it merges. */
  merged?: number;
  actualFen: bigint;
  previousFen: bigint;
  /** Null: no target for this line. */
  targetFen: bigint | null;
}

export interface ReportFigures {
  months: string[];
  previousMonths: string[];
  total: FigureLine;
  departments: FigureLine[];
  regions: FigureLine[];
  grades: FigureLine[];
}

interface GroupRow {
  g_department: number;
  g_region: number;
  g_grade: number;
  department_id: number | null;
  department: string | null;
  region: string | null;
  grade: string | null;
  fen: string | null;
  previous_fen: string | null;
  customers: number;
  contributors: number;
}

/**
 * Each customer's period and previous-period sums first (one pass, no distinct counts), then the
 * four groupings over customers: a customer counts once in a line whatever its months.
 */
const GROUPS_SQL = `
  WITH per_customer AS (
    SELECT f."customerId",
           sum(f.amount) FILTER (WHERE f.month = ANY($1::text[])) AS amount,
           sum(f.amount) FILTER (WHERE f.month = ANY($2::text[])) AS previous
      FROM "SalesFigure" f
     WHERE f.month = ANY($3::text[])
     GROUP BY f."customerId"
  )
  SELECT GROUPING(d.id, d.name)::int AS g_department, GROUPING(c.region)::int AS g_region,
         GROUPING(c.grade)::int AS g_grade,
         d.id AS department_id, d.name AS department, c.region, c.grade::text AS grade,
         (sum(pc.amount) * 100)::bigint::text AS fen,
         (sum(pc.previous) * 100)::bigint::text AS previous_fen,
         (count(*) FILTER (WHERE pc.amount IS NOT NULL))::int AS customers,
         count(*)::int AS contributors
    FROM per_customer pc
    JOIN "Customer" c ON c.id = pc."customerId"
    JOIN "Person" p ON p.id = c."ownerId"
    LEFT JOIN "Department" d ON d.id = p."departmentId"
   GROUP BY GROUPING SETS ((d.id, d.name), (c.region), (c.grade), ())`;

const TARGETS_SQL = `
  SELECT t."departmentId" AS department_id, d.name AS department, t.scope,
         (sum(t.amount) * 100)::bigint::text AS fen
    FROM "SalesTarget" t JOIN "Department" d ON d.id = t."departmentId"
   WHERE t.month = ANY($1::text[])
   GROUP BY t."departmentId", d.name, t.scope`;

const GRADES = ['A', 'B', 'C'] as const;

/** STAT-20: the fewest customers a shown line's figures may come from. */
export const MIN_CONTRIBUTORS = 3;

function line(group: FigureGroup, id: string | null, label: string | null): FigureLine {
  return {
    key: group === 'total' ? 'total' : id === null ? `${group}!none` : `${group}:${id}`,
    group,
    label,
    customers: 0,
    contributors: 0,
    actualFen: 0n,
    previousFen: 0n,
    targetFen: null,
  };
}

/** Regions in the order of their names (pinyin), "none" last. */
const byLabel = (a: FigureLine, b: FigureLine) =>
  a.label === null ? 1 : b.label === null ? -1 : a.label.localeCompare(b.label, 'zh-CN');

/** Departments in the order they were set up (the organisation's own order), "none" last. */
const idOf = (line: FigureLine) =>
  line.key.startsWith('department:') ? Number(line.key.slice(11)) : Number.POSITIVE_INFINITY;
const byDepartment = (a: FigureLine, b: FigureLine) => idOf(a) - idOf(b);

export async function reportFigures(db: Db | Tx, period: Period): Promise<ReportFigures> {
  const months = monthsOf(period);
  const previousMonths = monthsOf(previousPeriod(period));
  const rows = await db.$queryRawUnsafe<GroupRow[]>(GROUPS_SQL, months, previousMonths, [...months, ...previousMonths]);
  const targets = await db.$queryRawUnsafe<{ department_id: number; department: string; scope: string; fen: string }[]>(
    TARGETS_SQL,
    months,
  );

  const total = line('total', null, null);
  const departments = new Map<string, FigureLine>();
  const regions: FigureLine[] = [];
  const grades = new Map<string, FigureLine>(
    [...GRADES, null].map((grade) => [grade ?? 'none', line('grade', grade, grade)]),
  );
  const fill = (target: FigureLine, row: GroupRow) => {
    target.customers = row.customers;
    target.contributors = row.contributors;
    target.actualFen = BigInt(row.fen ?? '0');
    target.previousFen = BigInt(row.previous_fen ?? '0');
  };
  for (const row of rows) {
    // GROUPING() is a bit mask, non-zero for a column rolled up in this row's set.
    if (row.g_department !== 0 && row.g_region !== 0 && row.g_grade !== 0) fill(total, row);
    else if (row.g_department === 0) {
      const id = row.department_id === null ? null : String(row.department_id);
      const entry = line('department', id, row.department);
      fill(entry, row);
      departments.set(entry.key, entry);
    } else if (row.g_region === 0) {
      const entry = line('region', row.region, row.region);
      fill(entry, row);
      regions.push(entry);
    } else {
      const entry = grades.get(row.grade ?? 'none');
      if (entry) fill(entry, row);
    }
  }
  for (const target of targets) {
    const fen = BigInt(target.fen);
    if (target.scope === 'all') {
      const key = `department:${target.department_id}`;
      const entry = departments.get(key) ?? line('department', String(target.department_id), target.department);
      entry.targetFen = (entry.targetFen ?? 0n) + fen;
      departments.set(key, entry);
      total.targetFen = (total.targetFen ?? 0n) + fen;
    } else {
      const entry = grades.get(target.scope);
      if (entry) entry.targetFen = (entry.targetFen ?? 0n) + fen;
    }
  }
  return {
    months,
    previousMonths,
    total,
    departments: withoutSmallLines([...departments.values()].sort(byDepartment)),
    regions: withoutSmallLines(regions.sort(byLabel)),
    grades: withoutSmallLines([...grades.values()]),
  };
}

/** A line may stand alone when its figures come from no customer (a target only) or from enough of them. */
const standsAlone = (line: FigureLine) => line.contributors === 0 || line.contributors >= MIN_CONTRIBUTORS;

/** STAT-20: the group with its small lines merged into one "other" line, itself never small unless it is all there is. */
export function withoutSmallLines(lines: readonly FigureLine[]): FigureLine[] {
  const kept = lines.filter(standsAlone);
  const small = lines.filter((line) => !standsAlone(line));
  if (small.length === 0) return [...lines];
  let contributors = small.reduce((n, line) => n + line.contributors, 0);
  while (contributors < MIN_CONTRIBUTORS) {
    const withFigures = kept.filter((line) => line.contributors > 0);
    const smallest = withFigures.reduce<FigureLine | undefined>(
      (least, line) => (!least || line.contributors < least.contributors ? line : least),
      undefined,
    );
    if (!smallest) break;
    kept.splice(kept.indexOf(smallest), 1);
    small.push(smallest);
    contributors += smallest.contributors;
  }
  const [first] = small;
  if (!first) return kept;
  const other: FigureLine = {
    key: `${first.group}!other`,
    group: first.group,
    label: null,
    customers: 0,
    contributors: 0,
    actualFen: 0n,
    previousFen: 0n,
    targetFen: null,
    merged: small.length,
  };
  for (const line of small) {
    other.customers += line.customers;
    other.contributors += line.contributors;
    other.actualFen += line.actualFen;
    other.previousFen += line.previousFen;
    if (line.targetFen !== null) other.targetFen = (other.targetFen ?? 0n) + line.targetFen;
  }
  return [...lines.filter((line) => kept.includes(line)), other];
}

/** Every line of a report, in the order it is shown. */
export function figureLines(figures: ReportFigures): FigureLine[] {
  return [figures.total, ...figures.departments, ...figures.regions, ...figures.grades];
}

type StoredLine = Omit<FigureLine, 'actualFen' | 'previousFen' | 'targetFen'> & {
  actualFen: string;
  previousFen: string;
  targetFen: string | null;
};

const storeLine = (l: FigureLine): StoredLine => ({
  ...l,
  actualFen: l.actualFen.toString(),
  previousFen: l.previousFen.toString(),
  targetFen: l.targetFen === null ? null : l.targetFen.toString(),
});

const readLine = (l: StoredLine): FigureLine => ({
  ...l,
  actualFen: BigInt(l.actualFen),
  previousFen: BigInt(l.previousFen),
  targetFen: l.targetFen === null ? null : BigInt(l.targetFen),
});

/** The figures as the report's JSON column keeps them (fen as decimal strings). */
export function storeFigures(figures: ReportFigures) {
  return {
    months: figures.months,
    previousMonths: figures.previousMonths,
    total: storeLine(figures.total),
    departments: figures.departments.map(storeLine),
    regions: figures.regions.map(storeLine),
    grades: figures.grades.map(storeLine),
  };
}

export function readFigures(stored: unknown): ReportFigures {
  const s = stored as ReturnType<typeof storeFigures>;
  return {
    months: s.months,
    previousMonths: s.previousMonths,
    total: readLine(s.total),
    departments: s.departments.map(readLine),
    regions: s.regions.map(readLine),
    grades: s.grades.map(readLine),
  };
}
