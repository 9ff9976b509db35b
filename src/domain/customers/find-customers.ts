import { type CustomerKind, type Grade, Prisma, type SecrecyLevel } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { DECLASSIFY_TO, effectiveSecrecy, levelFilterOf, levelRank, visibilityOf } from '../access/visibility.js';
import { parseCode } from '../codes.js';
import type { Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { nameQueryGrams, prefixQueryGrams } from './search-grams.js';
import { normalizeQuery } from './search-text.js';

export const FIND_PAGE_SIZE = 10;
export const FIND_MAX_PAGE = 50;
export const FIND_MIN_QUERY_LENGTH = 1;
export const FIND_MAX_QUERY_LENGTH = 60;
/**
 * How many customers rank 4 reads in order before it asks the trigram index instead. When the
 * query holds a trigram (a run of three ASCII letters or digits) the index serves the rest, and
 * the walk only has to find the queries so common that the index would read too many rows: a
 * hundredth of the table, between 1,000 and 5,000 rows. Without a trigram the search past the
 * walk reads every row, so the walk is longer.
 */
const WALK_WITH_TRIGRAM = { share: 100, min: 1_000, max: 5_000 };
const WALK_WITHOUT_TRIGRAM = 20_000;

export type FoundCustomer =
  | {
      visibility: 'visible';
      code: string;
      name: string;
      kind: CustomerKind;
      level: SecrecyLevel;
      region: string | null;
      address: string;
      phone: string;
      ownerSlackUserId: string;
      /** DB-8: A/B/C, null until first graded. */
      grade: Grade | null;
      /** When it was registered (DB-11: the registers date each customer). */
      createdAt: Date;
    }
  | {
      visibility: 'masked';
      code: string;
      level: SecrecyLevel;
      /** What opens it: a view request, or (in an export of a customer one may read) a copy request. */
      needs: 'view' | 'copy';
    };

export interface FindResult {
  query: string;
  page: number;
  items: FoundCustomer[];
  hasMore: boolean;
}

interface Row {
  id: number;
  code: string;
  name: string;
  kind: CustomerKind;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
  ownerId: number;
  region: string | null;
  address: string;
  phone: string;
  ownerSlackUserId: string;
  grade: Grade | null;
  createdAt: Date;
}

/**
 * `/kh find`: customers whose name (substring, Chinese), code, phone, full pinyin or pinyin
 * initials contain the query. Best matches first: the exact code, the exact name, names
 * starting with the query, names containing it, then phone and pinyin matches; within a
 * rank, acquisition order. One page at a time.
 */
export async function findCustomers(ctx: UseCaseContext, input: { query: string; page?: number }): Promise<FindResult> {
  const query = normalizeQuery(input.query);
  const page = Math.min(Math.max(1, Math.trunc(input.page ?? 1)), FIND_MAX_PAGE);
  if ([...query].length < FIND_MIN_QUERY_LENGTH || [...query].length > FIND_MAX_QUERY_LENGTH) {
    throw new DomainError('invalid_input', { reason: 'query_length', max: FIND_MAX_QUERY_LENGTH });
  }
  return runUseCase(ctx, async (scope) => {
    const { items, hasMore } = await searchVisibleCustomers(scope, {
      query,
      offset: (page - 1) * FIND_PAGE_SIZE,
      limit: FIND_PAGE_SIZE,
      via: 'find',
    });
    return { query, page, items, hasMore };
  });
}

/**
 * One search over the narrow CustomerSearch table, for people with a role (INFO-17; a refusal
 * is recorded), filtered and masked by the viewer's
 * visibility, with every classified customer it reveals audited (SEC-16) as `customer.viewed`
 * (a result list) or `customer.exported` (a file). An empty query matches every customer.
 */
export async function searchVisibleCustomers(
  scope: Scope,
  options: { query: string; offset: number; limit: number; via: 'find' | 'export' },
): Promise<{ items: FoundCustomer[]; hasMore: boolean }> {
  const { tx, now, me } = scope;
  const { query } = options;
  if (!can(me.roles, 'searchCustomers')) {
    return scope.refuse(
      new DomainError('not_allowed', { action: options.via }),
      denied('customer', null, `customer.${options.via}`),
    );
  }
  const viewer = await loadViewer(tx, me, now);
  const levels = levelFilterOf(viewer, now);
  // Customers a grant or custodianship opens even at a level otherwise closed.
  const exempt = [...viewer.grantedCustomerIds, ...viewer.custodianOf];
  const rows = await tx.$queryRaw<Row[]>`
      WITH hits AS (${rankedHits(query, {
        now,
        personId: me.id,
        levels,
        exempt,
        take: options.offset + options.limit + 1,
        lengths: await pieceLengths(tx, [...new Set([...prefixQueryGrams(query), ...nameQueryGrams(query)])]),
      })})
      SELECT c.id, c.code, c.name, c.kind, c."secrecyLevel", c."secrecyUntil", c."ownerId", c.region, c.phone, c.grade,
             c.address, c."createdAt",
             p."slackUserId" AS "ownerSlackUserId"
      FROM (SELECT * FROM hits ORDER BY rank, id LIMIT ${options.limit + 1} OFFSET ${options.offset}) AS hits
      JOIN "Customer" c ON c.id = hits.id JOIN "Person" p ON p.id = c."ownerId"
      ORDER BY hits.rank, hits.id`;

  const copyable =
    options.via === 'export' && !can(me.roles, 'copyClassified')
      ? await activeCopyPermissions(
          scope,
          rows.map((row) => row.id),
        )
      : new Map(rows.map((row) => [row.id, 'top_secret' as SecrecyLevel]));
  const items: FoundCustomer[] = [];
  const revealed: { code: string; level: SecrecyLevel }[] = [];
  for (const row of rows.slice(0, options.limit)) {
    const visibility = visibilityOf(viewer, row, now);
    const level = effectiveSecrecy(row, now);
    if (visibility === 'hidden') continue;
    if (visibility === 'masked') {
      items.push({ visibility, code: row.code, level, needs: 'view' });
      continue;
    }
    // INFO-23, SEC-8: a file of a classified customer is a copy: it needs an approved copy.
    const copyLevel = copyable.get(row.id);
    if (
      options.via === 'export' &&
      level !== 'unclassified' &&
      (copyLevel === undefined || levelRank(level) > levelRank(copyLevel))
    ) {
      items.push({ visibility: 'masked', code: row.code, level, needs: 'copy' });
      continue;
    }
    revealed.push({ code: row.code, level });
    items.push({
      visibility,
      code: row.code,
      name: row.name,
      kind: row.kind,
      level,
      region: row.region,
      address: row.address,
      phone: row.phone,
      ownerSlackUserId: row.ownerSlackUserId,
      grade: row.grade,
      createdAt: row.createdAt,
    });
  }
  // SEC-16: a result that shows classified names and phones is a view (or export) of each.
  await scope.revealed(revealed, options.via, { query });
  return { items, hasMore: rows.length > options.limit };
}

/**
 * The ranked matches of a query as SQL: the exact code (0), the exact name (1), names that
 * start with the query (2), names that contain it (3), then matches in the phone, code or
 * pinyin only (4); within a rank, acquisition order. Each rank is its own query that stops
 * after `take` rows (the page and one more), read in customer order from an index where it
 * can be, so its cost follows the answer, not the number of customers (bench/README.md):
 * codes and names by b-tree (0, 1); names by the pieces in CustomerSearchGram, walking one
 * piece's list in customer order (2: how the name starts, 3: the pieces after its start;
 * search-grams.ts); the rest of the search text by pg_trgm for runs of three Latin letters or
 * digits, else in customer order (4). An empty query (an export of everything) reads in
 * customer order.
 *
 * SEC-3: a customer the searcher may not read matches its exact code only (so it can be
 * requested), never a piece of its name, phone or pinyin: otherwise growing a query one
 * digit at a time reads a hidden phone number. Ranks 1 to 4 therefore only ever see readable
 * rows. The effective level applies SEC-7 (a lapsed period has declassified the row).
 */
function rankedHits(
  query: string,
  o: {
    now: Date;
    personId: number;
    levels: { readable: string[]; readableAsOwner: string[]; hidden: string[] };
    exempt: number[];
    take: number;
    /** How many names hold each piece, up to PIECE_COUNT_CAP (pieceLengths). */
    lengths: Map<string, number>;
  },
): Prisma.Sql {
  const escaped = query.replace(/[\\%_]/g, (c) => `\\${c}`);
  const pattern = `%${escaped}%`;
  const prefix = `${escaped}%`;
  const code = parseCode('customer', query);
  const level = Prisma.sql`CROSS JOIN LATERAL (SELECT CASE
      WHEN s."secrecyLevel" <> 'unclassified' AND s."secrecyUntil" <= ${o.now}
        THEN ${JSON.stringify(DECLASSIFY_TO)}::jsonb ->> s."secrecyLevel"::text
      ELSE s."secrecyLevel"::text END AS level) e`;
  const exempt = Prisma.sql`s."customerId" = ANY(${o.exempt}::int[])`;
  const readable = Prisma.sql`(e.level = ANY(${o.levels.readable}::text[])
      OR (s."ownerId" = ${o.personId} AND e.level = ANY(${o.levels.readableAsOwner}::text[]))
      OR ${exempt})`;
  // Every name containing the query holds each of its pieces. A rank that looks at names
  // walks its first (rarest) piece's list, which the key (gram, customerId) keeps in customer
  // order, joins each entry to its search row and checks the other pieces by that key: the
  // walk stops as soon as the page is full.
  // The others checked by key (gram, customerId), stopping at the first one missing: one plan
  // node however many there are (as joins, ten pieces cost the planner more than the search).
  const otherPieces = (others: string[]) =>
    others.length
      ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM unnest(${others}::varchar[]) AS x(gram)
          WHERE NOT EXISTS (SELECT 1 FROM "CustomerSearchGram" o WHERE o.gram = x.gram AND o."customerId" = g."customerId"))`
      : Prisma.empty;
  // The exact code is rank 0 whatever else it matches.
  const notCode = code ? Prisma.sql`AND s.code <> ${code}` : Prisma.empty;
  /** A rank read in customer order from the search rows themselves (b-tree or walk). */
  const inOrder = (n: number, where: Prisma.Sql) =>
    Prisma.sql`(SELECT s."customerId" AS id, ${n}::int AS rank FROM "CustomerSearch" s ${level}
      WHERE ${where} ${n > 0 ? notCode : Prisma.empty} ORDER BY s."customerId" LIMIT ${o.take})`;
  /** A rank read from the pieces' lists; undefined when a piece is in no name at all. */
  const byPieces = (n: number, pieces: string[], where: Prisma.Sql) => {
    // The shortest list first: the walk reads it, and the others are only looked up.
    const [first, ...others] = [...pieces].sort((a, b) => (o.lengths.get(a) ?? 0) - (o.lengths.get(b) ?? 0));
    if (first === undefined) return inOrder(n, where);
    if (o.lengths.get(first) === 0) return undefined;
    const notTheCode = n > 0 ? notCode : Prisma.empty;
    // Walk the first piece's list in customer order (its key is (gram, customerId)) and look
    // each entry's search row up by its key; OFFSET 0 keeps the planner from turning that into
    // a join that reads every candidate before the LIMIT.
    return Prisma.sql`(SELECT g."customerId" AS id, ${n}::int AS rank FROM "CustomerSearchGram" g
      CROSS JOIN LATERAL (SELECT 1 FROM "CustomerSearch" s ${level}
        WHERE s."customerId" = g."customerId" AND ${where} ${notTheCode} OFFSET 0) AS hit
      WHERE g.gram = ${first}::varchar ${otherPieces(others)}
      ORDER BY g."customerId" LIMIT ${o.take})`;
  };
  /**
   * Rank 4, the rest of the search text (code, phone digits, pinyin). A query that is the start
   * of a code (`kh-2026-4`) matches only there, at the start of codes: the code index. Otherwise, walk the first
   * rows in customer order, which finds a page of any query that many customers match; only
   * when that walk comes back short is the whole table searched, by the trigram index, and
   * then few customers match (fewer than `take` in the walk), so reading them all is cheap.
   * That search replaces the walk's rows rather than adding to them: no boundary to find, and
   * the key's range never becomes a second bitmap (which cost more than the walk itself).
   */
  const rank4 = () => {
    const where = Prisma.sql`s."searchText" LIKE ${pattern} AND s."nameKey" NOT LIKE ${pattern} AND ${readable} ${notCode}`;
    if (/^kh-[0-9-]*$/.test(query)) {
      const codes = `${escaped.toUpperCase()}%`;
      return Prisma.sql`(SELECT s."customerId" AS id, 4 AS rank FROM "CustomerSearch" s ${level}
        WHERE s.code LIKE ${codes} AND s."nameKey" NOT LIKE ${pattern} AND ${readable} ${notCode}
        ORDER BY s."customerId" LIMIT ${o.take})`;
    }
    // The table's size as the planner knows it (pg_class, kept by autovacuum): no count.
    const { share, min, max } = WALK_WITH_TRIGRAM;
    const walkRows = /[a-z0-9]{3}/.test(query)
      ? Prisma.sql`(SELECT greatest(${min}::int, least(${max}::int, (reltuples / ${share})::int))
          FROM pg_class WHERE oid = '"CustomerSearch"'::regclass)`
      : Prisma.sql`${WALK_WITHOUT_TRIGRAM}::int`;
    return Prisma.sql`(WITH walk AS MATERIALIZED (
        SELECT s."customerId" AS id FROM (SELECT * FROM "CustomerSearch" ORDER BY "customerId" LIMIT ${walkRows}) s ${level}
        WHERE ${where} ORDER BY s."customerId" LIMIT ${o.take})
      SELECT id, 4 AS rank FROM (
        SELECT id FROM walk WHERE (SELECT count(*) FROM walk) = ${o.take}
        UNION ALL
        (SELECT s."customerId" FROM "CustomerSearch" s ${level}
          WHERE (SELECT count(*) FROM walk) < ${o.take} AND ${where}
          ORDER BY s."customerId" LIMIT ${o.take})
      ) AS found ORDER BY id LIMIT ${o.take})`;
  };
  if (query === '') return inOrder(4, readable);
  const ranks = [
    ...(code
      ? [inOrder(0, Prisma.sql`s.code = ${code} AND (e.level <> ALL(${o.levels.hidden}::text[]) OR ${exempt})`)]
      : []),
    inOrder(1, Prisma.sql`s."nameKey" = ${query} AND ${readable}`),
    byPieces(
      2,
      prefixQueryGrams(query),
      Prisma.sql`s."nameKey" LIKE ${prefix} AND s."nameKey" <> ${query} AND ${readable}`,
    ),
    byPieces(
      3,
      nameQueryGrams(query),
      Prisma.sql`s."nameKey" LIKE ${pattern} AND s."nameKey" NOT LIKE ${prefix} AND ${readable}`,
    ),
    // Outside its name, a customer's search text holds only ASCII and runs copied from its
    // name (what the pinyin leaves as it is): a query without ASCII that matches there
    // matches the name too, so it has no rank 4.
    ...(/[\x20-\x7e]/.test(query) ? [rank4()] : []),
  ];
  return Prisma.join(
    ranks.filter((r): r is Prisma.Sql => r !== undefined),
    ' UNION ALL ',
    '',
    '',
  );
}

/** Beyond this many names a piece's list counts as long; counting stops there. */
const PIECE_COUNT_CAP = 2_000;

/**
 * How many names hold each piece, counted up to PIECE_COUNT_CAP in the pieces' key alone
 * (≈ 0.1 ms a piece): the search walks the shortest list, whatever the piece.
 */
async function pieceLengths(tx: Tx, pieces: string[]): Promise<Map<string, number>> {
  if (pieces.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ gram: string; n: number }[]>`
    SELECT x.gram, (SELECT count(*) FROM (SELECT 1 FROM "CustomerSearchGram" g WHERE g.gram = x.gram
      LIMIT ${PIECE_COUNT_CAP}) AS capped)::int AS n
    FROM unnest(${pieces}::varchar[]) AS x(gram)`;
  return new Map(rows.map((row) => [row.gram, row.n]));
}

/**
 * The customers among `ids` this person holds an unexpired copy permission for (INFO-23),
 * with the level each was approved at (a customer raised above it needs a new approval).
 */
async function activeCopyPermissions(scope: Scope, ids: number[]): Promise<Map<number, SecrecyLevel>> {
  const permissions = await scope.tx.permission.findMany({
    where: {
      personId: scope.me.id,
      kind: 'copy',
      customerId: { in: ids },
      expiresAt: { gt: scope.now },
      revokedAt: null,
    },
    select: { customerId: true, level: true },
  });
  return new Map(permissions.map((p) => [p.customerId, p.level]));
}
