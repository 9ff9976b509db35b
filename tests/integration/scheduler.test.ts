/**
 * The scheduler's catch-up (DESIGN.md, Reliability rules: "a firing missed while the bot was
 * down runs at the next start"): each job's latest firing at or before the start, in company
 * time, runs if no JobRun records it, once across replicas; never an older one.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Job, JobDeps } from '../../src/jobs/job.js';
import { SCHEDULE as OVERDUE_SCHEDULE } from '../../src/jobs/overdue-loans.js';
import { catchUpMissedFirings, JOBS, previousFiring, startScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { TIME_ZONE } from '../helpers/fixtures.js';

/** An instant given as a wall-clock time in Shanghai. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('previousFiring: the latest scheduled firing at or before a moment, in company time', () => {
  it('a daily 09:00 job across the day boundary in Asia/Shanghai (00:30 there is 16:30 UTC the day before)', () => {
    expect(previousFiring('0 9 * * *', new Date('2026-12-02T16:30:00Z'), TIME_ZONE)).toEqual(sh('2026-12-02T09:00'));
    expect(previousFiring('0 9 * * *', sh('2026-12-03T08:59:59.999'), TIME_ZONE)).toEqual(sh('2026-12-02T09:00'));
    expect(previousFiring('0 9 * * *', sh('2026-12-03T09:00'), TIME_ZONE)).toEqual(sh('2026-12-03T09:00'));
    expect(previousFiring('0 9 * * *', sh('2026-12-03T23:59'), TIME_ZONE)).toEqual(sh('2026-12-03T09:00'));
  });

  it('00:05 company time is the previous day in UTC; hourly jobs; month and year boundaries; weekdays', () => {
    expect(previousFiring('5 0 * * *', sh('2026-12-03T00:04'), TIME_ZONE)).toEqual(sh('2026-12-02T00:05'));
    expect(previousFiring('5 0 * * *', sh('2026-12-03T00:05:30'), TIME_ZONE)).toEqual(new Date('2026-12-02T16:05:00Z'));
    expect(previousFiring('0 * * * *', sh('2026-12-03T10:37:12'), TIME_ZONE)).toEqual(sh('2026-12-03T10:00'));
    expect(previousFiring('0 9 * * *', sh('2027-01-01T08:00'), TIME_ZONE)).toEqual(sh('2026-12-31T09:00'));
    // Mon–Fri at 09:00, asked on Sunday 2026-12-06: Friday's.
    expect(previousFiring('0 9 * * 1-5', sh('2026-12-06T10:00'), TIME_ZONE)).toEqual(sh('2026-12-04T09:00'));
    // No firing within the last year: nothing to catch up.
    expect(previousFiring('0 9 29 2 *', sh('2026-12-03T10:00'), TIME_ZONE)).toBeUndefined();
  });

  it('every registered job has a firing within its period (daily jobs within a day, the monthly grading on the 1st)', () => {
    expect(JOBS.find((job) => job.name === 'overdue-loans')?.schedule).toBe(OVERDUE_SCHEDULE);
    expect(OVERDUE_SCHEDULE).toBe('0 9 * * *');
    const now = sh('2026-12-03T12:00');
    const monthly = new Set(['grading', 'monthly-report', 'retention-review']);
    for (const job of JOBS) {
      const fired = previousFiring(job.schedule, now, TIME_ZONE);
      expect(fired, job.name).toBeDefined();
      const period = monthly.has(job.name) ? 31 * 86_400_000 : 86_400_000;
      expect(now.getTime() - (fired?.getTime() ?? 0), job.name).toBeLessThanOrEqual(period);
    }
    expect(previousFiring(JOBS.find((job) => job.name === 'grading')?.schedule ?? '', now, TIME_ZONE)).toEqual(
      sh('2026-12-01T06:00'),
    );
  });
});

/** A job that records the moments it ran for, and can be held mid-run. */
function recordingJob(name: string, schedule: string) {
  const runs: Date[] = [];
  let release: () => void = () => {};
  let hold: Promise<void> | undefined;
  const job: Job = {
    name,
    schedule,
    async run(_deps, now) {
      runs.push(now);
      await hold;
      return { ran: true };
    },
  };
  return {
    job,
    runs,
    holdRuns() {
      hold = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
  };
}

describe('catch-up at start', () => {
  let db: TestDb;
  const deps = (): JobDeps => ({
    db: db.prisma,
    logger: createLogger('silent'),
    timeZone: TIME_ZONE,
    defaultLocale: 'zh-CN',
  });
  async function fresh() {
    db = await createTestDb();
    onTestFinished(() => db.close());
  }
  // Schedules that fire only on 29 February, so the real cron never fires during a test run;
  // the catch-up is asked at 2028-03-01 08:00 in Shanghai, across the day boundary from it.
  const LEAP_DAY = '0 9 29 2 *';
  const START = sh('2028-03-01T08:00');
  const FIRING = sh('2028-02-29T09:00');

  it('a job whose last firing has no JobRun runs once, for that firing; one that has a JobRun does not', async () => {
    await fresh();
    const missed = recordingJob('missed', LEAP_DAY);
    const recorded = recordingJob('recorded', LEAP_DAY);
    await db.prisma.jobRun.create({
      data: { job: 'recorded', firedAt: FIRING, claimedBy: 'before', startedAt: FIRING, endedAt: FIRING },
    });
    const scheduler = startScheduler(deps(), [missed.job, recorded.job], { now: () => START });
    const ran = await scheduler.caughtUp;
    await scheduler.stop();
    expect(ran).toEqual([{ job: 'missed', firedAt: FIRING, outcome: { status: 'done', result: { ran: true } } }]);
    expect(missed.runs).toEqual([FIRING]);
    expect(recorded.runs).toEqual([]);
    expect(await db.prisma.jobRun.findMany({ where: { job: 'missed' }, select: { firedAt: true } })).toEqual([
      { firedAt: FIRING },
    ]);

    // The next start (or a second replica) finds the firing recorded: nothing runs again.
    const again = startScheduler(deps(), [missed.job, recorded.job], { now: () => sh('2028-03-01T08:30') });
    expect(await again.caughtUp).toEqual([]);
    await again.stop();
    expect(missed.runs).toHaveLength(1);
  });

  it('only the latest missed firing runs, not every one missed since the last run', async () => {
    await fresh();
    const daily = recordingJob('daily', '0 9 * * *');
    // Last ran three days before; the bot was down since.
    const long = sh('2028-02-27T09:00');
    await db.prisma.jobRun.create({
      data: { job: 'daily', firedAt: long, claimedBy: 'before', startedAt: long, endedAt: long },
    });
    // Through catchUpMissedFirings itself: no cron task, which would fire at a real 09:00.
    const ran = await catchUpMissedFirings(deps(), [daily.job], START);
    expect(ran.map((r) => r.firedAt)).toEqual([sh('2028-02-29T09:00')]);
    expect(daily.runs).toEqual([sh('2028-02-29T09:00')]);
  });

  it('a run that died half way (never ended, started over 15 minutes ago) is taken over once and run again; a live one is left alone', async () => {
    await fresh();
    const daily = recordingJob('daily', '0 9 * * *');
    const today = sh('2028-02-29T09:00');
    // The process running today's firing died 20 minutes in: the run never ended.
    await db.prisma.jobRun.create({
      data: { job: 'daily', firedAt: today, claimedBy: 'dead-replica', startedAt: sh('2028-02-29T09:00') },
    });
    const later = sh('2028-02-29T09:20');
    const [a, b] = await Promise.all([
      catchUpMissedFirings(deps(), [daily.job], later, { claimant: 'replica-a' }),
      catchUpMissedFirings(deps(), [daily.job], later, { claimant: 'replica-b' }),
    ]);
    // Taken over by one replica only, for the same firing.
    expect([...a, ...b].map((r) => r.firedAt)).toEqual([today]);
    expect(daily.runs).toEqual([today]);
    const run = await db.prisma.jobRun.findFirstOrThrow({ where: { job: 'daily' } });
    expect(run.endedAt).not.toBeNull();
    expect(['replica-a', 'replica-b']).toContain(run.claimedBy);

    // A run started five minutes ago may still be going: nothing is taken over.
    const live = recordingJob('live', '0 9 * * *');
    await db.prisma.jobRun.create({
      data: { job: 'live', firedAt: today, claimedBy: 'busy-replica', startedAt: sh('2028-02-29T09:15') },
    });
    expect(await catchUpMissedFirings(deps(), [live.job], later)).toEqual([]);
    expect(live.runs).toEqual([]);
  });

  it('two replicas starting together run the missed firing once', async () => {
    await fresh();
    const missed = recordingJob('missed', LEAP_DAY);
    const a = startScheduler(deps(), [missed.job], { now: () => START });
    const b = startScheduler(deps(), [missed.job], { now: () => START });
    await Promise.all([a.caughtUp, b.caughtUp]);
    await Promise.all([a.stop(), b.stop()]);
    expect(missed.runs).toEqual([FIRING]);
    expect(await db.prisma.jobRun.count({ where: { job: 'missed' } })).toBe(1);
  });

  it('the start does not wait for the catch-up; stopping waits for it to finish', async () => {
    await fresh();
    const slow = recordingJob('slow', LEAP_DAY);
    slow.holdRuns();
    const scheduler = startScheduler(deps(), [slow.job], { now: () => START });
    let caughtUp = false;
    void scheduler.caughtUp.then(() => {
      caughtUp = true;
    });
    // The job has started (claimed) and is held: startScheduler returned long before.
    for (let i = 0; i < 200 && slow.runs.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slow.runs).toEqual([FIRING]);
    expect(caughtUp).toBe(false);
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    slow.release();
    await stopping;
    expect(caughtUp).toBe(true);
  });
});
