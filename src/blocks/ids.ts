/**
 * Ids shared by the builder that renders an element and the handler that receives it.
 * Never type one of these strings twice.
 */
export const ACTION = {
  findNextPage: 'find_next_page',
  showCustomer: 'customer_show',
  editCustomer: 'customer_edit',
  incidentRemedied: 'incident_remedied',
  incidentClosed: 'incident_closed',
  incidentRevokeExposed: 'incident_revoke_exposed',
  approveStep: 'step_approve',
  rejectStep: 'step_reject',
  /** The borrower signs for a loan (INFO-19); the value is the loan code. */
  receiveLoan: 'loan_receive',
  /** The supervisor named for a destruction confirms it (ARCH-29); the value is the batch code. */
  confirmDestruction: 'destruction_confirm',
  /** One of the two people of a handover confirms its checklist (STAT-13, STAT-14); the value is its code. */
  confirmHandover: 'handover_confirm',
  /** The action_id of every input element in the customer form (block_id is the field name). */
  fieldValue: 'value',
} as const;

export const VIEW = {
  customerForm: 'customer_form',
  incidentForm: 'incident_form',
  requestForm: 'request_form',
  rejectForm: 'reject_form',
  documentForm: 'document_form',
  loanForm: 'loan_form',
  salesImportForm: 'sales_import_form',
  reportForm: 'report_form',
  correctionForm: 'correction_form',
  inspectionForm: 'inspection_form',
} as const;

export const SLASH_COMMAND = '/kh';
