import type { CustomerKind, SecrecyLevel } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { effectiveSecrecy, SECRECY_LEVELS, type Viewer, visibilityOf } from '../access/visibility.js';
import { appendAuditEvents } from '../audit/append-audit-event.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseCustomerCode } from './customer-code.js';
import { loadActor } from './load-actor.js';
import { normalizeQuery } from './search-text.js';

export const FIND_PAGE_SIZE = 10;
export const FIND_MAX_PAGE = 50;
export const FIND_MIN_QUERY_LENGTH = 1;
export const FIND_MAX_QUERY_LENGTH = 60;

export type FoundCustomer =
  | {
      visibility: 'visible';
      code: string;
      name: string;
      kind: CustomerKind;
      level: SecrecyLevel;
      region: string | null;
      phone: string;
      ownerSlackUserId: string;
    }
  | { visibility: 'masked'; code: string; level: SecrecyLevel };

export interface FindResult {
  query: string;
  page: number;
  items: FoundCustomer[];
  hasMore: boolean;
}

interface Row {
  code: string;
  name: string;
  kind: CustomerKind;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
  ownerId: number;
  region: string | null;
  phone: string;
  ownerSlackUserId: string;
}

/**
 * Levels the viewer may not even learn exist, whoever owns the customer. Derived from the
 * one visibility rule so that the SQL filter can never disagree with it.
 */
function levelsHiddenFrom(viewer: Viewer, now: Date): SecrecyLevel[] {
  return SECRECY_LEVELS.filter(
    (level) =>
      visibilityOf(viewer, { ownerId: viewer.personId, secrecyLevel: level, secrecyUntil: null }, now) === 'hidden',
  );
}

/**
 * `/kh find`: customers whose name (substring, Chinese), code, phone, full pinyin or pinyin
 * initials contain the query. Best matches first: the exact code, the exact name, names
 * starting with the query, names containing it, then phone and pinyin matches; within a
 * rank, acquisition order. One page at a time.
 */
export async function findCustomers(ctx: UseCaseContext, input: { query: string; page?: number }): Promise<FindResult> {
  const { db, now, actor } = ctx;
  const query = normalizeQuery(input.query);
  const page = Math.min(Math.max(1, Math.trunc(input.page ?? 1)), FIND_MAX_PAGE);
  if ([...query].length < FIND_MIN_QUERY_LENGTH || [...query].length > FIND_MAX_QUERY_LENGTH) {
    throw new DomainError('invalid_input', { reason: 'query_length', max: FIND_MAX_QUERY_LENGTH });
  }
  const me = await loadActor(db, ctx);
  if (!can(me.roles, 'searchCustomers')) throw new DomainError('not_allowed', { action: 'find' });
  const viewer: Viewer = { personId: me.id, roles: me.roles };
  const hidden = levelsHiddenFrom(viewer, now);
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const code = parseCustomerCode(query) ?? '';
  const rows = await db.$queryRaw<Row[]>`
    SELECT c.code, c.name, c.kind, c."secrecyLevel", c."secrecyUntil", c."ownerId", c.region, c.phone,
           p."slackUserId" AS "ownerSlackUserId"
    FROM "Customer" c JOIN "Person" p ON p.id = c."ownerId"
    WHERE (c."searchText" LIKE ${pattern} OR c.code = ${code})
      AND NOT (c."secrecyLevel"::text = ANY(${hidden}::text[])
               AND (c."secrecyUntil" IS NULL OR c."secrecyUntil" > ${now}))
    ORDER BY CASE
        WHEN c.code = ${code} THEN 0
        WHEN c."nameKey" = ${query} THEN 1
        WHEN c."nameKey" LIKE ${prefix} THEN 2
        WHEN c."nameKey" LIKE ${pattern} THEN 3
        ELSE 4 END,
      c.id
    LIMIT ${FIND_PAGE_SIZE + 1} OFFSET ${(page - 1) * FIND_PAGE_SIZE}`;

  const items: FoundCustomer[] = [];
  const revealed: { code: string; level: SecrecyLevel }[] = [];
  for (const row of rows.slice(0, FIND_PAGE_SIZE)) {
    const visibility = visibilityOf(viewer, row, now);
    const level = effectiveSecrecy(row, now);
    if (visibility === 'hidden') continue;
    if (visibility === 'masked') {
      items.push({ visibility, code: row.code, level });
      continue;
    }
    if (level !== 'unclassified') revealed.push({ code: row.code, level });
    items.push({
      visibility,
      code: row.code,
      name: row.name,
      kind: row.kind,
      level,
      region: row.region,
      phone: row.phone,
      ownerSlackUserId: row.ownerSlackUserId,
    });
  }
  if (revealed.length > 0) {
    // SEC-16: a result list that shows classified names and phones is a view of each of them.
    await db.$transaction((tx) =>
      appendAuditEvents(
        tx,
        revealed.map((customer) => ({
          at: now,
          actor: actor.slackUserId,
          action: 'customer.viewed',
          subjectType: 'customer',
          subjectId: customer.code,
          details: { level: customer.level, via: 'find', query },
        })),
      ),
    );
  }
  return { query, page, items, hasMore: rows.length > FIND_PAGE_SIZE };
}
