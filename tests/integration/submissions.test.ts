/**
 * Monthly submissions on a real database (ARCH-5, ARCH-3, STAT-18): admins set what each
 * department owes; the `submission-deadlines` job, run with `--at` at its boundaries in company
 * time, reminds the responsible person three days before the due day (not four), alerts them
 * and the department's head the day after (not on the day), lists late departments in the
 * alerts channel, and never sends the same notice twice; the archivist records receipt, late
 * when after the due day, and each department's lateness is counted.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { receiveSubmission, setSubmissionRules, submissionStatus } from '../../src/domain/custody/submissions.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import type { JobDeps, Notifier } from '../../src/jobs/job.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { submissionDeadlinesJob } from '../../src/jobs/submission-deadlines.js';
import { createLogger } from '../../src/logger.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE } from '../helpers/fixtures.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { refusal } from '../helpers/refusal.js';

/** An instant given as a wall-clock time in Shanghai. */
const sh = (local: string) => new Date(`${local}+08:00`);
const ALERTS = 'C0ALERTS';

async function company() {
  const db: TestDb = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'UHEAD1', ['dept_head'], '销售一部');
  await givePerson(db.prisma, 'UFIN', ['finance'], '财务部');
  await givePerson(db.prisma, 'UFINHEAD', ['dept_head'], '财务部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await setChannel(ctx(db.prisma, 'UADMIN'), 'alerts', ALERTS);
  await setSubmissionRules(ctx(db.prisma, 'UADMIN'), {
    department: '销售一部',
    materials: ['basic_info', 'sales_contract', 'sales_statistics'],
    responsibleSlackUserId: 'USALES1',
  });
  await setSubmissionRules(ctx(db.prisma, 'UADMIN'), {
    department: '财务部',
    materials: ['credit_evaluation'],
    responsibleSlackUserId: null,
  });
  const notifier = new RecordingNotifier();
  const deps = (port: Notifier | null = notifier): JobDeps => ({
    db: db.prisma,
    logger: createLogger('silent'),
    timeZone: TIME_ZONE,
    defaultLocale: 'zh-CN',
    ...(port && { notifier: port }),
  });
  const run = (at: string, port: Notifier | null = notifier) => runJob(deps(port), submissionDeadlinesJob, sh(at));
  return { db, notifier, run };
}

describe('the submission-deadlines job (ARCH-5)', () => {
  it('ARCH-5: reminded three days before the due day (not four), alerted the day after (not on the day), each once', async () => {
    const { notifier, run } = await company();
    // November's material is due 2026-12-05 (submission_due_day 5): the reminder is on the 2nd.
    await run('2026-12-01T08:30:00');
    expect(notifier.posts).toEqual([]);
    await run('2026-12-02T08:30:00');
    expect(notifier.to('USALES1')).toEqual([
      zh('submission.reminder', {
        department: '销售一部',
        month: '2026-11',
        due: '2026-12-05',
        materials: [
          zh('document.type.basic_info'),
          zh('document.type.sales_contract'),
          zh('document.type.sales_statistics'),
        ].join('、'),
      }),
    ]);
    // Without a named responsible person the department's head is reminded.
    expect(notifier.to('UFINHEAD')).toHaveLength(1);
    expect(notifier.to('UHEAD1')).toEqual([]);
    // A second run the same day, and the days up to the due day: nothing again.
    await run('2026-12-02T12:00:00');
    await run('2026-12-05T08:30:00');
    expect(notifier.posts).toHaveLength(2);
    // The day after: the responsible person and the head, and the alerts channel lists both departments.
    await run('2026-12-06T08:30:00');
    expect(notifier.to('USALES1')).toHaveLength(2);
    expect(notifier.to('UHEAD1')).toHaveLength(1);
    expect(notifier.to('UFINHEAD')).toHaveLength(2);
    const channel = notifier.to(ALERTS);
    expect(channel).toHaveLength(1);
    expect(channel[0]?.split('\n')[0]).toBe(zh('submission.late_title', { month: '2026-11', count: 2 }));
    await run('2026-12-07T08:30:00');
    expect(notifier.to(ALERTS)).toHaveLength(1);
  });

  it('ARCH-5: material received before the reminder is not asked for', async () => {
    const { db, notifier, run } = await company();
    await receiveSubmission(ctx(db.prisma, 'UARCH', sh('2026-12-01T10:00:00')), {
      department: '销售一部',
      month: '2026-11',
      materials: [],
    });
    await run('2026-12-02T08:30:00');
    expect(notifier.to('USALES1')).toEqual([]);
    expect(notifier.to('UFINHEAD')).toHaveLength(1);
  });
});

