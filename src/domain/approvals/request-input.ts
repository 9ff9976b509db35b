/**
 * What a view, copy or provision request must state (INFO-18: object, purpose, reason, the
 * requester's profile; people from outside: their letter or work ID; INFO-24: who receives
 * a provision), as one zod schema whose types are inferred. The form shows its errors
 * beside the fields; createRequest parses again, so no caller can skip it.
 */
import { z } from 'zod';
import type { FieldError } from '../customers/customer-input.js';
import { DEFAULT_GRANT_DAYS, MAX_GRANT_DAYS } from './policy.js';

export const REQUEST_FIELDS = [
  'purpose',
  'reason',
  'requesterProfile',
  'externalReference',
  'recipient',
  'grantDays',
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** The field error a zod issue stands for, carried in the issue's params. */
const fieldError = (error: FieldError) => ({ params: { fieldError: error } });

const requiredText = (max: number) => z.string().trim().min(1).max(max);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

export const RequestInputSchema = z
  .object({
    kind: z.enum(['view', 'copy', 'provide']),
    customerCode: z.string().trim().min(1),
    purpose: requiredText(1000),
    reason: requiredText(1000),
    requesterProfile: requiredText(500),
    externalReference: optionalText(200),
    recipient: optionalText(200),
    /** View grants: 1–30 days; empty means the default (7). */
    grantDays: z
      .union([z.number(), z.string().trim()])
      .nullish()
      .transform((value, ctx) => {
        if (value === null || value === undefined || value === '') return DEFAULT_GRANT_DAYS;
        const days = Number(value);
        if (!Number.isInteger(days) || days < 1 || days > MAX_GRANT_DAYS) {
          ctx.addIssue({ code: 'custom', ...fieldError({ code: 'not_an_integer' }) });
          return z.NEVER;
        }
        return days;
      }),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'provide' && !value.recipient) {
      ctx.addIssue({ code: 'custom', path: ['recipient'], ...fieldError({ code: 'required' }) });
    }
  });

export type RawRequestInput = z.input<typeof RequestInputSchema>;
export type RequestInput = z.output<typeof RequestInputSchema>;

export type RequestValidation =
  | { ok: true; value: RequestInput }
  | { ok: false; errors: Partial<Record<RequestField | 'form', FieldError>> };

/** A zod issue as the form shows it: empty → required, too long → its maximum, else what a refinement carried. */
function fieldErrorOf(issue: z.core.$ZodIssue): FieldError {
  if (issue.code === 'too_small') return { code: 'required' };
  if (issue.code === 'too_big') return { code: 'too_long', params: { max: Number(issue.maximum) } };
  if (issue.code === 'invalid_type' && issue.input === undefined) return { code: 'required' };
  return (issue as { params?: { fieldError?: FieldError } }).params?.fieldError ?? { code: 'invalid_choice' };
}

export function validateRequestInput(raw: RawRequestInput): RequestValidation {
  const parsed = RequestInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Partial<Record<RequestField | 'form', FieldError>> = {};
  for (const issue of parsed.error.issues) {
    const field = (REQUEST_FIELDS as readonly PropertyKey[]).includes(issue.path[0] ?? '')
      ? (issue.path[0] as RequestField)
      : 'form';
    errors[field] ??= fieldErrorOf(issue);
  }
  return { ok: false, errors };
}
