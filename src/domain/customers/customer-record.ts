import type { Customer, Grade } from '../../generated/prisma/client.js';
import { effectiveSecrecy, type SecrecyLevel } from '../access/visibility.js';
import { CUSTOMER_FIELDS, type CustomerFieldName } from './customer-fields.js';
import type { CustomerData } from './customer-input.js';

/**
 * A customer as the domain and the blocks see it: the standardized record (the same shape
 * as validated input, CustomerData) with its identity, owner and version. Not the Prisma
 * model: storage details (the duplicate key, Decimal) stay in the database layer.
 */
export interface CustomerRecord extends CustomerData {
  id: number;
  code: string;
  ownerId: number;
  ownerSlackUserId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The level in force now (an ended period counts as unclassified, SEC-7). */
  effectiveLevel: SecrecyLevel;
  /** DB-8: A/B/C by the last three complete months' average sales; null until first graded. */
  grade: Grade | null;
}

export const CUSTOMER_RECORD_INCLUDE = { owner: { select: { slackUserId: true } } } as const;

export function toCustomerRecord(row: Customer & { owner: { slackUserId: string } }, now: Date): CustomerRecord {
  const { owner, nameKey: _nameKey, createdById: _createdById, registeredCapital, ...stored } = row;
  return {
    ...stored,
    registeredCapital: registeredCapital === null ? null : registeredCapital.toString(),
    ownerSlackUserId: owner.slackUserId,
    effectiveLevel: effectiveSecrecy(row, now),
  };
}

/** The history representation of a field value: text, ISO date or instant, or null. */
export function fieldValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export type FieldValues = Partial<Record<CustomerFieldName, string | null>>;

/** The stored record as field values, comparable with validated input. */
export function recordFieldValues(record: CustomerRecord): FieldValues {
  const values: FieldValues = {};
  for (const field of CUSTOMER_FIELDS) {
    values[field.name] =
      field.name === 'ownerSlackUserId'
        ? record.ownerSlackUserId
        : fieldValueText(record[field.name as keyof CustomerRecord]);
  }
  return values;
}

export function dataFieldValues(data: CustomerData, ownerSlackUserId: string): FieldValues {
  const values: FieldValues = {};
  for (const field of CUSTOMER_FIELDS) {
    values[field.name] =
      field.name === 'ownerSlackUserId' ? ownerSlackUserId : fieldValueText(data[field.name as keyof CustomerData]);
  }
  return values;
}
