import { lateSubmissionsText, submissionNoticeText } from '../blocks/submissions.js';
import { type SubmissionNotice, submissionNoticeDelivered, sweepSubmissions } from '../domain/custody/submissions.js';
import { getChannel } from '../domain/settings/settings.js';
import { failureFields, type Job } from './job.js';

/** Every day at 08:30 company time (ARCH-5): reminders three days before the due day, alerts the day after. */
export const SCHEDULE = '30 8 * * *';

export const submissionDeadlinesJob: Job = {
  name: 'submission-deadlines',
  schedule: SCHEDULE,
  async run({ db, notifier, logger, timeZone, defaultLocale: locale }, now) {
    const sweep = await sweepSubmissions(db, now, timeZone, { dryRun: !notifier });
    const reminders = sweep.notices.filter((n) => n.stage === 'reminder').length;
    const alerts = sweep.notices.length - reminders;
    // The alerts channel hears of late departments with the overdue alerts not yet delivered.
    const channel = alerts > 0 ? await getChannel(db, 'alerts') : null;
    const base = { month: sweep.month, reminders, alerts, late: sweep.lateDepartments.length };
    if (!notifier) return { ...base, messages: 0, failed: 0, skipped: sweep.notices.length + (channel ? 1 : 0) };
    let messages = 0;
    let failed = 0;
    const send = async (to: string, text: string, notice?: SubmissionNotice): Promise<boolean> => {
      try {
        await notifier.post(to, { text });
        messages++;
        return true;
      } catch (error) {
        failed++;
        logger.error(
          { ...failureFields(error), department: notice?.department },
          'submission notice could not be sent',
        );
        return false;
      }
    };
    const channelTold = channel
      ? await send(channel, lateSubmissionsText(locale, sweep.month, sweep.lateDepartments))
      : true;
    // A notice is delivered once everyone was told (an overdue one, the channel too); until then
    // the next run tells them again, so a failed post is made good rather than lost.
    for (const notice of sweep.notices) {
      let told = notice.stage === 'overdue' ? channelTold : true;
      for (const recipient of notice.recipients)
        told = (await send(recipient, submissionNoticeText(locale, notice), notice)) && told;
      if (told) await submissionNoticeDelivered(db, notice.key, now);
    }
    return { ...base, messages, failed };
  },
};
