/**
 * Filing a document (ARCH-6: vet, decide its place, update the catalogue, put it in place).
 * The archivist states the document in the `/kh file` form; the rules choose its annual
 * volume (ARCH-7, ARCH-14), a top-secret document its own volume (ARCH-13), and related
 * documents stay together (ARCH-12: a reply pulls its request into the reply's year; an
 * ordinary document joins the top-secret volume of the one it belongs to). The volume is
 * then put in order (ARCH-15) and its pages numbered on (ARCH-16).
 */
import type { DocumentNature, DocumentRelation, RetentionClass } from '../../generated/prisma/enums.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, levelRank, type SecrecyLevel, visibilityOf } from '../access/visibility.js';
import { nextCode, parseCode } from '../codes.js';
import type { Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { readConfig } from '../settings/config-values.js';
import { addDays, dbDateFromLocalDate, localDateFromDbDate, localDateOf, startOfLocalDay } from '../time.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from './archive-visibility.js';
import { type RawDocumentInput, validateDocumentInput } from './document-input.js';
import { filingYear, longestRetention, numberPages, orderInVolume } from './filing-rules.js';
import { boxFor, firstFreeBox, needsClassifiedLocation } from './locations.js';

export interface DocumentFiled {
  document: { code: string; title: string; position: number; firstPage: number; lastPage: number };
  volume: { code: string; year: number; boxPath: string; created: boolean; documents: number };
  /** Documents that moved to this volume with it (a request to its reply's year, a group to a top-secret volume). */
  moved: string[];
}

const DAY_MS = 86_400_000;

export function fileDocument(
  ctx: UseCaseContext,
  input: RawDocumentInput & { customerCode: string },
): Promise<DocumentFiled> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, timeZone, me, audit, refuse } = scope;
    const { customerCode, ...raw } = input;
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'file' }),
        denied('customer', customerCode, 'document.file'),
      );
    const validation = validateDocumentInput(raw, localDateOf(now, timeZone));
    if (!validation.ok) throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });
    const doc = validation.value;

    const viewer = await loadViewer(tx, me, now);
    const customer = await tx.customer.findUnique({ where: { code: customerCode }, select: CUSTOMER_FOR_ARCHIVE });
    const seen = customer ? visibilityOf(viewer, customer, now) : 'hidden';
    if (!customer || seen !== 'visible') {
      return refuse(
        customer && seen === 'masked'
          ? new DomainError('customer_hidden', { code: customerCode, level: effectiveSecrecy(customer, now) })
          : new DomainError('customer_not_found', { code: customerCode }),
        denied('customer', customerCode, 'document.file'),
      );
    }
    // One filing at a time per customer: volumes are found or made, then renumbered whole.
    await tx.$executeRaw`SELECT 1 FROM "Customer" WHERE id = ${customer.id} FOR UPDATE`;

    const level = doc.secrecyLevel ?? effectiveSecrecy(customer, now);
    const secrecyUntil = await periodFor(tx, scope, level, doc.secrecyUntil, customer);
    // The filer holds the document: they must be allowed to read it at its level (SEC-3, INFO-22).
    if (itemVisibility(viewer, customer, { secrecyLevel: level, secrecyUntil }, now) !== 'visible')
      return refuse(
        new DomainError('not_allowed', { action: 'file' }),
        denied('customer', customerCode, 'document.file', { level }),
      );

    let related: { id: number } | null = null;
    if (doc.relatedCode) {
      const relatedCode = parseCode('document', doc.relatedCode) ?? doc.relatedCode.slice(0, 20);
      const row = await tx.document.findUnique({
        where: { code: relatedCode },
        select: { id: true, customerId: true, secrecyLevel: true, secrecyUntil: true },
      });
      // Another customer's document, and one the filer may not read, are answered like an unknown one.
      if (!row || row.customerId !== customer.id || itemVisibility(viewer, customer, row, now) !== 'visible') {
        return refuse(new DomainError('document_not_found', { code: relatedCode }), {
          action: 'document.view_refused',
          subjectType: 'document',
          subjectId: relatedCode,
          details: { via: 'file' },
        });
      }
      related = row;
    }

    const formedOn = dbDateFromLocalDate(doc.formedOn);
    const newcomer: GroupMember = {
      id: -1,
      code: '',
      volumeId: -1,
      relatedId: related?.id ?? null,
      relation: related ? doc.relation : null,
      formedOn,
      nature: doc.nature,
      coversFrom: doc.coversFrom,
      coversTo: doc.coversTo,
      secrecyLevel: level,
      secrecyUntil,
    };
    const group = [...(related ? await groupOf(tx, related.id) : []), newcomer];
    // The filer moves the whole group: every document of it must be one they may read.
    if (group.some((d) => itemVisibility(viewer, customer, d, now) !== 'visible'))
      return refuse(
        new DomainError('not_allowed', { action: 'file' }),
        denied('customer', customerCode, 'document.file'),
      );
    // ARCH-29: nothing moves out of a volume held for destruction (or destroyed) either.
    const frozen = await tx.volume.findFirst({
      where: { id: { in: group.map((d) => d.volumeId) }, state: { in: ['held', 'destroyed'] } },
      select: { code: true, state: true },
    });
    if (frozen) throw new DomainError('volume_unavailable', { code: frozen.code, state: frozen.state });
    const year = groupYear(group);
    const groupLevel = group
      .map((d) => effectiveSecrecy(d, now))
      .reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a), 'unclassified' as SecrecyLevel);
    const topSecret = groupLevel === 'top_secret';
    const existing = await tx.volume.findUnique({
      where: { customerId_year_topSecret: { customerId: customer.id, year, topSecret } },
      select: { id: true, code: true, secrecyLevel: true, secrecyUntil: true, state: true },
    });
    // The answer shows the volume's box and contents' shape: only for a volume the filer may read.
    if (existing && itemVisibility(viewer, customer, existing, now) !== 'visible')
      return refuse(
        new DomainError('not_allowed', { action: 'file' }),
        denied('volume', existing.code, 'document.file'),
      );
    // ARCH-29: a volume held for destruction, or destroyed, takes nothing more (what was appraised is what goes).
    if (existing && (existing.state === 'held' || existing.state === 'destroyed'))
      throw new DomainError('volume_unavailable', { code: existing.code, state: existing.state });
    const made = !existing;
    const target = existing ?? (await newVolume(scope, customer.id, year, groupLevel, doc.box, topSecret));
    const code = await nextCode(tx, 'document', localDateOf(now, timeZone).year);
    const created = await tx.document.create({
      data: {
        code,
        customerId: customer.id,
        volumeId: target.id,
        type: doc.type,
        title: doc.title,
        formedOn,
        nature: doc.nature,
        coversFrom: doc.coversFrom,
        coversTo: doc.coversTo,
        filingYear: year,
        copies: doc.copies,
        pages: doc.pages,
        form: doc.form,
        language: doc.language,
        relatedId: related?.id ?? null,
        relation: related ? doc.relation : null,
        carrier: doc.carrier,
        secrecyLevel: level,
        secrecyUntil,
        retention: doc.retention,
        position: 0,
        firstPage: 0,
        lastPage: 0,
        remarks: doc.remarks,
        filedById: me.id,
        filedAt: now,
      },
      select: { id: true },
    });
    const others = group.filter((d) => d.id !== -1);
    const fromVolumes = new Set(others.map((d) => d.volumeId));
    const moved = others.filter((d) => d.volumeId !== target.id).map((d) => d.code);
    if (others.length > 0) {
      await tx.document.updateMany({
        where: { id: { in: others.map((d) => d.id) } },
        data: { volumeId: target.id, filingYear: year },
      });
    }
    if (doc.box && !made) {
      // Moved to the box named; renumbering below checks the box against the volume's new level.
      const box = await boxFor(tx, doc.box, 'unclassified');
      const before = await tx.volume.findUniqueOrThrow({ where: { id: target.id }, include: { box: true } });
      if (before.boxId !== box.id) {
        await tx.volume.update({ where: { id: target.id }, data: { boxId: box.id } });
        await audit({
          action: 'volume.shelved',
          subjectType: 'volume',
          subjectId: before.code,
          details: { from: before.box.path, to: box.path, via: 'file' },
        });
      }
    }
    fromVolumes.delete(target.id);
    await renumberVolume(scope, target.id);
    for (const volumeId of fromVolumes) await renumberVolume(scope, volumeId);

    const filed = await tx.document.findUniqueOrThrow({ where: { id: created.id } });
    const volume = await tx.volume.findUniqueOrThrow({
      where: { id: target.id },
      include: { box: { select: { path: true } }, _count: { select: { documents: true } } },
    });
    await audit({
      action: 'document.filed',
      subjectType: 'document',
      subjectId: filed.code,
      details: {
        customer: customer.code,
        volume: volume.code,
        type: filed.type,
        level,
        position: filed.position,
        pages: [filed.firstPage, filed.lastPage],
        ...(moved.length > 0 && { moved }),
      },
    });
    return {
      document: {
        code: filed.code,
        title: filed.title,
        position: filed.position,
        firstPage: filed.firstPage,
        lastPage: filed.lastPage,
      },
      volume: {
        code: volume.code,
        year: volume.year,
        boxPath: volume.box.path,
        created: made,
        documents: volume._count.documents,
      },
      moved,
    };
  });
}

