/**
 * Statistics reports in Slack (INFO-12: one format for the month, the quarter and the year):
 * the report with its figures against targets, its text, signatures and correction slips
 * (the original figure struck through beside the corrected one, STAT-11); the list; the
 * compile form (STAT-15..17) and the correction-slip form (INFO-11).
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import { fenToYuan } from '../domain/statistics/grading-rules.js';
import { planCompletion } from '../domain/statistics/plan-completion.js';
import type { ReportList } from '../domain/statistics/read-reports.js';
import { type FigureLine, figureLines } from '../domain/statistics/report-figures.js';
import { type ExplanationField, explanationFields } from '../domain/statistics/report-input.js';
import type { Period, ReportPeriod } from '../domain/statistics/report-periods.js';
import type { ReportCorrectionView, ReportView } from '../domain/statistics/report-view.js';
import { formatLocalDateTime } from '../domain/time.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { roleLabel } from './labels.js';
import { clip, LIMITS, mrkdwn, plain, section } from './text.js';

/** Yuan with thousands separators and two decimals: 1234567n → ¥12,345.67. */
export function yuanText(fen: bigint): string {
  const [whole = '0', cents = '00'] = fenToYuan(fen).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? '-' : ''}¥${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

export function periodLabel(locale: UiLocale, period: { period: ReportPeriod; periodKey: string }): string {
  return t(locale, `report.period.${period.period}`, { key: period.periodKey });
}

/** A line's name: the department, region or grade, or what stands for none. */
export function lineLabel(locale: UiLocale, line: Pick<FigureLine, 'group' | 'label'>): string {
  if (line.group === 'total') return t(locale, 'report.line.total');
  if (line.label === null) return t(locale, `report.line.none.${line.group}`);
  return line.group === 'grade' ? t(locale, 'report.line.grade', { grade: line.label }) : escapeMrkdwn(line.label);
}

/** The actual figure as it reads now: struck through and corrected by an applied slip; a pending slip noted. */
function actualText(locale: UiLocale, line: FigureLine, corrections: readonly ReportCorrectionView[]): string {
  const mine = corrections.filter((c) => c.item === line.key);
  const applied = mine.filter((c) => c.appliedAt !== null).at(-1);
  const pending = mine.find((c) => c.state === 'pending');
  const shown = applied
    ? t(locale, 'report.corrected', {
        original: yuanText(line.actualFen),
        corrected: yuanText(applied.correctedFen),
        slip: applied.requestCode,
      })
    : yuanText(line.actualFen);
  return pending ? `${shown}${t(locale, 'report.correction_pending', { slip: pending.requestCode })}` : shown;
}

function lineText(locale: UiLocale, line: FigureLine, corrections: readonly ReportCorrectionView[]): string {
  const applied = corrections.filter((c) => c.item === line.key && c.appliedAt !== null).at(-1);
  const actual = applied?.correctedFen ?? line.actualFen;
  const completion = line.targetFen === null ? null : planCompletion(actual, line.targetFen);
  return t(locale, 'report.line', {
    label: lineLabel(locale, line),
    actual: actualText(locale, line, corrections),
    target:
      line.targetFen === null
        ? t(locale, 'report.no_target')
        : t(locale, 'report.target', {
            target: yuanText(line.targetFen),
            completion: completion === null ? '—' : `${completion}%`,
          }),
    previous: yuanText(line.previousFen),
    customers: line.customers,
  });
}

const GROUPS = ['departments', 'regions', 'grades'] as const;

/** The report as a message: the same sections whatever its period (INFO-12). */
export function reportBlocks(locale: UiLocale, report: ReportView, timeZone: string): types.KnownBlock[] {
  const when = (date: Date) => formatLocalDateTime(date, timeZone);
  const status = [t(locale, `report.state.${report.state}`), ...(report.late ? [t(locale, 'report.late')] : [])].join(
    ' · ',
  );
  const blocks: types.KnownBlock[] = [
    section(
      t(locale, 'report.title', {
        code: report.code,
        period: periodLabel(locale, report),
        status,
      }),
    ),
    {
      type: 'context',
      elements: [
        mrkdwn(
          [
            t(locale, 'report.compiled', { user: report.compiledBy, at: when(report.compiledAt) }),
            t(locale, 'report.due', { day: report.dueOn }),
            ...(report.releasedAt ? [t(locale, 'report.released_at', { at: when(report.releasedAt) })] : []),
            t(locale, 'report.months', {
              from: report.figures.months[0] ?? '',
              to: report.figures.months.at(-1) ?? '',
            }),
          ].join(' · '),
        ),
      ],
    },
  ];
  if (report.intact === false) blocks.push(section(t(locale, 'report.tampered')));
  blocks.push(section(lineText(locale, report.figures.total, report.corrections)));
  for (const group of GROUPS) {
    const lines = report.figures[group];
    const text = lines.length
      ? lines.map((line) => lineText(locale, line, report.corrections)).join('\n')
      : t(locale, 'report.group_empty');
    blocks.push(section(clip(`*${t(locale, `report.group.${group}`)}*\n${text}`, LIMITS.sectionText)));
  }
  for (const field of explanationFields(report.period)) {
    const text = report.explanation[field];
    if (text)
      blocks.push(section(clip(`*${t(locale, `report.field.${field}`)}*\n${escapeMrkdwn(text)}`, LIMITS.sectionText)));
  }
  if (report.signatures.length) {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          t(locale, 'report.signed', {
            signatures: listOf(
              locale,
              report.signatures.map(
                (s) =>
                  `${listOf(
                    locale,
                    s.roles.map((r) => roleLabel(locale, r)),
                    'or',
                  )} <@${s.by}> ${when(s.at)}`,
              ),
            ),
          }),
        ),
      ],
    });
  }
  const slips = report.corrections.map((c) =>
    t(locale, 'report.slip', {
      slip: c.requestCode,
      item: itemLabel(locale, report, c.item),
      original: yuanText(c.originalFen),
      corrected: yuanText(c.correctedFen),
      reason: escapeMrkdwn(clip(c.reason, 300)),
      state: t(locale, `request.state.${c.state}`),
    }),
  );
  if (slips.length)
    blocks.push(section(clip(`*${t(locale, 'report.slips')}*\n${slips.join('\n')}`, LIMITS.sectionText)));
  return blocks;
}

