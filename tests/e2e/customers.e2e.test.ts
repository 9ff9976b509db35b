/**
 * End to end: signed HTTP requests into the real Bolt app, a real database, and assertions
 * on what reached the fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/blocks/i18n/index.js';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import type { RawCustomerInput } from '../../src/domain/customers/customer-input.js';
import { updateCustomer } from '../../src/domain/customers/update-customer.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { stem, zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, rawCustomer, validCustomer } from '../helpers/fixtures.js';
import { appHomeOpened, blockAction, formState, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  // SEC-6: 公开 and 绝密 customers are registered by a supervisor (for their owner).
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.close();
});

const kh = (user: string, text: string) => bot.kh(user, text);

async function submitForm(user: string, metadata: object, fields: Record<string, string | undefined>) {
  const since = bot.slack.calls.length;
  const response = await bot.post(
    viewSubmission({
      user,
      callback_id: VIEW.customerForm,
      private_metadata: JSON.stringify(metadata),
      state: formState(fields),
    }),
  );
  await bot.app.idle();
  return {
    status: response.status,
    body: response.text ? (JSON.parse(response.text) as Record<string, unknown>) : {},
    since,
  };
}

const allText = (value: unknown) => JSON.stringify(value);

let serial = 0;
/**
 * The form fields of a customer no other test uses: its own name, phone and credit code
 * (restricted until 2029-12-31 unless overridden).
 */
function freshFields(overrides: RawCustomerInput = {}): Record<string, string> {
  const n = ++serial;
  return rawCustomer({
    name: `测试客户${n}号`,
    phone: `0755-${String(50000000 + n)}`,
    creditCode: `91440300${String(n).padStart(9, '0')}X`,
    ...overrides,
  }) as Record<string, string>;
}

/**
 * Registers a customer of `owner`'s through the domain, not Slack; returns its code and
 * fields. SEC-6: a 公开 or 绝密 one is registered by the supervisor, a 绝密 one with the
 * admin as its custodian; any other by its owner.
 */
async function customerOf(owner: string, overrides: RawCustomerInput = {}) {
  const fields = freshFields(overrides);
  const level = fields.secrecyLevel;
  const bySupervisor = level === 'unclassified' || level === 'top_secret';
  const { code } = await createCustomer(ctx(db.prisma, bySupervisor ? 'USUPER' : owner), {
    ...validCustomer({ ...fields, ...(bySupervisor && { ownerSlackUserId: owner }) }),
    ...(level === 'top_secret' && { custodianSlackUserIds: ['UADMIN'] }),
  });
  return { code, fields };
}

/** A code as a person might type it: lower case, no leading zeros (KH-2026-0007 → kh-2026-7). */
const sloppy = (code: string) => code.toLowerCase().replace(/-0+(?=\d+$)/, '-');

