/**
 * Confidentiality end to end: leak reports reach the right people, the audit trail answers
 * who saw what, exports go only to the requester's DM with only what they may see, and
 * custodians and channels are set from Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import type { SecrecyLevel } from '../../src/domain/access/visibility.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { reportIncident } from '../../src/domain/incidents/report-incident.js';
import { formatLocalDateTime } from '../../src/domain/time.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { stem, zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';
import { appHomeOpened, blockAction, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  // Every supervisor, service manager and general manager receives leak reports: tests add none.
  await givePerson(db.prisma, 'USALES1', ['sales']);
  await givePerson(db.prisma, 'USALES2', ['sales']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UMGR', ['service_manager']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'UARCH', ['archivist']);
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

const kh = (user: string, text: string) => bot.kh(user, text);

/** The bot's clock, as reports print it. */
const now = formatLocalDateTime(NOW, TIME_ZONE);
const marker = (level: Exclude<SecrecyLevel, 'unclassified'>) => zh('level.marker', { level: zh(`level.${level}`) });

let serial = 0;
/**
 * A customer no other test uses (its own name, phone and credit code), registered by the
 * supervisor for `owner` through the domain; a 绝密 one has the general manager as its
 * custodian (SEC-6). Returns its code.
 */
async function customer(name: string, level: SecrecyLevel, owner = 'USALES1'): Promise<string> {
  const n = ++serial;
  const created = await createCustomer(ctx(db.prisma, 'USUPER'), {
    ...validCustomer({
      name,
      phone: `0755-${String(88000000 + n)}`,
      creditCode: `91440300${String(n).padStart(9, '0')}Y`,
      secrecyLevel: level,
      secrecyUntil: level === 'unclassified' ? '' : '2030-12-31',
      ownerSlackUserId: owner,
    }),
    ...(level === 'top_secret' && { custodianSlackUserIds: ['UGM'] }),
  });
  return created.code;
}

/** The GM office channel every leak report goes to (a setting: each test that needs it sets it). */
async function setGmOffice(): Promise<void> {
  expect((await kh('UADMIN', 'config channel gm_office <#C0GMOFFICE|gm-office>')).text).toContain('<#C0GMOFFICE>');
}

/** The file in an upload's body (Slack's upload URL receives it as multipart form data). */
function uploadedFile(raw: string): string {
  if (!raw.startsWith('--')) return raw;
  const boundary = raw.slice(0, raw.indexOf('\r\n'));
  return raw.slice(raw.indexOf('\r\n\r\n') + 4, raw.lastIndexOf(`\r\n${boundary}--`));
}

