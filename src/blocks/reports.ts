/**
 * Statistics reports in Slack (INFO-12: one format for the month, the quarter and the year):
 * the report with its figures against targets, its text, signatures and correction slips
 * (the original figure struck through beside the corrected one, STAT-11); the list; the
 * compile form (STAT-15, STAT-16, STAT-17) and the correction-slip form (INFO-11).
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import { fenToYuan } from '../domain/statistics/grading-rules.js';
import { planCompletion } from '../domain/statistics/plan-completion.js';
import type { ReportList } from '../domain/statistics/read-reports.js';
import { type FigureLine, figureLines } from '../domain/statistics/report-figures.js';
import { type ExplanationField, explanationFields } from '../domain/statistics/report-input.js';
import type { Period, ReportPeriod } from '../domain/statistics/report-periods.js';
import { appliedCorrection, type ReportCorrectionView, type ReportView } from '../domain/statistics/report-view.js';
import { formatLocalDateTime } from '../domain/time.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { roleLabel } from './labels.js';
import { clip, formModal, LIMITS, mrkdwn, plain, section } from './text.js';

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

type Named = Pick<FigureLine, 'key' | 'group' | 'label'> & { merged?: number | undefined };

/** A line's name as plain text (a cell, an option): the department, region or grade, none, or the merged rest. */
export function lineName(locale: UiLocale, line: Named): string {
  if (line.group === 'total') return t(locale, 'report.line.total');
  if (line.key.endsWith('!other')) return t(locale, 'report.line.other', { count: line.merged ?? 0 });
  if (line.label === null) return t(locale, `report.line.none.${line.group}`);
  return line.group === 'grade' ? t(locale, 'report.line.grade', { grade: line.label }) : line.label;
}

/** A line's name in mrkdwn (a department or region is user text). */
export function lineLabel(locale: UiLocale, line: Named): string {
  return escapeMrkdwn(lineName(locale, line));
}

/** The actual figure as it reads now: struck through and corrected by an applied slip; a pending slip noted. */
function actualText(locale: UiLocale, line: FigureLine, corrections: readonly ReportCorrectionView[]): string {
  const mine = corrections.filter((c) => c.item === line.key);
  const applied = appliedCorrection(corrections, line.key);
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
  const applied = appliedCorrection(corrections, line.key);
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
  });
}

const GROUPS = ['departments', 'regions', 'grades'] as const;

/** Slack shows at most 50 blocks in a message. */
const MAX_BLOCKS = 50;

/**
 * Lines under a heading as as many sections as they need (a section holds 3,000 characters): a
 * long group or text is split, never cut. A single line longer than a section is clipped.
 */
function chunked(heading: string, lines: readonly string[]): (types.SectionBlock & { text: types.MrkdwnElement })[] {
  const limit = LIMITS.sectionText - 10;
  const out: string[] = [];
  let current = heading;
  for (const raw of lines) {
    const line = clip(raw, limit);
    if (current.length + 1 + line.length > limit) {
      out.push(current);
      current = line;
    } else current = `${current}\n${line}`;
  }
  out.push(current);
  return out.map((text) => ({ type: 'section', text: mrkdwn(text) }));
}

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
            t(locale, 'report.customers', { count: report.figures.total.customers }),
          ].join(' · '),
        ),
      ],
    },
  ];
  if (report.state === 'destroyed') return [...blocks, section(t(locale, 'report.destroyed_note'))];
  if (report.intact === false) blocks.push(section(t(locale, 'report.tampered')));
  blocks.push(section(lineText(locale, report.figures.total, report.corrections)));
  // The text first in the budget: the figures' lines fill what is left, the rest counted.
  const textBlocks = explanationFields(report.period).flatMap((field) => {
    const text = report.explanation[field];
    return text ? chunked(`*${t(locale, `report.field.${field}`)}*`, escapeMrkdwn(text).split('\n')) : [];
  });
  let budget = MAX_BLOCKS - blocks.length - textBlocks.length - 4;
  let hidden = 0;
  for (const group of GROUPS) {
    const lines = report.figures[group].map((line) => lineText(locale, line, report.corrections));
    const sections = chunked(
      `*${t(locale, `report.group.${group}`)}*`,
      lines.length ? lines : [t(locale, 'report.group_empty')],
    );
    const shown = sections.slice(0, Math.max(0, budget));
    budget -= shown.length;
    const shownLines = shown.reduce((n, block) => n + block.text.text.split('\n').length, 0) - (shown.length ? 1 : 0);
    hidden += Math.max(0, report.figures[group].length - shownLines);
    blocks.push(...shown);
  }
  if (hidden > 0)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(t(locale, 'report.more_lines', { count: hidden, code: report.code }))],
    });
  blocks.push(...textBlocks);
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
  return formModal({
    callbackId: VIEW.reportForm,
    metadata: { period: period.key },
    title: t(locale, 'report.modal.title'),
    submit: t(locale, 'report.modal.submit'),
    cancel: t(locale, 'modal.cancel'),
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
  });
}

export const CorrectionFormMetadata = z.object({ code: z.string().max(20) });

/** Slack takes at most 100 options in a group. */
const OPTIONS_PER_GROUP = 100;

/** `/kh report correct <code>`: which figure, its corrected amount, and why (统计数字订正单). */
export function correctionFormView(locale: UiLocale, report: ReportView): types.ModalView {
  const option = (line: FigureLine) => ({
    text: plain(`${lineName(locale, line)} · ${yuanText(line.actualFen)}`, 75),
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
  return formModal({
    callbackId: VIEW.correctionForm,
    metadata: { code: report.code },
    title: t(locale, 'report.correction.title'),
    submit: t(locale, 'modal.submit'),
    cancel: t(locale, 'modal.cancel'),
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
  });
}
