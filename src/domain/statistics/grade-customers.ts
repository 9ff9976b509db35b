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
  gradeCustomers,
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

/** Grades every customer inside `tx`, by `by` (a Slack id, or "system" for the job). */
async function gradeAll(
  tx: Tx,
  now: Date,
  timeZone: string,
  by: string,
  counts: (customer: SecretSubject) => boolean = () => true,
): Promise<GradingRun> {
  const today = localDateOf(now, timeZone);
  const months = lastThreeCompleteMonths(today);
  const policy = await policyOf(tx);
  // One row per customer as one JSON value ([id, grade, sum in fen]): the driver would parse
  // 100,000 rows field by field several times slower.
  const [result] = await tx.$queryRaw<[{ rows: string }]>`
    SELECT coalesce(json_agg(json_build_array(c.id, c.grade, s.fen::text, c."ownerId", c."secrecyLevel", c."secrecyUntil")
                         -- Already in rank order: the rules' sort then only confirms it (linear on sorted input).
                         ORDER BY s.fen DESC NULLS LAST, c.id), '[]')::text AS rows
      FROM "Customer" c
      LEFT JOIN (
        SELECT "customerId", (sum(amount) * 100)::bigint AS fen
          FROM "SalesFigure" WHERE month IN (${months[0]}, ${months[1]}, ${months[2]})
         GROUP BY "customerId"
      ) s ON s."customerId" = c.id`;
  const rows = JSON.parse(result.rows) as [number, Grade | null, string | null, number, SecrecyLevel, string | null][];
  // No figures at all for those months (nothing imported yet): nobody is graded on nothing.
  if (rows.every(([, , fen]) => fen === null)) {
    return { months, graded: 0, changed: 0, byGrade: { A: 0, B: 0, C: 0 }, reason: describe(policy) };
  }
  const current = new Map(rows.map(([id, grade]) => [id, grade] as const));
  const graded = gradeCustomers(
    rows.map(([customerId, , fen]) => ({ customerId, months: [BigInt(fen ?? '0')] })),
    policy,
  );
  const changes = graded.filter((g) => current.get(g.customerId) !== g.grade);
  const reason = describe(policy);
  if (changes.length > 0) {
    const ids = changes.map((c) => c.customerId);
    const grades = changes.map((c) => c.grade);
    await tx.$executeRaw`
      UPDATE "Customer" c SET grade = u.grade::"Grade", "gradedAt" = ${now}
        FROM unnest(${ids}::int[], ${grades}::text[]) AS u(id, grade) WHERE c.id = u.id`;
    const averages = changes.map((c) => fenToYuan(c.averageFen));
    const ranks = changes.map((c) => c.rank);
    const from = changes.map((c) => current.get(c.customerId) ?? null);
    await tx.$executeRaw`
      INSERT INTO "GradeChange" ("customerId", "from", "to", average, "fromMonth", "toMonth", rank, population, reason, "changedAt", "changedBy")
      SELECT u.id, u.was::"Grade", u.grade::"Grade", u.average, ${months[0]}, ${months[2]}, u.rank, ${graded.length}, ${reason}, ${now}, ${by}
        FROM unnest(${ids}::int[], ${from}::text[], ${grades}::text[], ${averages}::numeric[], ${ranks}::int[])
          AS u(id, was, grade, average, rank)`;
  }
  // What the answer counts: everyone for the job's log; for a person, only the customers they
  // may read (STAT-5, SEC-3: counts over the others would tell how many there are and, run
  // after an import, how their grades moved).
  const counted = new Set(
    rows
      .filter(([id, , , ownerId, secrecyLevel, until]) =>
        counts({ id, ownerId, secrecyLevel, secrecyUntil: until === null ? null : new Date(until) }),
      )
      .map(([id]) => id),
  );
  const byGrade: Record<Grade, number> = { A: 0, B: 0, C: 0 };
  for (const g of graded) if (counted.has(g.customerId)) byGrade[g.grade]++;
  const run: GradingRun = {
    months,
    graded: graded.filter((g) => counted.has(g.customerId)).length,
    changed: changes.filter((g) => counted.has(g.customerId)).length,
    byGrade,
    reason,
  };
  await appendAuditEvent(tx, {
    at: now,
    actor: by,
    action: 'customers.graded',
    subjectType: 'grading',
    subjectId: `${months[0]}..${months[2]}`,
    details: { graded: graded.length, changed: changes.length, reason },
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