describe('leak reports (INFO-27, SEC-13)', () => {
  it('an admin sets the GM office channel', async () => {
    await setGmOffice();
    expect((await kh('USALES1', 'config channel gm_office <#C0X|x>')).text).toContain(stem('error.not_allowed'));
    expect((await kh('UADMIN', 'config channel nowhere <#C0X|x>')).text).toBe(zh('usage.config'));
    expect((await kh('UADMIN', 'config')).text).toContain('<#C0GMOFFICE>');
  });

  it('INFO-17: the router refuses a subcommand the person may not use before it runs, and records the attempt', async () => {
    // A channel is set, so a listing would show it. `/kh config` without arguments used to list the channels to anyone.
    await setGmOffice();
    const refusals = () =>
      db.prisma.auditEvent.count({
        where: { actor: 'USALES1', action: 'access.denied', subjectType: 'subcommand', subjectId: 'config' },
      });
    const before = await refusals();
    const reply = await kh('USALES1', 'config');
    expect(reply.text).toContain(stem('error.not_allowed'));
    expect(reply.text).not.toContain('C0GMOFFICE');
    expect(await refusals()).toBe(before + 1);
    expect((await kh('USALES1', 'audit KH-2026-0001')).text).toContain(stem('error.not_allowed'));
    expect((await kh('UADMIN', 'config')).text).toContain('<#C0GMOFFICE>');
  });

  it('SEC-16: an admin changes a setting from Slack; out of range is refused in their language', async () => {
    try {
      expect((await kh('UADMIN', 'config')).text).toContain('`incident_view_window_days` 90');
      const saved = await kh('UADMIN', 'config set incident_view_window_days 60');
      expect(saved.text).toContain('`incident_view_window_days` 60');
      expect((await kh('UADMIN', 'config set incident_view_window_days 0')).text).toBe(
        zh('error.config_out_of_range', { key: 'incident_view_window_days', min: 1, max: 3650 }),
      );
      expect((await kh('UADMIN', 'config set nothing 5')).text).toBe(zh('usage.config'));
    } finally {
      // The default again, whatever happened above.
      await kh('UADMIN', 'config set incident_view_window_days 90');
    }
  });

  it('INFO-27 SEC-13 SEC-16: a report DMs the supervisor and the service manager, posts to the GM office, with who saw each customer', async () => {
    await setGmOffice();
    const confidential = await customer('机密客户乙', 'confidential');
    const secret = await customer('秘密客户戊', 'restricted');
    // The supervisor has viewed the confidential customer: the report must say so.
    await kh('USUPER', `show ${confidential}`);
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
      customers: { value: { type: 'plain_text_input', value: `${confidential} ${secret}` } },
      since: { value: { type: 'datepicker', selected_date: null } },
    };
    const response = await bot.post(
      viewSubmission({ user: 'USALES2', callback_id: VIEW.incidentForm, private_metadata: '', state }),
    );
    expect(JSON.parse(response.text)).toMatchObject({ response_action: 'update' });
    await bot.app.idle();
    const incident = await db.prisma.incident.findFirstOrThrow({
      where: { customers: { some: { customer: { code: confidential } } } },
    });
    expect(response.text).toContain(incident.code);
    const posts = bot.slack.of('chat.postMessage', since);
    expect(posts.map((p) => p.body.channel).sort()).toEqual(['C0GMOFFICE', 'UMGR', 'USUPER']);
    const text = JSON.stringify(posts[0]?.body.blocks);
    expect(text).toContain(incident.code);
    expect(text).toContain(
      zh('incident.customer_line', {
        code: confidential,
        level: marker('confidential'),
        viewers: zh('incident.viewer', { user: 'USUPER', views: 1, last: now }),
      }),
    );
    expect(text).toContain(
      zh('incident.customer_line', { code: secret, level: marker('restricted'), viewers: zh('incident.no_viewers') }),
    );
    // Codes and levels only: the report never carries a classified name.
    expect(text).not.toContain('机密客户乙');
    expect(text).not.toContain('秘密客户戊');
    expect(text).toContain(ACTION.incidentRemedied);
  });

  it('a required field left empty is refused beside it; unknown codes beside the customers field', async () => {
    // INFO-27: a well-formed code that matches no customer is accepted (the reporter is not told
    // whether it exists); what is refused beside the field is text that is no customer code.
    const unknown = 'KH-2026-X';
    const before = await db.prisma.incident.count();
    const state = {
      cause: { value: { type: 'static_select', selected_option: { value: 'leak' } } },
      description: { value: { type: 'plain_text_input', value: '' } },
      howDiscovered: { value: { type: 'plain_text_input', value: 'x' } },
      remedy: { value: { type: 'plain_text_input', value: 'y' } },
      customers: { value: { type: 'plain_text_input', value: unknown } },
      since: { value: { type: 'datepicker', selected_date: null } },
    };
    const empty = await bot.post(
      viewSubmission({ user: 'USALES2', callback_id: VIEW.incidentForm, private_metadata: '', state }),
    );
    expect(JSON.parse(empty.text)).toEqual({
      response_action: 'errors',
      errors: { description: zh('fieldError.required') },
    });
    state.description.value.value = '泄露';
    const unknownReply = await bot.post(
      viewSubmission({ user: 'USALES2', callback_id: VIEW.incidentForm, private_metadata: '', state }),
    );
    expect(JSON.parse(unknownReply.text)).toMatchObject({
      response_action: 'errors',
      errors: { customers: zh('error.incident_unknown_customers', { codes: unknown }) },
    });
    expect(await db.prisma.incident.count()).toBe(before);
  });

  it('the supervisor marks it remedied; a salesperson clicking is refused; a second click is told who did it', async () => {
    // A reporter of its own (reports are rate-limited per person).
    await givePerson(db.prisma, 'USALES3', ['sales']);
    const { code } = await reportIncident(ctx(db.prisma, 'USALES3'), {
      cause: 'loss',
      description: '客户资料夹遗失',
      howDiscovered: '盘点时发现',
      remedy: '已通知相关客户',
      customerCodes: await customer('秘密客户己', 'restricted'),
    });
    const since = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'USUPER', action_id: ACTION.incidentRemedied, value: code }));
    const updated = (await bot.slack.waitFor('response_url', since)).body;
    expect(updated.replace_original).toBe(true);
    expect(String(updated.text)).toBe(
      zh('incident.advanced', { code, status: zh('incident.status.remedied'), user: 'USUPER', at: now }),
    );
    expect(JSON.stringify(updated.blocks)).toContain(ACTION.incidentClosed);

    const again = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'UMGR', action_id: ACTION.incidentRemedied, value: code }));
    expect(String((await bot.slack.waitFor('response_url', again)).body.text)).toBe(
      zh('error.incident_transition', { code, status: zh('incident.status.remedied'), user: 'USUPER' }),
    );

    const refused = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.incidentClosed, value: code }));
    expect(String((await bot.slack.waitFor('response_url', refused)).body.text)).toContain(stem('error.not_allowed'));
    expect(await db.prisma.incident.findUniqueOrThrow({ where: { code } })).toMatchObject({
      status: 'remedied',
      remediedBy: 'USUPER',
    });
  });
});

