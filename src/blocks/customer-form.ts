/**
 * The customer form (modal) for `/kh new` and `/kh edit`, and the reader of its submitted
 * state. Built from the domain's field list, so the form, validation and history agree.
 */
import type { types, ViewStateValue } from '@slack/bolt';
import { z } from 'zod';
import type { SecrecyLevel } from '../domain/access/visibility.js';
import { SECRECY_LEVELS } from '../domain/access/visibility.js';
import {
  CUSTOMER_FIELDS,
  CUSTOMER_KINDS,
  type CustomerFieldName,
  DEFAULT_SECRECY_LEVEL,
  type FieldGroup,
  type FieldSpec,
  SPECIAL_CATEGORIES,
} from '../domain/customers/customer-fields.js';
import type { FieldError, FieldErrors, RawCustomerInput } from '../domain/customers/customer-input.js';
import type { FieldValues } from '../domain/customers/customer-record.js';
import { addDays, formatLocalDate, lastDayBefore, localDateOf } from '../domain/time.js';
import { type MessageKey, t, tDynamic, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { kindLabel, levelLabel, specialLabel } from './labels.js';
import { formModal, LIMITS, mrkdwn, plain } from './text.js';

export const CustomerFormMetadata = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('create') }),
  z.object({ mode: z.literal('edit'), code: z.string().max(20), version: z.number().int().positive() }),
]);
export type CustomerFormMetadata = z.infer<typeof CustomerFormMetadata>;

const option = (text: string, value: string): types.PlainTextOption => ({ text: plain(text, 75), value });

function optionsFor(field: FieldSpec, locale: UiLocale): types.PlainTextOption[] {
  switch (field.type) {
    case 'kind':
      return CUSTOMER_KINDS.map((kind) => option(kindLabel(locale, kind), kind));
    case 'specialCategory':
      return SPECIAL_CATEGORIES.map((category) => option(specialLabel(locale, category), category));
    case 'secrecyLevel':
      return SECRECY_LEVELS.map((level) => option(levelLabel(locale, level as SecrecyLevel), level));
    default:
      return [];
  }
}

function element(field: FieldSpec, locale: UiLocale, initial: string | null | undefined): types.InputBlockElement {
  const actionId = ACTION.fieldValue;
  switch (field.type) {
    case 'kind':
    case 'specialCategory':
    case 'secrecyLevel': {
      const options = optionsFor(field, locale);
      const selected = options.find((o) => o.value === initial);
      return {
        type: 'static_select',
        action_id: actionId,
        placeholder: plain(t(locale, 'modal.placeholder.select'), 150),
        options,
        ...(selected && { initial_option: selected }),
      };
    }
    case 'date':
    case 'secrecyUntil':
      return {
        type: 'datepicker',
        action_id: actionId,
        placeholder: plain(t(locale, 'modal.placeholder.date'), 150),
        ...(initial && { initial_date: initial }),
      };
    case 'owner':
      return { type: 'users_select', action_id: actionId, ...(initial && { initial_user: initial }) };
    default:
      return {
        type: 'plain_text_input',
        action_id: actionId,
        multiline: field.type === 'longText',
        // Slack enforces this limit in the form too, but the server checks again.
        ...(field.maxLength && { max_length: field.maxLength }),
        ...(initial && { initial_value: initial }),
      };
  }
}

const HINTS = {
  kind: 'hint.kind_special',
  specialCategory: 'hint.specialCategory',
  secrecyLevel: 'hint.secrecyLevel',
  secrecyUntil: 'hint.secrecyUntil',
} as const satisfies Partial<Record<CustomerFieldName, MessageKey>>;

/** Values the form starts with: the stored record when editing, the SEC-6 defaults when creating. */
export function initialFormValues(now: Date, timeZone: string, secrecyYears: number): FieldValues {
  const today = localDateOf(now, timeZone);
  // Feb 29 plus whole years lands on Mar 1 (addDays normalises it).
  const until = addDays({ ...today, year: today.year + secrecyYears }, 0);
  return { secrecyLevel: DEFAULT_SECRECY_LEVEL, secrecyUntil: formatLocalDate(until) };
}