/** A classified document without its own period keeps the customer's, or gets the configured default. */
async function periodFor(
  tx: Tx,
  scope: Scope,
  level: SecrecyLevel,
  given: { year: number; month: number; day: number } | null,
  customer: { secrecyUntil: Date | null },
): Promise<Date | null> {
  if (level === 'unclassified') return null;
  // SEC-7: the period covers its last day; it lapses when the next day starts.
  if (given) return startOfLocalDay(addDays(given, 1), scope.timeZone);
  if (customer.secrecyUntil && customer.secrecyUntil > scope.now) return customer.secrecyUntil;
  const { secrecy_default_years: years } = await readConfig(tx);
  return new Date(scope.now.getTime() + years * 365 * DAY_MS);
}

interface GroupMember {
  id: number;
  code: string;
  volumeId: number;
  relatedId: number | null;
  relation: DocumentRelation | null;
  formedOn: Date;
  nature: DocumentNature;
  coversFrom: number | null;
  coversTo: number | null;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
}

const MEMBER = {
  id: true,
  code: true,
  volumeId: true,
  relatedId: true,
  relation: true,
  formedOn: true,
  nature: true,
  coversFrom: true,
  coversTo: true,
  secrecyLevel: true,
  secrecyUntil: true,
} as const;

/** ARCH-12: the document, the one it belongs to (up to the root) and everything related below. */
async function groupOf(tx: Tx, id: number): Promise<GroupMember[]> {
  let root = await tx.document.findUniqueOrThrow({ where: { id }, select: MEMBER });
  const seen = new Set([root.id]);
  while (root.relatedId !== null && !seen.has(root.relatedId)) {
    root = await tx.document.findUniqueOrThrow({ where: { id: root.relatedId }, select: MEMBER });
    seen.add(root.id);
  }
  const group = new Map<number, GroupMember>([[root.id, root]]);
  let frontier = [root.id];
  while (frontier.length > 0) {
    const children = await tx.document.findMany({
      where: { relatedId: { in: frontier }, id: { notIn: [...group.keys()] } },
      select: MEMBER,
    });
    for (const child of children) group.set(child.id, child);
    frontier = children.map((c) => c.id);
  }
  return [...group.values()];
}

