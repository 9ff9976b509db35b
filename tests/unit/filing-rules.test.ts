import { describe, expect, it } from 'vitest';
import {
  type FilingFacts,
  filingYear,
  longestRetention,
  numberPages,
  type OrderItem,
  orderInVolume,
} from '../../src/domain/archive/filing-rules.js';
import type { DocumentRelation, RetentionClass } from '../../src/generated/prisma/enums.js';

/** Facts of a plain single document formed in `formedYear`; override what a row needs. */
const facts = (overrides: Partial<FilingFacts> & Pick<FilingFacts, 'formedYear'>): FilingFacts => ({
  nature: 'single',
  coversFrom: null,
  coversTo: null,
  replyYear: null,
  ...overrides,
});

describe('ARCH-14 filingYear: different years are not mixed', () => {
  const yearCases: { title: string; facts: FilingFacts; year: number }[] = [
    // A single document: the year it was formed.
    {
      title: 'a single document is filed under the year it was formed',
      facts: facts({ formedYear: 2026 }),
      year: 2026,
    },
    // The covered years only matter for plans, summaries and meetings.
    {
      title: 'a single document ignores covered years',
      facts: facts({ formedYear: 2026, coversFrom: 2024, coversTo: 2025 }),
      year: 2026,
    },
    // Cross-year request and reply: both go to the reply's year.
    {
      title: 'a request answered in a later year is filed under the reply year',
      facts: facts({ formedYear: 2025, replyYear: 2026 }),
      year: 2026,
    },
    // Request and reply in the same year: nothing moves.
    {
      title: 'a request answered in the same year stays in that year',
      facts: facts({ formedYear: 2026, replyYear: 2026 }),
      year: 2026,
    },
    // A request without a reply: its own year.
    {
      title: 'a request without reply is filed under its own year',
      facts: facts({ formedYear: 2025, replyYear: null }),
      year: 2025,
    },
    // The reply itself: its own formed year.
    { title: 'a reply is filed under the year it was formed', facts: facts({ formedYear: 2026 }), year: 2026 },
    // A multi-year plan: its first year.
    {
      title: 'a multi-year plan is filed under its first year',
      facts: facts({ formedYear: 2025, nature: 'plan', coversFrom: 2026, coversTo: 2028 }),
      year: 2026,
    },
    // A multi-year summary: its last year.
    {
      title: 'a multi-year summary is filed under its last year',
      facts: facts({ formedYear: 2029, nature: 'summary', coversFrom: 2026, coversTo: 2028 }),
      year: 2028,
    },
    // Meeting documents: the opening year, even when formed later.
    {
      title: 'meeting documents formed later are filed under the opening year',
      facts: facts({ formedYear: 2027, nature: 'meeting', coversFrom: 2026, coversTo: 2027 }),
      year: 2026,
    },
    // Fallback: a plan without covered years → formed year.
    {
      title: 'a plan without a first year falls back to its formed year',
      facts: facts({ formedYear: 2026, nature: 'plan' }),
      year: 2026,
    },
    // Fallback: a summary without a last year → formed year (not its first year).
    {
      title: 'a summary without a last year falls back to its formed year',
      facts: facts({ formedYear: 2026, nature: 'summary', coversFrom: 2024 }),
      year: 2026,
    },
    // Fallback: a meeting without an opening year → formed year.
    {
      title: 'a meeting without an opening year falls back to its formed year',
      facts: facts({ formedYear: 2027, nature: 'meeting' }),
      year: 2027,
    },
  ];
  for (const { facts: f, year, title } of yearCases) {
    it(`ARCH-14: ${title}`, () => {
      expect(filingYear(f)).toBe(year);
    });
  }
});

interface Doc extends OrderItem {
  label: string;
}

/** A document formed on `day` (UTC), optionally related to another one. */
const doc = (
  id: number,
  label: string,
  day: string,
  related: { to: number; as: DocumentRelation } | null = null,
): Doc => ({
  id,
  label,
  formedOn: new Date(`${day}T00:00:00Z`),
  relatedId: related?.to ?? null,
  relation: related?.as ?? null,
});

