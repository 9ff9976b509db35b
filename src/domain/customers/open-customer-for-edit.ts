import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import { type CustomerRecord, type FieldValues, recordFieldValues } from './customer-record.js';
import { declassifyIfLapsed } from './declassify-expired.js';
import { customerCard } from './show-customer.js';

export interface CustomerForEdit {
  customer: CustomerRecord;
  values: FieldValues;
}

/**
 * The current record for the edit form: the same visibility checks and audit as viewing it,
 * and only for people who may edit it (the owner, archivists and above).
 */
export function openCustomerForEdit(ctx: UseCaseContext, code: string): Promise<CustomerForEdit> {
  return runUseCase(ctx, async (scope) => {
    // A lapsed period is ended first, so the form starts from the level in force (SEC-7).
    await declassifyIfLapsed(scope, code);
    const shown = await customerCard(scope, code, 'edit');
    if (!shown.canEdit) {
      return scope.refuse(
        new DomainError('not_allowed', { action: 'edit' }),
        denied('customer', code, 'customer.edit'),
      );
    }
    return { customer: shown.customer, values: recordFieldValues(shown.customer) };
  });
}
