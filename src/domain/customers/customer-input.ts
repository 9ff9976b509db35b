/**
 * Validation of the standardized customer record (INFO-4, ARCH-8, DB-4, DB-5, DB-6, DB-7, SEC-6, SEC-7).
 * Input is what a form gives: text per field. Output is either clean typed data or one
 * error code per bad field, so the form can show each message beside its field.
 */
import { z } from 'zod';
import { SECRECY_LEVELS, type SecrecyLevel } from '../access/visibility.js';
import { SLACK_USER_ID } from '../people/person.js';
import {
  addDays,
  compareLocalDates,
  dbDateFromLocalDate,
  localDateOf,
  parseLocalDate,
  startOfLocalDay,
} from '../time.js';
import {
  CUSTOMER_FIELDS,
  CUSTOMER_KINDS,
  type CustomerFieldName,
  type CustomerKind,
  SPECIAL_CATEGORIES,
  type SpecialCategory,
} from './customer-fields.js';

export type RawCustomerInput = Partial<Record<CustomerFieldName, string | null | undefined>>;

export type FieldErrorCode =
  | 'required'
  | 'too_long'
  | 'too_short'
  | 'invalid_phone'
  | 'invalid_postal_code'
  | 'invalid_credit_code'
  | 'not_a_number'
  | 'negative'
  | 'too_large'
  | 'not_an_integer'
  | 'invalid_date'
  | 'date_in_future'
  | 'secrecy_until_required'
  | 'secrecy_until_past'
  | 'special_category_required'
  | 'invalid_choice'
  | 'invalid_user'
  | 'external_reference_required'
  | 'covers_required'
  | 'years_order'
  | 'relation_required'
  | 'vetting_required'
  | 'loan_too_long'
  | 'date_in_past'
  /** An inspection's findings, by line: not `subject; problem; action`, an unknown action, too long, no such volume or location. */
  | 'finding_format'
  | 'finding_action'
  | 'finding_too_long'
  | 'finding_subject';

export interface FieldError {
  code: FieldErrorCode;
  params?: Record<string, string | number>;
}

export type FieldErrors = Partial<Record<CustomerFieldName, FieldError>>;

/** Typed customer data ready for the database. Optional fields are null when empty. */
export interface CustomerData {
  name: string;
  kind: CustomerKind;
  specialCategory: SpecialCategory | null;
  creditCode: string | null;
  legalRepresentative: string;
  address: string;
  postalCode: string;
  phone: string;
  fax: string | null;
  registeredCapital: string | null;
  businessScale: string | null;
  businessScope: string | null;
  economicStrength: string | null;
  mainDealings: string | null;
  owners: string | null;
  managers: string | null;
  qualifications: string | null;
  foundedOn: Date | null;
  tradeStartedOn: Date | null;
  industry: string | null;
  assets: string | null;
  serviceArea: string | null;
  salesCapacity: string | null;
  potential: string | null;
  culture: string | null;
  policies: string | null;
  staffCount: number | null;
  managementStyle: string | null;
  salesPerformance: string | null;
  staffQuality: string | null;
  competitorRelations: string | null;
  attitude: string | null;
  salesActivity: string | null;
  problems: string | null;
  strengths: string | null;
  plans: string | null;
  reputation: string | null;
  creditStatus: string | null;
  tradeTerms: string | null;
  pastCreditProblems: string | null;
  region: string | null;
  routeOrder: number | null;
  secrecyLevel: SecrecyLevel;
  /** The instant the secrecy period ends: the start of the day after the chosen last day. */
  secrecyUntil: Date | null;
}

export interface ValidatedCustomer {
  data: CustomerData;
  /** Null: the submitter owns the customer. */
  ownerSlackUserId: string | null;
  /** SEC-6, INFO-22: a 绝密 customer is registered with its custodians (ignored at other levels). */
  custodianSlackUserIds?: readonly string[];
}

export type ValidationResult = { ok: true; value: ValidatedCustomer } | { ok: false; errors: FieldErrors };

/** 统一社会信用代码 (GB 32100-2015): 18 characters, digits and capitals except I, O, S, V, Z. */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const POSTAL_CODE = /^\d{6}$/;
const PHONE_CHARS = /^\+?[\d\s()-]+$/;
const MAX_REGISTERED_CAPITAL = 1e12;
const MAX_INTEGER = 2_000_000_000;

/** Trims, folds runs of white space inside single-line text, drops control characters. */
export function cleanText(value: string, multiline: boolean): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const withoutControls = value.normalize('NFC').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  return multiline ? withoutControls.replace(/\r\n?/g, '\n').trim() : withoutControls.replace(/\s+/g, ' ').trim();
}

const zEnum = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

