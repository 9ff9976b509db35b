/**
 * DB-8, DB-10: every customer graded A/B/C by the average of its last three complete months
 * of sales (company calendar), by the configured policy; each change kept with its figures
 * and reason (GradeChange). Run monthly by the `grading` job and on demand (`/kh grade`).
 */
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { type SecrecyLevel, type SecretSubject, visibilityOf } from '../access/visibility.js';
import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { readConfig } from '../settings/config-values.js';
import { localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import {
  DEFAULT_GRADING,
  fenToYuan,
  type Grade,
  type GradingPolicy,
  lastThreeCompleteMonths,
} from './grading-rules.js';

export interface GradingRun {
  /** The three months averaged (YYYY-MM, oldest first). */
  months: [string, string, string];
  /** Counted among the customers the asker may read (all of them for the job). */
  graded: number;
  changed: number;
  byGrade: Record<Grade, number>;
  /** The policy applied, as the grade history records it. */
  reason: string;
}

/** The policy from the settings: amounts when both are set, else shares (DB-8 default 20/30/50). */
async function policyOf(tx: Tx): Promise<GradingPolicy> {
  const config = await readConfig(tx);
  if (
    config.grade_a_min_yuan > 0 &&
    config.grade_b_min_yuan > 0 &&
    config.grade_a_min_yuan >= config.grade_b_min_yuan
  ) {
    return {
      mode: 'amount',
      aMinFen: BigInt(config.grade_a_min_yuan) * 100n,
      bMinFen: BigInt(config.grade_b_min_yuan) * 100n,
    };
  }
  if (config.grade_a_percent + config.grade_b_percent <= 100) {
    return { mode: 'share', aPercent: config.grade_a_percent, bPercent: config.grade_b_percent };
  }
  return DEFAULT_GRADING;
}

function describe(policy: GradingPolicy): string {
  return policy.mode === 'share'
    ? `share: A top ${policy.aPercent}%, B next ${policy.bPercent}%, C the rest`
    : `amount: A from ${fenToYuan(policy.aMinFen)}, B from ${fenToYuan(policy.bMinFen)} yuan a month`;
}

/**
 * gradeCustomers (grading-rules.ts, table-tested) is the rule; this statement applies the same
 * rule where the figures are, so that 100,000 customers need not travel to JavaScript and back
 * (bench/README.md: the round trip was most of the cost). Line by line as gradeCustomers:
 * the three months summed in fen (no figure = 0); competition rank over every customer by the
 * sum (ties share the first position's rank, so the better grade); share cuts
 * ceil(n × percent / 100) in integers; amount thresholds compared as sum ≥ 3 × threshold; a
 * sum ≤ 0 is C; the average is floor((2 × sum + 3) / 6) fen, i.e. rounded half up.
 * bench/grading.ts checks the result against gradeCustomers on 100,000 customers under several
 * policies, and fails on any difference.
 *
 * $1..$3 the months, $4 the mode, $5/$6 the shares, $7/$8 the thresholds in fen, $9 now,
 * $10 the reason, $11 by, $12 whether to return every customer (for counting what a person may read).
 */
const GRADE_SQL = `
  WITH sums AS (
    SELECT c.id, c.grade AS was, coalesce(s.fen, 0) AS fen, c."ownerId", c."secrecyLevel", c."secrecyUntil"
      FROM "Customer" c
      LEFT JOIN (SELECT "customerId", (sum(amount) * 100)::bigint AS fen
                   FROM "SalesFigure" WHERE month IN ($1::text, $2::text, $3::text)
                  GROUP BY "customerId") s ON s."customerId" = c.id
  ), ranked AS (
    SELECT sums.*, (rank() OVER (ORDER BY fen DESC))::int AS rank, count(*) OVER () AS n FROM sums
  ), graded AS (
    SELECT r.*,
           (CASE WHEN r.fen <= 0 THEN 'C'
                 WHEN $4::text = 'share' THEN
                   CASE WHEN r.rank <= (r.n * $5::int + 99) / 100 THEN 'A'
                        WHEN r.rank <= (r.n * ($5::int + $6::int) + 99) / 100 THEN 'B'
                        ELSE 'C' END
                 WHEN r.fen >= 3 * $7::bigint THEN 'A'
                 WHEN r.fen >= 3 * $8::bigint THEN 'B'
                 ELSE 'C' END)::"Grade" AS grade
      FROM ranked r
  ), changed AS (
    SELECT * FROM graded WHERE grade IS DISTINCT FROM was
  ), updated AS (
    UPDATE "Customer" c SET grade = ch.grade, "gradedAt" = $9::timestamptz FROM changed ch WHERE c.id = ch.id
  ), recorded AS (
    INSERT INTO "GradeChange" ("customerId", "from", "to", average, "fromMonth", "toMonth", rank, population, reason,
                               "changedAt", "changedBy")
    SELECT id, was, grade, floor((2 * fen + 3)::numeric / 6) / 100, $1::text, $3::text, rank, n, $10::text,
           $9::timestamptz, $11::text
      FROM changed ORDER BY rank, id
  )
  SELECT count(*)::int AS graded,
         (count(*) FILTER (WHERE grade IS DISTINCT FROM was))::int AS changed,
         (count(*) FILTER (WHERE grade = 'A'))::int AS a,
         (count(*) FILTER (WHERE grade = 'B'))::int AS b,
         (count(*) FILTER (WHERE grade = 'C'))::int AS c,
         (json_agg(json_build_array(id, grade, grade IS DISTINCT FROM was, "ownerId", "secrecyLevel", "secrecyUntil"))
            FILTER (WHERE $12::boolean))::text AS rows
    FROM graded`;

interface GradeResult {
  graded: number;
  changed: number;
  a: number;
  b: number;
  c: number;
  /** [id, grade, changed, ownerId, secrecyLevel, secrecyUntil] per customer, when asked for. */
  rows: string | null;
}

/** Grades every customer inside `tx`, by `by` (a Slack id, or "system" for the job). */
async function gradeAll(
  tx: Tx,
  now: Date,
  timeZone: string,
  by: string,
  counts?: (customer: SecretSubject) => boolean,
): Promise<GradingRun> {
  const today = localDateOf(now, timeZone);
  const months = lastThreeCompleteMonths(today);
  const policy = await policyOf(tx);
  const reason = describe(policy);
  // No figures at all for those months (nothing imported yet): nobody is graded on nothing.
  const [{ imported }] = await tx.$queryRaw<[{ imported: boolean }]>`
    SELECT EXISTS (SELECT FROM "SalesFigure" WHERE month IN (${months[0]}, ${months[1]}, ${months[2]})) AS imported`;
  if (!imported) return { months, graded: 0, changed: 0, byGrade: { A: 0, B: 0, C: 0 }, reason };
  const [result] = await tx.$queryRawUnsafe<[GradeResult]>(
    GRADE_SQL,
    months[0],
    months[1],
    months[2],
    policy.mode,
    policy.mode === 'share' ? policy.aPercent : 0,
    policy.mode === 'share' ? policy.bPercent : 0,
    policy.mode === 'amount' ? policy.aMinFen.toString() : '0',
    policy.mode === 'amount' ? policy.bMinFen.toString() : '0',
    now,
    reason,
    by,
    counts !== undefined,
  );
  let run: GradingRun = {
    months,
    graded: result.graded,
    changed: result.changed,
    byGrade: { A: result.a, B: result.b, C: result.c },
    reason,
  };
  if (counts) {
    // What a person's answer counts: only the customers they may read (STAT-5, SEC-3: counts
    // over the others would tell how many there are and, run after an import, how their
    // grades moved).
    const rows = JSON.parse(result.rows ?? '[]') as [number, Grade, boolean, number, SecrecyLevel, string | null][];
    const byGrade: Record<Grade, number> = { A: 0, B: 0, C: 0 };
    let graded = 0;
    let changed = 0;
    for (const [id, grade, moved, ownerId, secrecyLevel, until] of rows) {
      if (!counts({ id, ownerId, secrecyLevel, secrecyUntil: until === null ? null : new Date(until) })) continue;
      graded++;
      if (moved) changed++;
      byGrade[grade]++;
    }
    run = { ...run, graded, changed, byGrade };
  }
  await appendAuditEvent(tx, {
    at: now,
    actor: by,
    action: 'customers.graded',
    subjectType: 'grading',
    subjectId: `${months[0]}..${months[2]}`,
    details: { graded: result.graded, changed: result.changed, reason },
  });
  return run;
}

/** The monthly job's run (by "system"). */
export function runGrading(db: Db, now: Date, timeZone: string): Promise<GradingRun> {
  return db.$transaction((tx) => gradeAll(tx, now, timeZone, 'system'), { timeout: 120_000 });
}

/** `/kh grade`: the same, on demand, by the information staff. */
export function gradeNow(ctx: UseCaseContext): Promise<GradingRun> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, refuse }) => {
    if (!can(me.roles, 'manageFigures'))
      return refuse(new DomainError('not_allowed', { action: 'grade' }), denied('grading', null, 'customers.grade'));
    const viewer = await loadViewer(tx, me, now);
    return gradeAll(tx, now, timeZone, me.slackUserId, (customer) => visibilityOf(viewer, customer, now) === 'visible');
  });
}