/** ARCH-14 for a group: the root's filing year, a request answered by a reply going to the reply's year. */
function groupYear(group: readonly GroupMember[]): number {
  const root = group.find((d) => d.relatedId === null || !group.some((o) => o.id === d.relatedId)) ?? group[0];
  if (!root) throw new Error('a group has at least one document');
  const replies = group.filter((d) => d.relatedId === root.id && d.relation === 'reply');
  const yearOf = (d: GroupMember) => localDateFromDbDate(d.formedOn).year;
  return filingYear({
    formedYear: yearOf(root),
    nature: root.nature,
    coversFrom: root.coversFrom,
    coversTo: root.coversTo,
    replyYear: replies.length > 0 ? Math.max(...replies.map(yearOf)) : null,
  });
}

async function newVolume(
  scope: Scope,
  customerId: number,
  year: number,
  level: SecrecyLevel,
  boxPath: string | null,
  topSecret: boolean,
): Promise<{ id: number }> {
  const { tx, now, me, audit } = scope;
  const box = boxPath ? await boxFor(tx, boxPath, level) : await firstFreeBox(tx, level);
  const code = await nextCode(tx, 'volume', year);
  const volume = await tx.volume.create({
    data: {
      code,
      customerId,
      year,
      topSecret,
      secrecyLevel: level,
      retention: 'short_term',
      boxId: box.id,
      responsibleId: me.id,
      createdAt: now,
      updatedAt: now,
    },
    select: { id: true },
  });
  await audit({ action: 'volume.created', subjectType: 'volume', subjectId: code, details: { year, box: box.path } });
  return volume;
}

