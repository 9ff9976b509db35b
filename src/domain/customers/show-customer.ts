import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { visibilityOf } from '../access/visibility.js';
import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { type FieldChange, listCustomerChanges } from './customer-history.js';
import { CUSTOMER_RECORD_INCLUDE, type CustomerRecord, toCustomerRecord } from './customer-record.js';
import { loadActor } from './load-actor.js';

export interface ShownCustomer {
  customer: CustomerRecord;
  /** Whether the viewer may edit it (owner or archivist and above). */
  canEdit: boolean;
  /** The latest field changes, newest first (ARCH-30). */
  history: FieldChange[];
}

/**
 * The customer card for `/kh show`. A classified customer the viewer may not see is refused
 * with its code and level (so they can request access); a top-secret one they may not see
 * is answered exactly like an unknown code. Every view of a classified customer, and every
 * refused attempt, is audited (SEC-16).
 */
export async function showCustomer(ctx: UseCaseContext, code: string): Promise<ShownCustomer> {
  const { db, now, actor } = ctx;
  const outcome = await db.$transaction(async (tx) => {
    const me = await loadActor(tx, ctx);
    if (!can(me.roles, 'searchCustomers')) return { refused: new DomainError('not_allowed', { action: 'show' }) };
    const row = await tx.customer.findUnique({ where: { code }, include: CUSTOMER_RECORD_INCLUDE });
    if (!row) return { refused: new DomainError('customer_not_found', { code }) };
    const customer = toCustomerRecord(row, now);
    const visibility = visibilityOf(await loadViewer(tx, me, now), customer, now);
    if (visibility !== 'visible') {
      await appendAuditEvent(tx, {
        at: now,
        actor: actor.slackUserId,
        action: 'customer.view_refused',
        subjectType: 'customer',
        subjectId: code,
        details: { level: customer.effectiveLevel, via: 'show' },
      });
      return {
        refused:
          visibility === 'masked'
            ? new DomainError('customer_hidden', { code, level: customer.effectiveLevel })
            : new DomainError('customer_not_found', { code }),
      };
    }
    if (customer.effectiveLevel !== 'unclassified') {
      await appendAuditEvent(tx, {
        at: now,
        actor: actor.slackUserId,
        action: 'customer.viewed',
        subjectType: 'customer',
        subjectId: code,
        details: { level: customer.effectiveLevel, via: 'show' },
      });
    }
    const canEdit = customer.ownerId === me.id || can(me.roles, 'editAnyCustomer');
    const history = await listCustomerChanges(tx, customer.id, 5);
    return { shown: { customer, canEdit, history } };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.shown;
}
