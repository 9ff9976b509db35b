import type { ViewsReport } from '../domain/audit/query-views.js';
import { formatLocalDateTime } from '../domain/time.js';
import { t, type UiLocale } from './i18n/index.js';
import { levelLabel } from './labels.js';

/** `/kh audit`: who saw what, newest first (SEC-16). */
export function auditReportText(
  locale: UiLocale,
  report: ViewsReport,
  options: { subject: string; from: string; to: string; timeZone: string },
): string {
  const { subject, from, to, timeZone } = options;
  if (report.total === 0) return t(locale, 'audit.none', { subject, from, to });
  const header = t(locale, 'audit.header', {
    subject,
    from,
    to,
    total: report.total,
    more: report.total > report.items.length ? t(locale, 'audit.more', { shown: report.items.length }) : '',
  });
  const lines = report.items.map((item) =>
    t(locale, 'audit.line', {
      at: formatLocalDateTime(item.at, timeZone),
      actor: item.actor,
      action: t(locale, `audit.action.${item.action}`),
      code: item.code,
      level: item.level ? `【${levelLabel(locale, item.level as 'restricted')}】` : '',
      via: item.via ? t(locale, 'audit.via', { via: item.via }) : '',
    }),
  );
  return [header, ...lines].join('\n');
}
