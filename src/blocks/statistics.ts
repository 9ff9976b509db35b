/** Statistics in Slack and the CLI: an import's answer, a grading's summary. */

import type { types } from '@slack/bolt';
import type { Route } from '../domain/customers/route.js';
import type { GradingRun } from '../domain/statistics/grade-customers.js';
import type { ImportProblem, SalesImported } from '../domain/statistics/import-sales.js';
import type { TargetsOutcome } from '../domain/statistics/import-targets.js';
import { escapeMrkdwn, listOf, type MessageKey, t, tDynamic, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { levelMarker } from './labels.js';
import { formModal, mrkdwn, plain } from './text.js';

/** `/kh import sales`: one file input (.xlsx or .csv), checked whole before anything is saved. */
export function salesImportFormView(locale: UiLocale, kind: 'sales' | 'targets' = 'sales'): types.ModalView {
  return formModal({
    callbackId: VIEW.salesImportForm,
    metadata: { kind },
    title: t(locale, 'sales.modal.title'),
    submit: t(locale, 'sales.modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      {
        type: 'context',
        elements: [mrkdwn(t(locale, kind === 'targets' ? 'targets.modal.intro' : 'sales.modal.intro'))],
      },
      {
        type: 'input',
        block_id: 'file',
        label: plain(t(locale, 'sales.modal.file')),
        element: { type: 'file_input', action_id: ACTION.fieldValue, filetypes: ['xlsx', 'csv'], max_files: 1 },
      } as unknown as types.InputBlock,
    ],
  });
}

/** Problems listed in one answer; the rest are counted. */
export const PROBLEMS_SHOWN = 50;

export function salesProblemText(locale: UiLocale, problem: ImportProblem): string {
  const params: Record<string, string | number> = {};
  if ('firstRow' in problem) params.firstRow = problem.firstRow;
  if ('max' in problem) params.max = problem.max;
  const reason = tDynamic(locale, `sales.reason.${problem.reason}` as MessageKey, params);
  if (problem.row === null) return t(locale, 'sales.problem_file', { reason });
  return t(locale, 'sales.problem', {
    row: problem.row,
    column: problem.column ? t(locale, `sales.column.${problem.column}`) : '',
    reason,
  });
}

/** Every problem of a refused import (in row order, at most `max` — 50 in Slack — the rest counted). */
export function salesRejectedText(
  locale: UiLocale,
  problems: readonly ImportProblem[],
  max: number = PROBLEMS_SHOWN,
): string {
  const shown = problems.slice(0, max);
  return [
    t(locale, 'sales.rejected', { count: problems.length }),
    ...shown.map((p) => `• ${salesProblemText(locale, p)}`),
    ...(problems.length > shown.length
      ? [t(locale, 'sales.problems_more', { count: problems.length - shown.length })]
      : []),
  ].join('\n');
}

export function salesImportedText(locale: UiLocale, imported: SalesImported): string {
  return t(locale, 'sales.imported', {
    code: imported.code,
    rows: imported.rows,
    customers: imported.customers,
    months: listOf(locale, imported.months),
    replaced: imported.replaced,
  });
}

export function gradingText(locale: UiLocale, run: GradingRun): string {
  return t(locale, 'grade.done', {
    from: run.months[0],
    to: run.months[2],
    graded: run.graded,
    a: run.byGrade.A,
    b: run.byGrade.B,
    c: run.byGrade.C,
    changed: run.changed,
    reason: run.reason,
  });
}

/** DB-9: a region's visit order as the asker may see it. */
export function routeText(locale: UiLocale, route: Route): string {
  return [
    t(locale, 'route.title', { region: escapeMrkdwn(route.region), count: route.stops.length }),
    ...route.stops.map((stop) =>
      t(locale, 'route.line', {
        n: stop.position,
        code: stop.code,
        marker: levelMarker(locale, stop.level),
        name: escapeMrkdwn(stop.name),
        address: escapeMrkdwn(stop.address),
      }),
    ),
  ].join('\n');
}

/** The answer to a targets import: how many saved, or every problem (all of them). */
export function targetsText(locale: UiLocale, outcome: TargetsOutcome): string {
  if (outcome.ok)
    return t(locale, 'targets.imported', { count: outcome.targets, months: listOf(locale, outcome.months) });
  return [
    t(locale, 'sales.rejected', { count: outcome.problems.length }),
    ...outcome.problems.map((problem) => {
      const params: Record<string, string | number> = {};
      if ('firstRow' in problem) params.firstRow = problem.firstRow;
      if ('max' in problem) params.max = problem.max;
      const reason = tDynamic(locale, `targets.reason.${problem.reason}` as MessageKey, params);
      return `• ${
        problem.row === null
          ? reason
          : t(locale, 'sales.problem', {
              row: problem.row,
              column: problem.column ? tDynamic(locale, `targets.column.${problem.column}` as MessageKey, {}) : '',
              reason,
            })
      }`;
    }),
  ].join('\n');
}
