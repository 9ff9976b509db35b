import { renderBarChartPng } from '../blocks/charts.js';
import { escapeMrkdwn, t, type UiLocale } from '../blocks/i18n/index.js';
import { getChannel } from '../domain/settings/settings.js';
import { fenToYuan } from '../domain/statistics/grading-rules.js';
import { type MonthlySummary, monthlySummary } from '../domain/statistics/monthly-summary.js';
import type { Job } from './job.js';

/** The 1st of every month at 09:00 company time (after the grading at 06:00): the month just ended. */
export const SCHEDULE = '0 9 1 * *';

/** The change against the month before, in percent with one decimal (half up), from fen. */
function changeText(locale: UiLocale, summary: MonthlySummary): string {
  if (summary.previousTotalFen === 0n) return t(locale, 'summary.change_none');
  const diff = summary.totalFen - summary.previousTotalFen;
  const magnitude = diff < 0n ? -diff : diff;
  const tenths = (magnitude * 2000n + summary.previousTotalFen) / (summary.previousTotalFen * 2n);
  const percent = `${tenths / 10n}.${tenths % 10n}`;
  return t(locale, diff < 0n ? 'summary.change_down' : 'summary.change_up', { percent });
}

export function summaryText(locale: UiLocale, summary: MonthlySummary): string {
  if (summary.customers === 0) return t(locale, 'summary.none', { month: summary.month });
  const department = (name: string | null) => (name === null ? t(locale, 'summary.no_department') : escapeMrkdwn(name));
  return [
    t(locale, 'summary.title', { month: summary.month, customers: summary.customers }),
    t(locale, 'summary.total', {
      total: fenToYuan(summary.totalFen),
      previous: fenToYuan(summary.previousTotalFen),
      change: changeText(locale, summary),
    }),
    ...summary.departments.map((d) =>
      t(locale, 'summary.department', {
        department: department(d.department),
        total: fenToYuan(d.fen),
        previous: fenToYuan(d.previousFen),
      }),
    ),
    t(locale, 'summary.grades', {
      a: summary.grades.A,
      b: summary.grades.B,
      c: summary.grades.C,
      none: summary.grades.none,
    }),
  ].join('\n');
}

export const monthlyReportJob: Job = {
  name: 'monthly-report',
  schedule: SCHEDULE,
  async run({ db, notifier, logger, timeZone, defaultLocale: locale }, now) {
    const channel = await getChannel(db, 'reports');
    const summary = await monthlySummary(db, now, timeZone);
    const base = { month: summary.month, customers: summary.customers, departments: summary.departments.length };
    if (!notifier || !channel) return { ...base, posted: false, chart: false };
    await notifier.post(channel, { text: summaryText(locale, summary) });
    if (summary.customers === 0) return { ...base, posted: true, chart: false };
    // The chart adds to the text; without it (no CJK font on this machine) the summary still stands.
    try {
      const png = await renderBarChartPng({
        title: t(locale, 'summary.chart_title', { month: summary.month }),
        categories: summary.departments.map((d) => d.department ?? t(locale, 'summary.no_department')),
        series: [
          { name: t(locale, 'summary.series_month'), values: summary.departments.map((d) => Number(d.fen) / 100) },
          {
            name: t(locale, 'summary.series_previous'),
            values: summary.departments.map((d) => Number(d.previousFen) / 100),
          },
        ],
        // Bar heights only (the figures themselves are in the text, exact): a float is fine here.
        unit: '元',
      });
      await notifier.upload(channel, {
        filename: `sales-${summary.month}.png`,
        bytes: png,
        title: t(locale, 'summary.chart_title', { month: summary.month }),
        comment: t(locale, 'summary.chart_title', { month: summary.month }),
      });
      return { ...base, posted: true, chart: true };
    } catch (error) {
      logger.error({ err: error, job: 'monthly-report' }, 'the summary chart could not be drawn; the text was posted');
      return { ...base, posted: true, chart: false };
    }
  },
};
