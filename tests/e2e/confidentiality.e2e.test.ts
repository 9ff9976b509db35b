/**
 * Confidentiality end to end: leak reports reach the right people, the audit trail answers
 * who saw what, exports go only to the requester's DM with only what they may see, and
 * custodians and channels are set from Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';
import { appHomeOpened, blockAction, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;
const codes: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales']);
  await givePerson(db.prisma, 'USALES2', ['sales']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UMGR', ['service_manager']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'UARCH', ['archivist']);
  for (const [key, name, level] of [
    ['open', '公开客户丙', 'unclassified'],
    ['secret', '秘密客户甲', 'restricted'],
    ['confidential', '机密客户乙', 'confidential'],
    ['topSecret', '绝密客户丁', 'top_secret'],
  ] as const) {
    const created = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({
        name,
        phone: `0755-8800${Object.keys(codes).length}000`,
        secrecyLevel: level,
        secrecyUntil: level === 'unclassified' ? '' : '2030-12-31',
        ownerSlackUserId: 'USALES1',
      }),
    );
    codes[key] = created.code;
  }
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

const kh = (user: string, text: string) => bot.kh(user, text);

describe('leak reports (INFO-27, SEC-13)', () => {
  it('an admin sets the GM office channel', async () => {
    expect((await kh('UADMIN', 'config channel gm_office <#C0GMOFFICE|gm-office>')).text).toContain('<#C0GMOFFICE>');
    expect((await kh('USALES1', 'config channel gm_office <#C0X|x>')).text).toContain('你没有权限');
    expect((await kh('UADMIN', 'config channel nowhere <#C0X|x>')).text).toContain('用法');
  });

  it('INFO-17: the router refuses a subcommand the person may not use before it runs, and records the attempt', async () => {
    // `/kh config` without arguments used to list the channels to anyone.
    const refusals = () =>
      db.prisma.auditEvent.count({
        where: { actor: 'USALES1', action: 'access.denied', subjectType: 'subcommand', subjectId: 'config' },
      });
    const before = await refusals();
    const reply = await kh('USALES1', 'config');
    expect(reply.text).toContain('你没有权限');
    expect(reply.text).not.toContain('C0GMOFFICE');
    expect(await refusals()).toBe(before + 1);
    expect((await kh('USALES1', 'audit KH-2026-0001')).text).toContain('你没有权限');
    expect((await kh('UADMIN', 'config')).text).toContain('<#C0GMOFFICE>');
  });

  it('SEC-16: an admin changes a setting from Slack; out of range is refused in their language', async () => {
    expect((await kh('UADMIN', 'config')).text).toContain('`incident_view_window_days` 90');
    const saved = await kh('UADMIN', 'config set incident_view_window_days 60');
    expect(saved.text).toContain('`incident_view_window_days` 60');
    expect((await kh('UADMIN', 'config set incident_view_window_days 0')).text).toContain('1 到 3650');
    expect((await kh('UADMIN', 'config set nothing 5')).text).toContain('/kh config set');
    await kh('UADMIN', 'config set incident_view_window_days 90');
  });

  it('INFO-27 SEC-13 SEC-16: a report DMs the supervisor and the service manager, posts to the GM office, with who saw each customer', async () => {
    // The supervisor has viewed the confidential customer: the report must say so.
    await kh('USUPER', `show ${codes.confidential}`);
    const opened = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: 'incident', user_id: 'USALES2' }));
    const open = await bot.slack.waitFor('views.open', opened);
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEW.incidentForm);

    const since = bot.slack.calls.length;
    const state = {
      cause: { value: { type: 'static_select', selected_option: { value: 'possible_leak' } } },
      description: { value: { type: 'plain_text_input', value: '客户名单被拍照' } },
      howDiscovered: { value: { type: 'plain_text_input', value: '同事看到' } },
      remedy: { value: { type: 'plain_text_input', value: '已要求删除照片' } },
      customers: { value: { type: 'plain_text_input', value: `${codes.confidential} ${codes.secret}` } },
      since: { value: { type: 'datepicker', selected_date: null } },
    };
    const response = await bot.post(
      viewSubmission({ user: 'USALES2', callback_id: VIEW.incidentForm, private_metadata: '', state }),
    );
    expect(JSON.parse(response.text)).toMatchObject({ response_action: 'update' });
    await bot.app.idle();
    const posts = bot.slack.of('chat.postMessage', since);
    expect(posts.map((p) => p.body.channel).sort()).toEqual(['C0GMOFFICE', 'UMGR', 'USUPER']);
    const text = JSON.stringify(posts[0]?.body.blocks);
    expect(text).toContain('SJ-2026-0001');
    expect(text).toContain(codes.confidential);
    expect(text).toContain('<@USUPER> 1 次');
    // Codes and levels only: the report never carries a classified name.
    expect(text).not.toContain('机密客户乙');
    expect(text).toContain(ACTION.incidentRemedied);
  });

  it('a required field left empty is refused beside it; unknown codes beside the customers field', async () => {
    const state = {
      cause: { value: { type: 'static_select', selected_option: { value: 'leak' } } },
      description: { value: { type: 'plain_text_input', value: '' } },
      howDiscovered: { value: { type: 'plain_text_input', value: 'x' } },
      remedy: { value: { type: 'plain_text_input', value: 'y' } },
      customers: { value: { type: 'plain_text_input', value: 'KH-2026-0999' } },
      since: { value: { type: 'datepicker', selected_date: null } },
    };
    const empty = await bot.post(
      viewSubmission({ user: 'USALES2', callback_id: VIEW.incidentForm, private_metadata: '', state }),
    );
    expect(JSON.parse(empty.text)).toEqual({ response_action: 'errors', errors: { description: '必填。' } });
    state.description.value.value = '泄露';
    const unknown = await bot.post(
      viewSubmission({ user: 'USALES2', callback_id: VIEW.incidentForm, private_metadata: '', state }),
    );
    expect(JSON.parse(unknown.text)).toMatchObject({
      response_action: 'errors',
      errors: { customers: expect.stringContaining('KH-2026-0999') },
    });
  });

  it('the supervisor marks it remedied; a salesperson clicking is refused; a second click is told who did it', async () => {
    const since = bot.slack.calls.length;
    await bot.post(
      blockAction(bot.slack, { user: 'USUPER', action_id: ACTION.incidentRemedied, value: 'SJ-2026-0001' }),
    );
    const updated = (await bot.slack.waitFor('response_url', since)).body;
    expect(updated.replace_original).toBe(true);
    expect(String(updated.text)).toContain('已补救');
    expect(JSON.stringify(updated.blocks)).toContain(ACTION.incidentClosed);

    const again = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'UMGR', action_id: ACTION.incidentRemedied, value: 'SJ-2026-0001' }));
    expect(String((await bot.slack.waitFor('response_url', again)).body.text)).toContain('<@USUPER>');

    const refused = bot.slack.calls.length;
    await bot.post(
      blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.incidentClosed, value: 'SJ-2026-0001' }),
    );
    expect(String((await bot.slack.waitFor('response_url', refused)).body.text)).toContain('你没有权限');
  });
});

describe('/kh audit (SEC-16)', () => {
  it('the supervisor sees who viewed a customer; a salesperson may not ask', async () => {
    const report = await kh('USUPER', `audit ${codes.confidential}`);
    expect(report.text).toContain('<@USUPER> 查阅');
    expect(report.text).toContain('【机密】');
    expect((await kh('USALES1', `audit ${codes.confidential}`)).text).toContain('你没有权限');
  });

  it('what a person saw, in a period; bad dates and arguments get clear messages', async () => {
    const report = await kh('UGM', 'audit <@USUPER|super> 2026-11-01 2026-11-30');
    expect(report.text).toContain(codes.confidential);
    expect((await kh('UGM', 'audit <@USUPER> 2026-13-01')).text).toContain('时间段无效');
    expect((await kh('UGM', 'audit 2026-11-01 2026-11-30')).text).toContain('用法');
    expect((await kh('UGM', 'audit <@USUPER> 2026-11-30 2026-11-01')).text).toContain('时间段无效');
  });
});

describe('exports (SEC-16)', () => {
  it('SEC-16: the register goes to the requester’s DM only, with exactly what they may see, and is audited', async () => {
    const since = bot.slack.calls.length;
    const reply = await kh('USALES2', 'export');
    expect(reply.text).toContain('已导出 3 位客户');
    await bot.app.idle();
    expect(bot.slack.of('conversations.open', since)[0]?.body.users).toBe('USALES2');
    const complete = bot.slack.of('files.completeUploadExternal', since)[0];
    expect(complete?.body.channel_id).toBe('D0DIRECT');
    const csv = String(bot.slack.of('file_upload', since)[0]?.body.raw);
    expect(csv).toContain('公开客户丙');
    expect(csv).toContain(`${codes.secret},秘密客户（需申请查阅）`);
    expect(csv).not.toContain('秘密客户甲');
    expect(csv).not.toContain(codes.topSecret);
    const exported = await db.prisma.auditEvent.count({ where: { action: 'customer.exported', actor: 'USALES2' } });
    expect(exported).toBe(0);
    await kh('USALES1', 'export');
    const byOwner = await db.prisma.auditEvent.findMany({ where: { action: 'customer.exported', actor: 'USALES1' } });
    expect(byOwner.map((e) => e.subjectId).sort()).toEqual([codes.secret, codes.confidential].sort());
  });
});

describe('custodians (INFO-22) and App Home', () => {
  it('the supervisor names a custodian, who can then open the top-secret card', async () => {
    expect((await kh('UARCH', `show ${codes.topSecret}`)).text).toContain('没有找到客户');
    const result = await kh('USUPER', `custodian ${codes.topSecret} <@UARCH|liu>`);
    expect(result.text).toContain('<@UARCH>');
    expect(JSON.stringify((await kh('UARCH', `show ${codes.topSecret}`)).blocks)).toContain('绝密客户丁');
    expect((await kh('USALES1', `custodian ${codes.topSecret} <@USALES1>`)).text).toContain('你没有权限');
    expect((await kh('USUPER', 'custodian nonsense')).text).toContain('用法');
  });

  it('App Home lists the owner’s customers, the top-secret one only by code', async () => {
    const since = bot.slack.calls.length;
    await bot.post(appHomeOpened('USALES1'), { contentType: 'application/json' });
    const view = JSON.stringify((await bot.slack.waitFor('views.publish', since)).body.view);
    expect(view).toContain('秘密客户甲');
    expect(view).toContain(codes.topSecret);
    expect(view).not.toContain('绝密客户丁');
  });
});
