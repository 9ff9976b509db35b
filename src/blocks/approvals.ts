/** Requests and their approval messages (Block Kit). Messages carry codes and levels, never names. */
import type { types, ViewStateValue } from '@slack/bolt';
import { z } from 'zod';
import type { RequestField } from '../domain/approvals/request-input.js';
import type { RequestSummary } from '../domain/approvals/request-view.js';
import { isReportPeriod } from '../domain/statistics/report-periods.js';
import { formatLocalDateTime } from '../domain/time.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { levelMarker, roleLabel } from './labels.js';
import { lineLabel } from './reports.js';
import { clip, formModal, LIMITS, mrkdwn, plain, section } from './text.js';

export const RequestFormMetadata = z.object({
  kind: z.enum(['view', 'copy', 'provide', 'report_access']),
  code: z.string().max(20),
});
export type RequestFormMetadata = z.infer<typeof RequestFormMetadata>;

export const RejectFormMetadata = z.object({ stepId: z.number().int().positive() });

const REQUESTER_TYPES = ['staff', 'outsider'] as const;

export function requestFormView(locale: UiLocale, metadata: RequestFormMetadata): types.ModalView {
  const input = (field: RequestField, multiline: boolean, max: number, optional = false): types.InputBlock => ({
    type: 'input',
    block_id: field,
    optional,
    label: plain(t(locale, `request.field.${field}`)),
    element: { type: 'plain_text_input', action_id: ACTION.fieldValue, multiline, max_length: max },
  });
  return formModal({
    callbackId: VIEW.requestForm,
    metadata: metadata,
    title: t(locale, 'request.modal.title'),
    submit: t(locale, 'modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            t(locale, 'request.modal.intro', {
              kind: t(locale, `request.kind.${metadata.kind}`),
              code: requestSubject(locale, { kind: metadata.kind, customerCode: metadata.code }),
            }),
          ),
        ],
      },
      input('purpose', true, 1000),
      input('reason', true, 1000),
      input('requesterProfile', false, 500),
      {
        type: 'input',
        block_id: 'requesterType',
        label: plain(t(locale, 'request.field.requesterType')),
        element: {
          type: 'static_select',
          action_id: ACTION.fieldValue,
          options: REQUESTER_TYPES.map((type) => ({
            text: plain(t(locale, `request.requesterType.${type}`), 75),
            value: type,
          })),
          initial_option: {
            text: plain(t(locale, 'request.requesterType.staff'), 75),
            value: 'staff',
          },
        },
      },
      input('externalReference', false, 200, true),
      ...(metadata.kind === 'provide' ? [input('recipient', false, 200)] : []),
      // STAT-6: an outside unit asking for reports is named (and shows its letter above).
      ...(metadata.kind === 'report_access'
        ? [{ ...input('recipient', false, 200, true), label: plain(t(locale, 'request.field.report_recipient')) }]
        : []),
      ...(metadata.kind === 'view' ? [input('grantDays', false, 2, true)] : []),
    ],
  });
}

export function readRequestForm(state: Record<string, Record<string, ViewStateValue>>): Record<RequestField, string> {
  const value = (field: RequestField) => (state[field]?.[ACTION.fieldValue]?.value ?? '').trim();
  return {
    purpose: value('purpose'),
    reason: value('reason'),
    requesterProfile: value('requesterProfile'),
    requesterType: state.requesterType?.[ACTION.fieldValue]?.selected_option?.value ?? '',
    externalReference: value('externalReference'),
    recipient: value('recipient'),
    grantDays: value('grantDays'),
  };
}

export function rejectFormView(locale: UiLocale, stepId: number, code: string): types.ModalView {
  return formModal({
    callbackId: VIEW.rejectForm,
    metadata: { stepId },
    title: t(locale, 'request.reject.title'),
    submit: t(locale, 'request.reject'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      section(`*${code}*`),
      {
        type: 'input',
        block_id: 'reason',
        label: plain(t(locale, 'request.reject.reason')),
        element: { type: 'plain_text_input', action_id: ACTION.fieldValue, multiline: true, max_length: 1000 },
      },
    ],
  });
}

const rolesText = (locale: UiLocale, roles: readonly string[], mode: 'any' | 'all' = 'any') =>
  listOf(
    locale,
    roles.map((role) => roleLabel(locale, role as 'sales')),
    mode === 'all' ? 'and' : 'or',
  );

