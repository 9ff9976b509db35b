/**
 * What a view, copy or provision request must state (INFO-18: object, purpose, reason, the
 * requester's profile; people from outside: their letter or work ID; INFO-24: who receives
 * a provision), as one zod schema whose types are inferred. The form shows its errors
 * beside the fields; createRequest parses again, so no caller can skip it.
 */
import { z } from 'zod';
import { type FormValidation, fieldError, optionalText, requiredText, validateForm } from '../form-input.js';
import { DEFAULT_GRANT_DAYS, MAX_GRANT_DAYS } from './policy.js';

export const REQUEST_FIELDS = [
  'purpose',
  'reason',
  'requesterProfile',
  'requesterType',
  'externalReference',
  'recipient',
  'grantDays',
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

export const RequestInputSchema = z
  .object({
    kind: z.enum(['view', 'copy', 'provide', 'report_access']),
    customerCode: z.string().trim().min(1),
    purpose: requiredText(1000),
    reason: requiredText(1000),
    requesterProfile: requiredText(500),
    /** INFO-18: someone from outside the company shows an introduction letter or work ID. */
    requesterType: z
      .string()
      .nullish()
      .transform((value, ctx): 'staff' | 'outsider' => {
        if (!value || value === 'staff') return 'staff';
        if (value === 'outsider') return value;
        ctx.addIssue({ code: 'custom', ...fieldError({ code: 'invalid_choice' }) });
        return z.NEVER;
      }),
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
    // INFO-24 names who receives a provision; STAT-6 the outside unit asking for reports.
    if (
      (value.kind === 'provide' || (value.kind === 'report_access' && value.requesterType === 'outsider')) &&
      !value.recipient
    ) {
      ctx.addIssue({ code: 'custom', path: ['recipient'], ...fieldError({ code: 'required' }) });
    }
    if (value.requesterType === 'outsider' && !value.externalReference) {
      ctx.addIssue({
        code: 'custom',
        path: ['externalReference'],
        ...fieldError({ code: 'external_reference_required' }),
      });
    }
  });

export type RawRequestInput = z.input<typeof RequestInputSchema>;
export type RequestInput = z.output<typeof RequestInputSchema>;

export function validateRequestInput(raw: RawRequestInput): FormValidation<RequestInput, RequestField> {
  return validateForm(RequestInputSchema, REQUEST_FIELDS, raw);
}
