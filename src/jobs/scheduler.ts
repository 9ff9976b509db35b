/**
 * Runs the jobs on their schedules in the company time zone. A firing is claimed in the
 * database (JobRun, unique per job and minute), so with several replicas each firing runs once.
 * At start, each job's latest firing that has no JobRun (missed while the bot was down) runs.
 */
import { hostname } from 'node:os';
import cron from 'node-cron';
import { isUniqueViolation } from '../domain/prisma-errors.js';
import { addDays, type LocalDate, localDateOf } from '../domain/time.js';
import { approvalRemindersJob } from './approval-reminders.js';
import { auditWitnessJob } from './audit-witness.js';
import { declassifyJob } from './declassify.js';
import { gradingJob } from './grading.js';
import { inspectionRemindersJob } from './inspection-reminders.js';
import type { Job, JobDeps } from './job.js';
import { monthlyReportJob } from './monthly-report.js';
import { overdueLoansJob } from './overdue-loans.js';
import { retentionReviewJob } from './retention-review.js';
import { submissionDeadlinesJob } from './submission-deadlines.js';

export const JOBS: readonly Job[] = [
  declassifyJob,
  approvalRemindersJob,
  auditWitnessJob,
  overdueLoansJob,
  gradingJob,
  monthlyReportJob,
  submissionDeadlinesJob,
  inspectionRemindersJob,
  retentionReviewJob,
];

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
  return finishRun(deps, job, runId, firedAt);
}

/** Runs a claimed firing and records how it ended. */
async function finishRun(deps: JobDeps, job: Job, runId: number, firedAt: Date): Promise<JobOutcome> {
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

export interface SchedulerOptions {
  /** Run each job's latest missed firing at start (default true). */
  catchUp?: boolean;
  /** The clock the catch-up reads (tests). */
  now?: () => Date;
}

export interface Scheduler {
  /** Settles when the catch-up at start is done (the scheduler does not wait for it). */
  caughtUp: Promise<CaughtUp[]>;
  stop(): Promise<void>;
}

export function startScheduler(deps: JobDeps, jobs: readonly Job[] = JOBS, options: SchedulerOptions = {}): Scheduler {
  const running = new Set<Promise<unknown>>();
  let stopping = false;
  const track = <T>(promise: Promise<T>): Promise<T> => {
    running.add(promise);
    void promise.finally(() => running.delete(promise)).catch(() => {});
    return promise;
  };
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      (context) => {
        track(
          runJob(deps, job, firingMinute(context.triggeredAt ?? new Date())).catch((error: unknown) =>
            deps.logger.error({ job: job.name, err: error }, 'job could not be claimed'),
          ),
        );
      },
      { name: job.name, timezone: deps.timeZone, noOverlap: true },
    ),
  );
  // In the background: the bot is already answering while a missed firing catches up.
  const caughtUp = track(
    options.catchUp === false
      ? Promise.resolve([])
      : catchUpMissedFirings(deps, jobs, (options.now ?? (() => new Date()))(), { stopping: () => stopping }).then(
          (ran) => {
            deps.logger.info({ ran: ran.map((r) => `${r.job}@${r.firedAt.toISOString()}`) }, 'missed firings checked');
            return ran;
          },
          (error: unknown) => {
            deps.logger.error({ err: error }, 'missed job firings could not be checked');
            return [];
          },
        ),
  );
  return {
    caughtUp,
    async stop() {
      stopping = true;
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running]);
    },
  };
}

export interface CaughtUp {
  job: string;
  firedAt: Date;
  outcome: JobOutcome;
}

/**
 * DESIGN.md "a firing missed while the bot was down runs at the next start": for each job,
 * its latest scheduled firing at or before `now` (company time zone) runs if no JobRun records
 * it, through runJob, so a replica starting at the same time does not run it again. Only the
 * latest: a daily job down for a week runs once. One job after the other.
 */
export async function catchUpMissedFirings(
  deps: JobDeps,
  jobs: readonly Job[],
  now: Date,
  options: { stopping?: () => boolean; claimant?: string } = {},
): Promise<CaughtUp[]> {
  const ran: CaughtUp[] = [];
  for (const job of jobs) {
    if (options.stopping?.()) break;
    const retried = await retryDeadRun(deps, job, now, options.claimant);
    if (retried) ran.push(retried);
    const firedAt = previousFiring(job.schedule, now, deps.timeZone);
    if (!firedAt) continue;
    const recorded = await deps.db.jobRun.findUnique({
      where: { job_firedAt: { job: job.name, firedAt } },
      select: { id: true },
    });
    if (recorded) continue;
    deps.logger.info({ job: job.name, firedAt }, 'running a missed firing');
    const outcome = await runJob(deps, job, firedAt, ...(options.claimant ? [options.claimant] : []));
    ran.push({ job: job.name, firedAt, outcome });
  }
  return ran;
}

