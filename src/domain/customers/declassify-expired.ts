import type { Customer } from '../../generated/prisma/client.js';
import { DECLASSIFY_TO, type SecrecyLevel } from '../access/visibility.js';
import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { Db, Tx } from '../context.js';
import { SYSTEM_ACTOR } from '../context.js';
import type { Scope } from '../use-case.js';
import { fieldValueText } from './customer-record.js';
import { syncCustomerSearch } from './search-text.js';

const BATCH = 200;

export interface DeclassifyResult {
  declassified: { id: number; code: string; name: string; ownerId: number; level: SecrecyLevel }[];
}

/**
 * SEC-7: a customer whose secrecy period has ended is declassified (自行解密): its level
 * drops to what DECLASSIFY_TO says (unclassified by default), the change is kept in the field history and audited. Reads already
 * treat an ended period as unclassified; this makes the ledger say so. Each customer is one
 * transaction with a conditional update, so a second run or replica changes nothing twice.
 */
export async function declassifyExpired(db: Db, now: Date): Promise<DeclassifyResult> {
  const declassified: DeclassifyResult['declassified'] = [];
  for (;;) {
    const due = await db.customer.findMany({
      where: { secrecyLevel: { not: 'unclassified' }, secrecyUntil: { lte: now } },
      select: LAPSED_SELECT,
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (due.length === 0) return { declassified };
    for (const customer of due) {
      const level = await db.$transaction((tx) => declassifyOne(tx, customer, now));
      if (level) {
        declassified.push({
          id: customer.id,
          code: customer.code,
          name: customer.name,
          ownerId: customer.ownerId,
          level,
        });
      }
    }
    if (due.length < BATCH) return { declassified };
  }
}

export const LAPSED_SELECT = {
  id: true,
  code: true,
  name: true,
  phone: true,
  ownerId: true,
  secrecyLevel: true,
  secrecyUntil: true,
  version: true,
} as const;

type Lapsed = { [K in keyof typeof LAPSED_SELECT]: Customer[K] };

/**
 * Declassifies one customer whose period has ended, as the system, inside the caller's
 * transaction: the level, the search row, the field history and the audit. A conditional
 * update makes it happen once; returns the new level, or null if it was done already. The
 * job calls it for every lapsed customer; an edit calls it first for the one it opens, so the
 * form starts from the level in force and the ledger still shows who lowered it (SEC-7).
 */
export async function declassifyOne(tx: Tx, customer: Lapsed, now: Date): Promise<SecrecyLevel | null> {
  if (customer.secrecyLevel === 'unclassified' || !customer.secrecyUntil || customer.secrecyUntil > now) return null;
  const version = customer.version + 1;
  // A policy that lowers to another classified level leaves it without a period: it
  // stays at that level until someone sets a new one by hand.
  const level = DECLASSIFY_TO[customer.secrecyLevel];
  const { count } = await tx.customer.updateMany({
    where: { id: customer.id, version: customer.version, secrecyLevel: customer.secrecyLevel },
    data: { secrecyLevel: level, secrecyUntil: null, version },
  });
  if (count === 0) return null;
  await syncCustomerSearch(tx, { ...customer, secrecyLevel: level, secrecyUntil: null });
  const system = await tx.person.upsert({
    where: { slackUserId: SYSTEM_ACTOR.slackUserId },
    create: { slackUserId: SYSTEM_ACTOR.slackUserId, displayName: 'Custodian' },
    update: {},
    select: { id: true },
  });
  await tx.customerChange.createMany({
    data: [
      { field: 'secrecyLevel', oldValue: customer.secrecyLevel, newValue: level },
      { field: 'secrecyUntil', oldValue: fieldValueText(customer.secrecyUntil), newValue: null },
    ].map((change) => ({ ...change, customerId: customer.id, version, changedById: system.id, changedAt: now })),
  });
  await appendAuditEvent(tx, {
    at: now,
    actor: SYSTEM_ACTOR.slackUserId,
    action: 'customer.declassified',
    subjectType: 'customer',
    subjectId: customer.code,
    details: {
      levelBefore: customer.secrecyLevel,
      levelAfter: level,
      periodEnded: customer.secrecyUntil.toISOString(),
    },
  });
  return level;
}

/** Before an edit: a customer whose period ended is declassified first (its version moves on). */
export async function declassifyIfLapsed(scope: Pick<Scope, 'tx' | 'now'>, code: string): Promise<void> {
  const row = await scope.tx.customer.findUnique({ where: { code }, select: LAPSED_SELECT });
  if (row) await declassifyOne(scope.tx, row, scope.now);
}
