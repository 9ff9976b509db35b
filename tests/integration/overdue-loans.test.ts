/**
 * The overdue-loans job (INFO-19, ARCH-28: a loan lasts at most three days and is returned on
 * time) at its boundaries, with fire times in company time (Asia/Shanghai): the borrower the
 * day before, the borrower and the archivists on the first day overdue (and the alerts
 * channel), the borrower's department head from the second; each alert once.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { t } from '../../src/blocks/i18n/index.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import type { SecrecyLevel } from '../../src/generated/prisma/client.js';
import type { JobDeps, Notifier } from '../../src/jobs/job.js';
import { CHANNEL_LINES, DIGEST_LINES, overdueLoansJob } from '../../src/jobs/overdue-loans.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertLoan } from '../helpers/loan-rows.js';

/** An instant given as a wall-clock time in Shanghai. */
const sh = (local: string) => new Date(`${local}+08:00`);
const CUSTOMER_NAME = '借阅测试贸易有限公司';
const ALERTS = 'C0ALERTS';

interface Post {
  channel: string;
  text: string;
}

/** The job's own port, recording what it sends (Slack itself is not part of these tests). */
class RecordingNotifier implements Notifier {
  readonly posts: Post[] = [];
  async post(channel: string, message: { text: string }): Promise<void> {
    this.posts.push({ channel, text: message.text });
  }
  async upload(): Promise<void> {
    throw new Error('the overdue-loans job uploads no files');
  }
  to(channel: string): string[] {
    return this.posts.filter((p) => p.channel === channel).map((p) => p.text);
  }
}

interface Ledger {
  db: TestDb;
  notifier: RecordingNotifier;
  /** The job's dependencies; `null`: no notifier, as the CLI without SLACK_BOT_TOKEN. */
  deps: (notifier?: Notifier | null) => JobDeps;
  /** Lends a volume: an open loan due on `dueOn` (YYYY-MM-DD) unless told otherwise. */
  lend(options?: {
    dueOn?: string | null;
    state?: 'approved' | 'open' | 'returned';
    level?: SecrecyLevel;
    borrower?: string;
  }): Promise<{ code: string; volume: string }>;
}

/**
 * The job sweeps every loan in the database, so each test has a database of its own: a
 * borrower in 销售一部 with its head, a head of 销售二部, two archivists and an admin; one
 * customer whose volumes are lent.
 */
async function ledger(options: { alertsChannel?: boolean } = {}): Promise<Ledger> {
  const db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'UBORROW', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售一部');
  await givePerson(db.prisma, 'UHEAD1', ['dept_head'], '销售一部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  const archivistId = await givePerson(db.prisma, 'UARCH1', ['archivist']);
  await givePerson(db.prisma, 'UARCH2', ['archivist']);
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  const created = sh('2026-11-20T10:00:00');
  const customer = await createCustomer(
    ctx(db.prisma, 'UBORROW', created),
    validCustomer({ name: CUSTOMER_NAME }, created),
  );
  const customerId = (await db.prisma.customer.findUniqueOrThrow({ where: { code: customer.code } })).id;
  const boxId = await insertBox(db.prisma);
  if (options.alertsChannel !== false) await setChannel(ctx(db.prisma, 'UADMIN', created), 'alerts', ALERTS);
  const notifier = new RecordingNotifier();
  let n = 0;
  return {
    db,
    notifier,
    deps: (sender: Notifier | null = notifier) => ({
      db: db.prisma,
      logger: createLogger('silent'),
      timeZone: TIME_ZONE,
      defaultLocale: 'zh-CN',
      ...(sender && { notifier: sender }),
    }),
    async lend({ dueOn = '2026-12-04', state = 'open', level = 'restricted', borrower = 'UBORROW' } = {}) {
      const borrowerId = (await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: borrower } })).id;
      n++;
      return insertLoan(db.prisma, {
        n,
        customer: { id: customerId, code: customer.code },
        boxId,
        borrowerId,
        responsibleId: archivistId,
        dueOn,
        state,
        level,
      });
    },
  };
}