describe('requests Slack did not sign (SEC-12)', () => {
  it('SEC-12: a forged signature is refused with 401 and runs nothing', async () => {
    const since = bot.slack.calls.length;
    const response = await bot.post(slashCommand(bot.slack, { text: 'find 华为', user_id: 'USALES1' }), {
      secret: 'wrong',
    });
    expect(response.status).toBe(401);
    await bot.app.idle();
    expect(bot.slack.calls.slice(since)).toEqual([]);
  });

  it('SEC-12: a timestamp older than five minutes is refused with 401', async () => {
    const response = await bot.post(slashCommand(bot.slack, { text: 'help', user_id: 'USALES1' }), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(response.status).toBe(401);
  });
});

describe('/kh help, whoami, lang', () => {
  it('INFO-17: a person without a role sees only help, whoami and lang, in Chinese, and why', async () => {
    const reply = await kh('UNEWBIE', 'help');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('/kh whoami');
    expect(reply.text).not.toContain('/kh find');
    expect(reply.text).not.toContain('/kh new');
    expect(reply.text).toContain(zh('help.no_role'));
  });

  it('a salesperson sees new, find, show and edit but not role', async () => {
    const reply = await kh('USALES1', '');
    expect(reply.text).toContain('/kh new');
    expect(reply.text).toContain('/kh find');
    expect(reply.text).not.toContain('/kh role');
  });

  it('an unknown subcommand gets a usage message and the help', async () => {
    const reply = await kh('USALES1', 'frobnicate <!channel>');
    expect(reply.text).toContain(zh('usage.unknown', { sub: 'frobnicate' }));
    expect(reply.text).toContain('/kh find');
  });

  it('/kh lang en switches the language; /kh whoami answers in English', async () => {
    // A person of its own: the language it switches is nobody else's.
    await givePerson(db.prisma, 'UGMLANG', ['general_manager']);
    expect((await kh('UGMLANG', 'lang en')).text).toBe(t('en', 'lang.set'));
    const whoami = await kh('UGMLANG', 'whoami');
    expect(whoami.text).toContain(t('en', 'role.general_manager'));
    expect((await kh('UGMLANG', 'lang zh')).text).toBe(zh('lang.set'));
    expect((await kh('UGMLANG', 'lang klingon')).text).toContain('/kh lang zh');
  });
});

describe('/kh new: the customer form (INFO-4)', () => {
  it('INFO-4 SEC-6: opens the standardized form with required fields and the SEC-6 default level', async () => {
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: 'new', user_id: 'USALES1' }));
    const open = await bot.slack.waitFor('views.open', since);
    const view = open.body.view as {
      callback_id: string;
      blocks: { block_id?: string; optional?: boolean; element?: Record<string, unknown> }[];
    };
    expect(view.callback_id).toBe(VIEW.customerForm);
    const inputs = new Map(view.blocks.filter((b) => b.block_id).map((b) => [b.block_id, b]));
    for (const required of ['name', 'kind', 'legalRepresentative', 'address', 'postalCode', 'phone', 'secrecyLevel']) {
      expect(inputs.get(required)?.optional, required).toBe(false);
    }
    expect(inputs.get('fax')?.optional).toBe(true);
    expect(inputs.get('secrecyLevel')?.element?.initial_option).toMatchObject({ value: 'restricted' });
    expect(inputs.get('secrecyUntil')?.element?.initial_date).toBe('2029-11-28');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('INFO-17: a person who may not register customers gets a refusal instead of the form', async () => {
    const reply = await kh('UNEWBIE', 'new');
    expect(reply.text).toContain(stem('error.not_allowed'));
  });

  it('INFO-4: invalid fields come back beside each field, in Chinese, and nothing is saved', async () => {
    const before = await db.prisma.customer.count();
    const { body } = await submitForm(
      'USALES1',
      { mode: 'create' },
      freshFields({
        name: '',
        postalCode: '51812',
        phone: 'call me',
        registeredCapital: '-5',
        secrecyUntil: '2020-01-01',
        creditCode: 'NOT-A-CODE',
        legalRepresentative: '张'.repeat(61),
      }),
    );
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({
      name: zh('fieldError.required'),
      postalCode: zh('fieldError.invalid_postal_code'),
      phone: zh('fieldError.invalid_phone'),
      registeredCapital: zh('fieldError.negative'),
      secrecyUntil: zh('fieldError.secrecy_until_past'),
      creditCode: zh('fieldError.invalid_credit_code'),
      legalRepresentative: zh('fieldError.too_long', { max: 60 }),
    });
    expect(await db.prisma.customer.count()).toBe(before);
  });

  it('INFO-4 DB-11: a valid form creates the customer, confirms in the modal and by DM', async () => {
    // DB-11: the new code is the next one in acquisition order, after every customer so far.
    const existing = await db.prisma.customer.findMany({ where: { code: { startsWith: 'KH-2026-' } } });
    const last = Math.max(0, ...existing.map((c) => Number(c.code.slice('KH-2026-'.length))));
    const code = `KH-2026-${String(last + 1).padStart(4, '0')}`;
    const fields = freshFields({ name: '深圳市腾讯计算机系统有限公司', postalCode: '518057' });
    const { body, since } = await submitForm('USALES1', { mode: 'create' }, fields);
    expect(body.response_action).toBe('update');
    expect(allText(body.view)).toContain(code);
    const dm = await bot.slack.waitFor('chat.postMessage', since);
    expect(dm.body).toMatchObject({ channel: 'USALES1' });
    expect(dm.body.text).toContain(code);
    const saved = await db.prisma.customer.findUniqueOrThrow({ where: { code }, include: { owner: true } });
    expect(saved).toMatchObject({
      name: '深圳市腾讯计算机系统有限公司',
      secrecyLevel: 'restricted',
      postalCode: '518057',
      phone: fields.phone,
    });
    expect(saved.owner.slackUserId).toBe('USALES1');
  });

  it('INFO-4: a duplicate name is refused beside the name field, naming the existing code', async () => {
    // One the submitter may see: a duplicate they may not see is refused without its code (SEC-3).
    const existing = await customerOf('USALES1', { name: '阿里巴巴（中国）有限公司' });
    const before = await db.prisma.customer.count();
    const { body } = await submitForm(
      'USALES1',
      { mode: 'create' },
      freshFields({ name: '阿里巴巴（中国）有限公司 ' }),
    );
    expect(body).toMatchObject({
      response_action: 'errors',
      errors: { name: zh('error.customer_duplicate_name', { code: existing.code }) },
    });
    expect(await db.prisma.customer.count()).toBe(before);
  });

  it('a forged private_metadata is refused and saves nothing', async () => {
    const target = await customerOf('USALES1');
    const before = await db.prisma.customer.count();
    const { body } = await submitForm(
      'USALES1',
      { mode: 'edit', code: target.code, version: 'x' },
      { ...target.fields, name: '别的公司' },
    );
    expect(body.response_action).toBe('errors');
    expect(await db.prisma.customer.count()).toBe(before);
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { code: target.code } })).toMatchObject({
      name: target.fields.name,
      version: 1,
    });
  });
});

