/**
 * What a loan request states (INFO-19: time, material, copies, reason; like a view request,
 * INFO-18: purpose and the requester's profile), as one zod schema. The due date is a
 * company-calendar day at most `loan_max_days` (3) after the day of asking; the loan keeps
 * that length counted from the day the borrower signs for receipt.
 */
import { z } from 'zod';
import { type FormValidation, fieldError, requiredText, validateForm } from '../form-input.js';
import { compareLocalDates, daysBetween, type LocalDate, parseLocalDate } from '../time.js';

export const LOAN_FIELDS = ['material', 'copies', 'dueOn', 'purpose', 'reason', 'requesterProfile'] as const;
export type LoanField = (typeof LOAN_FIELDS)[number];

export function loanInputSchema(today: LocalDate, maxDays: number) {
  return z.object({
    material: requiredText(500),
    copies: z.union([z.number(), z.string().trim().min(1)]).transform((value, ctx) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 99) {
        ctx.addIssue({ code: 'custom', ...fieldError({ code: 'not_an_integer' }) });
        return z.NEVER;
      }
      return n;
    }),
    /** The last day the volume may be out, YYYY-MM-DD. */
    dueOn: z.string().transform((value, ctx): { date: LocalDate; days: number } => {
      const date = parseLocalDate(value);
      if (!date) {
        ctx.addIssue({ code: 'custom', ...fieldError({ code: 'invalid_date' }) });
        return z.NEVER;
      }
      if (compareLocalDates(date, today) < 0) {
        ctx.addIssue({ code: 'custom', ...fieldError({ code: 'date_in_past' }) });
        return z.NEVER;
      }
      const days = daysBetween(today, date);
      if (days > maxDays) {
        ctx.addIssue({ code: 'custom', ...fieldError({ code: 'loan_too_long', params: { max: maxDays } }) });
        return z.NEVER;
      }
      return { date, days };
    }),
    purpose: requiredText(1000),
    reason: requiredText(1000),
    requesterProfile: requiredText(500),
  });
}

export type RawLoanInput = z.input<ReturnType<typeof loanInputSchema>>;
export type LoanInput = z.output<ReturnType<typeof loanInputSchema>>;

export function validateLoanInput(
  raw: RawLoanInput,
  today: LocalDate,
  maxDays: number,
): FormValidation<LoanInput, LoanField> {
  return validateForm(loanInputSchema(today, maxDays), LOAN_FIELDS, raw);
}