const run = (l: Ledger, at: Date, notifier?: Notifier | null) => overdueLoansJob.run(l.deps(notifier), at);

describe('overdue-loans job', () => {
  it('INFO-19: nothing two days before the due date', async () => {
    const l = await ledger();
    await l.lend({ dueOn: '2026-12-04' });
    const result = await run(l, sh('2026-12-02T09:00:00'));
    expect(result).toMatchObject({ due_tomorrow: 0, overdue: 0, escalated: 0, messages: 0, overdueTotal: 0 });
    expect(l.notifier.posts).toEqual([]);
  });

  it('INFO-19: the day before, the borrower alone is told when it is due; a second run does not repeat it', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-04' });
    const outcome = await runJob(l.deps(), overdueLoansJob, sh('2026-12-03T09:00:00'));
    expect(outcome).toMatchObject({ status: 'done', result: { due_tomorrow: 1, overdue: 0, messages: 1 } });
    expect(l.notifier.posts).toEqual([
      {
        channel: 'UBORROW',
        text: zh('loan.due_tomorrow', { volume: loan.volume, code: loan.code, due: '2026-12-04' }),
      },
    ]);
    // Later the same day and on the due day itself: nothing new.
    await run(l, sh('2026-12-03T15:00:00'));
    expect(await run(l, sh('2026-12-04T09:00:00'))).toMatchObject({ due_tomorrow: 0, overdue: 0, messages: 0 });
    expect(l.notifier.posts).toHaveLength(1);
  });

  it('INFO-19: days are company days, not UTC days: 00:30 in Shanghai (16:30 UTC the day before) is already the next day', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-04' });
    // 2026-12-02 23:30 in Shanghai: still two days before.
    expect(await run(l, new Date('2026-12-02T15:30:00Z'))).toMatchObject({ due_tomorrow: 0 });
    // 2026-12-03 00:30 in Shanghai, 2026-12-02 in UTC: the day before.
    expect(await run(l, new Date('2026-12-02T16:30:00Z'))).toMatchObject({ due_tomorrow: 1 });
    // 2026-12-05 00:30 in Shanghai, still the due day in UTC: the first day overdue.
    expect(await run(l, new Date('2026-12-04T16:30:00Z'))).toMatchObject({ overdue: 1, escalated: 0 });
    expect(l.notifier.to('UBORROW')).toEqual([
      zh('loan.due_tomorrow', { volume: loan.volume, code: loan.code, due: '2026-12-04' }),
      zh('loan.overdue_borrower', { volume: loan.volume, code: loan.code, due: '2026-12-04', days: 1 }),
    ]);
  });

  it('INFO-19: on the due day nothing is overdue; a reminder missed the day before is sent on the day', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-04' });
    const result = await run(l, sh('2026-12-04T23:59:00'));
    expect(result).toMatchObject({ due_tomorrow: 1, overdue: 0, escalated: 0, overdueTotal: 0, messages: 1 });
    expect(l.notifier.posts).toEqual([
      {
        channel: 'UBORROW',
        text: zh('loan.due_tomorrow', { volume: loan.volume, code: loan.code, due: '2026-12-04' }),
      },
    ]);
  });

  it('INFO-19, ARCH-28, INFO-22: the first day overdue tells the borrower and every archivist, and lists it in the alerts channel with code and level, never the customer', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-04', level: 'confidential' });
    const result = await run(l, sh('2026-12-05T09:00:00'));
    expect(result).toMatchObject({ overdue: 1, escalated: 0, overdueTotal: 1, listed: 1, messages: 4, posted: true });
    const facts = { volume: loan.volume, code: loan.code, due: '2026-12-04', days: 1 };
    const toStaff = { ...facts, user: 'UBORROW', level: zh('level.confidential') };
    expect(l.notifier.posts).toEqual([
      { channel: 'UBORROW', text: zh('loan.overdue_borrower', facts) },
      { channel: 'UARCH1', text: zh('loan.overdue_archivist', toStaff) },
      { channel: 'UARCH2', text: zh('loan.overdue_archivist', toStaff) },
      {
        channel: ALERTS,
        text: [
          zh('loan.overdue_channel_title', { date: '2026-12-05', count: 1 }),
          zh('loan.overdue_channel_line', toStaff),
        ].join('\n'),
      },
    ]);
    // Nobody else, and no department head yet.
    expect(l.notifier.to('UHEAD1')).toEqual([]);
    for (const post of l.notifier.posts) expect(post.text).not.toContain(CUSTOMER_NAME);
  });

  it('INFO-19: from the second day the borrower’s department head is told too (not another department’s), once; the archivists are not told again', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-04' });
    await run(l, sh('2026-12-05T09:00:00'));
    const since = l.notifier.posts.length;
    const result = await run(l, sh('2026-12-06T09:00:00'));
    expect(result).toMatchObject({ overdue: 0, escalated: 1, overdueTotal: 1, messages: 3 });
    const facts = { volume: loan.volume, code: loan.code, due: '2026-12-04', days: 2 };
    const toStaff = { ...facts, user: 'UBORROW', level: zh('level.restricted') };
    expect(l.notifier.posts.slice(since)).toEqual([
      { channel: 'UBORROW', text: zh('loan.overdue_borrower', facts) },
      { channel: 'UHEAD1', text: zh('loan.overdue_head', toStaff) },
      {
        channel: ALERTS,
        text: [
          zh('loan.overdue_channel_title', { date: '2026-12-06', count: 1 }),
          zh('loan.overdue_channel_line', toStaff),
        ].join('\n'),
      },
    ]);
    // The third day, and a rerun of the second: every stage has been told.
    expect(await run(l, sh('2026-12-06T18:00:00'))).toMatchObject({ escalated: 0, messages: 0 });
    expect(await run(l, sh('2026-12-07T09:00:00'))).toMatchObject({ overdue: 0, escalated: 0, messages: 0 });
    expect(l.notifier.to('UHEAD2')).toEqual([]);
    expect(l.notifier.posts).toHaveLength(since + 3);
  });

  it('INFO-19: a loan first seen days overdue (the bot was down) claims both stages at once and tells each person once', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-01' });
    const result = await run(l, sh('2026-12-05T09:00:00'));
    expect(result).toMatchObject({ overdue: 1, escalated: 1, listed: 1, messages: 5 });
    expect(l.notifier.posts.map((p) => p.channel)).toEqual(['UBORROW', 'UARCH1', 'UARCH2', 'UHEAD1', ALERTS]);
    expect(l.notifier.to(ALERTS)[0]?.split('\n')).toHaveLength(2);
    expect(l.notifier.to('UBORROW')).toEqual([
      zh('loan.overdue_borrower', { volume: loan.volume, code: loan.code, due: '2026-12-01', days: 4 }),
    ]);
  });

  it('INFO-19: each alert is sent once when two runs sweep at the same moment (two replicas)', async () => {
    const l = await ledger();
    const loans = [
      await l.lend({ dueOn: '2026-12-04' }),
      await l.lend({ dueOn: '2026-12-03' }),
      await l.lend({ dueOn: '2026-12-06' }),
    ];
    const at = sh('2026-12-05T09:00:00');
    // The job itself twice in parallel (not through runJob, whose JobRun claim would stop the second).
    const [a, b] = await Promise.all([run(l, at), run(l, at)]);
    expect((a.overdue as number) + (b.overdue as number)).toBe(2);
    expect((a.escalated as number) + (b.escalated as number)).toBe(1);
    expect((a.due_tomorrow as number) + (b.due_tomorrow as number)).toBe(1);
    // One DM a person: the borrower's digest of the three loans (the one both overdue and
    // escalated told once), each archivist's of the two overdue, the head's of the one escalated.
    const [borrower, ...moreToBorrower] = l.notifier.to('UBORROW');
    expect(moreToBorrower).toEqual([]);
    expect(borrower?.split('\n')[0]).toBe(zh('loan.digest_title', { count: 3 }));
    for (const loan of loans) expect(borrower).toContain(loan.code);
    expect(l.notifier.to('UARCH1')).toHaveLength(1);
    expect(l.notifier.to('UARCH1')[0]?.split('\n')).toHaveLength(3);
    expect(l.notifier.to('UHEAD1')).toHaveLength(1);
    // One row per loan: the latest stage told.
    expect(await l.db.prisma.loanAlert.count()).toBe(3);
    // Through runJob the firing itself is claimed once too.
    const [x, y] = await Promise.all([
      runJob(l.deps(), overdueLoansJob, sh('2026-12-06T09:00:00'), 'replica-a'),
      runJob(l.deps(), overdueLoansJob, sh('2026-12-06T09:00:00'), 'replica-b'),
    ]);
    expect([x.status, y.status].sort()).toEqual(['already_claimed', 'done']);
  });

  it('INFO-20: returned loans and loans not yet signed for get nothing', async () => {
    const l = await ledger();
    await l.lend({ dueOn: '2026-12-01', state: 'returned' });
    await l.lend({ dueOn: null, state: 'approved' });
    await l.lend({ dueOn: '2026-12-01', state: 'approved' });
    const result = await run(l, sh('2026-12-05T09:00:00'));
    expect(result).toMatchObject({ due_tomorrow: 0, overdue: 0, escalated: 0, overdueTotal: 0, messages: 0 });
    expect(l.notifier.posts).toEqual([]);
  });

  it('SEC-3, INFO-22: a top-secret volume goes to its custodians, never the archivists, and stays out of the channel listing', async () => {
    const l = await ledger();
    const keeper = await givePerson(l.db.prisma, 'UKEEPER', ['sales'], '销售二部');
    await givePerson(l.db.prisma, 'UGM', ['general_manager']);
    const secret = await l.lend({ dueOn: '2026-12-04', level: 'top_secret' });
    const plain = await l.lend({ dueOn: '2026-12-04', level: 'unclassified' });
    const volume = await l.db.prisma.volume.findUniqueOrThrow({ where: { code: secret.volume } });
    await l.db.prisma.customerCustodian.create({
      data: {
        customerId: volume.customerId,
        personId: keeper,
        assignedById: keeper,
        assignedAt: sh('2026-11-20T10:00:00'),
      },
    });
    const result = await run(l, sh('2026-12-05T09:00:00'));
    expect(result).toMatchObject({ overdue: 2, overdueTotal: 2, listed: 1, withheldFromChannel: 1 });
    expect(l.notifier.to('UARCH1').join('\n')).not.toContain(secret.volume);
    expect(l.notifier.to('UARCH1')).toHaveLength(1);
    expect(l.notifier.to('UKEEPER').join('\n')).toContain(secret.volume);
    // From the second day: not the borrower's department head, who may not know of it either.
    await run(l, sh('2026-12-06T09:00:00'));
    expect(l.notifier.to('UHEAD1').join('\n')).not.toContain(secret.volume);
    expect(l.notifier.to('UHEAD1').join('\n')).toContain(plain.volume);
    expect(l.notifier.to('UGM').join('\n')).toContain(secret.volume);
    const [post] = l.notifier.to(ALERTS);
    expect(post).toContain(plain.code);
    expect(post).not.toContain(secret.code);
    expect(post).not.toContain(secret.volume);
    // Counted in the total, so the listing says one more can be found in the register.
    expect(post?.split('\n')).toEqual([
      zh('loan.overdue_channel_title', { date: '2026-12-05', count: 2 }),
      zh('loan.overdue_channel_line', {
        code: plain.code,
        volume: plain.volume,
        level: zh('level.unclassified'),
        user: 'UBORROW',
        due: '2026-12-04',
        days: 1,
      }),
      zh('loan.overdue_channel_more', { count: 1 }),
    ]);
  });

  it(`INFO-19: a person with many loans to hear of gets one DM: at most ${DIGEST_LINES} lines, then how many more`, async () => {
    const l = await ledger();
    for (let i = 0; i < DIGEST_LINES + 2; i++) await l.lend({ dueOn: '2026-12-04' });
    await run(l, sh('2026-12-05T09:00:00'));
    for (const person of ['UBORROW', 'UARCH1', 'UARCH2']) {
      const [dm, ...more] = l.notifier.to(person);
      expect(more).toEqual([]);
      const lines = dm?.split('\n') ?? [];
      expect(lines).toHaveLength(1 + DIGEST_LINES + 1);
      expect(lines[0]).toBe(zh('loan.digest_title', { count: DIGEST_LINES + 2 }));
      expect(lines.at(-1)).toBe(zh('loan.digest_more', { count: 2 }));
    }
  });

  it(`INFO-19: the channel lists at most ${CHANNEL_LINES} loans, then how many more`, async () => {
    const l = await ledger();
    for (let i = 0; i < CHANNEL_LINES + 2; i++) await l.lend({ dueOn: '2026-12-04' });
    await run(l, sh('2026-12-05T09:00:00'));
    const lines = l.notifier.to(ALERTS)[0]?.split('\n') ?? [];
    expect(lines).toHaveLength(1 + CHANNEL_LINES + 1);
    expect(lines[0]).toBe(zh('loan.overdue_channel_title', { date: '2026-12-05', count: CHANNEL_LINES + 2 }));
    expect(lines.at(-1)).toBe(zh('loan.overdue_channel_more', { count: 2 }));
  });

  it('INFO-19: without an alerts channel the people are told and nothing is posted; with nothing newly overdue no listing', async () => {
    const l = await ledger({ alertsChannel: false });
    await l.lend({ dueOn: '2026-12-04' });
    expect(await run(l, sh('2026-12-05T09:00:00'))).toMatchObject({ overdue: 1, messages: 3, posted: false });
    expect(l.notifier.posts.map((p) => p.channel)).toEqual(['UBORROW', 'UARCH1', 'UARCH2']);

    const withChannel = await ledger();
    await withChannel.lend({ dueOn: '2026-12-05' });
    await run(withChannel, sh('2026-12-04T09:00:00'));
    expect(withChannel.notifier.to(ALERTS)).toEqual([]);
  });

  it('INFO-19: with no notifier (the CLI without a token) the alerts are counted, not used up: the next run sends them', async () => {
    const l = await ledger();
    await l.lend({ dueOn: '2026-12-04' });
    const dry = await run(l, sh('2026-12-05T09:00:00'), null);
    expect(dry).toMatchObject({ overdue: 1, claimed: false, messages: 0, skipped: 4 });
    expect(await l.db.prisma.loanAlert.count()).toBe(0);
    expect(await run(l, sh('2026-12-05T09:05:00'))).toMatchObject({ overdue: 1, claimed: true, messages: 4 });
  });

  it('INFO-19: an archivist who borrowed a volume is told once, as its borrower', async () => {
    const l = await ledger();
    const loan = await l.lend({ dueOn: '2026-12-04', borrower: 'UARCH1' });
    await run(l, sh('2026-12-05T09:00:00'));
    const facts = { volume: loan.volume, code: loan.code, due: '2026-12-04', days: 1 };
    expect(l.notifier.to('UARCH1')).toEqual([zh('loan.overdue_borrower', facts)]);
    expect(l.notifier.to('UARCH2')).toEqual([
      zh('loan.overdue_archivist', { ...facts, user: 'UARCH1', level: zh('level.restricted') }),
    ]);
  });

  it('INFO-19: a recipient who chose English is told in English', async () => {
    const l = await ledger();
    await l.db.prisma.person.update({ where: { slackUserId: 'UARCH2' }, data: { locale: 'en' } });
    const loan = await l.lend({ dueOn: '2026-12-04' });
    await run(l, sh('2026-12-05T09:00:00'));
    const facts = { volume: loan.volume, code: loan.code, due: '2026-12-04', days: 1, user: 'UBORROW' };
    expect(l.notifier.to('UARCH2')).toEqual([
      t('en', 'loan.overdue_archivist', { ...facts, level: t('en', 'level.restricted') }),
    ]);
    expect(l.notifier.to('UARCH1')).toEqual([
      zh('loan.overdue_archivist', { ...facts, level: zh('level.restricted') }),
    ]);
  });
});
