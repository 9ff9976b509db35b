/**
 * The storage-location index (存放地点索引, INFO-6, INFO-7, INFO-22): rooms, cabinets, shelves
 * and boxes, each in its place among its siblings (left→right, top→bottom, in the order
 * they are added). A location marked for classified material passes the mark to what it
 * contains. Volumes are kept in boxes (ARCH-20).
 */
import type { LocationKind } from '../../generated/prisma/enums.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { levelRank, type SecrecyLevel } from '../access/visibility.js';
import type { Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from './archive-visibility.js';

export const LOCATION_KINDS: readonly LocationKind[] = ['room', 'cabinet', 'shelf', 'box'];
export const LOCATION_LABEL_MAX = 40;

/** `档案室1/A柜/3层/12盒` → its labels; undefined when it is not 1–4 labels of 1–40 characters. */
export function parseLocationPath(text: string): string[] | undefined {
  const labels = text.split('/').map((label) => label.trim());
  if (labels.length < 1 || labels.length > LOCATION_KINDS.length) return undefined;
  if (labels.some((label) => label.length === 0 || label.length > LOCATION_LABEL_MAX || /\s/.test(label)))
    return undefined;
  return labels;
}

/** INFO-22: 机密 and 绝密 volumes are stored apart, in locations marked for them. */
export function needsClassifiedLocation(level: SecrecyLevel): boolean {
  return levelRank(level) >= levelRank('confidential');
}

export interface LocationAdded {
  path: string;
  kind: LocationKind;
  classified: boolean;
  /** The levels above it that did not exist yet and were added on the way. */
  created: string[];
}

/** `/kh location add <path> [classified]`: adds the location and any missing level above it. */
export function addLocation(ctx: UseCaseContext, input: { path: string; classified: boolean }): Promise<LocationAdded> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(new DomainError('not_allowed', { action: 'location' }), denied('location', null, 'location.add'));
    const labels = parseLocationPath(input.path);
    if (!labels) throw new DomainError('location_path_invalid', { max: LOCATION_LABEL_MAX });
    const path = labels.join('/');
    if (await tx.location.findUnique({ where: { path } })) throw new DomainError('location_exists', { path });
    let parent: { id: number; sortKey: string; classified: boolean } | null = null;
    const created: string[] = [];
    for (const [depth, label] of labels.entries()) {
      const here = labels.slice(0, depth + 1).join('/');
      const existing = await tx.location.findUnique({ where: { path: here } });
      if (existing) {
        parent = existing;
        continue;
      }
      const siblings: number = await tx.location.count({ where: { parentId: parent?.id ?? null } });
      const position: number = siblings + 1;
      const last = depth === labels.length - 1;
      const kind = LOCATION_KINDS[depth] ?? 'box';
      parent = await tx.location.create({
        data: {
          kind,
          label,
          parentId: parent?.id ?? null,
          position,
          path: here,
          sortKey: `${parent?.sortKey ?? ''}${String(position).padStart(4, '0')}`,
          classified: (parent?.classified ?? false) || (last && input.classified),
          createdAt: now,
        },
      });
      created.push(here);
    }
    if (!parent) throw new Error('a location path has at least one label');
    const added = await tx.location.findUniqueOrThrow({ where: { path } });
    await audit({
      action: 'location.added',
      subjectType: 'location',
      subjectId: path.slice(0, 60),
      details: { path, kind: added.kind, classified: added.classified, created },
    });
    return { path, kind: added.kind, classified: added.classified, created: created.filter((p) => p !== path) };
  });
}

export interface LocationLine {
  path: string;
  kind: LocationKind;
  classified: boolean;
  /** Volumes in it (boxes only). */
  volumes: number;
}

export const LOCATIONS_PAGE = 50;

/** `/kh location list [path]`: the index in shelf order, under a path if given, a page at a time. */
export function listLocations(
  ctx: UseCaseContext,
  input: { under?: string; page: number },
): Promise<{ lines: LocationLine[]; total: number; page: number; pages: number }> {
  return runUseCase(ctx, async ({ tx, now, me, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(new DomainError('not_allowed', { action: 'location' }), denied('location', null, 'location.list'));
    let prefix = '';
    if (input.under) {
      const labels = parseLocationPath(input.under);
      const root = labels ? await tx.location.findUnique({ where: { path: labels.join('/') } }) : null;
      if (!root) throw new DomainError('location_not_found', { path: input.under.slice(0, 200) });
      prefix = root.sortKey;
    }
    const where = { sortKey: { startsWith: prefix } };
    const total = await tx.location.count({ where });
    const pages = Math.max(1, Math.ceil(total / LOCATIONS_PAGE));
    const page = Math.min(Math.max(1, input.page), pages);
    const rows = await tx.location.findMany({
      where,
      orderBy: { sortKey: 'asc' },
      skip: (page - 1) * LOCATIONS_PAGE,
      take: LOCATIONS_PAGE,
      select: { id: true, path: true, kind: true, classified: true },
    });
    // A box's count leaves out volumes the reader may not know of (SEC-3: a count is an answer too).
    const viewer = await loadViewer(tx, me, now);
    const volumes = await tx.volume.findMany({
      where: { boxId: { in: rows.filter((row) => row.kind === 'box').map((row) => row.id) } },
      select: { boxId: true, secrecyLevel: true, secrecyUntil: true, customer: { select: CUSTOMER_FOR_ARCHIVE } },
    });
    const counts = new Map<number, number>();
    for (const volume of volumes) {
      if (itemVisibility(viewer, volume.customer, volume, now) === 'hidden') continue;
      counts.set(volume.boxId, (counts.get(volume.boxId) ?? 0) + 1);
    }
    return {
      lines: rows.map((row) => ({
        path: row.path,
        kind: row.kind,
        classified: row.classified,
        volumes: counts.get(row.id) ?? 0,
      })),
      total,
      page,
      pages,
    };
  });
}

/** The box at a path, refused unless it is a box fit for a volume of this level (INFO-22). */
export async function boxFor(tx: Tx, pathText: string, level: SecrecyLevel): Promise<{ id: number; path: string }> {
  const labels = parseLocationPath(pathText);
  const box = labels ? await tx.location.findUnique({ where: { path: labels.join('/') } }) : null;
  if (!box) throw new DomainError('location_not_found', { path: pathText.slice(0, 200) });
  if (box.kind !== 'box') throw new DomainError('location_not_box', { path: box.path });
  if (needsClassifiedLocation(level) && !box.classified)
    throw new DomainError('location_not_classified', { path: box.path, level });
  return { id: box.id, path: box.path };
}

/**
 * A new volume's box when none is named: the first empty box in shelf order of the kind its
 * level needs (marked for 机密/绝密 volumes; an ordinary one otherwise, so marked boxes stay
 * free for classified material).
 */
export async function firstFreeBox(tx: Tx, level: SecrecyLevel): Promise<{ id: number; path: string }> {
  const box = await tx.location.findFirst({
    where: { kind: 'box', classified: needsClassifiedLocation(level), volumes: { none: {} } },
    orderBy: { sortKey: 'asc' },
    select: { id: true, path: true },
  });
  if (!box) throw new DomainError('no_free_box', { level });
  return box;
}
