/**
 * Runs the jobs on their schedules in the company time zone. A firing is claimed in the
 * database (JobRun, unique per job and minute), so with several replicas each firing runs once.
 */
import { hostname } from 'node:os';
import cron from 'node-cron';
import { isUniqueViolation } from '../domain/prisma-errors.js';
import { approvalRemindersJob } from './approval-reminders.js';
import { auditWitnessJob } from './audit-witness.js';
import { declassifyJob } from './declassify.js';
import type { Job, JobDeps } from './job.js';

export const JOBS: readonly Job[] = [declassifyJob, approvalRemindersJob, auditWitnessJob];

export type JobOutcome =
  | { status: 'done'; result: Record<string, unknown> }
  | { status: 'already_claimed'; claimedBy: string }
  | { status: 'failed'; error: string };

/** Claims the firing, runs the job and records the outcome. Used by cron and by `cli job run`. */
export async function runJob(
  deps: JobDeps,
  job: Job,
  firedAt: Date,
  claimant = `${hostname()}:${process.pid}`,
): Promise<JobOutcome> {
  let runId: number;
  try {
    const run = await deps.db.jobRun.create({
      data: { job: job.name, firedAt, claimedBy: claimant, startedAt: new Date() },
      select: { id: true },
    });
    runId = run.id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await deps.db.jobRun.findUnique({ where: { job_firedAt: { job: job.name, firedAt } } });
    return { status: 'already_claimed', claimedBy: existing?.claimedBy ?? 'unknown' };
  }
  try {
    const result = await job.run(deps, firedAt);
    await deps.db.jobRun.update({ where: { id: runId }, data: { endedAt: new Date(), result: result as object } });
    deps.logger.info({ job: job.name, firedAt, ...result }, 'job done');
    return { status: 'done', result };
  } catch (error) {
    const message = (error as Error).message;
    await deps.db.jobRun.update({ where: { id: runId }, data: { endedAt: new Date(), result: { error: message } } });
    deps.logger.error({ job: job.name, firedAt, err: error }, 'job failed');
    return { status: 'failed', error: message };
  }
}

/** The firing's minute: replicas firing the same schedule agree on it. */
function firingMinute(date: Date): Date {
  const minute = new Date(date);
  minute.setUTCSeconds(0, 0);
  return minute;
}

export function startScheduler(deps: JobDeps, jobs: readonly Job[] = JOBS): { stop(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      (context) => {
        const run = runJob(deps, job, firingMinute(context.triggeredAt ?? new Date())).catch((error: unknown) =>
          deps.logger.error({ job: job.name, err: error }, 'job could not be claimed'),
        );
        running.add(run);
        void run.finally(() => running.delete(run));
      },
      { name: job.name, timezone: deps.timeZone, noOverlap: true },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running]);
    },
  };
}