/**
 * A run older than this that never ended died with its process (every job finishes within
 * seconds, bench/README.md): it is taken over and run again.
 */
export const DEAD_RUN_AFTER_MS = 15 * 60_000;

/**
 * DESIGN.md "a run that died half way is retried, and what it already sent is not sent
 * twice": the job's latest firing still unfinished after DEAD_RUN_AFTER_MS is taken over with
 * a conditional update (one replica wins) and run again. Each job keeps its own ledger of what
 * it did (alerts claimed, reminders stamped, customers declassified, grades set), so the rerun
 * does only what is left.
 */
async function retryDeadRun(
  deps: JobDeps,
  job: Job,
  now: Date,
  claimant = `${hostname()}:${process.pid}`,
): Promise<CaughtUp | undefined> {
  const dead = await deps.db.jobRun.findFirst({
    where: { job: job.name, endedAt: null, startedAt: { lt: new Date(now.getTime() - DEAD_RUN_AFTER_MS) } },
    orderBy: { firedAt: 'desc' },
  });
  if (!dead) return undefined;
  const { count } = await deps.db.jobRun.updateMany({
    where: { id: dead.id, endedAt: null, claimedBy: dead.claimedBy, startedAt: dead.startedAt },
    data: { claimedBy: claimant, startedAt: new Date() },
  });
  if (count === 0) return undefined;
  deps.logger.warn({ job: job.name, firedAt: dead.firedAt, was: dead.claimedBy }, 'retrying a run that died half way');
  const outcome = await finishRun(deps, job, dead.id, dead.firedAt);
  return { job: job.name, firedAt: dead.firedAt, outcome };
}

/** How far back a firing is looked for: a yearly schedule fires within it. */
const LOOKBACK_DAYS = 367;

/**
 * The latest moment at or before `now` that the cron `schedule` matches in `timeZone`, as
 * node-cron would fire it (its own parser and matcher decide; the candidate times come from the
 * parsed fields), truncated to the minute like a scheduled firing; undefined if none within a year.
 */
export function previousFiring(schedule: string, now: Date, timeZone: string): Date | undefined {
  const fields = cron.parse(schedule);
  const matcher = cron.createTask(schedule, () => {}, { timezone: timeZone });
  try {
    const desc = (values: readonly number[]) => [...values].sort((a, b) => b - a);
    const [hours, minutes, seconds] = [desc(fields.hour), desc(fields.minute), desc(fields.second)];
    const months = new Set(fields.month);
    const numeric = (values: readonly (number | string)[]) =>
      values.every((v) => typeof v === 'number') ? new Set(values.map((v) => (v === 7 ? 0 : (v as number)))) : null;
    const daysOfMonth = numeric(fields.dayOfMonth);
    const weekdays = numeric(fields.dayOfWeek);
    const today = localDateOf(now, timeZone);
    for (let back = 0; back <= LOOKBACK_DAYS; back++) {
      const day = addDays(today, -back);
      // Quick day filters; node-cron's matcher has the last word (L, W, # and the rest).
      if (!months.has(day.month)) continue;
      if (daysOfMonth && !daysOfMonth.has(day.day)) continue;
      if (weekdays && !weekdays.has(new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay())) continue;
      for (const hour of hours) {
        for (const minute of minutes) {
          for (const second of seconds) {
            const at = wallClockInstant(day, hour, minute, second, timeZone);
            if (at.getTime() > now.getTime()) continue;
            if (matcher.match(at)) return firingMinute(at);
          }
        }
      }
    }
    return undefined;
  } finally {
    void matcher.destroy();
  }
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The instant whose wall clock in `timeZone` reads the given local date and time. */
function wallClockInstant(day: LocalDate, hour: number, minute: number, second: number, timeZone: string): Date {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormatters.set(timeZone, formatter);
  }
  const wanted = Date.UTC(day.year, day.month - 1, day.day, hour, minute, second);
  let instant = wanted;
  // Two passes settle the zone's offset, also on a day it changes.
  for (let pass = 0; pass < 2; pass++) {
    const parts: Record<string, number> = {};
    for (const part of formatter.formatToParts(new Date(instant))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    instant += wanted - wall;
  }
  return new Date(instant);
}