describe('/kh audit (SEC-16)', () => {
  it('the supervisor sees who viewed a customer; a salesperson may not ask', async () => {
    const code = await customer('机密客户庚', 'confidential');
    await kh('USUPER', `show ${code}`);
    const report = await kh('USUPER', `audit ${code}`);
    expect(report.text).toContain(
      zh('audit.line', {
        at: now,
        actor: 'USUPER',
        action: zh('audit.action.customer.viewed'),
        code,
        level: marker('confidential'),
        via: zh('audit.via', { via: 'show' }),
      }),
    );
    expect((await kh('USALES1', `audit ${code}`)).text).toContain(stem('error.not_allowed'));
  });

  it('what a person saw, in a period; bad dates and arguments get clear messages', async () => {
    const code = await customer('机密客户辛', 'confidential');
    await kh('USUPER', `show ${code}`);
    const report = await kh('UGM', 'audit <@USUPER|super> 2026-11-01 2026-11-30');
    expect(report.text).toContain(
      zh('audit.line', {
        at: now,
        actor: 'USUPER',
        action: zh('audit.action.customer.viewed'),
        code,
        level: marker('confidential'),
        via: zh('audit.via', { via: 'show' }),
      }),
    );
    expect((await kh('UGM', 'audit <@USUPER> 2026-13-01')).text).toBe(zh('error.invalid_period'));
    expect((await kh('UGM', 'audit 2026-11-01 2026-11-30')).text).toBe(zh('usage.audit'));
    expect((await kh('UGM', 'audit <@USUPER> 2026-11-30 2026-11-01')).text).toBe(zh('error.invalid_period'));
  });
});

