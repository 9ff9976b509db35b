/**
 * Who does what with statistics reports (STAT-3, STAT-5, STAT-20, INFO-9, INFO-10, INFO-11, INFO-12, INFO-13), one table an
 * auditor reads; the approval chains are in approvals/policy.ts.
 *
 * Statistics are business secrets held by the supervisor (STAT-5): a released report is read
 * by the roles below and by the members of a department the general manager has let have the
 * series (INFO-10, a ReportGrant). A draft, or one under review, is read only by those who
 * compile or review it. Everyone else is answered as if there were no such report: whether a
 * report exists for a period is not theirs to learn either.
 */
import type { ReportPeriod, ReportState } from '../../generated/prisma/client.js';
import type { Tx } from '../context.js';
import { hasAnyRole, type Role } from '../people/roles.js';

export const REPORT_ACCESS = {
  /** STAT-3, INFO-9: customer service's information staff (the archivists) compile reports and write the text. */
  compile: ['archivist', 'service'],
  /** INFO-13: the supervisor and the service manager review and sign before release. */
  review: ['supervisor', 'service_manager'],
  /** STAT-5: the supervisor holds them; management and the information staff read released reports. */
  readReleased: ['supervisor', 'service_manager', 'general_manager', 'deputy_gm', 'director', 'archivist', 'service'],
  /** INFO-11: a correction slip is filed by customer service (the general manager approves it). */
  correct: ['archivist', 'service'],
} as const satisfies Record<string, readonly Role[]>;

/** INFO-10: how long a department's access to a series lasts once approved. */
export const REPORT_GRANT_DAYS = 365;

/** The roles that read a report in this state without a grant. */
export function readsWithoutGrant(roles: readonly Role[], state: ReportState): boolean {
  // A destroyed report is only its record now: read by whoever read it released.
  if (state === 'released' || state === 'destroyed') return hasAnyRole(roles, REPORT_ACCESS.readReleased);
  return hasAnyRole(roles, REPORT_ACCESS.compile) || hasAnyRole(roles, REPORT_ACCESS.review);
}

/** The series this person reads under an approved, unexpired, unrevoked grant (INFO-10). */
export async function grantedPeriods(
  tx: Tx,
  person: { id: number; departmentId: number | null },
  now: Date,
): Promise<Set<ReportPeriod>> {
  const grants = await tx.reportGrant.findMany({
    where: {
      revokedAt: null,
      expiresAt: { gt: now },
      // A department's grant follows membership (one who leaves it loses it); an outside unit's, its contact.
      OR: [
        { personId: person.id, departmentId: null },
        ...(person.departmentId !== null ? [{ departmentId: person.departmentId }] : []),
      ],
    },
    select: { period: true },
  });
  return new Set(grants.map((grant) => grant.period));
}

/** Whether a person reads this report now: by role, or a released one under a grant for its series. */
export function mayReadReport(
  person: { roles: readonly Role[] },
  granted: ReadonlySet<ReportPeriod>,
  report: { state: ReportState; period: ReportPeriod },
): boolean {
  return readsWithoutGrant(person.roles, report.state) || (report.state === 'released' && granted.has(report.period));
}
