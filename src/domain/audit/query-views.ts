import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { levelFilterOf, type Viewer } from '../access/visibility.js';
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
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    if (!can(me.roles, 'readAuditTrail')) {
      const subject = query.by === 'customer' ? query.code : query.slackUserId;
      return refuse(new DomainError('not_allowed', { action: 'audit' }), denied(query.by, subject, 'audit.query'));
    }
    // SEC-3: the trail of a customer hidden from the reader (绝密, unless they keep it) is
    // answered like an unknown code's, and a person's trail omits what proves one exists.
    const viewer = await loadViewer(tx, me, now);
    const hiddenCodes = await codesHiddenFrom(tx, viewer, now);
    if (query.by === 'customer') {
      const exists = await tx.customer.findUnique({ where: { code: query.code }, select: { id: true } });
      if (!exists || hiddenCodes.has(query.code)) {
        return refuse(new DomainError('customer_not_found', { code: query.code }), {
          action: 'customer.view_refused',
          subjectType: 'customer',
          subjectId: query.code,
          details: { level: null, via: 'audit' },
        });
      }
    } else {
      const exists = await tx.person.findUnique({ where: { slackUserId: query.slackUserId }, select: { id: true } });
      if (!exists) throw new DomainError('person_without_role', { user: query.slackUserId });
    }
    const where = {
      action: { in: [...VIEW_ACTIONS] },
      at: { gte: query.from, lt: query.to },
      subjectType: 'customer',
      ...(query.by === 'customer' ? { subjectId: query.code } : { actor: query.slackUserId }),
      // A view or export happened only for a real customer: of a hidden one, it is left out.
      NOT: { action: { in: ['customer.viewed', 'customer.exported'] }, subjectId: { in: [...hiddenCodes] } },
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
        const code = row.subjectId ?? '';
        return {
          at: row.at,
          actor: row.actor,
          action: row.action as ViewRecord['action'],
          code,
          // A refused look at a hidden code reads like one at an unknown code: no level.
          level: hiddenCodes.has(code) ? null : (details.level ?? null),
          via: details.via ?? null,
        };
      }),
    };
  });
}

/** One person's sight of a customer in a period: views (cards, result lists) and exports (files). */
export interface Sighting {
  slackUserId: string;
  views: number;
  exports: number;
  last: Date;
}

/**
 * Who saw each customer in a period (for incident reports), person by person, latest first.
 * An export is a sight too: a file of the customer left with that person (SEC-16).
 */
export async function viewersOf(
  db: Db | Tx,
  codes: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, Sighting[]>> {
  const rows = await db.auditEvent.groupBy({
    by: ['subjectId', 'actor', 'action'],
    where: {
      action: { in: ['customer.viewed', 'customer.exported'] },
      subjectType: 'customer',
      subjectId: { in: [...codes] },
      at: { gte: from, lte: to },
    },
    _count: { _all: true },
    _max: { at: true },
  });
  const byCustomer = new Map<string, Map<string, Sighting>>(codes.map((c) => [c, new Map()]));
  for (const row of rows) {
    const people = row.subjectId ? byCustomer.get(row.subjectId) : undefined;
    if (!people || !row._max.at) continue;
    const seen = people.get(row.actor) ?? { slackUserId: row.actor, views: 0, exports: 0, last: row._max.at };
    if (row.action === 'customer.exported') seen.exports += row._count._all;
    else seen.views += row._count._all;
    if (row._max.at > seen.last) seen.last = row._max.at;
    people.set(row.actor, seen);
  }
  return new Map(
    [...byCustomer].map(([code, people]) => [
      code,
      [...people.values()].sort((a, b) => b.last.getTime() - a.last.getTime()),
    ]),
  );
}

/** The codes of customers this viewer may not learn exist (绝密 ones they do not keep, SEC-3). */
async function codesHiddenFrom(tx: Tx, viewer: Viewer, now: Date): Promise<Set<string>> {
  const { hidden } = levelFilterOf(viewer, now);
  if (hidden.length === 0) return new Set();
  const rows = await tx.customer.findMany({
    where: {
      secrecyLevel: { in: hidden },
      OR: [{ secrecyUntil: null }, { secrecyUntil: { gt: now } }],
      id: { notIn: [...viewer.grantedCustomerIds, ...viewer.custodianOf] },
    },
    select: { code: true },
  });
  return new Set(rows.map((row) => row.code));
}