describe('exports (SEC-16)', () => {
  it('SEC-16: the register goes to the requester’s DM only, with exactly what they may see, and is audited', async () => {
    // Four customers of USALES1's, one per level, whose names share a word no other customer has.
    const open = await customer('导出测试公开客户丙', 'unclassified');
    const secret = await customer('导出测试秘密客户甲', 'restricted');
    const confidential = await customer('导出测试机密客户乙', 'confidential');
    const topSecret = await customer('导出测试绝密客户丁', 'top_secret');
    const mine = [open, secret, confidential, topSecret];
    const exported = (actor: string) =>
      db.prisma.auditEvent.findMany({ where: { action: 'customer.exported', actor, subjectId: { in: mine } } });
    const registers = (actor: string) =>
      db.prisma.auditEvent.count({ where: { action: 'customer.register_exported', actor } });
    const registersBefore = await registers('USALES2');

    /** What one `/kh export` as `user` sent: the reply, where the file went and its data rows. */
    const exportAs = async (user: string, query: string) => {
      const since = bot.slack.calls.length;
      const reply = await kh(user, `export ${query}`.trim());
      await bot.app.idle();
      const csv = uploadedFile(String(bot.slack.of('file_upload', since)[0]?.body.raw));
      // UTF-8 with a BOM and CRLF lines, for Excel.
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = csv.slice(1).trimEnd().split('\r\n');
      expect(header).toBe(zh('export.header'));
      return {
        reply: reply.text,
        dm: bot.slack.of('conversations.open', since)[0]?.body.users,
        channel: bot.slack.of('files.completeUploadExternal', since)[0]?.body.channel_id,
        csv,
        rows,
      };
    };

    // SEC-3: by a word of their names, only what the salesperson may read is listed.
    const byName = await exportAs('USALES2', '导出测试');
    expect(byName.reply).toBe(zh('export.done', { count: 1, truncated: '' }));
    expect(byName.dm).toBe('USALES2');
    expect(byName.channel).toBe('D0DIRECT');
    expect(byName.rows.map((row) => row.split(',')[0])).toEqual([open]);
    expect(byName.csv).toContain(`${open},导出测试公开客户丙`);
    for (const hidden of ['导出测试秘密客户甲', '导出测试机密客户乙', '导出测试绝密客户丁', topSecret]) {
      expect(byName.csv).not.toContain(hidden);
    }
    // By its exact code, a classified customer they may not read is a masked row: code and level only.
    for (const [code, level, name] of [
      [secret, 'restricted', '导出测试秘密客户甲'],
      [confidential, 'confidential', '导出测试机密客户乙'],
    ] as const) {
      const byCode = await exportAs('USALES2', code);
      expect(byCode.reply).toBe(zh('export.done', { count: 1, truncated: '' }));
      expect(byCode.dm).toBe('USALES2');
      expect(byCode.rows).toEqual([
        `${code},${zh('level.masked', { level: zh(`level.${level}`) })},,${zh(`level.${level}`)},,,`,
      ]);
      expect(byCode.csv).not.toContain(name);
    }
    // A top-secret customer not even by its code.
    const byTopSecretCode = await exportAs('USALES2', topSecret);
    expect(byTopSecretCode.reply).toBe(zh('export.done', { count: 0, truncated: '' }));
    expect(byTopSecretCode.rows).toEqual([]);
    // Masked rows show no secret, so no customer was exported; each export is on the record as a whole.
    expect(await exported('USALES2')).toEqual([]);
    expect(await registers('USALES2')).toBe(registersBefore + 4);

    // SEC-8: the owner reads its classified customers, but a file of them is a copy: without an
    // approved copy request they are masked as needing one, and none is exported.
    const whole = await exportAs('USALES1', '');
    const rowOf = (code: string) => whole.rows.find((row) => row.startsWith(`${code},`));
    expect(rowOf(open)).toContain(`${open},导出测试公开客户丙`);
    for (const [code, level] of [
      [secret, 'restricted'],
      [confidential, 'confidential'],
    ] as const) {
      expect(rowOf(code)).toBe(
        `${code},${zh('level.masked_copy', { level: zh(`level.${level}`) })},,${zh(`level.${level}`)},,,`,
      );
    }
    expect(rowOf(topSecret)).toBeUndefined();
    for (const name of ['导出测试秘密客户甲', '导出测试机密客户乙', '导出测试绝密客户丁']) {
      expect(whole.csv).not.toContain(name);
    }
    expect(await exported('USALES1')).toEqual([]);

    // The general manager, who approves copies, exports all four; each classified row is audited.
    const byGm = await exportAs('UGM', '导出测试');
    expect(byGm.reply).toBe(zh('export.done', { count: 4, truncated: '' }));
    expect(byGm.dm).toBe('UGM');
    for (const [code, name] of [
      [open, '导出测试公开客户丙'],
      [secret, '导出测试秘密客户甲'],
      [confidential, '导出测试机密客户乙'],
      [topSecret, '导出测试绝密客户丁'],
    ]) {
      expect(byGm.csv).toContain(`${code},${name}`);
    }
    const byGmAudited = await exported('UGM');
    expect(byGmAudited.map((e) => e.subjectId).sort()).toEqual([secret, confidential, topSecret].sort());
  });
});

