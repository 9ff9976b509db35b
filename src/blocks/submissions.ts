/** Monthly submissions (ARCH-5) in Slack: the notices, the alerts channel's list, a month's table. */

import type { DepartmentSubmissions, Received, SubmissionNotice } from '../domain/custody/submissions.js';
import type { DocumentType } from '../generated/prisma/client.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';

const materialsText = (locale: UiLocale, materials: readonly DocumentType[]) =>
  listOf(
    locale,
    materials.map((m) => t(locale, `document.type.${m}`)),
  );

export function submissionNoticeText(locale: UiLocale, notice: SubmissionNotice): string {
  return t(locale, notice.stage === 'reminder' ? 'submission.reminder' : 'submission.overdue', {
    department: escapeMrkdwn(notice.department),
    month: notice.month,
    due: notice.dueOn,
    materials: materialsText(locale, notice.materials),
  });
}

export function lateSubmissionsText(
  locale: UiLocale,
  month: string,
  late: readonly { department: string; materials: readonly DocumentType[] }[],
): string {
  return [
    t(locale, 'submission.late_title', { month, count: late.length }),
    ...late.map((d) =>
      t(locale, 'submission.late_line', {
        department: escapeMrkdwn(d.department),
        materials: materialsText(locale, d.materials),
      }),
    ),
  ].join('\n');
}

export function receivedText(locale: UiLocale, received: Received): string {
  const late = received.materials.filter((m) => m.late).map((m) => m.material);
  return (
    t(locale, 'submission.received', {
      department: escapeMrkdwn(received.department),
      month: received.month,
      materials: materialsText(
        locale,
        received.materials.map((m) => m.material),
      ),
    }) + (late.length ? t(locale, 'submission.received_late', { materials: materialsText(locale, late) }) : '')
  );
}

export function submissionStatusText(
  locale: UiLocale,
  status: { month: string; departments: readonly DepartmentSubmissions[] },
): string {
  if (status.departments.length === 0) return t(locale, 'submission.none', { month: status.month });
  return [
    t(locale, 'submission.status_title', { month: status.month }),
    ...status.departments.map((d) =>
      t(locale, 'submission.status_line', {
        department: escapeMrkdwn(d.department),
        items: d.items
          .map((item) =>
            t(
              locale,
              item.receivedAt
                ? item.late
                  ? 'submission.item_late'
                  : 'submission.item_received'
                : item.late
                  ? 'submission.item_overdue'
                  : 'submission.item_waiting',
              {
                material: t(locale, `document.type.${item.material}`),
                due: item.dueOn,
              },
            ),
          )
          .join('；'),
        late: d.lateCount,
      }),
    ),
  ].join('\n');
}
