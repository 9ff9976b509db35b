import { effectiveSecrecy } from '../access/visibility.js';
import { viewersOf } from '../audit/query-views.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { hasAnyRole } from '../people/roles.js';
import { denied, runUseCase } from '../use-case.js';
import { INCIDENT_HANDLERS, type IncidentStatus } from './incident-rules.js';
import type { IncidentReported } from './report-incident.js';

/** An incident as its handlers see it (to re-render the report after a status change). */
export function getIncidentReport(
  ctx: UseCaseContext,
  code: string,
): Promise<{ report: IncidentReported; status: IncidentStatus }> {
  return runUseCase(ctx, async ({ tx: db, now, me, refuse }) => {
    if (!hasAnyRole(me.roles, INCIDENT_HANDLERS)) {
      return refuse(new DomainError('not_allowed', { action: 'incident' }), denied('incident', code, 'incident.read'));
    }
    const incident = await db.incident.findUnique({
      where: { code },
      include: {
        reportedBy: { select: { slackUserId: true } },
        customers: { include: { customer: { select: { code: true, secrecyLevel: true, secrecyUntil: true } } } },
        inspections: { select: { id: true } },
      },
    });
    if (!incident) throw new DomainError('incident_not_found', { code });
    const codes = incident.customers.map((c) => c.customer.code).sort();
    const viewers = await viewersOf(db, codes, incident.periodFrom, incident.periodTo);
    return {
      status: incident.status,
      report: {
        code: incident.code,
        cause: incident.cause,
        description: incident.description,
        howDiscovered: incident.howDiscovered,
        remedy: incident.remedy,
        reporterSlackUserId: incident.reportedBy.slackUserId,
        reportedAt: incident.reportedAt,
        periodFrom: incident.periodFrom,
        customers: incident.customers
          .map((c) => ({
            code: c.customer.code,
            level: effectiveSecrecy(c.customer, now),
            viewers: viewers.get(c.customer.code) ?? [],
          }))
          // 绝密 customers are withheld from the report's readers (report-incident.ts).
          .filter((c) => c.level !== 'top_secret')
          .sort((a, b) => a.code.localeCompare(b.code)),
        inspectionOpened: incident.inspections.length > 0,
        recipients: { supervisors: [], serviceManagers: [], generalManagers: [], gmOfficeChannel: null },
        notify: [],
        notices: [],
      },
    };
  });
}
