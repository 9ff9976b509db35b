/** The incident form (`/kh incident`) and the report sent to the people who must act. */
import type { types, ViewStateValue } from '@slack/bolt';
import type { IncidentField } from '../domain/incidents/incident-input.js';
import type { IncidentStatus } from '../domain/incidents/incident-rules.js';
import { INCIDENT_CAUSES } from '../domain/incidents/incident-rules.js';
import type { IncidentReported } from '../domain/incidents/report-incident.js';
import { formatLocalDateTime } from '../domain/time.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { levelMarker } from './labels.js';
import { clip, formModal, LIMITS, mrkdwn, plain, section } from './text.js';

const textInput = (multiline: boolean, max: number): types.PlainTextInput => ({
  type: 'plain_text_input',
  action_id: ACTION.fieldValue,
  multiline,
  max_length: max,
});

export function incidentFormView(locale: UiLocale): types.ModalView {
  const input = (field: IncidentField, element: types.InputBlockElement, optional = false): types.InputBlock => ({
    type: 'input',
    block_id: field,
    label: plain(t(locale, `incident.field.${field}`)),
    optional,
    element,
  });
  return formModal({
    callbackId: VIEW.incidentForm,
    title: t(locale, 'incident.modal.title'),
    submit: t(locale, 'modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      { type: 'context', elements: [mrkdwn(t(locale, 'incident.modal.intro'))] },
      input('cause', {
        type: 'static_select',
        action_id: ACTION.fieldValue,
        options: INCIDENT_CAUSES.map((cause) => ({
          text: plain(t(locale, `incident.cause.${cause}`), 75),
          value: cause,
        })),
      }),
      input('description', textInput(true, 2000)),
      input('howDiscovered', textInput(true, 2000)),
      input('remedy', textInput(true, 2000)),
      input('customers', textInput(false, 500), true),
      input('since', { type: 'datepicker', action_id: ACTION.fieldValue }, true),
    ],
  });
}

export function readIncidentForm(state: Record<string, Record<string, ViewStateValue>>): Record<IncidentField, string> {
  const value = (field: IncidentField) => {
    const v = state[field]?.[ACTION.fieldValue];
    return (v?.value ?? v?.selected_option?.value ?? v?.selected_date ?? '').trim();
  };
  return {
    cause: value('cause'),
    description: value('description'),
    howDiscovered: value('howDiscovered'),
    remedy: value('remedy'),
    customers: value('customers'),
    since: value('since'),
  };
}

/** The report as the supervisor, the service manager and the GM office see it: codes and levels, never names. */
export function incidentReportBlocks(
  locale: UiLocale,
  report: IncidentReported,
  status: IncidentStatus,
  timeZone: string,
): types.KnownBlock[] {
  const when = (date: Date) => formatLocalDateTime(date, timeZone);
  const customers =
    report.customers.length === 0
      ? t(locale, 'incident.no_customers')
      : report.customers
          .map((customer) =>
            t(locale, 'incident.customer_line', {
              code: customer.code,
              level: levelMarker(locale, customer.level),
              viewers:
                customer.viewers.length === 0
                  ? t(locale, 'incident.no_viewers')
                  : listOf(
                      locale,
                      customer.viewers.map((v) =>
                        v.exports > 0
                          ? t(locale, 'incident.viewer_exported', {
                              user: v.slackUserId,
                              views: v.views,
                              exports: v.exports,
                              last: when(v.last),
                            })
                          : t(locale, 'incident.viewer', { user: v.slackUserId, views: v.views, last: when(v.last) }),
                      ),
                    ),
            }),
          )
          .join('\n');
  const blocks: types.KnownBlock[] = [
    section(t(locale, 'incident.title', { code: report.code, cause: t(locale, `incident.cause.${report.cause}`) })),
    {
      type: 'context',
      elements: [
        mrkdwn(
          t(locale, 'incident.meta', {
            reporter: report.reporterSlackUserId,
            at: when(report.reportedAt),
            status: t(locale, `incident.status.${status}`),
          }),
        ),
      ],
    },
    section(t(locale, 'incident.description', { text: escapeMrkdwn(clip(report.description, 2500)) })),
    section(t(locale, 'incident.howDiscovered', { text: escapeMrkdwn(clip(report.howDiscovered, 2500)) })),
    section(t(locale, 'incident.remedy', { text: escapeMrkdwn(clip(report.remedy, 2500)) })),
    section(`${t(locale, 'incident.customers', { from: when(report.periodFrom) })}\n${customers}`),
  ];
  if (report.inspectionOpened) blocks.push({ type: 'context', elements: [mrkdwn(t(locale, 'incident.inspection'))] });
  const next = status === 'reported' ? 'remedied' : status === 'remedied' ? 'closed' : null;
  if (next) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: next === 'remedied' ? ACTION.incidentRemedied : ACTION.incidentClosed,
          text: plain(
            t(locale, next === 'remedied' ? 'incident.remedied_button' : 'incident.close_button'),
            LIMITS.buttonText,
          ),
          value: report.code,
          ...(next === 'closed' && { style: 'primary' as const }),
        },
        // SEC-13: the supervisor may close the customers to everyone the report lists.
        ...(report.customers.some((c) => c.viewers.length > 0)
          ? [
              {
                type: 'button' as const,
                action_id: ACTION.incidentRevokeExposed,
                text: plain(t(locale, 'incident.revoke_button'), LIMITS.buttonText),
                value: report.code,
                style: 'danger' as const,
              },
            ]
          : []),
      ],
    });
  }
  return blocks;
}
