/**
 * DB-9: a region's customers in their visit order (路序). `/kh route <region>` shows the ones
 * the asker may read (others are not there, and positions are counted among what they see, so
 * no gap gives one away); `/kh route <region> move <KH-…> <n>` puts a
 * customer n-th in that list. The order is kept whole: every customer of the region numbered
 * 1…n again, the others keeping their order. Audited.
 */
import type { SecrecyLevel } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, type Viewer, visibilityOf } from '../access/visibility.js';
import type { Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';

export interface RouteStop {
  position: number;
  code: string;
  name: string;
  address: string;
  level: SecrecyLevel;
}

export interface Route {
  region: string;
  stops: RouteStop[];
}

const REGION_MAX = 60;

async function regionCustomers(tx: Tx, region: string) {
  return tx.customer.findMany({
    where: { region },
    select: {
      id: true,
      code: true,
      name: true,
      address: true,
      ownerId: true,
      secrecyLevel: true,
      secrecyUntil: true,
      routeOrder: true,
    },
    // Unnumbered customers come last, in acquisition order.
    orderBy: [{ routeOrder: { sort: 'asc', nulls: 'last' } }, { code: 'asc' }],
  });
}

type Row = Awaited<ReturnType<typeof regionCustomers>>[number];

/**
 * The stops the viewer may read in full. A customer they may only know of is left out too: its
 * place between neighbours whose addresses are shown would say where it is (its region is a
 * field they may not read).
 */
function stopsFor(viewer: Viewer, rows: readonly Row[], now: Date): { stops: RouteStop[]; seen: Row[] } {
  const seen = rows.filter((row) => visibilityOf(viewer, row, now) === 'visible');
  const stops = seen.map((row, i) => ({
    position: i + 1,
    code: row.code,
    name: row.name,
    address: row.address,
    level: effectiveSecrecy(row, now),
  }));
  return { stops, seen };
}

export function showRoute(ctx: UseCaseContext, regionText: string): Promise<Route> {
  return runUseCase(ctx, async ({ tx, now, me, refuse, revealed }) => {
    const region = regionText.trim().slice(0, REGION_MAX);
    if (!can(me.roles, 'searchCustomers'))
      return refuse(new DomainError('not_allowed', { action: 'route' }), denied('region', region, 'route.show'));
    const viewer = await loadViewer(tx, me, now);
    const { stops } = stopsFor(viewer, await regionCustomers(tx, region), now);
    if (stops.length === 0) throw new DomainError('region_empty', { region });
    await revealed(
      stops.map((s) => ({ code: s.code, level: s.level })),
      'find',
      { region },
    );
    return { region, stops };
  });
}

export function moveInRoute(
  ctx: UseCaseContext,
  input: { region: string; code: string; position: number },
): Promise<Route> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    const region = input.region.trim().slice(0, REGION_MAX);
    // DB-9: the route is kept by those who keep the records (the owner moves their own customer).
    const viewer = await loadViewer(tx, me, now);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`route:${region}`}))`;
    const rows = await regionCustomers(tx, region);
    const { seen } = stopsFor(viewer, rows, now);
    const target = seen.find((row) => row.code === input.code);
    if (!target) throw new DomainError('route_not_in_region', { code: input.code, region });
    if (!can(me.roles, 'editAnyCustomer') && target.ownerId !== me.id)
      return refuse(new DomainError('not_allowed', { action: 'route' }), denied('customer', input.code, 'route.move'));
    // Place it before the customer the asker sees at `position` (or last), the others keeping their order.
    const others = rows.filter((row) => row.id !== target.id);
    const anchor = seen.filter((row) => row.id !== target.id)[input.position - 1];
    const at = anchor ? others.findIndex((row) => row.id === anchor.id) : others.length;
    const order = [...others.slice(0, at), target, ...others.slice(at)];
    for (const [i, row] of order.entries()) {
      if (row.routeOrder !== i + 1) await tx.customer.update({ where: { id: row.id }, data: { routeOrder: i + 1 } });
    }
    await audit({
      action: 'route.reordered',
      subjectType: 'customer',
      subjectId: target.code,
      // Every customer renumbered is on the record, not only the one moved.
      details: {
        region,
        from: target.routeOrder,
        to: order.indexOf(target) + 1,
        renumbered: order.filter((row, i) => row.routeOrder !== i + 1).map((row) => row.code),
      },
    });
    const after = stopsFor(viewer, await regionCustomers(tx, region), now);
    return { region, stops: after.stops };
  });
}
