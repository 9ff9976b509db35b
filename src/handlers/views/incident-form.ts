import type { App } from '@slack/bolt';
import { formErrors } from '../../blocks/customer-form.js';
import { t } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { incidentReportBlocks, readIncidentForm } from '../../blocks/incident.js';
import { validateIncidentInput } from '../../domain/incidents/incident-input.js';
import { reportIncident } from '../../domain/incidents/report-incident.js';
import type { HandlerDeps } from '../deps.js';
import { sendNotices } from '../notices.js';
import { submission } from './submission.js';

/**
 * Submission of `/kh incident`. Problems come back beside their fields. On success the
 * report is sent at once (INFO-27, SEC-13) to every supervisor and service manager by DM and
 * to the GM office channel — or, while no such channel is configured, to each general manager.
 */
export function registerIncidentFormSubmission(app: App, deps: HandlerDeps): void {
  submission(
    app,
    deps,
    VIEW.incidentForm,
    {
      errorField: 'description',
      fieldOf: (error) =>
        error.code === 'invalid_period'
          ? 'since'
          : error.code === 'incident_unknown_customers' || error.code === 'incident_too_many_customers'
            ? 'customers'
            : undefined,
    },
    async ({ session, locale, view, client }) => {
      const form = readIncidentForm(view.state.values);
      const raw = { ...form, customerCodes: form.customers };
      const validation = validateIncidentInput(raw, deps.timeZone);
      if (!validation.ok) {
        const { customerCodes, form: whole, ...fields } = validation.errors;
        return {
          errors: formErrors(locale, {
            ...fields,
            ...(customerCodes && { customers: customerCodes }),
            ...(whole && { description: whole }),
          }),
        };
      }
      const report = await reportIncident(session.ctx, validation.value);
      return {
        done: t(locale, 'incident.reported', { code: report.code }),
        after: async () => {
          // Each recipient separately, so one failure does not keep the others uninformed.
          const results = await Promise.allSettled(
            report.notify.map(({ channel }) =>
              client.chat.postMessage({
                channel,
                text: t(deps.defaultLocale, 'incident.title', {
                  code: report.code,
                  cause: t(deps.defaultLocale, `incident.cause.${report.cause}`),
                }),
                blocks: incidentReportBlocks(deps.defaultLocale, report, 'reported', deps.timeZone),
              }),
            ),
          );
          await sendNotices(deps, client, report.notices);
          const failed = results.filter((r) => r.status === 'rejected').length;
          if (failed > 0) {
            deps.logger.error(
              { incident: report.code, failed },
              'incident notification not delivered to every recipient',
            );
          }
        },
      };
    },
  );
}