export function customerFormView(options: {
  locale: UiLocale;
  metadata: CustomerFormMetadata;
  values: FieldValues;
}): types.ModalView {
  const { locale, metadata, values } = options;
  const blocks: types.KnownBlock[] = [
    {
      type: 'context',
      elements: [
        mrkdwn(
          metadata.mode === 'edit'
            ? t(locale, 'modal.edit.intro', { code: metadata.code, version: metadata.version })
            : t(locale, 'modal.intro'),
        ),
      ],
    },
  ];
  let group: FieldGroup | undefined;
  for (const field of CUSTOMER_FIELDS) {
    if (field.group !== group) {
      group = field.group;
      blocks.push({ type: 'header', text: plain(t(locale, `group.${group}`), LIMITS.header) });
    }
    const hint = (HINTS as Partial<Record<CustomerFieldName, (typeof HINTS)[keyof typeof HINTS]>>)[field.name];
    blocks.push({
      type: 'input',
      block_id: field.name,
      label: plain(t(locale, `field.${field.name}`)),
      optional: !field.required,
      element: element(field, locale, values[field.name]),
      ...(hint && { hint: plain(t(locale, hint)) }),
    });
  }
  if (metadata.mode === 'create') {
    // SEC-6, INFO-22: a 绝密 customer is registered with its custodians in the same step.
    blocks.push({
      type: 'input',
      block_id: CUSTODIANS_BLOCK,
      label: plain(t(locale, 'field.custodians')),
      optional: true,
      element: { type: 'multi_users_select', action_id: ACTION.fieldValue, max_selected_items: 10 },
    });
  }
  return formModal({
    callbackId: VIEW.customerForm,
    metadata: metadata,
    title: t(locale, metadata.mode === 'edit' ? 'modal.edit.title' : 'modal.new.title'),
    submit: t(locale, metadata.mode === 'edit' ? 'modal.save' : 'modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks,
  });
}

/** What each field's element submitted, as text (the domain validates it). */
export function readCustomerForm(state: Record<string, Record<string, ViewStateValue>>): RawCustomerInput {
  const raw: RawCustomerInput = {};
  for (const field of CUSTOMER_FIELDS) {
    const value = state[field.name]?.[ACTION.fieldValue];
    if (!value) continue;
    raw[field.name] = value.value ?? value.selected_option?.value ?? value.selected_date ?? value.selected_user ?? null;
  }
  return raw;
}

const CUSTODIANS_BLOCK = 'custodians';

/** The custodians chosen on the registration form (used for 绝密 customers only). */
export function readCustodians(state: Record<string, Record<string, ViewStateValue>>): string[] {
  return state[CUSTODIANS_BLOCK]?.[ACTION.fieldValue]?.selected_users ?? [];
}

/** Field errors as Slack wants them: block id → message in the user's language. */
export function formErrors(
  locale: UiLocale,
  errors: FieldErrors | Partial<Record<string, FieldError>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [field, error] of Object.entries(errors)) {
    if (error) result[field] = tDynamic(locale, `fieldError.${error.code}`, error.params ?? {});
  }
  return result;
}

/** Form values from a stored record's field values (dates back to YYYY-MM-DD, the period's last day). */
export function formValuesFromRecord(values: FieldValues, secrecyUntil: Date | null, timeZone: string): FieldValues {
  const form: FieldValues = { ...values };
  for (const field of CUSTOMER_FIELDS) {
    const value = values[field.name];
    if (field.type === 'date' && value) form[field.name] = value.slice(0, 10);
  }
  // Stored: the instant the period ends; shown: its last day, one day earlier in company time.
  form.secrecyUntil = secrecyUntil ? formatLocalDate(lastDayBefore(secrecyUntil, timeZone)) : null;
  return form;
}