describe('ARCH-15 / ARCH-12 orderInVolume: related documents together, otherwise by formation', () => {
  const orderCases: { title: string; documents: Doc[]; order: string[] }[] = [
    // 批复在前，请示在后: the reply goes before its request.
    {
      title: 'ARCH-15: a reply is placed before its request',
      documents: [doc(1, 'request', '2026-03-01'), doc(2, 'reply', '2026-03-10', { to: 1, as: 'reply' })],
      order: ['reply', 'request'],
    },
    // 正件在前，附件在后: the main document before its attachment.
    {
      title: 'ARCH-15: a main document is placed before its attachment',
      documents: [doc(2, 'attachment', '2026-02-01', { to: 1, as: 'attachment' }), doc(1, 'main', '2026-03-01')],
      order: ['main', 'attachment'],
    },
    // 印件在前，定稿在后: the relation 'draft' is on the draft and points at the printed one.
    {
      title: 'ARCH-15: a printed document is placed before its draft',
      documents: [doc(1, 'draft', '2026-03-01', { to: 2, as: 'draft' }), doc(2, 'printed', '2026-03-05')],
      order: ['printed', 'draft'],
    },
    // ARCH-12: the original first, then its copies and language versions.
    {
      title: 'ARCH-12: an original is placed before its copies and language versions',
      documents: [
        doc(1, 'english version', '2026-03-01', { to: 3, as: 'version' }),
        doc(2, 'copy', '2026-03-02', { to: 3, as: 'version' }),
        doc(3, 'original', '2026-03-03'),
      ],
      order: ['original', 'english version', 'copy'],
    },
    // Otherwise: in the order they were formed (formedOn, then id).
    {
      title: 'ARCH-15: unrelated documents follow formation date, then id',
      documents: [
        doc(5, 'march, id 5', '2026-03-01'),
        doc(9, 'january', '2026-01-15'),
        doc(2, 'march, id 2', '2026-03-01'),
        doc(7, 'february', '2026-02-20'),
      ],
      order: ['january', 'february', 'march, id 2', 'march, id 5'],
    },
    // Related documents stay together: a late attachment still follows its main document.
    {
      title: 'ARCH-15: an attachment formed much later stays right after its main document',
      documents: [
        doc(1, 'main', '2026-01-10'),
        doc(2, 'unrelated', '2026-05-01'),
        doc(3, 'late attachment', '2026-11-30', { to: 1, as: 'attachment' }),
      ],
      order: ['main', 'late attachment', 'unrelated'],
    },
    // Related documents stay together: an early request is pulled behind its late reply.
    {
      title: 'ARCH-15: a request and its much later reply stay together',
      documents: [
        doc(1, 'request', '2026-01-10'),
        doc(2, 'unrelated', '2026-05-01'),
        doc(3, 'reply', '2026-11-30', { to: 1, as: 'reply' }),
      ],
      order: ['reply', 'request', 'unrelated'],
    },
    // Several relations on one document: reply before it, the rest after it by formation.
    {
      title: 'ARCH-15: a reply, attachments and a draft around one document',
      documents: [
        doc(1, 'request', '2026-03-01'),
        doc(2, 'attachment B', '2026-03-04', { to: 1, as: 'attachment' }),
        doc(3, 'draft', '2026-02-25', { to: 1, as: 'draft' }),
        doc(4, 'reply', '2026-03-20', { to: 1, as: 'reply' }),
        doc(5, 'attachment A', '2026-03-02', { to: 1, as: 'attachment' }),
      ],
      order: ['reply', 'request', 'draft', 'attachment A', 'attachment B'],
    },
    // Nested relations: the reply's attachment follows the reply, and both precede the request.
    {
      title: 'ARCH-15: an attachment of a reply follows the reply, before the request',
      documents: [
        doc(1, 'request', '2026-01-05'),
        doc(2, 'reply', '2026-02-01', { to: 1, as: 'reply' }),
        doc(3, 'reply attachment', '2026-02-02', { to: 2, as: 'attachment' }),
        doc(4, 'request attachment', '2026-01-06', { to: 1, as: 'attachment' }),
      ],
      order: ['reply', 'reply attachment', 'request', 'request attachment'],
    },
    // Nested relations: a copy of an attachment follows the attachment.
    {
      title: 'ARCH-12: a copy of an attachment follows the attachment',
      documents: [
        doc(1, 'main', '2026-01-05'),
        doc(2, 'attachment copy', '2026-01-07', { to: 3, as: 'version' }),
        doc(3, 'attachment', '2026-01-06', { to: 1, as: 'attachment' }),
        doc(4, 'unrelated', '2026-01-06'),
      ],
      order: ['main', 'attachment', 'attachment copy', 'unrelated'],
    },
    // The related document is in another volume: ordered on its own by formation.
    {
      title: 'ARCH-15: a document whose related one is elsewhere is ordered by formation',
      documents: [
        doc(1, 'first', '2026-01-01'),
        doc(2, 'attachment of elsewhere', '2026-02-01', { to: 99, as: 'attachment' }),
        doc(3, 'reply to elsewhere', '2026-03-01', { to: 98, as: 'reply' }),
        doc(4, 'last', '2026-04-01'),
      ],
      order: ['first', 'attachment of elsewhere', 'reply to elsewhere', 'last'],
    },
    // A group is placed where its first-formed (root) document falls among the others.
    {
      title: 'ARCH-15: groups are ordered among each other by their root document',
      documents: [
        doc(1, 'group B main', '2026-06-01'),
        doc(2, 'group B attachment', '2026-06-02', { to: 1, as: 'attachment' }),
        doc(3, 'group A main', '2026-02-01'),
        doc(4, 'group A attachment', '2026-07-01', { to: 3, as: 'attachment' }),
      ],
      order: ['group A main', 'group A attachment', 'group B main', 'group B attachment'],
    },
    // Degenerate: a document related to itself is just ordered on its own.
    {
      title: 'ARCH-15: a document related to itself is ordered on its own',
      documents: [doc(2, 'self', '2026-02-01', { to: 2, as: 'attachment' }), doc(1, 'other', '2026-01-01')],
      order: ['other', 'self'],
    },
    // Empty volume.
    { title: 'ARCH-15: an empty volume has no order', documents: [], order: [] },
  ];
  for (const { documents, order, title } of orderCases) {
    it(title, () => {
      expect(orderInVolume(documents).map((d) => d.label)).toEqual(order);
    });
  }

  const cycleCases: { title: string; documents: Doc[] }[] = [
    // Two attachments pointing at each other: there is no root.
    {
      title: 'two documents attached to each other',
      documents: [
        doc(1, 'a', '2026-01-01', { to: 2, as: 'attachment' }),
        doc(2, 'b', '2026-01-02', { to: 1, as: 'attachment' }),
      ],
    },
    // Two replies to each other.
    {
      title: 'two replies to each other',
      documents: [doc(1, 'a', '2026-01-01', { to: 2, as: 'reply' }), doc(2, 'b', '2026-01-02', { to: 1, as: 'reply' })],
    },
    // A three-document loop next to an ordinary group.
    {
      title: 'a three-document loop beside a normal group',
      documents: [
        doc(1, 'a', '2026-01-03', { to: 3, as: 'version' }),
        doc(2, 'b', '2026-01-01', { to: 1, as: 'draft' }),
        doc(3, 'c', '2026-01-02', { to: 2, as: 'reply' }),
        doc(4, 'main', '2026-02-01'),
        doc(5, 'attachment', '2026-02-02', { to: 4, as: 'attachment' }),
      ],
    },
  ];
  for (const { documents, title } of cycleCases) {
    it(`ARCH-15: a relation cycle loses no document (${title})`, () => {
      const ordered = orderInVolume(documents);
      expect(ordered).toHaveLength(documents.length);
      expect(new Set(ordered.map((d) => d.id))).toEqual(new Set(documents.map((d) => d.id)));
    });
  }

  it('ARCH-15: the input list is left as it was and the documents are returned as given', () => {
    const documents = [doc(2, 'attachment', '2026-02-01', { to: 1, as: 'attachment' }), doc(1, 'main', '2026-03-01')];
    const before = [...documents];
    const ordered = orderInVolume(documents);
    expect(documents).toEqual(before);
    expect(ordered[0]).toBe(documents[1]);
    expect(ordered[1]).toBe(documents[0]);
  });
});

