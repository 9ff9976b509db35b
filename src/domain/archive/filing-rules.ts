/**
 * The filing rules of the archive regulation as pure functions, table-tested in
 * tests/unit/filing-rules.test.ts:
 *
 * - ARCH-14: the year a document is filed under (different years are not mixed, with the
 *   exceptions for replies, plans, summaries and meetings);
 * - ARCH-12, ARCH-15: the order inside a volume (related documents together: reply before
 *   request, main document before attachment, printed before draft, original before its
 *   copies and language versions; otherwise in the order they were formed);
 * - ARCH-16: pages numbered on across the volume.
 */
import type { DocumentNature, DocumentRelation } from '../../generated/prisma/enums.js';

export interface FilingFacts {
  /** The year the document was formed (company calendar). */
  formedYear: number;
  nature: DocumentNature;
  /** First and last year a plan, summary or meeting covers (a meeting: its opening year first). */
  coversFrom: number | null;
  coversTo: number | null;
  /** For a request: the year its reply was formed, if it has one. */
  replyYear: number | null;
}

/** ARCH-14: the annual volume's year for a document. */
export function filingYear(facts: FilingFacts): number {
  // A cross-year request and its reply go to the reply's year; without a reply, the request's.
  if (facts.replyYear !== null) return facts.replyYear;
  switch (facts.nature) {
    case 'plan':
      // A multi-year plan: its first year.
      return facts.coversFrom ?? facts.formedYear;
    case 'summary':
      // A multi-year summary: its last year.
      return facts.coversTo ?? facts.formedYear;
    case 'meeting':
      // Meeting documents: the year the meeting opened.
      return facts.coversFrom ?? facts.formedYear;
    default:
      return facts.formedYear;
  }
}

export interface OrderItem {
  id: number;
  relatedId: number | null;
  relation: DocumentRelation | null;
  formedOn: Date;
}

/** Where a related document goes beside the one it belongs to (ARCH-15). */
const BEFORE_ITS_RELATED: Record<DocumentRelation, boolean> = {
  // 批复在前，请示在后.
  reply: true,
  // 正件在前，附件在后.
  attachment: false,
  // 印件在前，定稿在后.
  draft: false,
  // The original first, then its copies and language versions (ARCH-12: kept together).
  version: false,
};

const byFormation = (a: OrderItem, b: OrderItem) => a.formedOn.getTime() - b.formedOn.getTime() || a.id - b.id;

/**
 * ARCH-12, ARCH-15: the documents of a volume in their order. A document related to another
 * in the same volume stays beside it (before it for a reply, after it otherwise); groups and
 * siblings follow the order they were formed in. A document whose related one is elsewhere
 * is ordered as a group of its own.
 */
export function orderInVolume<T extends OrderItem>(documents: readonly T[]): T[] {
  const ids = new Set(documents.map((d) => d.id));
  const children = new Map<number, T[]>();
  const roots: T[] = [];
  for (const doc of documents) {
    if (doc.relatedId !== null && doc.relation !== null && ids.has(doc.relatedId) && doc.relatedId !== doc.id) {
      const list = children.get(doc.relatedId) ?? [];
      list.push(doc);
      children.set(doc.relatedId, list);
    } else {
      roots.push(doc);
    }
  }
  const ordered: T[] = [];
  const placed = new Set<number>();
  const place = (doc: T) => {
    if (placed.has(doc.id)) return;
    placed.add(doc.id);
    const related = [...(children.get(doc.id) ?? [])].sort(byFormation);
    for (const child of related) if (child.relation && BEFORE_ITS_RELATED[child.relation]) place(child);
    ordered.push(doc);
    for (const child of related) if (child.relation && !BEFORE_ITS_RELATED[child.relation]) place(child);
  };
  for (const root of [...roots].sort(byFormation)) place(root);
  // A cycle of relations has no root: keep its members in formation order rather than lose them.
  for (const doc of [...documents].sort(byFormation)) place(doc);
  return ordered;
}

/** ARCH-16: pages numbered on across the volume, in the volume's order. */
export function numberPages(pages: readonly number[]): { firstPage: number; lastPage: number }[] {
  let next = 1;
  return pages.map((count) => {
    const firstPage = next;
    next += count;
    return { firstPage, lastPage: next - 1 };
  });
}

const RETENTION_RANK = { short_term: 0, long_term: 1, permanent: 2 } as const;

/** ARCH-17: a volume is kept as long as its longest-kept document. */
export function longestRetention<R extends keyof typeof RETENTION_RANK>(classes: readonly R[]): R | undefined {
  return classes.reduce<R | undefined>(
    (longest, c) => (longest === undefined || RETENTION_RANK[c] > RETENTION_RANK[longest] ? c : longest),
    undefined,
  );
}
