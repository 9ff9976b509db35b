import { runGrading } from '../domain/statistics/grade-customers.js';
import type { Job } from './job.js';

/** The 1st of every month at 06:00 company time: grades by the three months just completed (DB-8). */
export const SCHEDULE = '0 6 1 * *';

export const gradingJob: Job = {
  name: 'grading',
  schedule: SCHEDULE,
  async run({ db, timeZone }, now) {
    const run = await runGrading(db, now, timeZone);
    return { months: run.months.join(','), graded: run.graded, changed: run.changed, ...run.byGrade };
  },
};