describe('/kh find and /kh show', () => {
  it('finds 华为 by pinyin initials and shows a button per result', async () => {
    await customerOf('USALES1', { name: '华为技术有限公司' });
    const reply = await kh('USALES1', 'find hw');
    expect(allText(reply.blocks)).toContain('华为技术有限公司');
    expect(allText(reply.blocks)).toContain(ACTION.showCustomer);
  });

  it('a name with & is found as typed: Slack’s escaping of command text is undone first', async () => {
    await customerOf('USALES1', { name: '宝洁P&G日化经销有限公司' });
    // Slack sends `/kh find p&g` as `find p&amp;g`.
    const reply = await kh('USALES1', 'find p&amp;g');
    expect(allText(reply.blocks)).toContain('宝洁P&amp;G日化经销有限公司');
  });

  it('INFO-22 SEC-5: another salesperson sees the restricted customer only as a marked code', async () => {
    const { code, fields } = await customerOf('USALES1', { name: '中兴通讯股份有限公司' });
    // SEC-3: a customer the searcher may not read is found by its exact code only.
    expect((await kh('USALES2', 'find 中兴')).text).toBe(zh('find.none', { query: '中兴' }));
    const reply = await kh('USALES2', `find ${code}`);
    const text = allText(reply.blocks);
    expect(text).toContain(code);
    expect(text).toContain(zh('level.masked', { level: zh('level.restricted') }));
    expect(text).not.toContain('中兴通讯股份有限公司');
    expect(text).not.toContain(fields.phone);
  });

  it('SEC-5: a salesperson never gets a top-secret customer’s fields from search', async () => {
    await customerOf('USALES2', { name: '国家电网深圳供电局', phone: '0755-95598000', secrecyLevel: 'top_secret' });
    const reply = await kh('USALES1', 'find 电网');
    const text = allText(reply);
    expect(text).not.toContain('国家电网');
    expect(text).not.toContain('95598000');
    expect(reply.text).toBe(zh('find.none', { query: '电网' }));
  });

  it('/kh show renders the card with the 秘密 marker and the three prohibitions (INFO-26)', async () => {
    const { code } = await customerOf('USALES1', { name: '美的集团股份有限公司' });
    const reply = await kh('USALES1', `show ${sloppy(code)}`);
    const text = allText(reply.blocks);
    expect(text).toContain(`${zh('level.marker', { level: zh('level.restricted') })}美的集团股份有限公司`);
    expect(text).toContain(zh('card.three_prohibitions'));
    expect(text).toContain(ACTION.editCustomer);
  });

  it('INFO-17: /kh show of a restricted customer by another salesperson is refused with a way to request access', async () => {
    const { code } = await customerOf('USALES1');
    const reply = await kh('USALES2', `show ${code}`);
    expect(reply.text).toBe(zh('error.customer_hidden', { code, level: zh('level.restricted') }));
    expect(reply.blocks).toBeUndefined();
  });

  it('bad codes and missing arguments get usage messages', async () => {
    const unknown = 'KH-2026-0999';
    expect(await db.prisma.customer.count({ where: { code: unknown } })).toBe(0);
    expect((await kh('USALES1', 'show 华为')).text).toBe(zh('usage.show'));
    expect((await kh('USALES1', 'find')).text).toBe(zh('usage.find'));
    expect((await kh('USALES1', `show ${unknown}`)).text).toBe(zh('error.customer_not_found', { code: unknown }));
  });

  it('the next-page button replaces the results with page 2; a forged page value is refused', async () => {
    for (let i = 1; i <= 11; i++) {
      await customerOf('USALES1', { name: `前海贸易${i}号`, secrecyLevel: 'unclassified', secrecyUntil: undefined });
    }
    const first = await kh('USALES1', 'find 前海贸易');
    expect(allText(first.blocks)).toContain(ACTION.findNextPage);
    const since = bot.slack.calls.length;
    await bot.post(
      blockAction(bot.slack, {
        user: 'USALES1',
        action_id: ACTION.findNextPage,
        value: JSON.stringify({ q: '前海贸易', page: 2 }),
      }),
    );
    const second = (await bot.slack.waitFor('response_url', since)).body;
    expect(second.replace_original).toBe(true);
    expect(allText(second.blocks)).toContain(zh('find.header', { query: '前海贸易', page: 2 }));
    const forged = bot.slack.calls.length;
    await bot.post(
      blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.findNextPage, value: '{"q":"x","page":99999}' }),
    );
    expect((await bot.slack.waitFor('response_url', forged)).body.text).toContain(stem('error.invalid_input'));
  });

  it('the Show button on a result opens the card; a forged code is answered like an unknown one', async () => {
    const { code } = await customerOf('USALES1', { name: '格力电器股份有限公司' });
    const since = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.showCustomer, value: code }));
    expect(allText((await bot.slack.waitFor('response_url', since)).body)).toContain('格力电器股份有限公司');
    const forged = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.showCustomer, value: "'; DROP TABLE" }));
    expect((await bot.slack.waitFor('response_url', forged)).body.text).toContain(stem('error.customer_not_found'));
  });
});