/**
 * ARCH-15, ARCH-16, ARCH-17, INFO-22: the volume's documents in order with their pages
 * numbered on, its level the highest of theirs (and the box checked for it), its retention
 * the longest. A volume left empty by a move is removed unless something refers to it.
 */
export async function renumberVolume(scope: Scope, volumeId: number): Promise<void> {
  const { tx, now } = scope;
  const docs = await tx.document.findMany({
    where: { volumeId },
    select: {
      id: true,
      relatedId: true,
      relation: true,
      formedOn: true,
      pages: true,
      position: true,
      firstPage: true,
      lastPage: true,
      secrecyLevel: true,
      secrecyUntil: true,
      retention: true,
    },
  });
  if (docs.length === 0) {
    const volume = await tx.volume.findUniqueOrThrow({
      where: { id: volumeId },
      select: { _count: { select: { loans: true, requests: true } } },
    });
    if (volume._count.loans === 0 && volume._count.requests === 0) await tx.volume.delete({ where: { id: volumeId } });
    return;
  }
  const ordered = orderInVolume(docs);
  const pages = numberPages(ordered.map((d) => d.pages));
  for (const [i, doc] of ordered.entries()) {
    const place = { position: i + 1, ...pages[i] };
    if (doc.position !== place.position || doc.firstPage !== place.firstPage || doc.lastPage !== place.lastPage)
      await tx.document.update({ where: { id: doc.id }, data: place });
  }
  const level = docs
    .map((d) => effectiveSecrecy(d, now))
    .reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a), 'unclassified' as SecrecyLevel);
  // The volume stays classified until the last classified document in it lapses (never earlier
  // than any of them: a lapsed volume must not open documents that are still secret).
  const until = docs
    .filter((d) => effectiveSecrecy(d, now) !== 'unclassified' && d.secrecyUntil)
    .map((d) => d.secrecyUntil?.getTime() ?? 0);
  const volume = await tx.volume.update({
    where: { id: volumeId },
    data: {
      secrecyLevel: level,
      secrecyUntil: level === 'unclassified' || until.length === 0 ? null : new Date(Math.max(...until)),
      retention: longestRetention(docs.map((d) => d.retention)) as RetentionClass,
      updatedAt: now,
    },
    include: { box: true },
  });
  if (needsClassifiedLocation(level) && !volume.box.classified)
    throw new DomainError('location_not_classified', { path: volume.box.path, level });
}
