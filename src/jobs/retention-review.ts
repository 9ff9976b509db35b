import { t } from '../blocks/i18n/index.js';
import { retentionReview } from '../domain/custody/destruction.js';
import { getChannel } from '../domain/settings/settings.js';
import type { Job } from './job.js';

/**
 * The 1st of every month at 09:20 company time (ARCH-29, INFO-25): tells the archive channel how
 * many volumes have passed their retention and wait for a batch, and which batches' hold is over.
 */
export const SCHEDULE = '20 9 1 * *';

export const retentionReviewJob: Job = {
  name: 'retention-review',
  schedule: SCHEDULE,
  async run({ db, notifier, timeZone, defaultLocale: locale }, now) {
    const review = await retentionReview(db, now, timeZone);
    const base = { expired: review.expired, ready: review.ready.length };
    if (review.expired === 0 && review.ready.length === 0) return { ...base, posted: false };
    const channel = await getChannel(db, 'archive');
    if (!notifier || !channel) return { ...base, posted: false };
    await notifier.post(channel, {
      text: [
        ...(review.expired ? [t(locale, 'destruction.review_expired', { count: review.expired })] : []),
        ...(review.ready.length ? [t(locale, 'destruction.review_ready', { codes: review.ready.join('、') })] : []),
      ].join('\n'),
    });
    return { ...base, posted: true };
  },
};
