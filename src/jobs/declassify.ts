import { declassifyPostText } from '../blocks/declassify.js';
import { CHANNEL_AUDIENCE, visibilityOf } from '../domain/access/visibility.js';
import { declassifyExpired } from '../domain/customers/declassify-expired.js';
import { getChannel } from '../domain/settings/settings.js';
import type { Job } from './job.js';

/** Every day at 00:05 company time: secrecy periods end at local midnight (SEC-7). */
export const SCHEDULE = '5 0 * * *';

export const declassifyJob: Job = {
  name: 'declassify',
  schedule: SCHEDULE,
  async run({ db, notifier, defaultLocale }, now) {
    const { declassified } = await declassifyExpired(db, now);
    const channel = declassified.length > 0 ? await getChannel(db, 'archive') : null;
    // A channel is read by anyone: only what anyone holding a role may see is named there.
    const publishable = declassified.filter(
      (c) => visibilityOf(CHANNEL_AUDIENCE, { ...c, secrecyLevel: c.level, secrecyUntil: null }, now) === 'visible',
    );
    let posted = false;
    if (channel && notifier && publishable.length > 0) {
      await notifier.post(channel, { text: declassifyPostText(defaultLocale, publishable) });
      posted = true;
    }
    return { count: declassified.length, customers: declassified.slice(0, 100).map((c) => c.code), posted };
  },
};