export function validateCustomerInput(
  raw: RawCustomerInput,
  options: { now: Date; timeZone: string },
): ValidationResult {
  const errors: FieldErrors = {};
  const values: Record<string, unknown> = {};
  const today = localDateOf(options.now, options.timeZone);

  for (const field of CUSTOMER_FIELDS) {
    const input = cleanText(raw[field.name] ?? '', field.type === 'longText');
    if (input === '') {
      if (field.required) errors[field.name] = { code: 'required' };
      values[field.name] = null;
      continue;
    }
    if (field.maxLength !== undefined && [...input].length > field.maxLength) {
      errors[field.name] = { code: 'too_long', params: { max: field.maxLength } };
      continue;
    }
    const parsed = parseField(field.type, input, today);
    if ('error' in parsed) errors[field.name] = parsed.error;
    else values[field.name] = parsed.value;
  }

  if (typeof values.name === 'string' && [...values.name].length < 2)
    errors.name = { code: 'too_short', params: { min: 2 } };
  if (values.kind === 'special' && values.specialCategory === null && !errors.specialCategory) {
    errors.specialCategory = { code: 'special_category_required' };
  }
  if (values.kind !== 'special') values.specialCategory = null;

  const level = values.secrecyLevel as SecrecyLevel | null;
  const lastDay = values.secrecyUntil as ReturnType<typeof parseLocalDate> | null;
  if (level && level !== 'unclassified' && !lastDay && !errors.secrecyUntil) {
    errors.secrecyUntil = { code: 'secrecy_until_required' };
  }
  if (lastDay && compareLocalDates(lastDay, today) < 0) errors.secrecyUntil = { code: 'secrecy_until_past' };
  // SEC-7: the period covers its last day; declassification happens when the next day starts.
  values.secrecyUntil =
    level === 'unclassified' || !lastDay ? null : startOfLocalDay(addDays(lastDay, 1), options.timeZone);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const { ownerSlackUserId, ...data } = values;
  return {
    ok: true,
    value: { data: data as unknown as CustomerData, ownerSlackUserId: (ownerSlackUserId as string | null) ?? null },
  };
}

type Parsed = { value: unknown } | { error: FieldError };

function parseField(
  type: (typeof CUSTOMER_FIELDS)[number]['type'],
  input: string,
  today: ReturnType<typeof localDateOf>,
): Parsed {
  switch (type) {
    case 'text':
    case 'longText':
      return { value: input };
    case 'phone': {
      const digits = input.replace(/\D/g, '');
      return PHONE_CHARS.test(input) && digits.length >= 7 && digits.length <= 15
        ? { value: input }
        : { error: { code: 'invalid_phone' } };
    }
    case 'postalCode':
      return POSTAL_CODE.test(input) ? { value: input } : { error: { code: 'invalid_postal_code' } };
    case 'creditCode': {
      const code = input.toUpperCase();
      return CREDIT_CODE.test(code) ? { value: code } : { error: { code: 'invalid_credit_code' } };
    }
    case 'decimal': {
      const normalized = input.replace(/[,，\s]/g, '');
      if (!/^-?\d+(\.\d{1,2})?$/.test(normalized)) return { error: { code: 'not_a_number' } };
      const amount = Number(normalized);
      if (amount < 0) return { error: { code: 'negative' } };
      if (amount > MAX_REGISTERED_CAPITAL) return { error: { code: 'too_large' } };
      // Canonical form (100.50 → 100.5), as the database's decimal prints it back.
      return { value: String(amount) };
    }
    case 'integer': {
      if (!/^-?\d+$/.test(input)) return { error: { code: 'not_an_integer' } };
      const n = Number(input);
      if (n < 0) return { error: { code: 'negative' } };
      if (n > MAX_INTEGER) return { error: { code: 'too_large' } };
      return { value: n };
    }
    case 'date': {
      const date = parseLocalDate(input);
      if (!date) return { error: { code: 'invalid_date' } };
      if (compareLocalDates(date, today) > 0) return { error: { code: 'date_in_future' } };
      return { value: dbDateFromLocalDate(date) };
    }
    case 'secrecyUntil': {
      const date = parseLocalDate(input);
      return date ? { value: date } : { error: { code: 'invalid_date' } };
    }
    case 'kind':
      return choice(zEnum(CUSTOMER_KINDS), input);
    case 'specialCategory':
      return choice(zEnum(SPECIAL_CATEGORIES), input);
    case 'secrecyLevel':
      return choice(zEnum(SECRECY_LEVELS), input);
    case 'owner':
      return SLACK_USER_ID.test(input) ? { value: input } : { error: { code: 'invalid_user' } };
  }
}

function choice(schema: z.ZodType<string>, input: string): Parsed {
  const result = schema.safeParse(input);
  return result.success ? { value: result.data } : { error: { code: 'invalid_choice' } };
}
