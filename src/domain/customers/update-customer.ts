import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { visibilityOf } from '../access/visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findOrRegisterPerson } from '../people/ensure-person.js';
import { denied, runUseCase } from '../use-case.js';
import type { CustomerFieldName } from './customer-fields.js';
import type { ValidatedCustomer } from './customer-input.js';
import { CUSTOMER_RECORD_INCLUDE, dataFieldValues, recordFieldValues, toCustomerRecord } from './customer-record.js';
import { declassifyIfLapsed } from './declassify-expired.js';
import { assertNoDuplicate } from './find-duplicate.js';
import { nameKey, syncCustomerSearch } from './search-text.js';

export interface CustomerUpdated {
  code: string;
  version: number;
  changedFields: CustomerFieldName[];
}

const SECRECY_FIELDS: readonly CustomerFieldName[] = ['secrecyLevel', 'secrecyUntil'];

/**
 * `/kh edit`: changes a customer's fields. Every changed field is kept as history with who
 * and when (ARCH-30). The edit must be based on the current version (two people editing at
 * once cannot overwrite each other silently). Changing the secrecy level or period needs
 * supervisor or above (SEC-7).
 */
export async function updateCustomer(
  ctx: UseCaseContext,
  input: { code: string; expectedVersion: number; customer: ValidatedCustomer },
): Promise<CustomerUpdated> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, actor, me, audit, refuse } = scope;
    await declassifyIfLapsed(scope, input.code);
    const row = await tx.customer.findUnique({ where: { code: input.code }, include: CUSTOMER_RECORD_INCLUDE });
    if (!row) {
      // As `show` does: an unknown code is a refused view too, so it cannot be told from a hidden one.
      return refuse(new DomainError('customer_not_found', { code: input.code }), {
        action: 'customer.view_refused',
        subjectType: 'customer',
        subjectId: input.code,
        details: { level: null, via: 'edit' },
      });
    }
    const current = toCustomerRecord(row, now);
    const visibility = visibilityOf(await loadViewer(tx, me, now), current, now);
    if (visibility !== 'visible') {
      return refuse(
        visibility === 'masked'
          ? new DomainError('customer_hidden', { code: input.code, level: current.effectiveLevel })
          : new DomainError('customer_not_found', { code: input.code }),
        {
          action: 'customer.view_refused',
          subjectType: 'customer',
          subjectId: input.code,
          details: { level: current.effectiveLevel, via: 'edit' },
        },
      );
    }
    if (current.ownerId !== me.id && !can(me.roles, 'editAnyCustomer')) {
      return refuse(
        new DomainError('not_allowed', { action: 'edit' }),
        denied('customer', input.code, 'customer.edit'),
      );
    }
    if (current.version !== input.expectedVersion)
      throw new DomainError('customer_edit_conflict', { code: input.code });

    const ownerSlackUserId = input.customer.ownerSlackUserId ?? current.ownerSlackUserId;
    const before = recordFieldValues(current);
    const after = dataFieldValues(input.customer.data, ownerSlackUserId);
    const changed = (Object.keys(after) as CustomerFieldName[]).filter((field) => before[field] !== after[field]);
    if (changed.length === 0) throw new DomainError('customer_no_changes', { code: input.code });
    if (changed.some((field) => SECRECY_FIELDS.includes(field)) && !can(me.roles, 'manageSecrecy')) {
      return refuse(
        new DomainError('not_allowed', { action: 'secrecy' }),
        denied('customer', input.code, 'customer.secrecy'),
      );
    }
    // A customer changes hands by a handover (supervisor and above), never to the editor:
    // an archivist granted a day's view must not make it theirs for good.
    if (
      changed.includes('ownerSlackUserId') &&
      (!can(me.roles, 'handOverCustomers') || ownerSlackUserId === me.slackUserId)
    ) {
      return refuse(
        new DomainError('not_allowed', { action: 'handover' }),
        denied('customer', input.code, 'customer.handover', { to: ownerSlackUserId }),
      );
    }
    if (changed.includes('name') || changed.includes('creditCode')) {
      await assertNoDuplicate(scope, input.customer.data, current.id);
    }
    const owner = changed.includes('ownerSlackUserId')
      ? await findOrRegisterPerson(tx, { slackUserId: ownerSlackUserId, now, registeredBy: actor.slackUserId })
      : undefined;
    const version = current.version + 1;
    const { count } = await tx.customer.updateMany({
      where: { id: current.id, version: current.version },
      data: {
        ...input.customer.data,
        nameKey: nameKey(input.customer.data.name),
        ...(owner && { ownerId: owner.id }),
        version,
      },
    });
    if (count === 0) throw new DomainError('customer_edit_conflict', { code: input.code });
    await syncCustomerSearch(tx, {
      id: current.id,
      code: current.code,
      ownerId: owner?.id ?? current.ownerId,
      ...input.customer.data,
    });
    await tx.customerChange.createMany({
      data: changed.map((field) => ({
        customerId: current.id,
        version,
        field,
        oldValue: before[field] ?? null,
        newValue: after[field] ?? null,
        changedById: me.id,
        changedAt: now,
      })),
    });
    await audit({
      action: 'customer.updated',
      subjectType: 'customer',
      subjectId: current.code,
      details: {
        version,
        fields: changed,
        ...(changed.includes('secrecyLevel') && {
          levelBefore: current.secrecyLevel,
          levelAfter: input.customer.data.secrecyLevel,
        }),
      },
    });
    return { code: current.code, version, changedFields: changed };
  });
}
