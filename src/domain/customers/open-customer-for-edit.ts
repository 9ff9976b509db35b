import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { type CustomerRecord, type FieldValues, recordFieldValues } from './customer-record.js';
import { showCustomer } from './show-customer.js';

export interface CustomerForEdit {
  customer: CustomerRecord;
  values: FieldValues;
}

/**
 * The current record for the edit form: the same visibility checks and audit as viewing it,
 * and only for people who may edit it (the owner, archivists and above).
 */
export async function openCustomerForEdit(ctx: UseCaseContext, code: string): Promise<CustomerForEdit> {
  const shown = await showCustomer(ctx, code);
  if (!shown.canEdit) throw new DomainError('not_allowed', { action: 'edit' });
  return { customer: shown.customer, values: recordFieldValues(shown.customer) };
}