/** In an 'all of these' step, who has approved for which role so far. */
const approvalsText = (locale: UiLocale, step: RequestSummary['steps'][number]) =>
  step.mode === 'all' && step.approvals.length > 0 && step.state === 'open'
    ? t(locale, 'request.step_partial', {
        approvals: listOf(
          locale,
          step.approvals.map((a) => `${roleLabel(locale, a.role)} <@${a.decidedBy}>`),
        ),
      })
    : '';

/** The request with its chain; approve/reject buttons on the open step when `stepId` is it. */
export function approvalBlocks(
  locale: UiLocale,
  request: RequestSummary,
  timeZone: string,
  options: { stepId?: number } = {},
): types.KnownBlock[] {
  const when = (date: Date) => formatLocalDateTime(date, timeZone);
  const blocks: types.KnownBlock[] = [
    section(
      request.destruction
        ? t(locale, 'request.title_batch', {
            kind: t(locale, `request.kind.${request.kind}`),
            code: request.code,
            batch: request.destruction.code,
          })
        : request.report
          ? t(locale, 'request.title_report', {
              kind: t(locale, `request.kind.${request.kind}`),
              code: request.code,
              report: requestSubject(locale, request),
            })
          : t(locale, 'request.title', {
              kind: t(locale, `request.kind.${request.kind}`),
              code: request.code,
              customer: requestSubject(locale, request),
              level: request.customerKnown ? levelMarker(locale, request.level) : '',
            }),
    ),
    ...(request.customerKnown || request.report || request.destruction
      ? []
      : [section(t(locale, 'request.unknown_customer'))]),
    {
      type: 'context',
      elements: [
        mrkdwn(t(locale, 'request.requester', { user: request.requesterSlackUserId, at: when(request.createdAt) })),
      ],
    },
    section(
      request.destruction
        ? destructionDetails(locale, request.destruction)
        : request.report
          ? reportRequestDetails(locale, request)
          : request.kind === 'custodian'
            ? [
                t(locale, 'request.target', { user: request.custodian ?? '?' }),
                ...(request.reason
                  ? [t(locale, 'request.custodian_reason', { reason: escapeMrkdwn(clip(request.reason, 900)) })]
                  : []),
              ].join('\n')
            : [
                t(locale, 'request.details', {
                  purpose: escapeMrkdwn(clip(request.purpose, 900)),
                  reason: escapeMrkdwn(clip(request.reason, 900)),
                  profile: escapeMrkdwn(request.requesterProfile),
                }),
                ...(request.externalReference
                  ? [t(locale, 'request.external', { ref: escapeMrkdwn(request.externalReference) })]
                  : []),
                ...(request.recipient
                  ? [t(locale, 'request.recipient', { recipient: escapeMrkdwn(request.recipient) })]
                  : []),
                ...(request.loan
                  ? [
                      t(locale, 'request.loan_details', {
                        volume: request.loan.volumeCode,
                        material: escapeMrkdwn(clip(request.loan.material, 500)),
                        copies: request.loan.copies,
                        days: request.loan.days,
                      }),
                    ]
                  : []),
              ].join('\n'),
    ),
    section(
      request.steps
        .map((step) =>
          t(locale, 'request.step_line', {
            n: step.position + 1,
            roles: rolesText(locale, step.roles, step.mode),
            state: `${t(locale, `request.step.${step.state}`)}${approvalsText(locale, step)}`,
            by:
              step.decidedBy && step.decidedAt
                ? t(locale, 'request.step_by', { user: step.decidedBy, at: when(step.decidedAt) })
                : '',
          }),
        )
        .join('\n'),
    ),
  ];
  const open = request.steps.find((step) => step.id === options.stepId && step.state === 'open');
  if (open && request.state === 'pending') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          style: 'primary',
          action_id: ACTION.approveStep,
          text: plain(t(locale, 'request.approve'), 75),
          value: String(open.id),
        },
        {
          type: 'button',
          style: 'danger',
          action_id: ACTION.rejectStep,
          text: plain(t(locale, 'request.reject'), 75),
          value: String(open.id),
        },
      ],
    });
  } else {
    const decided = request.steps.find((step) => step.id === options.stepId);
    if (decided?.decidedBy && decided.decidedAt) {
      blocks.push({
        type: 'context',
        elements: [
          mrkdwn(
            t(locale, 'request.decided', {
              state: t(locale, `request.step.${decided.state}`),
              user: decided.decidedBy,
              at: when(decided.decidedAt),
            }),
          ),
        ],
      });
    } else if (request.state !== 'pending') {
      blocks.push({ type: 'context', elements: [mrkdwn(t(locale, `request.state.${request.state}`))] });
    }
  }
  return blocks;
}

