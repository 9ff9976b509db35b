/**
 * Leaks closed end to end: what a probing insider reads in Slack, and who else is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { stem, zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, rawCustomer, validCustomer } from '../helpers/fixtures.js';
import { blockAction, formState, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

describe('the registration form as a probe (SEC-3)', () => {
  it('SEC-3: a hidden duplicate is refused beside the name without its code; the archivist (who may read a 秘密 one) is told who tried', async () => {
    const hidden = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '秘密探测客户', phone: '0755-62000001', secrecyLevel: 'restricted' }),
    );
    const since = bot.slack.calls.length;
    const response = await bot.post(
      viewSubmission({
        user: 'USALES2',
        callback_id: VIEW.customerForm,
        private_metadata: JSON.stringify({ mode: 'create' }),
        state: formState({
          ...(rawCustomer({ name: '秘密探测客户', phone: '0755-62000002' }) as Record<string, string>),
          ownerSlackUserId: 'USALES2',
        }),
      }),
    );
    expect(JSON.parse(response.text)).toEqual({
      response_action: 'errors',
      errors: { name: zh('error.customer_duplicate_hidden_name') },
    });
    expect(response.text).not.toContain(hidden.code);
    await bot.app.idle();
    const told = bot.slack.of('chat.postMessage', since);
    expect(told.map((call) => [call.body.channel, call.body.text])).toEqual([
      ['UARCH', zh('notice.duplicate_probe.name', { user: 'USALES2', code: hidden.code })],
    ]);
  });
});

describe('settings are for admins (INFO-17)', () => {
  it('INFO-17: /kh config with no arguments is refused to a non-admin and names no channel', async () => {
    await givePerson(db.prisma, 'UADMINL', ['admin']);
    await setChannel(ctx(db.prisma, 'UADMINL'), 'gm_office', 'C0SECRETGM');
    const reply = await bot.kh('USALES2', 'config');
    expect(reply.text).toContain(stem('error.not_allowed'));
    expect(JSON.stringify(reply)).not.toContain('C0SECRETGM');
    expect(JSON.stringify(await bot.kh('UADMINL', 'config'))).toContain('C0SECRETGM');
  });
});

describe('revoking a grant from Slack (SEC-3)', () => {
  it('SEC-3: /kh request revoke ends a view grant; the holder is refused the card afterwards', async () => {
    await givePerson(db.prisma, 'UHEADL', ['dept_head'], '销售二部');
    const customer = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '撤销测试客户', phone: '0755-62000009' }),
    );
    const { request } = await createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'view',
      customerCode: customer.code,
      purpose: '回访',
      reason: '投诉',
      requesterProfile: '张伟',
    });
    const head = await decideStep(ctx(db.prisma, 'UHEADL'), { stepId: request.steps[0]?.id ?? 0, decision: 'approve' });
    await decideStep(ctx(db.prisma, 'UARCH'), { stepId: head.nextStep?.id ?? 0, decision: 'approve' });
    expect((await bot.kh('USALES2', `show ${customer.code}`)).blocks).toBeDefined();
    expect((await bot.kh('USALES1', `request revoke ${request.code}`)).text).toContain(stem('error.not_allowed'));
    expect((await bot.kh('UARCH', `request revoke ${request.code}`)).text).toBe(
      zh('request.revoked.grant', { code: request.code }),
    );
    expect((await bot.kh('USALES2', `show ${customer.code}`)).blocks).toBeUndefined();
  });
});

describe('requests for codes one cannot see, from Slack (SEC-3)', () => {
  it('SEC-3: a request for an unknown code is confirmed like any other; only the general manager is told it matches nothing', async () => {
    await givePerson(db.prisma, 'UGML', ['general_manager']);
    const since = bot.slack.calls.length;
    const response = await bot.post(
      viewSubmission({
        user: 'USALES2',
        callback_id: VIEW.requestForm,
        private_metadata: JSON.stringify({ kind: 'view', code: 'KH-2026-4321' }),
        state: {
          purpose: { value: { type: 'plain_text_input', value: '核对' } },
          reason: { value: { type: 'plain_text_input', value: '客户来电' } },
          requesterProfile: { value: { type: 'plain_text_input', value: '张伟' } },
        },
      }),
    );
    expect(JSON.parse(response.text)).toMatchObject({ response_action: 'update' });
    await bot.app.idle();
    const request = await db.prisma.request.findFirstOrThrow({ where: { customerCode: 'KH-2026-4321' } });
    const posts = bot.slack.of('chat.postMessage', since);
    // The requester's thread, then every general manager (the only ones who screen it).
    const gms = (await db.prisma.person.findMany({ where: { roles: { has: 'general_manager' } } })).map(
      (p) => p.slackUserId,
    );
    expect(posts[0]?.body.channel).toBe('USALES2');
    expect(
      posts
        .slice(1)
        .map((p) => String(p.body.channel))
        .sort(),
    ).toEqual(gms.sort());
    expect(String(posts[0]?.body.text)).not.toContain(zh('request.unknown_customer'));
    for (const toGm of posts.slice(1))
      expect(JSON.stringify(toGm.body.blocks)).toContain(zh('request.unknown_customer'));
    expect(request.customerId).toBeNull();
  });
});

describe('a screened request tells its requester the outcome only (SEC-3)', () => {
  it('SEC-3: the general manager passing the screening step sends the requester nothing; the other approvers are messaged', async () => {
    await givePerson(db.prisma, 'UGMS', ['general_manager']);
    await givePerson(db.prisma, 'USUPERS', ['supervisor']);
    await givePerson(db.prisma, 'UHEADS', ['dept_head'], '销售二部');
    const secret = await createCustomer(ctx(db.prisma, 'USUPERS'), {
      ...validCustomer({ name: '绝密筛查客户', phone: '0755-62000077', secrecyLevel: 'top_secret' }),
      custodianSlackUserIds: ['UARCH'],
    });
    const { request } = await createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'view',
      customerCode: secret.code,
      purpose: '核对',
      reason: '客户来电',
      requesterProfile: '张伟',
    });
    await db.prisma.request.update({ where: { id: request.id }, data: { threadChannel: 'D0REQ', threadTs: '1.1' } });
    const since = bot.slack.calls.length;
    await bot.post(
      blockAction(bot.slack, { user: 'UGMS', action_id: ACTION.approveStep, value: String(request.steps[0]?.id) }),
    );
    await bot.app.idle();
    const posts = bot.slack.of('chat.postMessage', since);
    expect(posts.some((p) => p.body.channel === 'D0REQ')).toBe(false);
    expect(posts.map((p) => p.body.channel)).toContain('UHEADS');
  });
});
