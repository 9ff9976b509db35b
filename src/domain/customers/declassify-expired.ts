import { DECLASSIFY_TO, type SecrecyLevel } from '../access/visibility.js';
import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { Db } from '../context.js';
import { SYSTEM_ACTOR } from '../context.js';
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
      select: {
        id: true,
        code: true,
        name: true,
        phone: true,
        ownerId: true,
        secrecyLevel: true,
        secrecyUntil: true,
        version: true,
      },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (due.length === 0) return { declassified };
    for (const customer of due) {
      await db.$transaction(async (tx) => {
        const version = customer.version + 1;
        // A policy that lowers to another classified level leaves it without a period: it
        // stays at that level until someone sets a new one by hand.
        const level = customer.secrecyLevel === 'unclassified' ? 'unclassified' : DECLASSIFY_TO[customer.secrecyLevel];
        const { count } = await tx.customer.updateMany({
          where: { id: customer.id, version: customer.version, secrecyLevel: customer.secrecyLevel },
          data: { secrecyLevel: level, secrecyUntil: null, version },
        });
        if (count === 0) return;
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
            periodEnded: customer.secrecyUntil?.toISOString() ?? null,
          },
        });
        declassified.push({
          id: customer.id,
          code: customer.code,
          name: customer.name,
          ownerId: customer.ownerId,
          level,
        });
      });
    }
    if (due.length < BATCH) return { declassified };
  }
}
