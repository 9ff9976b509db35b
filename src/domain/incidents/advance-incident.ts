import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { UseCaseContext } from '../context.js';
import { loadActor } from '../customers/load-actor.js';
import { DomainError } from '../errors.js';
import { hasAnyRole } from '../people/roles.js';
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
  const { db, now, actor } = ctx;
  const outcome = await db.$transaction(async (tx) => {
    const me = await loadActor(tx, ctx);
    if (!hasAnyRole(me.roles, INCIDENT_HANDLERS)) {
      await appendAuditEvent(tx, {
        at: now,
        actor: actor.slackUserId,
        action: 'access.denied',
        subjectType: 'incident',
        subjectId: input.code,
        details: { attempted: `incident.${input.to}` },
      });
      return { error: new DomainError('not_allowed', { action: 'incident' }) };
    }
    const incident = await tx.incident.findUnique({ where: { code: input.code } });
    if (!incident) return { error: new DomainError('incident_not_found', { code: input.code }) };
    const from = (Object.keys(NEXT_STATUS) as IncidentStatus[]).find((s) => NEXT_STATUS[s] === input.to);
    const data =
      input.to === 'remedied'
        ? { status: input.to, remediedBy: actor.slackUserId, remediedAt: now }
        : { status: input.to, closedBy: actor.slackUserId, closedAt: now };
    const { count } = await tx.incident.updateMany({ where: { id: incident.id, status: from }, data });
    if (count === 0) {
      const by = incident.status === 'closed' ? incident.closedBy : incident.remediedBy;
      return {
        error: new DomainError('incident_transition', { code: input.code, status: incident.status, user: by ?? '?' }),
      };
    }
    await appendAuditEvent(tx, {
      at: now,
      actor: actor.slackUserId,
      action: `incident.${input.to}`,
      subjectType: 'incident',
      subjectId: input.code,
      details: { from: from ?? null },
    });
    return { done: { code: input.code, status: input.to, by: actor.slackUserId, at: now } };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.done;
}
