import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { HandlerDeps } from './deps.js';
import { registerEvents } from './events/index.js';
import { registerCustomerFormSubmission } from './views/customer-form.js';
import { registerDocumentForm } from './views/document-form.js';
import { registerIncidentFormSubmission } from './views/incident-form.js';
import { registerInspectionForm } from './views/inspection-form.js';
import { registerLoanForm } from './views/loan-form.js';
import { registerReportForms } from './views/report-forms.js';
import { registerRequestForms } from './views/request-forms.js';
import { registerSalesImportForm } from './views/sales-import-form.js';

export type { HandlerDeps };

/** Every Slack listener of the bot. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  registerCommands(app, deps);
  registerCustomerFormSubmission(app, deps);
  registerIncidentFormSubmission(app, deps);
  registerRequestForms(app, deps);
  registerDocumentForm(app, deps);
  registerLoanForm(app, deps);
  registerSalesImportForm(app, deps);
  registerReportForms(app, deps);
  registerInspectionForm(app, deps);
  registerActions(app, deps);
  registerEvents(app, deps);
}
