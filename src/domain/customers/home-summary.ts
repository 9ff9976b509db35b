import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, levelFilterOf, type SecrecyLevel, visibilityOf } from '../access/visibility.js';
import type { UseCaseContext } from '../context.js';
import { runUseCase } from '../use-case.js';

export const HOME_CUSTOMERS = 15;

export interface HomeSummary {
  /** The person's own customers, as the visibility rule lets them see each (a top-secret one only as its code). */
  customers: ({ code: string; level: SecrecyLevel } & ({ visible: true; name: string } | { visible: false }))[];
  totalCustomers: number;
  grants: { code: string; expiresAt: Date }[];
}

/**
 * What App Home shows a person: their customers and their active access grants. Names of
 * classified customers shown there are views like any other and are audited (SEC-16).
 */
export function homeSummary(ctx: UseCaseContext): Promise<HomeSummary> {
  return runUseCase(ctx, async (scope) => {
    const { tx: db, now, me: person } = scope;
    const viewer = await loadViewer(db, person, now);
    // SEC-3: a customer hidden from its own owner (绝密) is not listed, nor counted: App Home
    // must not say more than `show`, which answers such a code like an unknown one.
    const { hidden } = levelFilterOf(viewer, now);
    const exempt = [...viewer.grantedCustomerIds, ...viewer.custodianOf];
    const where = {
      ownerId: person.id,
      NOT: {
        secrecyLevel: { in: hidden },
        OR: [{ secrecyUntil: null }, { secrecyUntil: { gt: now } }],
        id: { notIn: exempt },
      },
    };
    const [rows, totalCustomers, grants] = [
      await db.customer.findMany({
        where,
        orderBy: { id: 'desc' },
        take: HOME_CUSTOMERS,
        select: { id: true, code: true, name: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
      }),
      await db.customer.count({ where }),
      await db.accessGrant.findMany({
        where: { personId: person.id, revokedAt: null, startsAt: { lte: now }, expiresAt: { gt: now } },
        orderBy: { expiresAt: 'asc' },
        select: { expiresAt: true, customerId: true, customer: { select: { code: true } } },
      }),
    ];
    const customers: HomeSummary['customers'] = rows.map((row) => {
      const level = effectiveSecrecy(row, now);
      return visibilityOf(viewer, row, now) === 'visible'
        ? { code: row.code, level, visible: true as const, name: row.name }
        : { code: row.code, level, visible: false as const };
    });
    await scope.revealed(
      customers.filter((c) => c.visible),
      'home',
    );
    return {
      customers,
      totalCustomers,
      // A grant suspended by a raise above its level is not listed (loadViewer leaves it out).
      grants: grants
        .filter((g) => viewer.grantedCustomerIds.has(g.customerId))
        .map((g) => ({ code: g.customer.code, expiresAt: g.expiresAt })),
    };
  });
}
