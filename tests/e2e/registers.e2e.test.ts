/**
 * `/kh register` through the real Bolt app and a fake Slack Web API (DB-11, INFO-23, SEC-8):
 * the workbook goes to the requester's DM only, the reply counts its rows and masked rows,
 * a wrong kind gets the usage, and someone without a role is refused by the router.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

describe('/kh register (DB-11)', () => {
  it('DB-11, INFO-23, SEC-8: the register as .xlsx in the DM, the reply counting the masked rows', async () => {
    await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({
        name: '登记表公开客户',
        phone: '0571-86100001',
        secrecyLevel: 'unclassified',
        secrecyUntil: '',
        ownerSlackUserId: 'USALES1',
      }),
    );
    await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '登记表秘密客户', phone: '0571-86100002' }));

    const since = bot.slack.calls.length;
    const reply = await bot.kh('USALES1', 'register grade');
    expect(reply.text).toBe(zh('register.sent', { title: zh('register.title.grade'), rows: 2, masked: 1 }));
    await bot.app.idle();
    expect(bot.slack.of('conversations.open', since)[0]?.body).toMatchObject({ users: 'USALES1' });
    expect(bot.slack.of('files.getUploadURLExternal', since)[0]?.body).toMatchObject({
      filename: 'register-grade-2026-11-28.xlsx',
    });
    const completed = bot.slack.of('files.completeUploadExternal', since)[0]?.body;
    expect(completed).toMatchObject({ channel_id: 'D0DIRECT' });
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'customer.register_exported', actor: 'USALES1' } }),
    ).toBe(1);

    // The default is the register in acquisition order.
    const order = await bot.kh('USUPER', 'register');
    expect(order.text).toBe(zh('register.sent', { title: zh('register.title.order'), rows: 2, masked: 1 }));
  });

  it('DB-11, SEC-16: a wrong kind gets the usage; someone without a role is refused and nothing is sent', async () => {
    expect((await bot.kh('USALES1', 'register everything')).text).toBe(zh('usage.register'));
    const since = bot.slack.calls.length;
    const refused = await bot.kh('UNOBODY', 'register');
    expect(refused.text).toBe(zh('error.not_allowed', { action: zh('action.register') }));
    expect(bot.slack.of('files.getUploadURLExternal', since)).toEqual([]);
  });
});
