import { t } from '../blocks/i18n/index.js';
import { auditChainHead } from '../domain/audit/verify-audit-chain.js';
import { getChannel } from '../domain/settings/settings.js';
import type { Job } from './job.js';

/** Every day at 00:10 company time: the audit chain's head is witnessed outside the database (SEC-16). */
export const SCHEDULE = '10 0 * * *';

export const auditWitnessJob: Job = {
  name: 'audit-witness',
  schedule: SCHEDULE,
  async run({ db, notifier, witnesses, defaultLocale }, now) {
    const head = await auditChainHead(db, now);
    if (!head) return { witnessed: false };
    // Kept in a file in DATA_DIR and posted to the archive channel: two records the database cannot rewrite.
    witnesses?.append(head);
    const channel = await getChannel(db, 'archive');
    const posted = Boolean(channel && notifier);
    if (channel && notifier) {
      await notifier.post(channel, {
        text: t(defaultLocale, 'audit.witness', { events: head.events, id: head.lastId, hash: head.hash }),
      });
    }
    return { witnessed: true, kept: Boolean(witnesses), posted, events: head.events, lastId: head.lastId };
  },
};
