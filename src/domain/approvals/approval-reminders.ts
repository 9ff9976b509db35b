import { appendAuditEvents } from '../audit/append-audit-event.js';
import type { Db } from '../context.js';
import { SYSTEM_ACTOR } from '../context.js';
import type { Destination } from '../destination.js';
import type { Role } from '../people/roles.js';
import { readConfig } from '../settings/config-values.js';
import { approversOf } from './approvers.js';
import { requesterThread } from './request-view.js';
import { workingMillisBetween } from './working-time.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ApprovalReminders {
  /** The waiting time after which requesters are told, in days (for the message). */
  escalateAfterDays: number;
  reminders: { code: string; approvers: string[]; waitingHours: number }[];
  escalations: {
    code: string;
    /** The requester, in the thread of their request. */
    to: Destination;
    position: number;
    roles: Role[];
  }[];
}

/**
 * Steps open longer than remind_after_working_hours (configuration; counted on working days, company time)
 * remind their approvers, again every such period; steps open longer than escalate_after_days
 * are reported to the requester once. Each is marked with a conditional update, so two
 * replicas never send the same reminder twice.
 */
export async function collectApprovalReminders(
  db: Db,
  now: Date,
  timeZone: string,
  options: { remindAfterHours?: number; escalateAfterDays?: number } = {},
): Promise<ApprovalReminders> {
  const config = await readConfig(db);
  const remindAfter = (options.remindAfterHours ?? config.remind_after_working_hours) * HOUR_MS;
  const escalateAfter = (options.escalateAfterDays ?? config.escalate_after_days) * DAY_MS;
  const open = await db.approvalStep.findMany({
    where: { state: 'open', request: { state: 'pending' } },
    include: {
      request: {
        include: {
          requester: { select: { slackUserId: true } },
          steps: { where: { position: 0 }, select: { custodians: true } },
        },
      },
    },
    orderBy: { id: 'asc' },
    take: 500,
  });
  const result: ApprovalReminders = {
    escalateAfterDays: options.escalateAfterDays ?? config.escalate_after_days,
    reminders: [],
    escalations: [],
  };
  for (const step of open) {
    if (!step.openedAt) continue;
    const since = step.remindedAt ?? step.openedAt;
    if (workingMillisBetween(since, now, timeZone) >= remindAfter) {
      const { count } = await db.approvalStep.updateMany({
        where: { id: step.id, state: 'open', remindedAt: step.remindedAt },
        data: { remindedAt: now },
      });
      if (count === 1) {
        result.reminders.push({
          code: step.request.code,
          approvers: await approversOf(db, step, step.request),
          waitingHours: Math.floor(workingMillisBetween(step.openedAt, now, timeZone) / HOUR_MS),
        });
      }
    }
    if (!step.escalatedAt && now.getTime() - step.openedAt.getTime() >= escalateAfter) {
      const { count } = await db.approvalStep.updateMany({
        where: { id: step.id, state: 'open', escalatedAt: null },
        data: { escalatedAt: now },
      });
      // A screened request's requester is not told which step it waits on (SEC-3).
      const screened = step.request.steps[0]?.custodians ?? false;
      if (count === 1 && !screened) {
        const { request } = step;
        result.escalations.push({
          code: request.code,
          to: requesterThread({ ...request, requesterSlackUserId: request.requester.slackUserId }),
          position: step.position,
          roles: step.roles,
        });
      }
    }
  }
  if (result.reminders.length + result.escalations.length > 0) {
    await db.$transaction((tx) =>
      appendAuditEvents(tx, [
        ...result.reminders.map((r) => ({
          at: now,
          actor: SYSTEM_ACTOR.slackUserId,
          action: 'request.reminded',
          subjectType: 'request',
          subjectId: r.code,
          details: { approvers: r.approvers, waitingHours: r.waitingHours },
        })),
        ...result.escalations.map((e) => ({
          at: now,
          actor: SYSTEM_ACTOR.slackUserId,
          action: 'request.escalated',
          subjectType: 'request',
          subjectId: e.code,
          details: { step: e.position },
        })),
      ]),
    );
  }
  return result;
}