describe('/kh edit (ARCH-30)', () => {
  it('ARCH-30: opens the form filled with the record, saves changed fields as history, confirms by DM', async () => {
    const { code, fields } = await customerOf('USALES1', { name: '招商银行股份有限公司' });
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: `edit ${code}`, user_id: 'USALES1' }));
    const open = await bot.slack.waitFor('views.open', since);
    const view = open.body.view as {
      private_metadata: string;
      blocks: { block_id?: string; element?: Record<string, unknown> }[];
    };
    expect(JSON.parse(view.private_metadata)).toEqual({ mode: 'edit', code, version: 1 });
    const byId = new Map(view.blocks.map((b) => [b.block_id, b.element]));
    expect(byId.get('name')?.initial_value).toBe('招商银行股份有限公司');
    expect(byId.get('secrecyUntil')?.initial_date).toBe('2029-12-31');
    expect(byId.get('ownerSlackUserId')?.initial_user).toBe('USALES1');

    const { body, since: after } = await submitForm(
      'USALES1',
      { mode: 'edit', code, version: 1 },
      { ...fields, phone: '0755-28780000', ownerSlackUserId: 'USALES1' },
    );
    expect(body.response_action).toBe('update');
    expect(allText(body.view)).toContain(zh('field.phone'));
    await bot.slack.waitFor('chat.postMessage', after);
    const changes = await db.prisma.customerChange.findMany({
      where: { customer: { code } },
      include: { changedBy: true },
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ field: 'phone', oldValue: fields.phone, newValue: '0755-28780000', version: 2 });
    expect(changes[0]?.changedBy.slackUserId).toBe('USALES1');
  });

  it('ARCH-30: submitting a stale form (old version) is refused beside the name field', async () => {
    const { code, fields } = await customerOf('USALES1');
    // Someone else's edit has already made version 2.
    await updateCustomer(ctx(db.prisma, 'USALES1'), {
      code,
      expectedVersion: 1,
      customer: validCustomer({ ...fields, fax: '0755-28780001' }),
    });
    const { body } = await submitForm(
      'USALES1',
      { mode: 'edit', code, version: 1 },
      { ...fields, phone: '0755-11111111' },
    );
    expect(body).toMatchObject({
      response_action: 'errors',
      errors: { name: zh('error.customer_edit_conflict', { code }) },
    });
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { code } })).toMatchObject({
      phone: fields.phone,
      version: 2,
    });
  });

  it('another salesperson cannot open the edit form of a customer they may not see', async () => {
    const { code } = await customerOf('USALES1');
    const since = bot.slack.calls.length;
    const reply = await kh('USALES2', `edit ${code}`);
    expect(reply.text).toBe(zh('error.customer_hidden', { code, level: zh('level.restricted') }));
    expect(bot.slack.of('views.open', since)).toEqual([]);
  });
});

