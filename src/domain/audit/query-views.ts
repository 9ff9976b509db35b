import { can } from '../access/capabilities.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';

/** SEC-16: the actions that prove who saw (or tried to see) which customer. */
export const VIEW_ACTIONS = ['customer.viewed', 'customer.view_refused', 'customer.exported'] as const;

export const VIEWS_PAGE_SIZE = 25;

export interface ViewRecord {
  at: Date;
  actor: string;
  action: (typeof VIEW_ACTIONS)[number];
  code: string;
  level: string | null;
  via: string | null;
}

export interface ViewsReport {
  total: number;
  items: ViewRecord[];
}

export type ViewsQuery =
  | { by: 'customer'; code: string; from: Date; to: Date }
  | { by: 'person'; slackUserId: string; from: Date; to: Date };

/**
 * `/kh audit <code>` and `/kh audit @user`: who saw a customer, or what a person saw, in a
 * period, newest first. Reading the trail is itself audited.
 */
export async function queryViews(ctx: UseCaseContext, query: ViewsQuery): Promise<ViewsReport> {
  if (query.from >= query.to) throw new DomainError('invalid_period');
  return runUseCase(ctx, async ({ tx, me, audit, refuse }) => {
    if (!can(me.roles, 'readAuditTrail')) {
      const subject = query.by === 'customer' ? query.code : query.slackUserId;
      return refuse(new DomainError('not_allowed', { action: 'audit' }), denied(query.by, subject, 'audit.query'));
    }
    if (query.by === 'customer') {
      const exists = await tx.customer.findUnique({ where: { code: query.code }, select: { id: true } });
      if (!exists) throw new DomainError('customer_not_found', { code: query.code });
    } else {
      const exists = await tx.person.findUnique({ where: { slackUserId: query.slackUserId }, select: { id: true } });
      if (!exists) throw new DomainError('person_without_role', { user: query.slackUserId });
    }
    const where = {
      action: { in: [...VIEW_ACTIONS] },
      at: { gte: query.from, lt: query.to },
      subjectType: 'customer',
      ...(query.by === 'customer' ? { subjectId: query.code } : { actor: query.slackUserId }),
    };
    const [total, rows] = [
      await tx.auditEvent.count({ where }),
      await tx.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: VIEWS_PAGE_SIZE }),
    ];
    await audit({
      action: 'audit.queried',
      subjectType: query.by === 'customer' ? 'customer' : 'person',
      subjectId: query.by === 'customer' ? query.code : query.slackUserId,
      details: { from: query.from.toISOString(), to: query.to.toISOString(), results: total },
    });
    return {
      total,
      items: rows.map((row) => {
        const details = (row.details ?? {}) as { level?: string; via?: string };
        return {
          at: row.at,
          actor: row.actor,
          action: row.action as ViewRecord['action'],
          code: row.subjectId ?? '',
          level: details.level ?? null,
          via: details.via ?? null,
        };
      }),
    };
  });
}

/** Who saw each customer in a period (for incident reports): person → number of views, last time. */
export async function viewersOf(
  db: Db | Tx,
  codes: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, { slackUserId: string; views: number; last: Date }[]>> {
  const rows = await db.auditEvent.groupBy({
    by: ['subjectId', 'actor'],
    where: {
      action: 'customer.viewed',
      subjectType: 'customer',
      subjectId: { in: [...codes] },
      at: { gte: from, lte: to },
    },
    _count: { _all: true },
    _max: { at: true },
  });
  const result = new Map<string, { slackUserId: string; views: number; last: Date }[]>(codes.map((c) => [c, []]));
  for (const row of rows) {
    if (!row.subjectId || !row._max.at) continue;
    result.get(row.subjectId)?.push({ slackUserId: row.actor, views: row._count._all, last: row._max.at });
  }
  for (const list of result.values()) list.sort((a, b) => b.last.getTime() - a.last.getTime());
  return result;
}