/**
 * What a request is about, as its messages name it: the volume of a loan, the report (or the
 * series, for access to reports), otherwise the customer's code.
 */
export function requestSubject(
  locale: UiLocale,
  request: Pick<RequestSummary, 'kind' | 'customerCode'> & { loan?: RequestSummary['loan'] },
): string {
  if (request.kind === 'report_access' && isReportPeriod(request.customerCode))
    return t(locale, `report.series.${request.customerCode}`);
  return request.loan?.volumeCode ?? request.customerCode;
}

export function requestHeadline(locale: UiLocale, request: RequestSummary): string {
  return `${t(locale, `request.kind.${request.kind}`)} ${request.code} · ${requestSubject(locale, request)}`;
}

export function threadStepText(locale: UiLocale, request: RequestSummary, stepId: number): string {
  const step = request.steps.find((s) => s.id === stepId);
  if (step && !step.decidedBy && step.state === 'open' && step.approvals.length > 0) {
    return t(locale, 'request.thread_partial', {
      n: step.position + 1,
      roles: rolesText(locale, step.roles, step.mode),
      approvals: approvalsText(locale, step),
    });
  }
  if (!step?.decidedBy) return '';
  return t(locale, 'request.thread_step', {
    n: step.position + 1,
    roles: rolesText(locale, step.roles, step.mode),
    state: t(locale, `request.step.${step.state}`),
    user: step.decidedBy,
    comment: step.comment ? `：${escapeMrkdwn(step.comment)}` : '',
  });
}

export const requestKindOf = (text: string | undefined): RequestFormMetadata['kind'] | undefined =>
  text === 'view' || text === 'copy' || text === 'provide' ? text : undefined;

/** A report request: the report (or series) and, for a correction slip, the figure and the two amounts. */
function reportRequestDetails(locale: UiLocale, request: RequestSummary): string {
  const report = request.report;
  if (!report) return '';
  const lines: string[] = [];
  if (report.code && report.periodKey)
    lines.push(
      t(locale, 'request.report_details', {
        code: report.code,
        period: t(locale, `report.period.${report.period}`, { key: report.periodKey }),
      }),
    );
  if (request.kind === 'report_destruction')
    lines.push(t(locale, 'request.report_destruction_reason', { reason: escapeMrkdwn(clip(request.reason, 900)) }));
  if (report.correction)
    lines.push(
      t(locale, 'request.correction_details', {
        item: lineLabel(locale, {
          key: report.correction.item,
          group: report.correction.group,
          label: report.correction.label,
        }),
        original: report.correction.original,
        corrected: report.correction.corrected,
        reason: escapeMrkdwn(clip(request.reason, 900)),
      }),
    );
  if (request.kind === 'report_access') {
    lines.push(
      t(locale, 'request.details', {
        purpose: escapeMrkdwn(clip(request.purpose, 900)),
        reason: escapeMrkdwn(clip(request.reason, 900)),
        profile: escapeMrkdwn(request.requesterProfile),
      }),
    );
    if (request.recipient) lines.push(t(locale, 'request.recipient', { recipient: escapeMrkdwn(request.recipient) }));
    if (request.externalReference)
      lines.push(t(locale, 'request.external', { ref: escapeMrkdwn(request.externalReference) }));
  }
  return lines.join('\n');
}

/** ARCH-29: what the appraisers decide on: the department and every volume, by code, level, year and retention. */
function destructionDetails(locale: UiLocale, batch: NonNullable<RequestSummary['destruction']>): string {
  const shown = batch.volumes.slice(0, 40);
  return clip(
    [
      t(locale, 'request.destruction_details', {
        department: escapeMrkdwn(batch.department),
        count: batch.volumes.length,
      }),
      ...shown.map((v) =>
        t(locale, 'request.destruction_line', {
          volume: v.volumeCode,
          customer: v.customerCode,
          level: levelMarker(locale, v.level),
          year: v.year,
          retention: t(locale, `retention.${v.retention as 'long_term'}`),
        }),
      ),
      ...(batch.volumes.length > shown.length
        ? [t(locale, 'request.destruction_more', { count: batch.volumes.length - shown.length, code: batch.code })]
        : []),
    ].join('\n'),
    LIMITS.sectionText,
  );
}