describe('receiving and counting (ARCH-3, STAT-18)', () => {
  it('STAT-18: received after the due day is late, counted per department; the table shows each state', async () => {
    const { db } = await company();
    const archivist = (at: string) => ctx(db.prisma, 'UARCH', sh(at));
    const onTime = await receiveSubmission(archivist('2026-12-05T17:00:00'), {
      department: '销售一部',
      month: '2026-11',
      materials: ['basic_info'],
    });
    expect(onTime.materials).toEqual([{ material: 'basic_info', late: false }]);
    const late = await receiveSubmission(archivist('2026-12-06T09:00:00'), {
      department: '销售一部',
      month: '2026-11',
      materials: [],
    });
    expect(late.materials).toEqual([
      { material: 'sales_contract', late: true },
      { material: 'sales_statistics', late: true },
    ]);
    expect(
      await refusal(
        receiveSubmission(archivist('2026-12-06T09:00:00'), {
          department: '销售一部',
          month: '2026-11',
          materials: [],
        }),
      ),
    ).toBe('submission_nothing_outstanding');
    const status = await submissionStatus(ctx(db.prisma, 'USALES1', sh('2026-12-07T09:00:00')), null);
    expect(status.month).toBe('2026-11');
    expect(
      status.departments.map((d) => [d.department, d.lateCount, d.items.map((i) => [i.material, i.late])]),
    ).toEqual([
      [
        '销售一部',
        2,
        [
          ['basic_info', false],
          ['sales_contract', true],
          ['sales_statistics', true],
        ],
      ],
      ['财务部', 1, [['credit_evaluation', true]]],
    ]);
    const audited = await db.prisma.auditEvent.findMany({
      where: { action: 'submission.received' },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => (e.details as { late: string[] }).late)).toEqual([
      [],
      ['sales_contract', 'sales_statistics'],
    ]);
  });

  it('ARCH-5: bad input changes nothing — unknown department, a month to come, someone not an archivist, a non-admin setting the table', async () => {
    const { db } = await company();
    const at = sh('2026-12-03T09:00:00');
    expect(
      await refusal(
        receiveSubmission(ctx(db.prisma, 'UARCH', at), { department: '火星部', month: '2026-11', materials: [] }),
      ),
    ).toBe('department_not_found');
    expect(
      await refusal(
        receiveSubmission(ctx(db.prisma, 'UARCH', at), { department: '销售一部', month: '2027-01', materials: [] }),
      ),
    ).toBe('submission_month_invalid');
    expect(
      await refusal(
        receiveSubmission(ctx(db.prisma, 'USALES1', at), { department: '销售一部', month: '2026-11', materials: [] }),
      ),
    ).toBe('not_allowed');
    expect(
      await refusal(
        setSubmissionRules(ctx(db.prisma, 'UHEAD1', at), {
          department: '销售一部',
          materials: ['basic_info'],
          responsibleSlackUserId: null,
        }),
      ),
    ).toBe('not_allowed');
    expect(await db.prisma.submission.count({ where: { receivedAt: { not: null } } })).toBe(0);
    expect(await db.prisma.submissionRule.count()).toBe(4);
  });
});

describe('an old month recorded (STAT-18)', () => {
  it('STAT-18: a receipt for a month before the table existed makes no department owe it', async () => {
    const { db } = await company();
    // The table was set on 2026-11-28: recording 财务部's June material creates no rows for anyone else.
    await receiveSubmission(ctx(db.prisma, 'UARCH', sh('2026-12-03T09:00:00')), {
      department: '财务部',
      month: '2026-06',
      materials: [],
    }).catch(() => undefined);
    expect(await db.prisma.submission.count({ where: { month: '2026-06' } })).toBe(0);
    const status = await submissionStatus(ctx(db.prisma, 'USALES1', sh('2026-12-07T09:00:00')), null);
    expect(status.departments.map((d) => [d.department, d.lateCount])).toEqual([
      ['销售一部', 3],
      ['财务部', 1],
    ]);
  });
});

describe('notices that could not be sent (ARCH-5)', () => {
  it('ARCH-5: a run without Slack sends nothing and claims nothing; a post Slack refused is sent by the next run, once', async () => {
    const { notifier, run } = await company();
    // `cli job run` without a token: counted, nothing recorded as sent.
    await run('2026-12-02T08:30:00', null);
    // Slack refuses the DM to the salesperson this time.
    const flaky = new RecordingNotifier();
    let refuse = true;
    const failing: Notifier = {
      post: async (channel, message) => {
        if (channel === 'USALES1' && refuse) {
          refuse = false;
          throw new Error('channel_not_found');
        }
        await flaky.post(channel, message);
      },
      upload: async () => undefined,
    };
    await run('2026-12-03T08:30:00', failing);
    expect(flaky.to('USALES1')).toEqual([]);
    expect(flaky.to('UFINHEAD')).toHaveLength(1);
    // The next run tells the salesperson; the finance head, already told, is not told again.
    await run('2026-12-04T08:30:00');
    expect(notifier.to('USALES1')).toHaveLength(1);
    expect(notifier.to('UFINHEAD')).toEqual([]);
    await run('2026-12-05T08:30:00');
    expect(notifier.to('USALES1')).toHaveLength(1);
  });
});
