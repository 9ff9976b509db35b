/** Inspections (INFO-14, INFO-16, ARCH-21, ARCH-22, ARCH-23, ARCH-24) in Slack: the checklist form, the list, the job's notices. */
import type { types, ViewStateValue } from '@slack/bolt';
import { z } from 'zod';
import type { InspectionNotice, InspectionSummary, openInspection } from '../domain/custody/inspections.js';
import { formatLocalDateTime } from '../domain/time.js';
import { escapeMrkdwn, t, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { clip, formModal, LIMITS, mrkdwn, plain } from './text.js';

export const InspectionFormMetadata = z.object({ code: z.string().max(20) });

type Opened = Awaited<ReturnType<typeof openInspection>>;

const kindText = (locale: UiLocale, i: { kind: InspectionSummary['kind']; period: string | null; reason?: string }) =>
  i.kind === 'event' && i.reason
    ? t(locale, 'inspection.kind.event', { reason: t(locale, `inspection.reason.${i.reason as 'fire'}`) })
    : t(locale, `inspection.kind.${i.kind as 'full'}`, { period: i.period ?? '' });

/** `/kh inspection do <JC-…>`: a checkbox group per part of the checklist, the readings, the findings. */
export function inspectionFormView(locale: UiLocale, inspection: Opened): types.ModalView {
  const groups = inspection.checklist.map(
    ({ group, items }): types.InputBlock => ({
      type: 'input',
      block_id: `check_${group}`,
      optional: true,
      label: plain(t(locale, `inspection.group.${group}`)),
      hint: plain(t(locale, 'inspection.tick_hint'), 150),
      element: {
        type: 'checkboxes',
        action_id: ACTION.fieldValue,
        options: items.map((item) => ({
          text: plain(item.label ?? t(locale, `inspection.item.${item.id as 'no_damp'}`), 75),
          value: item.id,
        })),
      },
    }),
  );
  const text = (block: string, multiline: boolean, max: number, hint?: string): types.InputBlock => ({
    type: 'input',
    block_id: block,
    optional: true,
    label: plain(t(locale, `inspection.field.${block as 'notes'}`)),
    ...(hint && { hint: plain(hint, 150) }),
    element: { type: 'plain_text_input', action_id: ACTION.fieldValue, multiline, max_length: max },
  });
  return formModal({
    callbackId: VIEW.inspectionForm,
    metadata: { code: inspection.code },
    title: t(locale, 'inspection.modal.title'),
    submit: t(locale, 'modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            t(locale, 'inspection.modal.intro', {
              code: inspection.code,
              kind: kindText(locale, inspection),
              due: inspection.dueOn ?? '—',
            }),
          ),
        ],
      },
      ...groups,
      text('temperature', false, 5),
      text('humidity', false, 3),
      text('findings', true, 3000, t(locale, 'inspection.findings_hint')),
      text('notes', true, 2000),
    ],
  });
}

/** The ticked items of every checklist group, from the form's state. */
export function readPassedItems(state: Record<string, Record<string, ViewStateValue>>): string[] {
  return Object.entries(state)
    .filter(([block]) => block.startsWith('check_'))
    .flatMap(([, fields]) =>
      (fields[ACTION.fieldValue]?.selected_options ?? []).flatMap((o) => (o.value ? [o.value] : [])),
    );
}

const findingLine = (locale: UiLocale, f: InspectionSummary['findings'][number], timeZone: string) =>
  t(locale, f.closedAt ? 'inspection.finding_closed_line' : 'inspection.finding_line', {
    id: f.id,
    subject: escapeMrkdwn(f.subject),
    problem: escapeMrkdwn(f.problem),
    action: t(locale, `inspection.action.${f.action as 'repair'}`),
    user: f.closedBy ?? '',
    at: f.closedAt ? formatLocalDateTime(f.closedAt, timeZone) : '',
  });

export function inspectionListText(
  locale: UiLocale,
  list: { open: InspectionSummary[]; done: InspectionSummary[] },
  timeZone: string,
): string {
  const line = (i: InspectionSummary) =>
    [
      t(locale, i.status === 'open' ? 'inspection.open_line' : 'inspection.done_line', {
        code: i.code,
        kind: kindText(locale, i),
        due: i.dueOn ?? '—',
        user: i.completedBy ?? '',
        at: i.completedAt ? formatLocalDateTime(i.completedAt, timeZone) : '',
      }),
      ...i.findings.map((f) => `    ${findingLine(locale, f, timeZone)}`),
    ].join('\n');
  return clip(
    [
      t(locale, 'inspection.open_title', { count: list.open.length }),
      ...list.open.map(line),
      t(locale, 'inspection.done_title'),
      ...(list.done.length ? list.done.map(line) : [t(locale, 'inspection.none')]),
    ].join('\n'),
    LIMITS.sectionText * 4,
  );
}

export function inspectionDoneText(locale: UiLocale, done: InspectionSummary): string {
  return t(locale, 'inspection.completed', { code: done.code, findings: done.findings.length });
}

export function inspectionNoticeText(locale: UiLocale, notice: InspectionNotice): string {
  return t(locale, notice.stage === 'due' ? 'inspection.due' : 'inspection.overdue', {
    code: notice.code,
    kind: kindText(locale, notice),
    due: notice.dueOn,
  });
}
