import { declassifyExpired } from '../domain/customers/declassify-expired.js';
import type { Job } from './job.js';

/** Every day at 00:05 company time: secrecy periods end at local midnight (SEC-7). */
export const SCHEDULE = '5 0 * * *';

export const declassifyJob: Job = {
  name: 'declassify',
  schedule: SCHEDULE,
  async run({ db }, now) {
    const { declassified } = await declassifyExpired(db, now);
    return { count: declassified.length, customers: declassified.slice(0, 100) };
  },
};
