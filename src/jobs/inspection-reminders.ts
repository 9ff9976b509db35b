import { inspectionNoticeText } from '../blocks/inspections.js';
import { inspectionNoticesDelivered, sweepInspections } from '../domain/custody/inspections.js';
import { getChannel } from '../domain/settings/settings.js';
import { failureFields, type Job } from './job.js';

/**
 * Every day at 09:10 company time (INFO-14, INFO-16, ARCH-22): makes this half-year's full
 * inspection and this month's environment check, and tells the archive channel and the
 * archivists when one is due (inspection_notice_days before its last day) and when overdue.
 */
export const SCHEDULE = '10 9 * * *';

export const inspectionRemindersJob: Job = {
  name: 'inspection-reminders',
  schedule: SCHEDULE,
  async run({ db, notifier, logger, timeZone, defaultLocale: locale }, now) {
    const sweep = await sweepInspections(db, now, timeZone, { dryRun: !notifier });
    const due = sweep.notices.filter((n) => n.stage === 'due').length;
    const base = { due, overdue: sweep.notices.length - due };
    if (sweep.notices.length === 0) return { ...base, messages: 0, failed: 0 };
    const channel = await getChannel(db, 'archive');
    const recipients = [...(channel ? [channel] : []), ...sweep.archivists];
    if (!notifier) return { ...base, messages: 0, failed: 0, skipped: recipients.length };
    const text = sweep.notices.map((notice) => inspectionNoticeText(locale, notice)).join('\n');
    let messages = 0;
    let failed = 0;
    for (const to of recipients) {
      try {
        await notifier.post(to, { text });
        messages++;
      } catch (error) {
        failed++;
        logger.error({ ...failureFields(error) }, 'inspection notice could not be sent');
      }
    }
    // Delivered only when everyone was told: otherwise the next run tells them again.
    if (failed === 0)
      await inspectionNoticesDelivered(
        db,
        sweep.notices.map((n) => n.key),
        now,
      );
    return { ...base, messages, failed };
  },
};