describe('/kh role and audit', () => {
  it('a non-admin using /kh role is refused and the attempt is audited', async () => {
    // A salesperson of its own: if the refusal failed, no other test's person would be an admin.
    await givePerson(db.prisma, 'USALES3', ['sales'], '销售一部');
    const reply = await kh('USALES3', 'role <@USALES3|wang> admin');
    expect(reply.text).toContain(stem('error.not_allowed'));
    const denied = await db.prisma.auditEvent.findMany({ where: { action: 'access.denied', actor: 'USALES3' } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ subjectType: 'subcommand', subjectId: 'role' });
    expect(denied[0]?.details).toMatchObject({ attempted: 'kh.role', text: '<@USALES3|wang> admin' });
    const me = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'USALES3' } });
    expect(me.roles).toEqual(['sales']);
  });

  it('an admin grants a role with a department; the new user can then search', async () => {
    await customerOf('USALES1', { name: '顺丰速运有限公司' });
    const reply = await kh('UADMIN', 'role <@UARCH|liu> archivist 客户服务部');
    expect(reply.text).toContain(zh('role.archivist'));
    expect(reply.text).toContain('客户服务部');
    const found = await kh('UARCH', 'find 顺丰');
    expect(allText(found.blocks)).toContain('顺丰速运有限公司');
  });

  it('role usage, unknown roles and dept_head without a department get clear messages', async () => {
    expect((await kh('UADMIN', 'role someone sales')).text).toContain(stem('usage.role'));
    expect((await kh('UADMIN', 'role <@UX1> wizard')).text).toBe(zh('error.person_unknown_role', { role: 'wizard' }));
    expect((await kh('UADMIN', 'role <@UX1> dept_head')).text).toContain(stem('error.person_department_required'));
  });

  it('the App Home shows the person’s commands', async () => {
    const since = bot.slack.calls.length;
    const response = await bot.post(appHomeOpened('USALES1'), { contentType: 'application/json' });
    expect(response.status).toBe(200);
    const publish = await bot.slack.waitFor('views.publish', since);
    expect(publish.body.user_id).toBe('USALES1');
    expect(allText(publish.body.view)).toContain('/kh find');
  });

  it('when Slack refuses a call the user still gets a message with a reference, and no stack trace', async () => {
    bot.slack.failNext('views.open', 'expired_trigger_id');
    const reply = await kh('USALES1', 'new');
    expect(reply.text).toMatch(new RegExp(`^${stem('generic.error')}.*[0-9a-f]{8}`));
    expect(reply.text).not.toContain('at ');
  });

  it('no token or signing secret ever appears in the log', async () => {
    // What this test itself logs: a request that fails at Slack, a normal one and a forged one.
    const lines = bot.logLines.length;
    bot.slack.failNext('views.open', 'expired_trigger_id');
    await kh('USALES1', 'new');
    await kh('USALES1', 'help');
    await bot.post(slashCommand(bot.slack, { text: 'help', user_id: 'USALES1' }), { secret: 'wrong' });
    await bot.app.idle();
    expect(bot.logLines.slice(lines).join('\n')).toContain('request failed');
    const log = bot.logLines.join('\n');
    expect(log).not.toContain('xoxb-test-token');
    expect(log).not.toContain('test-signing-secret');
  });
});
