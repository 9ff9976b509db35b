import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { recordRequestThread } from '../../src/domain/approvals/decide-step.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { approvalRemindersJob } from '../../src/jobs/approval-reminders.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { notifierOf } from '../../src/jobs/web-api-notifier.js';
import { createLogger } from '../../src/logger.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;
let slack: FakeSlack;
let requestCode: string;
/** Tue 2026-11-24 10:00 in Shanghai. */
const OPENED = new Date('2026-11-24T02:00:00Z');
const H = 3_600_000;

const deps = () => {
  const client = new webApi.WebClient('xoxb-job', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  return {
    db: db.prisma,
    logger: createLogger('silent'),
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
 * The job looks at every open step in the database, so each test has a database of its own
 * with one view request opened at OPENED and its thread recorded.
 */
async function ledger(): Promise<void> {
  db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist']);
  const customer = await createCustomer(ctx(db.prisma, 'USALES1', OPENED), validCustomer({ name: '等待客户' }, OPENED));
  const { request } = await createRequest(ctx(db.prisma, 'USALES2', OPENED), {
    kind: 'view',
    customerCode: customer.code,
    purpose: '核对',
    reason: '投诉',
    requesterProfile: '张伟',
  });
  requestCode = request.code;
  await recordRequestThread(db.prisma, request.id, { channel: 'D0REQ', ts: '111.222' });
}

describe('approval reminders and escalation', () => {
  it('nothing before 24 working hours', async () => {
    await ledger();
    const outcome = await runJob(deps(), approvalRemindersJob, new Date(OPENED.getTime() + 23 * H));
    expect(outcome).toEqual({ status: 'done', result: { reminders: 0, escalations: 0, messages: 0 } });
  });

  it('after 24 working hours the approver is reminded once; a second run in the same hour does not repeat it', async () => {
    await ledger();
    const since = slack.calls.length;
    const at = new Date(OPENED.getTime() + 24 * H);
    expect(await runJob(deps(), approvalRemindersJob, at)).toMatchObject({
      result: { reminders: 1, escalations: 0, messages: 1 },
    });
    expect(await runJob(deps(), approvalRemindersJob, new Date(at.getTime() + 60_000))).toMatchObject({
      result: { reminders: 0 },
    });
    const posts = slack.of('chat.postMessage', since);
    expect(posts.map((p) => p.body.channel)).toEqual(['UHEAD2']);
    expect(String(posts[0]?.body.text)).toBe(zh('request.reminder', { code: requestCode, hours: 24 }));
  });

  it('after 3 days the requester is told in the request’s thread, once; the weekend does not delay it', async () => {
    await ledger();
    const since = slack.calls.length;
    // Fri 2026-11-27 10:00: 3 calendar days; also 24 more working hours since the reminder.
    const at = new Date(OPENED.getTime() + 72 * H);
    expect(await runJob(deps(), approvalRemindersJob, at)).toMatchObject({ result: { reminders: 1, escalations: 1 } });
    const toRequester = slack.of('chat.postMessage', since).find((p) => p.body.channel === 'D0REQ');
    expect(toRequester?.body.thread_ts).toBe('111.222');
    expect(String(toRequester?.body.text)).toBe(
      zh('request.escalation', { code: requestCode, n: 1, roles: zh('role.dept_head'), days: 3 }),
    );
    expect(await runJob(deps(), approvalRemindersJob, new Date(at.getTime() + 2 * H))).toMatchObject({
      result: { escalations: 0 },
    });
    expect(await db.prisma.auditEvent.count({ where: { action: 'request.escalated' } })).toBe(1);
  });
});
