import type { App } from '@slack/bolt';
import { t } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { incidentCauseOf, incidentReportBlocks, readIncidentForm } from '../../blocks/incident.js';
import { isDomainError } from '../../domain/errors.js';
import { reportIncident } from '../../domain/incidents/report-incident.js';
import { parseLocalDate, startOfLocalDay } from '../../domain/time.js';
import { beginSession, type HandlerDeps } from '../deps.js';
import { failureText } from '../reply.js';

/**
 * Submission of `/kh incident`. Problems come back beside their fields. On success the
 * report is sent at once (INFO-27, SEC-13) to every supervisor and service manager by DM and
 * to the GM office channel — or, while no such channel is configured, to each general manager.
 */
export function registerIncidentFormSubmission(app: App, deps: HandlerDeps): void {
  app.view(VIEW.incidentForm, async ({ ack, body, view, client }) => {
    let locale = deps.defaultLocale;
    try {
      const session = await beginSession(deps, body.user.id);
      locale = session.locale;
      const form = readIncidentForm(view.state.values);
      const cause = incidentCauseOf(form.cause);
      const since = form.since ? parseLocalDate(form.since) : undefined;
      const errors: Record<string, string> = {};
      if (!cause) errors.cause = t(locale, 'fieldError.invalid_choice');
      for (const field of ['description', 'howDiscovered', 'remedy'] as const) {
        if (!form[field]) errors[field] = t(locale, 'fieldError.required');
      }
      if (form.since && !since) errors.since = t(locale, 'fieldError.invalid_date');
      if (!cause || Object.keys(errors).length > 0) {
        await ack({ response_action: 'errors', errors });
        return;
      }
      const report = await reportIncident(session.ctx, {
        cause,
        description: form.description,
        howDiscovered: form.howDiscovered,
        remedy: form.remedy,
        customerCodes: form.customers,
        since: since ? startOfLocalDay(since, deps.timeZone) : undefined,
      }).catch(async (error: unknown) => {
        if (isDomainError(error) && ['incident_unknown_customers', 'invalid_period'].includes(error.code)) {
          const field = error.code === 'invalid_period' ? 'since' : 'customers';
          await ack({ response_action: 'errors', errors: { [field]: failureText(deps, locale, error, 'incident') } });
          return undefined;
        }
        throw error;
      });
      if (!report) return;
      await ack({
        response_action: 'update',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: t(locale, 'modal.done.title') },
          close: { type: 'plain_text', text: t(locale, 'modal.close') },
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: t(locale, 'incident.reported', { code: report.code }) } },
          ],
        },
      });
      const { supervisors, serviceManagers, generalManagers, gmOfficeChannel } = report.recipients;
      const people = [...new Set([...supervisors, ...serviceManagers, ...(gmOfficeChannel ? [] : generalManagers)])];
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
      if (failed > 0)
        deps.logger.error({ incident: report.code, failed }, 'incident notification not delivered to every recipient');
    } catch (error) {
      const message = failureText(deps, locale, error, 'view incident_form');
      await ack({ response_action: 'errors', errors: { description: message } }).catch(() => {});
    }
  });
}
