import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import { declassifyJob } from '../../src/jobs/declassify.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { notifierOf } from '../../src/jobs/web-api-notifier.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;
let slack: FakeSlack;
const logger = createLogger('silent');
/** The job's notifier as main.ts builds it: a real Web API client, here pointed at the fake Slack. */
const deps = () => {
  const client = new webApi.WebClient('xoxb-job', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  return {
    db: db.prisma,
    logger,
    timeZone: TIME_ZONE,
    defaultLocale: 'zh-CN' as const,
    notifier: notifierOf(client),
  };
};

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
});
afterAll(() => slack.stop());

/**
 * The job declassifies every lapsed customer in the database, so each test has a database
 * of its own: KH-2026-0001 (机密, last day 2026-11-30) and KH-2026-0002 (秘密, last day
 * 2026-12-01), both USALES1's, and an archive channel.
 */
async function ledger(): Promise<void> {
  db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await setChannel(ctx(db.prisma, 'UADMIN'), 'archive', 'C0ARCHIVE');
  await givePerson(db.prisma, 'USALES1', ['sales']);
  // Periods this short are the supervisor's to set (SEC-6); USALES1 owns both customers.
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await createCustomer(
    ctx(db.prisma, 'USUPER'),
    validCustomer({
      name: '到期客户',
      secrecyLevel: 'confidential',
      secrecyUntil: '2026-11-30',
      ownerSlackUserId: 'USALES1',
    }),
  );
  await createCustomer(
    ctx(db.prisma, 'USUPER'),
    validCustomer({
      name: '未到期客户',
      phone: '0755-11112222',
      secrecyUntil: '2026-12-01',
      ownerSlackUserId: 'USALES1',
    }),
  );
}

describe('automatic declassification (SEC-7)', () => {
  it('SEC-7: nothing is declassified a millisecond before the period ends', async () => {
    await ledger();
    const outcome = await runJob(deps(), declassifyJob, new Date('2026-11-30T15:59:59.999Z'));
    expect(outcome).toEqual({ status: 'done', result: { count: 0, customers: [], posted: false } });
  });

  it('SEC-7: at the end of the last day (company time) the level drops to unclassified, with history and audit', async () => {
    await ledger();
    const since = slack.calls.length;
    const at = new Date('2026-11-30T16:00:00Z');
    const outcome = await runJob(deps(), declassifyJob, at);
    expect(outcome).toEqual({ status: 'done', result: { count: 1, customers: ['KH-2026-0001'], posted: true } });
    // SEC-7: the archive channel is told, naming only what is now unclassified.
    const post = slack.of('chat.postMessage', since).at(-1);
    expect(post?.body).toMatchObject({ channel: 'C0ARCHIVE' });
    expect(String(post?.body.text)).toContain('*KH-2026-0001* 到期客户');
    expect(String(post?.body.text)).not.toContain('未到期客户');
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'KH-2026-0001' } });
    expect(customer).toMatchObject({ secrecyLevel: 'unclassified', secrecyUntil: null, version: 2 });
    const history = await db.prisma.customerChange.findMany({
      where: { customerId: customer.id },
      orderBy: { field: 'asc' },
    });
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual([
      ['secrecyLevel', 'confidential', 'unclassified'],
      ['secrecyUntil', at.toISOString(), null],
    ]);
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: 'customer.declassified' } });
    expect(audit).toMatchObject({
      actor: 'system',
      subjectId: 'KH-2026-0001',
      details: { levelBefore: 'confidential' },
    });
    const other = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'KH-2026-0002' } });
    expect(other.secrecyLevel).toBe('restricted');
  });

  it('a firing is claimed once: a second replica (or a rerun) of the same minute does nothing', async () => {
    await ledger();
    const at = new Date('2026-12-01T16:05:00Z');
    const [a, b] = await Promise.all([
      runJob(deps(), declassifyJob, at, 'replica-a'),
      runJob(deps(), declassifyJob, at, 'replica-b'),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['already_claimed', 'done']);
    expect(await db.prisma.jobRun.count({ where: { job: 'declassify', firedAt: at } })).toBe(1);
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { code: 'KH-2026-0002' } })).secrecyLevel).toBe(
      'unclassified',
    );
  });
});
