/**
 * The one error type of the domain. `code` is stable (tests and handlers switch on it) and
 * decides the type of `params`, which the blocks render through the i18n catalogue so the
 * user reads it in their language. Anything that is not a DomainError is a bug: it goes to
 * the log, and the user sees a generic apology with a reference, never a stack trace.
 */
import type {
  DestructionState,
  IncidentStatus,
  LoanState,
  RequestState,
  Role,
  SecrecyLevel,
  VolumeState,
} from '../generated/prisma/enums.js';
import type { RestrictedSubcommand } from './access/capabilities.js';
import type { Notice } from './destination.js';

/** What a person was not allowed to do (rendered through `action.<name>`). */
export type RefusedAction =
  | RestrictedSubcommand
  | 'secrecy'
  | 'approve'
  | 'handover'
  | 'revoke'
  | 'loan_receipt'
  | 'report_compile'
  | 'report_correct'
  | 'inspection';

type None = Record<string, never>;

/** Each code with the parameters its message needs. */
export interface ErrorParams {
  not_allowed: { action: RefusedAction };
  customer_not_found: { code: string };
  customer_duplicate_name: { code: string };
  customer_duplicate_credit_code: { code: string };
  /** A duplicate the person may not see: answered without its code or level (SEC-3). */
  customer_duplicate_hidden_name: None;
  customer_duplicate_hidden_credit_code: None;
  customer_hidden: { code: string; level: SecrecyLevel };
  customer_edit_conflict: { code: string };
  customer_no_changes: { code: string };
  /** SEC-6: a 绝密 customer is registered with at least one custodian. */
  customer_custodians_required: None;
  /** SEC-6: a period shorter than the configured minimum is a supervisor's decision (it declassifies). */
  secrecy_period_too_short: { days: number };
  /** Nobody names themselves custodian (or owner): someone else decides who may see a secret. */
  custodian_self: None;
  invalid_input: { reason: 'query_length'; max: number };
  /** A form's input that its schema refuses, submitted around the form (the form shows each field). */
  invalid_form: { fields: string };
  person_unknown_role: { role: string };
  person_department_required: { role: Role };
  person_last_admin: None;
  person_without_role: { user: string };
  invalid_period: None;
  incident_not_found: { code: string };
  incident_transition: { code: string; status: IncidentStatus; user: string };
  /** Text in the customer list that is not a customer code at all (its form, never its existence). */
  incident_unknown_customers: { codes: string[] };
  incident_too_many_customers: { max: number };
  incident_rate_limited: { max: number };
  setting_unknown: { key: string };
  config_out_of_range: { key: string; min: number; max: number };
  request_unneeded: { code: string };
  request_duplicate: { code: string };
  request_no_department: None;
  request_no_approvers: { roles: readonly Role[] };
  request_not_found: { code: string };
  request_closed: { code: string; state: RequestState };
  /** Nothing active to revoke: the request opened nothing, or it expired or was revoked already. */
  nothing_to_revoke: { code: string };
  /** The general manager screening a request: the code matches no customer, so it can only be rejected. */
  request_unknown_customer: { code: string };
  step_already_decided: { code: string; user: string };
  /** Unknown and hidden are answered alike (SEC-3). */
  volume_not_found: { code: string };
  /** A volume the person may know of but not read (its code and level, to ask for a loan). */
  volume_hidden: { code: string; level: SecrecyLevel };
  document_not_found: { code: string };
  loan_not_found: { code: string };
  location_not_found: { path: string };
  /** A location path: room/cabinet/shelf/box, 1–4 labels of at most `max` characters. */
  location_path_invalid: { max: number };
  location_exists: { path: string };
  /** Volumes go in boxes, not in rooms, cabinets or shelves. */
  location_not_box: { path: string };
  /** INFO-22: 机密/绝密 volumes only in locations marked for them. */
  location_not_classified: { path: string; level: SecrecyLevel };
  /** No empty box of the right kind to put a new volume in. */
  no_free_box: { level: SecrecyLevel };
  /** INFO-19: a loan lasts at most `max` days. */
  loan_too_long: { max: number };
  /** A volume on loan or held for destruction is not lent. */
  volume_unavailable: { code: string; state: VolumeState };
  loan_closed: { code: string; state: LoanState };
  /** DB-9: no customer the person may see is in this region. */
  region_empty: { region: string };
  route_not_in_region: { code: string; region: string };
  /** STAT-7: not a month (2026-11), a quarter (2026-Q4) or a year (2026). */
  report_period_invalid: None;
  /** A period still running: its figures are not complete. */
  report_period_open: { period: string };
  /** Unknown and not readable are answered alike (STAT-5). */
  report_not_found: { ref: string };
  /** INFO-13: released reports are read-only (a correction slip changes a figure). */
  report_released: { code: string };
  report_in_review: { code: string };
  /** STAT-11: before release an error is corrected directly, by compiling the report again. */
  report_not_released: { code: string };
  report_item_unknown: { item: string };
  report_correction_unchanged: None;
  /** The person reads the series already. */
  report_access_unneeded: None;
  /** STAT-6: outside units are received by customer service. */
  report_outside_via_service: None;
  department_not_found: { name: string };
  /** INFO-13: each step of this request is decided by a different person (and not by the report's compiler). */
  decider_not_distinct: { code: string };
  /** STAT-6: a hand-over to an outside unit needs the exporter's approved, live grant for the report's series. */
  report_handover_invalid: { request: string; code: string };
  inspection_not_found: { code: string };
  /** Done already (by whom): an inspection is recorded once. */
  inspection_done: { code: string; user: string };
  finding_not_found: { id: number };
  finding_closed: { id: number; user: string };
  /** ARCH-24: the security checklist is 1–`max` items of at most `length` characters. */
  inspection_items_invalid: { max: number; length: number };
  /** ARCH-29: a volume named that is not an expired one of the department in its box (on loan, held, kept, elsewhere). */
  destruction_volume_not_eligible: { code: string; department: string };
  destruction_nothing_expired: { department: string };
  destruction_not_found: { code: string };
  destruction_state: { code: string; state: DestructionState };
  /** ARCH-29: held apart until `until` (inclusive). */
  destruction_held: { code: string; until: string };
  /** ARCH-29: the supervisor of a destruction is not the one who proposed it. */
  destruction_supervisor_proposer: { code: string };
  destruction_place_required: None;
  /** SEC-3: 绝密 volumes go in a batch of their own. */
  destruction_mixed: None;
  /** ARCH-29: a volume of the batch is no longer as appraised (filed into, lent, made permanent). */
  destruction_changed: { code: string; volume: string };
  /** ARCH-26: a day (YYYY-MM-DD) not after today. */
  matter_date_invalid: None;
  matter_text_invalid: { max: number };
  handover_same_person: None;
  /** STAT-9: destroyed by the chain: its figures are gone. */
  report_destroyed: { code: string };
  /** One open handover per leaving person at a time. */
  handover_open: { code: string };
  handover_closed: { code: string };
  /** Nothing is left without a holder: loans still out, custodianships nobody else holds. */
  handover_blocked: { loans: number; custodianships: number };
  /** ARCH-5: not a month (YYYY-MM), or one still to come. */
  submission_month_invalid: None;
  submission_nothing_outstanding: { department: string; month: string };
}

