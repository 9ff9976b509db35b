import { listOf, t } from '../blocks/i18n/index.js';
import { roleLabel } from '../blocks/labels.js';
import { collectApprovalReminders } from '../domain/approvals/approval-reminders.js';
import type { Job } from './job.js';

/** Every hour on the hour: approvers of steps open 24 working hours are reminded; requesters waiting 3 days are told. */
export const SCHEDULE = '0 * * * *';

export const approvalRemindersJob: Job = {
  name: 'approval-reminders',
  schedule: SCHEDULE,
  async run({ db, notifier, timeZone, defaultLocale: locale }, now) {
    const { reminders, escalations, escalateAfterDays } = await collectApprovalReminders(db, now, timeZone);
    let sent = 0;
    if (notifier) {
      for (const reminder of reminders) {
        for (const approver of reminder.approvers) {
          await notifier.post(approver, {
            text: t(locale, 'request.reminder', { code: reminder.code, hours: reminder.waitingHours }),
          });
          sent++;
        }
      }
      for (const escalation of escalations) {
        const text = t(locale, 'request.escalation', {
          code: escalation.code,
          n: escalation.position + 1,
          roles: listOf(
            locale,
            escalation.roles.map((role) => roleLabel(locale, role)),
            'or',
          ),
          days: escalateAfterDays,
        });
        await notifier.post(escalation.to.channel, { text, threadTs: escalation.to.threadTs });
        sent++;
      }
    }
    return { reminders: reminders.length, escalations: escalations.length, messages: sent };
  },
};
