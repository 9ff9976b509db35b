import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { visibilityOf } from '../access/visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { formatLocalDate, localDateFromDbDate } from '../time.js';
import { denied, type RevealedVia, runUseCase, type Scope } from '../use-case.js';
import { type FieldChange, listCustomerChanges } from './customer-history.js';
import { CUSTOMER_RECORD_INCLUDE, type CustomerRecord, toCustomerRecord } from './customer-record.js';

export interface ShownCustomer {
  customer: CustomerRecord;
  /** Whether the viewer may edit it (owner or archivist and above). */
  canEdit: boolean;
  /** The latest field changes, newest first (ARCH-30). */
  history: FieldChange[];
  /** ARCH-26: the latest major matters reported by departments, newest first. */
  matters: { occurredOn: string; department: string | null; reportedBy: string; text: string }[];
}

/**
 * The customer card for `/kh show`. A classified customer the viewer may not see is refused
 * with its code and level (so they can request access); a top-secret one they may not see
 * is answered exactly like an unknown code. Every view of a classified customer, and every
 * refused attempt, is audited (SEC-16).
 */
export function showCustomer(ctx: UseCaseContext, code: string): Promise<ShownCustomer> {
  return runUseCase(ctx, (scope) => customerCard(scope, code, 'show'));
}

/** The card inside a use case: visibility decided, the view (or the refusal) recorded. */
export async function customerCard(scope: Scope, code: string, via: RevealedVia): Promise<ShownCustomer> {
  const { tx, now, me, refuse } = scope;
  if (!can(me.roles, 'searchCustomers')) {
    return refuse(new DomainError('not_allowed', { action: 'show' }), denied('customer', code, `customer.${via}`));
  }
  // The same work whether the code exists or not (the viewer first, then one lookup, then an
  // audited refusal): an unknown code and a hidden one must not differ in time either.
  const viewer = await loadViewer(tx, me, now);
  const row = await tx.customer.findUnique({ where: { code }, include: CUSTOMER_RECORD_INCLUDE });
  if (!row) {
    return refuse(new DomainError('customer_not_found', { code }), {
      action: 'customer.view_refused',
      subjectType: 'customer',
      subjectId: code,
      details: { level: null, via },
    });
  }
  const customer = toCustomerRecord(row, now);
  const visibility = visibilityOf(viewer, customer, now);
  if (visibility !== 'visible') {
    return refuse(
      visibility === 'masked'
        ? new DomainError('customer_hidden', { code, level: customer.effectiveLevel })
        : new DomainError('customer_not_found', { code }),
      {
        action: 'customer.view_refused',
        subjectType: 'customer',
        subjectId: code,
        details: { level: customer.effectiveLevel, via },
      },
    );
  }
  await scope.revealed([{ code, level: customer.effectiveLevel }], via);
  const canEdit = customer.ownerId === me.id || can(me.roles, 'editAnyCustomer');
  const history = await listCustomerChanges(tx, customer.id, 5);
  const matters = await tx.customerMatter.findMany({
    where: { customerId: customer.id },
    orderBy: [{ occurredOn: 'desc' }, { id: 'desc' }],
    take: 5,
  });
  return {
    customer,
    canEdit,
    history,
    matters: matters.map((m) => ({
      occurredOn: formatLocalDate(localDateFromDbDate(m.occurredOn)),
      department: m.department,
      reportedBy: m.reportedBy,
      text: m.text,
    })),
  };
}
