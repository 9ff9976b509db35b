import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { hasAnyRole } from '../people/roles.js';
import { denied, runUseCase } from '../use-case.js';
import { INCIDENT_HANDLERS, type IncidentStatus, NEXT_STATUS } from './incident-rules.js';

export interface IncidentAdvanced {
  code: string;
  status: IncidentStatus;
  by: string;
  at: Date;
}

/**
 * Moves an incident one step (reported → remedied → closed), recording who and when. A
 * conditional update makes double clicks and concurrent clicks record one step; the loser
 * is told who did it.
 */
export async function advanceIncident(
  ctx: UseCaseContext,
  input: { code: string; to: Exclude<IncidentStatus, 'reported'> },
): Promise<IncidentAdvanced> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!hasAnyRole(me.roles, INCIDENT_HANDLERS)) {
      return refuse(
        new DomainError('not_allowed', { action: 'incident' }),
        denied('incident', input.code, `incident.${input.to}`),
      );
    }
    const incident = await tx.incident.findUnique({ where: { code: input.code } });
    if (!incident) return refuse(new DomainError('incident_not_found', { code: input.code }));
    const from = (Object.keys(NEXT_STATUS) as IncidentStatus[]).find((s) => NEXT_STATUS[s] === input.to);
    const data =
      input.to === 'remedied'
        ? { status: input.to, remediedBy: actor.slackUserId, remediedAt: now }
        : { status: input.to, closedBy: actor.slackUserId, closedAt: now };
    const { count } = await tx.incident.updateMany({ where: { id: incident.id, status: from }, data });
    if (count === 0) {
      const by = incident.status === 'closed' ? incident.closedBy : incident.remediedBy;
      return refuse(
        new DomainError('incident_transition', { code: input.code, status: incident.status, user: by ?? '?' }),
      );
    }
    await audit({
      action: `incident.${input.to}`,
      subjectType: 'incident',
      subjectId: input.code,
      details: { from: from ?? null },
    });
    return { code: input.code, status: input.to, by: actor.slackUserId, at: now };
  });
}