describe('custodians (INFO-22) and App Home', () => {
  it('INFO-22: the supervisor proposes a custodian of a 机密 customer, the general manager approves by button, then the custodian opens the card', async () => {
    const code = await customer('机密客户丁', 'confidential');
    const closed = zh('error.customer_hidden', { code, level: zh('level.confidential') });
    expect((await kh('UARCH', `show ${code}`)).text).toBe(closed);
    const since = bot.slack.calls.length;
    const proposed = await kh('USUPER', `custodian ${code} <@UARCH|liu> 负责合同归档`);
    const requestCode = /SQ-\d{4}-\d{4}/.exec(String(proposed.text))?.[0] ?? '';
    expect(proposed.text).toBe(zh('custodian.requested', { code: requestCode, user: 'UARCH', customer: code }));
    // Proposed, not named: the archivist still cannot open it.
    expect((await kh('UARCH', `show ${code}`)).text).toBe(closed);
    // The approver's DM is sent after the reply: wait for the handler to finish.
    await bot.app.idle();
    const toGm = bot.slack.of('chat.postMessage', since).find((call) => call.body.channel === 'UGM');
    const buttons = ((toGm?.body.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]).flatMap(
      (block) => block.elements ?? [],
    );
    const stepId = buttons.find((button) => button.action_id === ACTION.approveStep)?.value;
    expect(stepId).toBeDefined();
    const clicked = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'UGM', action_id: ACTION.approveStep, value: String(stepId) }));
    await bot.app.idle();
    const told = bot.slack.of('chat.postMessage', clicked).find((call) => call.body.thread_ts);
    expect(String(told?.body.text)).toContain(
      zh('request.thread_approved_custodian', { code: requestCode, user: 'UARCH', customer: code }),
    );
    expect(JSON.stringify((await kh('UARCH', `show ${code}`)).blocks)).toContain('机密客户丁');
    expect((await kh('USALES1', `custodian ${code} <@USALES1>`)).text).toContain(stem('error.not_allowed'));
    expect((await kh('USUPER', `custodian ${code} <@USUPER>`)).text).toBe(zh('error.custodian_self'));
    expect((await kh('USUPER', 'custodian nonsense')).text).toBe(zh('usage.custodian'));
  });

  it('SEC-3: App Home lists the owner’s customers, not the top-secret one (closed to its owner, as show says)', async () => {
    // An owner of its own: App Home lists only the newest of a person's customers.
    await givePerson(db.prisma, 'UOWNER', ['sales']);
    await customer('秘密客户甲', 'restricted', 'UOWNER');
    const topSecret = await customer('绝密客户壬', 'top_secret', 'UOWNER');
    const since = bot.slack.calls.length;
    await bot.post(appHomeOpened('UOWNER'), { contentType: 'application/json' });
    const view = JSON.stringify((await bot.slack.waitFor('views.publish', since)).body.view);
    expect(view).toContain('秘密客户甲');
    expect(view).not.toContain(topSecret);
    expect(view).not.toContain('绝密客户壬');
  });
});
