import { escapeMrkdwn, t, type UiLocale } from '../blocks/i18n/index.js';
import { levelLabel } from '../blocks/labels.js';
import type { ClaimedLoanAlert, LoanAlertRecipient, OverdueListing } from '../domain/loans/overdue-loans.js';
import { sweepOverdueLoans } from '../domain/loans/overdue-loans.js';
import { getChannel } from '../domain/settings/settings.js';
import { failureFields, type Job } from './job.js';

/** Every day at 09:00 company time: borrowers are told the day before a loan is due, then archivists and heads. */
export const SCHEDULE = '0 9 * * *';

/** Lines in the alerts channel's post; the rest are counted and found with `/kh loans overdue`. */
export const CHANNEL_LINES = 40;

const localeOf = (recipient: LoanAlertRecipient, fallback: UiLocale): UiLocale =>
  recipient.locale === 'en' ? 'en' : recipient.locale === 'zh_CN' ? 'zh-CN' : fallback;

/** The DM an alert sends a recipient, by stage and by what they are to the loan. */
export function loanAlertText(locale: UiLocale, alert: ClaimedLoanAlert, as: LoanAlertRecipient['as']): string {
  const common = {
    volume: escapeMrkdwn(alert.volumeCode),
    code: escapeMrkdwn(alert.loanCode),
    due: alert.dueOn,
  };
  if (alert.stage === 'due_tomorrow') return t(locale, 'loan.due_tomorrow', common);
  if (as === 'borrower') return t(locale, 'loan.overdue_borrower', { ...common, days: alert.daysOverdue });
  const key = as === 'archivist' ? ('loan.overdue_archivist' as const) : ('loan.overdue_head' as const);
  return t(locale, key, {
    ...common,
    user: escapeMrkdwn(alert.borrower),
    level: levelLabel(locale, alert.level),
    days: alert.daysOverdue,
  });
}

/** Lines in a person's digest; the rest are counted and found with `/kh loans`. */
export const DIGEST_LINES = 40;

/** A person's DM for a run: the loan's own message, or a digest of several (at most 40 lines, the rest counted). */
export function loanDigestText(
  locale: UiLocale,
  alerts: readonly ClaimedLoanAlert[],
  asFor: (alert: ClaimedLoanAlert) => LoanAlertRecipient['as'],
): string {
  const [only] = alerts;
  if (alerts.length === 1 && only) return loanAlertText(locale, only, asFor(only));
  const shown = alerts.slice(0, DIGEST_LINES);
  return [
    t(locale, 'loan.digest_title', { count: alerts.length }),
    ...shown.map((alert) => `• ${loanAlertText(locale, alert, asFor(alert))}`),
    ...(alerts.length > shown.length ? [t(locale, 'loan.digest_more', { count: alerts.length - shown.length })] : []),
  ].join('\n');
}

/** The alerts channel's post: the day's total, the newly overdue or escalated loans (at most 40 lines), the rest counted. */
export function overdueChannelText(
  locale: UiLocale,
  today: string,
  overdueTotal: number,
  listing: readonly OverdueListing[],
): string {
  const shown = listing.slice(0, CHANNEL_LINES);
  const lines = [
    t(locale, 'loan.overdue_channel_title', { date: today, count: overdueTotal }),
    ...shown.map((line) =>
      t(locale, 'loan.overdue_channel_line', {
        code: escapeMrkdwn(line.loanCode),
        volume: escapeMrkdwn(line.volumeCode),
        level: levelLabel(locale, line.level),
        user: escapeMrkdwn(line.borrower),
        due: line.dueOn,
        days: line.daysOverdue,
      }),
    ),
  ];
  const more = Math.max(overdueTotal, listing.length) - shown.length;
  if (more > 0) lines.push(t(locale, 'loan.overdue_channel_more', { count: more }));
  return lines.join('\n');
}

export const overdueLoansJob: Job = {
  name: 'overdue-loans',
  schedule: SCHEDULE,
  async run({ db, notifier, logger, timeZone, defaultLocale }, now) {
    // Without a notifier (the CLI without SLACK_BOT_TOKEN) nothing could be sent: the alerts
    // are counted but not claimed, so the next run that can send them still does.
    const sweep = await sweepOverdueLoans(db, now, timeZone, { dryRun: !notifier });
    const byStage = { due_tomorrow: 0, overdue: 0, escalated: 0 };
    for (const alert of sweep.alerts) byStage[alert.stage]++;
    const channel = sweep.channel.length > 0 ? await getChannel(db, 'alerts') : null;
    const dms = new Set(sweep.alerts.flatMap((alert) => alert.recipients.map((r) => r.slackUserId))).size;
    const base = {
      ...byStage,
      overdueTotal: sweep.overdueTotal,
      listed: sweep.channel.length,
      withheldFromChannel: sweep.withheldFromChannel,
    };
    if (!notifier) return { ...base, claimed: false, messages: 0, failed: 0, skipped: dms + (channel ? 1 : 0) };

    // One DM per person and run: a loan's own message, or a digest of their loans when there
    // are several (an archivist on a bad day must not get thousands of DMs). Each DM on its own:
    // one Slack refuses is logged and counted and does not keep the others from going out (its
    // alerts stay claimed: never sent twice).
    const byRecipient = new Map<string, { recipient: LoanAlertRecipient; alerts: ClaimedLoanAlert[] }>();
    for (const alert of sweep.alerts) {
      for (const recipient of alert.recipients) {
        const entry = byRecipient.get(recipient.slackUserId) ?? { recipient, alerts: [] };
        entry.alerts.push(alert);
        byRecipient.set(recipient.slackUserId, entry);
      }
    }
    let messages = 0;
    let failed = 0;
    for (const [slackUserId, { recipient, alerts }] of byRecipient) {
      const locale = localeOf(recipient, defaultLocale);
      const asFor = (alert: ClaimedLoanAlert) =>
        alert.recipients.find((r) => r.slackUserId === slackUserId)?.as ?? recipient.as;
      const text = loanDigestText(locale, alerts, asFor);
      try {
        await notifier.post(slackUserId, { text });
        messages++;
      } catch (error) {
        failed++;
        logger.error({ ...failureFields(error), loans: alerts.length }, 'loan alert could not be sent');
      }
    }
    let posted = false;
    if (channel) {
      try {
        await notifier.post(channel, {
          text: overdueChannelText(defaultLocale, sweep.today, sweep.overdueTotal, sweep.channel),
        });
        posted = true;
        messages++;
      } catch (error) {
        failed++;
        logger.error({ ...failureFields(error), channel }, 'overdue listing could not be posted');
      }
    }
    return { ...base, claimed: true, messages, failed, posted, skipped: 0 };
  },
};