describe('ARCH-16 numberPages: pages numbered on across the volume', () => {
  const pageCases: { title: string; pages: number[]; numbered: { firstPage: number; lastPage: number }[] }[] = [
    // Continuous numbering: each document starts right after the previous one ends.
    {
      title: 'three documents of 3, 1 and 10 pages',
      pages: [3, 1, 10],
      numbered: [
        { firstPage: 1, lastPage: 3 },
        { firstPage: 4, lastPage: 4 },
        { firstPage: 5, lastPage: 14 },
      ],
    },
    // The first document starts on page 1.
    { title: 'a single document', pages: [7], numbered: [{ firstPage: 1, lastPage: 7 }] },
    // Nothing to number.
    { title: 'an empty volume', pages: [], numbered: [] },
  ];
  for (const { pages, numbered, title } of pageCases) {
    it(`ARCH-16: ${title}`, () => {
      expect(numberPages(pages)).toEqual(numbered);
    });
  }
});

describe('ARCH-17 longestRetention: a volume is kept as long as its longest-kept document', () => {
  const retentionCases: { title: string; classes: RetentionClass[]; longest: RetentionClass | undefined }[] = [
    // permanent beats everything.
    {
      title: 'permanent beats long and short term',
      classes: ['short_term', 'permanent', 'long_term'],
      longest: 'permanent',
    },
    // long_term beats short_term.
    { title: 'long term beats short term', classes: ['short_term', 'long_term', 'short_term'], longest: 'long_term' },
    // Only short-term documents.
    { title: 'only short-term documents', classes: ['short_term', 'short_term'], longest: 'short_term' },
    // A single document decides alone.
    { title: 'a single permanent document', classes: ['permanent'], longest: 'permanent' },
    // An empty volume has no retention.
    { title: 'an empty list has none', classes: [], longest: undefined },
  ];
  for (const { classes, longest, title } of retentionCases) {
    it(`ARCH-17: ${title}`, () => {
      expect(longestRetention(classes)).toBe(longest);
    });
  }
});