export type ErrorCode = keyof ErrorParams;

/** Every code, for tests that check each has a message in every language. */
export const ERROR_CODES = [
  'not_allowed',
  'customer_not_found',
  'customer_duplicate_name',
  'customer_duplicate_credit_code',
  'customer_duplicate_hidden_name',
  'customer_duplicate_hidden_credit_code',
  'customer_hidden',
  'customer_edit_conflict',
  'customer_no_changes',
  'customer_custodians_required',
  'secrecy_period_too_short',
  'custodian_self',
  'invalid_input',
  'invalid_form',
  'person_unknown_role',
  'person_department_required',
  'person_last_admin',
  'person_without_role',
  'invalid_period',
  'incident_not_found',
  'incident_transition',
  'incident_unknown_customers',
  'incident_too_many_customers',
  'incident_rate_limited',
  'setting_unknown',
  'config_out_of_range',
  'request_unneeded',
  'request_duplicate',
  'request_no_department',
  'request_no_approvers',
  'request_not_found',
  'request_closed',
  'nothing_to_revoke',
  'request_unknown_customer',
  'step_already_decided',
  'volume_not_found',
  'volume_hidden',
  'document_not_found',
  'loan_not_found',
  'location_not_found',
  'location_path_invalid',
  'location_exists',
  'location_not_box',
  'location_not_classified',
  'no_free_box',
  'loan_too_long',
  'volume_unavailable',
  'loan_closed',
  'region_empty',
  'route_not_in_region',
  'report_period_invalid',
  'report_period_open',
  'report_not_found',
  'report_released',
  'report_in_review',
  'report_not_released',
  'report_item_unknown',
  'report_correction_unchanged',
  'report_access_unneeded',
  'report_outside_via_service',
  'department_not_found',
  'decider_not_distinct',
  'report_handover_invalid',
  'inspection_not_found',
  'inspection_done',
  'finding_not_found',
  'finding_closed',
  'inspection_items_invalid',
  'destruction_volume_not_eligible',
  'destruction_nothing_expired',
  'destruction_not_found',
  'destruction_state',
  'destruction_held',
  'destruction_supervisor_proposer',
  'destruction_place_required',
  'destruction_mixed',
  'destruction_changed',
  'matter_date_invalid',
  'matter_text_invalid',
  'handover_same_person',
  'report_destroyed',
  'handover_open',
  'handover_closed',
  'handover_blocked',
  'submission_month_invalid',
  'submission_nothing_outstanding',
] as const satisfies readonly ErrorCode[];
// The list names every code: a code added to ErrorParams but not here fails to compile.
type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const allListed: [Missing] extends [never] ? true : Missing = true;
void allListed;

type ParamsArg<C extends ErrorCode> = ErrorParams[C] extends None ? [] : [params: ErrorParams[C]];

export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  readonly params: ErrorParams[C];
  /** What others must be told of this refusal (set by the use case's `refuse`), sent after the reply. */
  notices: readonly Notice[] = [];

  constructor(
    readonly code: C,
    ...[params]: ParamsArg<C>
  ) {
    super(`${code}${params ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'DomainError';
    this.params = (params ?? {}) as ErrorParams[C];
  }
}

/** A DomainError whose `params` narrow when its `code` is checked. */
export type AnyDomainError = { [C in ErrorCode]: DomainError<C> }[ErrorCode];

export function isDomainError(error: unknown): error is AnyDomainError {
  return error instanceof DomainError;
}
