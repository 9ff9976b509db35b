/**
 * Validating a form's input with a zod schema in the domain: the errors come back per
 * field as the form shows them (`fieldError.<code>` in the catalogues). One helper for every
 * form schema; the customer record keeps its own, older validator (customer-input.ts).
 */
import { z } from 'zod';
import type { FieldError } from './customers/customer-input.js';

export type { FieldError };

/** A refinement's field error, carried in the zod issue's params. */
export const fieldError = (error: FieldError) => ({ params: { fieldError: error } });

/** A zod issue as the form shows it: empty → required, too long → its maximum, else what a refinement carried. */
function fieldErrorOf(issue: z.core.$ZodIssue): FieldError {
  if (issue.code === 'too_small') return { code: 'required' };
  if (issue.code === 'too_big') return { code: 'too_long', params: { max: Number(issue.maximum) } };
  if (issue.code === 'invalid_type' && issue.input === undefined) return { code: 'required' };
  return (issue as { params?: { fieldError?: FieldError } }).params?.fieldError ?? { code: 'invalid_choice' };
}

export type FormValidation<T, F extends string> =
  | { ok: true; value: T }
  | { ok: false; errors: Partial<Record<F | 'form', FieldError>> };

/** Parses `raw` with `schema`; the first problem of each field, or `form` for one that belongs to none. */
export function validateForm<S extends z.ZodType, F extends string>(
  schema: S,
  fields: readonly F[],
  raw: z.input<S>,
): FormValidation<z.output<S>, F> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Partial<Record<F | 'form', FieldError>> = {};
  for (const issue of parsed.error.issues) {
    const head = issue.path[0];
    const field = typeof head === 'string' && (fields as readonly string[]).includes(head) ? (head as F) : 'form';
    errors[field] ??= fieldErrorOf(issue);
  }
  return { ok: false, errors };
}

/**
 * Text as PostgreSQL can store it: no NUL character, no half of a surrogate pair (a stray one
 * becomes U+FFFD). Form text passes through this before its length is checked.
 */
export function storableText(text: string): string {
  // String.prototype.toWellFormed (Node 20) is not in this TypeScript lib yet.
  return (text.replaceAll(String.fromCharCode(0), '') as string & { toWellFormed(): string }).toWellFormed();
}

/** A required text field: trimmed, 1 to `max` characters. */
export const requiredText = (max: number) => z.string().transform(storableText).pipe(z.string().trim().min(1).max(max));

/** An optional text field: trimmed, at most `max` characters; empty is null. */
export const optionalText = (max: number) =>
  z
    .string()
    .transform(storableText)
    .pipe(z.string().trim().max(max))
    .nullish()
    .transform((value) => (value ? value : null));
