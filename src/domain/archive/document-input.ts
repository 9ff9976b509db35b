/**
 * What filing a document states (ARCH-4, ARCH-11, ARCH-12, ARCH-14, ARCH-17, INFO-8), as one
 * zod schema: the form shows its errors beside the fields; fileDocument parses again, so no
 * caller can skip it. Dates are company-calendar days (YYYY-MM-DD, as Slack's date picker gives).
 */
import { z } from 'zod';
import { SECRECY_LEVELS } from '../access/visibility.js';
import { type FormValidation, fieldError, optionalText, requiredText, validateForm } from '../form-input.js';
import { compareLocalDates, type LocalDate, parseLocalDate } from '../time.js';

export const DOCUMENT_TYPES = [
  'basic_info',
  'credit_evaluation',
  'sales_contract',
  'qualification_rating',
  'sales_statistics',
  'analysis_report',
] as const;
export const DOCUMENT_NATURES = ['single', 'plan', 'summary', 'meeting'] as const;
export const DOCUMENT_RELATIONS = ['reply', 'attachment', 'draft', 'version'] as const;
export const DOCUMENT_FORMS = ['original', 'copy'] as const;
export const CARRIERS = ['paper', 'electronic', 'other'] as const;
export const RETENTION_CLASSES = ['permanent', 'long_term', 'short_term'] as const;

export const DOCUMENT_FIELDS = [
  'type',
  'title',
  'formedOn',
  'nature',
  'coversFrom',
  'coversTo',
  'copies',
  'pages',
  'form',
  'language',
  'relatedCode',
  'relation',
  'carrier',
  'secrecyLevel',
  'secrecyUntil',
  'retention',
  'remarks',
  'box',
  'vetted',
] as const;
export type DocumentField = (typeof DOCUMENT_FIELDS)[number];

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().refine((value): value is T[number] => (values as readonly string[]).includes(value), {
    ...fieldError({ code: 'invalid_choice' }),
  }) as unknown as z.ZodType<T[number], string>;

const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .nullish()
    .transform((value, ctx): T[number] | null => {
      if (!value) return null;
      if ((values as readonly string[]).includes(value)) return value as T[number];
      ctx.addIssue({ code: 'custom', ...fieldError({ code: 'invalid_choice' }) });
      return z.NEVER;
    });

const count = (max: number) =>
  z.union([z.number(), z.string().trim().min(1)]).transform((value, ctx) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      ctx.addIssue({ code: 'custom', ...fieldError({ code: 'not_an_integer' }) });
      return z.NEVER;
    }
    return n;
  });

const year = z
  .union([z.number(), z.string().trim()])
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === '') return null;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1900 || n > 2200) {
      ctx.addIssue({ code: 'custom', ...fieldError({ code: 'not_an_integer' }) });
      return z.NEVER;
    }
    return n;
  });

const localDate = (today: LocalDate, options: { notAfterToday: boolean }) =>
  z.string().transform((value, ctx): LocalDate => {
    const date = parseLocalDate(value);
    if (!date) {
      ctx.addIssue({ code: 'custom', ...fieldError({ code: 'invalid_date' }) });
      return z.NEVER;
    }
    if (options.notAfterToday && compareLocalDates(date, today) > 0) {
      ctx.addIssue({ code: 'custom', ...fieldError({ code: 'date_in_future' }) });
      return z.NEVER;
    }
    return date;
  });

/** The schema for a filing made on `today` (company calendar): a document is not formed in the future. */
export function documentInputSchema(today: LocalDate) {
  return z
    .object({
      type: choice(DOCUMENT_TYPES),
      title: requiredText(200),
      formedOn: localDate(today, { notAfterToday: true }),
      nature: optionalChoice(DOCUMENT_NATURES).transform((value) => value ?? 'single'),
      coversFrom: year,
      coversTo: year,
      copies: count(999),
      pages: count(9999),
      form: choice(DOCUMENT_FORMS),
      language: optionalText(20).transform((value) => value ?? 'zh'),
      relatedCode: optionalText(20),
      relation: optionalChoice(DOCUMENT_RELATIONS),
      carrier: choice(CARRIERS),
      /** Empty: the customer's level and period. */
      secrecyLevel: optionalChoice(SECRECY_LEVELS as unknown as readonly [string, ...string[]]).transform(
        (value) => value as (typeof SECRECY_LEVELS)[number] | null,
      ),
      secrecyUntil: z
        .string()
        .nullish()
        .transform((value, ctx): LocalDate | null => {
          if (!value) return null;
          const date = parseLocalDate(value);
          if (!date) {
            ctx.addIssue({ code: 'custom', ...fieldError({ code: 'invalid_date' }) });
            return z.NEVER;
          }
          if (compareLocalDates(date, today) < 0) {
            ctx.addIssue({ code: 'custom', ...fieldError({ code: 'secrecy_until_past' }) });
            return z.NEVER;
          }
          return date;
        }),
      retention: choice(RETENTION_CLASSES),
      remarks: optionalText(500),
      /** The box a new volume goes in (or the volume is moved to); empty: the first free box. */
      box: optionalText(200),
      /** ARCH-6, ARCH-11: the archivist vetted it (complete in kinds, copies and pages). */
      vetted: z.boolean().refine((value) => value, { ...fieldError({ code: 'vetting_required' }) }),
    })
    .superRefine((value, ctx) => {
      if (value.nature !== 'single' && value.coversFrom === null) {
        ctx.addIssue({ code: 'custom', path: ['coversFrom'], ...fieldError({ code: 'covers_required' }) });
      }
      if (value.coversFrom !== null && value.coversTo !== null && value.coversFrom > value.coversTo) {
        ctx.addIssue({ code: 'custom', path: ['coversTo'], ...fieldError({ code: 'years_order' }) });
      }
      if (value.relatedCode && !value.relation) {
        ctx.addIssue({ code: 'custom', path: ['relation'], ...fieldError({ code: 'relation_required' }) });
      }
      if (value.relation && !value.relatedCode) {
        ctx.addIssue({ code: 'custom', path: ['relatedCode'], ...fieldError({ code: 'required' }) });
      }
    });
}

export type RawDocumentInput = z.input<ReturnType<typeof documentInputSchema>>;
export type DocumentInput = z.output<ReturnType<typeof documentInputSchema>>;

export function validateDocumentInput(
  raw: RawDocumentInput,
  today: LocalDate,
): FormValidation<DocumentInput, DocumentField> {
  return validateForm(documentInputSchema(today), DOCUMENT_FIELDS, raw);
}