function itemLabel(locale: UiLocale, report: ReportView, item: string): string {
  const line = figureLines(report.figures).find((l) => l.key === item);
  return line ? lineLabel(locale, line) : escapeMrkdwn(item);
}

export function reportHeadline(locale: UiLocale, report: ReportView): string {
  return t(locale, 'report.headline', { code: report.code, period: periodLabel(locale, report) });
}

export function reportListText(locale: UiLocale, list: ReportList, timeZone: string): string {
  if (list.total === 0) return t(locale, 'report.list_empty');
  const lines = list.items.map((item) =>
    t(locale, 'report.list_line', {
      code: item.code,
      period: periodLabel(locale, item),
      state: t(locale, `report.state.${item.state}`),
      late: item.late ? ` · ${t(locale, 'report.late')}` : '',
      when: item.releasedAt
        ? t(locale, 'report.released_at', { at: formatLocalDateTime(item.releasedAt, timeZone) })
        : t(locale, 'report.due', { day: item.dueOn }),
    }),
  );
  return [
    t(locale, 'report.list_title', { total: list.total, late: list.lateCount }),
    ...lines,
    ...(list.pages > 1 ? [t(locale, 'report.list_page', { page: list.page, pages: list.pages })] : []),
  ].join('\n');
}

export const ReportFormMetadata = z.object({ period: z.string().max(10) });

/** `/kh report compile <period>`: the explanation (month) or the four-part analysis (quarter, year). */
export function reportFormView(
  locale: UiLocale,
  period: Period,
  initial: Partial<Record<ExplanationField, string>> = {},
): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.reportForm,
    private_metadata: JSON.stringify({ period: period.key }),
    title: plain(t(locale, 'report.modal.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'report.modal.submit'), 24),
    close: plain(t(locale, 'modal.cancel'), 24),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            t(locale, 'report.modal.intro', {
              period: periodLabel(locale, { period: period.period, periodKey: period.key }),
            }),
          ),
        ],
      },
      ...explanationFields(period.period).map(
        (field): types.InputBlock => ({
          type: 'input',
          block_id: field,
          label: plain(t(locale, `report.field.${field}`)),
          hint: plain(t(locale, `report.hint.${field}`), 150),
          element: {
            type: 'plain_text_input',
            action_id: ACTION.fieldValue,
            multiline: true,
            max_length: field === 'text' ? 3000 : 1500,
            ...(initial[field] && { initial_value: initial[field] }),
          },
        }),
      ),
    ],
  };
}

export const CorrectionFormMetadata = z.object({ code: z.string().max(20) });

/** Slack takes at most 100 options in a group. */
const OPTIONS_PER_GROUP = 100;

/** `/kh report correct <code>`: which figure, its corrected amount, and why (统计数字订正单). */
export function correctionFormView(locale: UiLocale, report: ReportView): types.ModalView {
  const option = (line: FigureLine) => ({
    text: plain(`${lineLabel(locale, line)} · ${yuanText(line.actualFen)}`, 75),
    value: line.key.slice(0, 150),
  });
  const groups: { label: string; lines: FigureLine[] }[] = [
    { label: t(locale, 'report.line.total'), lines: [report.figures.total] },
    ...GROUPS.flatMap((group) => {
      const lines = report.figures[group];
      const chunks: { label: string; lines: FigureLine[] }[] = [];
      for (let i = 0; i < lines.length; i += OPTIONS_PER_GROUP)
        chunks.push({ label: t(locale, `report.group.${group}`), lines: lines.slice(i, i + OPTIONS_PER_GROUP) });
      return chunks;
    }),
  ];
  return {
    type: 'modal',
    callback_id: VIEW.correctionForm,
    private_metadata: JSON.stringify({ code: report.code }),
    title: plain(t(locale, 'report.correction.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'modal.submit'), 24),
    close: plain(t(locale, 'modal.cancel'), 24),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(t(locale, 'report.correction.intro', { code: report.code, period: periodLabel(locale, report) })),
        ],
      },
      {
        type: 'input',
        block_id: 'item',
        label: plain(t(locale, 'report.correction.item')),
        element: {
          type: 'static_select',
          action_id: ACTION.fieldValue,
          option_groups: groups.map((g) => ({ label: plain(g.label, 75), options: g.lines.map(option) })),
        },
      },
      {
        type: 'input',
        block_id: 'corrected',
        label: plain(t(locale, 'report.correction.corrected')),
        element: { type: 'plain_text_input', action_id: ACTION.fieldValue, max_length: 30 },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: plain(t(locale, 'report.correction.reason')),
        element: { type: 'plain_text_input', action_id: ACTION.fieldValue, multiline: true, max_length: 1000 },
      },
    ],
  };
}
