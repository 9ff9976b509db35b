/**
 * The one error type of the domain. `code` is stable (tests and handlers switch on it);
 * the handler renders it through the i18n catalogue with `params`, so the user reads it in
 * their language. Anything that is not a DomainError is a bug: it goes to the log, and the
 * user sees a generic apology without a stack trace.
 */
export const ERROR_CODES = [
  'not_allowed',
  'customer_not_found',
  'customer_duplicate_name',
  'customer_duplicate_credit_code',
  'customer_hidden',
  'customer_edit_conflict',
  'customer_no_changes',
  'invalid_input',
  'person_unknown_role',
  'person_department_required',
  'person_last_admin',
  'person_without_role',
  'invalid_period',
  'incident_not_found',
  'incident_transition',
  'incident_unknown_customers',
  'setting_unknown',
  'request_unneeded',
  'request_duplicate',
  'request_no_department',
  'request_no_approvers',
  'request_not_found',
  'request_closed',
  'step_already_decided',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
