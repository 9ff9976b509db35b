import type { App } from '@slack/bolt';
import { t } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { incidentCauseOf, incidentReportBlocks, readIncidentForm } from '../../blocks/incident.js';
import { reportIncident } from '../../domain/incidents/report-incident.js';
import { parseLocalDate, startOfLocalDay } from '../../domain/time.js';
import type { HandlerDeps } from '../deps.js';
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
          : error.code === 'incident_unknown_customers'
            ? 'customers'
            : undefined,
    },
    async ({ session, locale, view, client }) => {
      const form = readIncidentForm(view.state.values);
      const cause = incidentCauseOf(form.cause);
      const since = form.since ? parseLocalDate(form.since) : undefined;
      const errors: Record<string, string> = {};
      if (!cause) errors.cause = t(locale, 'fieldError.invalid_choice');
      for (const field of ['description', 'howDiscovered', 'remedy'] as const) {
        if (!form[field]) errors[field] = t(locale, 'fieldError.required');
      }
      if (form.since && !since) errors.since = t(locale, 'fieldError.invalid_date');
      if (!cause || Object.keys(errors).length > 0) return { errors };
      const report = await reportIncident(session.ctx, {
        cause,
        description: form.description,
        howDiscovered: form.howDiscovered,
        remedy: form.remedy,
        customerCodes: form.customers,
        since: since ? startOfLocalDay(since, deps.timeZone) : undefined,
      });
      return {
        done: t(locale, 'incident.reported', { code: report.code }),
        after: async () => {
          const { supervisors, serviceManagers, generalManagers, gmOfficeChannel } = report.recipients;
          const people = [
            ...new Set([...supervisors, ...serviceManagers, ...(gmOfficeChannel ? [] : generalManagers)]),
          ];
          const destinations = [...people, ...(gmOfficeChannel ? [gmOfficeChannel] : [])];
          // Each recipient separately, so one failure does not keep the others uninformed.
          const results = await Promise.allSettled(
            destinations.map((channel) =>
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
