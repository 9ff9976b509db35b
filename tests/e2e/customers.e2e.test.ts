/**
 * End to end: signed HTTP requests into the real Bolt app, a real database, and assertions
 * on what reached the fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/blocks/ids.js';
import { t } from '../../src/blocks/i18n/index.js';
import { startBot, type TestBot } from '../helpers/bot.js';
import { stem, zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { givePerson, rawCustomer } from '../helpers/fixtures.js';
import { appHomeOpened, blockAction, formState, slashCommand, viewSubmission } from '../helpers/payloads.js';

let db: TestDb;
let bot: TestBot;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
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
    expect((await kh('UGM', 'lang en')).text).toBe(t('en', 'lang.set'));
    const whoami = await kh('UGM', 'whoami');
    expect(whoami.text).toContain(t('en', 'role.general_manager'));
    expect((await kh('UGM', 'lang zh')).text).toBe(zh('lang.set'));
    expect((await kh('UGM', 'lang klingon')).text).toContain('/kh lang zh');
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
      rawCustomer({
        name: '',
        postalCode: '51812',
        phone: 'call me',
        registeredCapital: '-5',
        secrecyUntil: '2020-01-01',
        creditCode: 'NOT-A-CODE',
        legalRepresentative: '张'.repeat(61),
      }) as Record<string, string>,
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
    const { body, since } = await submitForm('USALES1', { mode: 'create' }, rawCustomer() as Record<string, string>);
    expect(body.response_action).toBe('update');
    expect(allText(body.view)).toContain('KH-2026-0001');
    const dm = await bot.slack.waitFor('chat.postMessage', since);
    expect(dm.body).toMatchObject({ channel: 'USALES1' });
    expect(dm.body.text).toContain('KH-2026-0001');
    const saved = await db.prisma.customer.findUniqueOrThrow({
      where: { code: 'KH-2026-0001' },
      include: { owner: true },
    });
    expect(saved).toMatchObject({ name: '华为技术有限公司', secrecyLevel: 'restricted', postalCode: '518129' });
    expect(saved.owner.slackUserId).toBe('USALES1');
  });

  it('INFO-4: a duplicate name is refused beside the name field, naming the existing code', async () => {
    const { body } = await submitForm(
      'USALES2',
      { mode: 'create' },
      rawCustomer({ name: '华为技术有限公司 ' }) as Record<string, string>,
    );
    expect(body).toMatchObject({
      response_action: 'errors',
      errors: { name: expect.stringContaining('KH-2026-0001') },
    });
  });

  it('a forged private_metadata is refused and saves nothing', async () => {
    const before = await db.prisma.customer.count();
    const { body } = await submitForm(
      'USALES1',
      { mode: 'edit', code: 'KH-2026-0001', version: 'x' },
      rawCustomer({ name: '别的公司' }) as Record<string, string>,
    );
    expect(body.response_action).toBe('errors');
    expect(await db.prisma.customer.count()).toBe(before);
  });
});

describe('/kh find and /kh show', () => {
  it('finds 华为 by pinyin initials and shows a button per result', async () => {
    const reply = await kh('USALES1', 'find hw');
    expect(allText(reply.blocks)).toContain('华为技术有限公司');
    expect(allText(reply.blocks)).toContain(ACTION.showCustomer);
  });

  it('INFO-22 SEC-5: another salesperson sees the restricted customer only as a marked code', async () => {
    const reply = await kh('USALES2', 'find 华为');
    const text = allText(reply.blocks);
    expect(text).toContain('KH-2026-0001');
    expect(text).toContain(zh('level.masked', { level: zh('level.restricted') }));
    expect(text).not.toContain('华为技术有限公司');
    expect(text).not.toContain('0755-28780808');
  });

  it('SEC-5: a salesperson never gets a top-secret customer’s fields from search', async () => {
    await submitForm(
      'USALES2',
      { mode: 'create' },
      rawCustomer({ name: '国家电网深圳供电局', phone: '0755-95598000', secrecyLevel: 'top_secret' }) as Record<
        string,
        string
      >,
    );
    const reply = await kh('USALES1', 'find 电网');
    const text = allText(reply);
    expect(text).not.toContain('国家电网');
    expect(text).not.toContain('95598000');
    expect(reply.text).toBe(zh('find.none', { query: '电网' }));
  });

  it('/kh show renders the card with the 秘密 marker and the three prohibitions (INFO-26)', async () => {
    const reply = await kh('USALES1', 'show kh-2026-1');
    const text = allText(reply.blocks);
    expect(text).toContain(`${zh('level.marker', { level: zh('level.restricted') })}华为技术有限公司`);
    expect(text).toContain(zh('card.three_prohibitions'));
    expect(text).toContain(ACTION.editCustomer);
  });

  it('INFO-17: /kh show of a restricted customer by another salesperson is refused with a way to request access', async () => {
    const reply = await kh('USALES2', 'show KH-2026-0001');
    expect(reply.text).toBe(zh('error.customer_hidden', { code: 'KH-2026-0001', level: zh('level.restricted') }));
    expect(reply.blocks).toBeUndefined();
  });

  it('bad codes and missing arguments get usage messages', async () => {
    expect((await kh('USALES1', 'show 华为')).text).toBe(zh('usage.show'));
    expect((await kh('USALES1', 'find')).text).toBe(zh('usage.find'));
    expect((await kh('USALES1', 'show KH-2026-0999')).text).toBe(zh('error.customer_not_found', { code: 'KH-2026-0999' }));
  });

  it('the next-page button replaces the results with page 2; a forged page value is refused', async () => {
    for (let i = 1; i <= 11; i++) {
      await submitForm(
        'USALES1',
        { mode: 'create' },
        rawCustomer({
          name: `前海贸易${i}号`,
          phone: `0755-6600${String(i).padStart(4, '0')}`,
          secrecyLevel: 'unclassified',
          secrecyUntil: undefined,
        }) as Record<string, string>,
      );
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
    const since = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.showCustomer, value: 'KH-2026-0001' }));
    expect(allText((await bot.slack.waitFor('response_url', since)).body)).toContain('华为技术有限公司');
    const forged = bot.slack.calls.length;
    await bot.post(blockAction(bot.slack, { user: 'USALES1', action_id: ACTION.showCustomer, value: "'; DROP TABLE" }));
    expect((await bot.slack.waitFor('response_url', forged)).body.text).toContain(stem('error.customer_not_found'));
  });
});

describe('/kh edit (ARCH-30)', () => {
  it('ARCH-30: opens the form filled with the record, saves changed fields as history, confirms by DM', async () => {
    const since = bot.slack.calls.length;
    await bot.post(slashCommand(bot.slack, { text: 'edit KH-2026-0001', user_id: 'USALES1' }));
    const open = await bot.slack.waitFor('views.open', since);
    const view = open.body.view as {
      private_metadata: string;
      blocks: { block_id?: string; element?: Record<string, unknown> }[];
    };
    expect(JSON.parse(view.private_metadata)).toEqual({ mode: 'edit', code: 'KH-2026-0001', version: 1 });
    const byId = new Map(view.blocks.map((b) => [b.block_id, b.element]));
    expect(byId.get('name')?.initial_value).toBe('华为技术有限公司');
    expect(byId.get('secrecyUntil')?.initial_date).toBe('2029-12-31');
    expect(byId.get('ownerSlackUserId')?.initial_user).toBe('USALES1');

    const { body, since: after } = await submitForm(
      'USALES1',
      { mode: 'edit', code: 'KH-2026-0001', version: 1 },
      { ...(rawCustomer({ phone: '0755-28780000' }) as Record<string, string>), ownerSlackUserId: 'USALES1' },
    );
    expect(body.response_action).toBe('update');
    expect(allText(body.view)).toContain(zh('field.phone'));
    await bot.slack.waitFor('chat.postMessage', after);
    const change = await db.prisma.customerChange.findFirstOrThrow({
      where: { field: 'phone' },
      include: { changedBy: true },
    });
    expect(change).toMatchObject({ oldValue: '0755-28780808', newValue: '0755-28780000', version: 2 });
    expect(change.changedBy.slackUserId).toBe('USALES1');
  });

  it('ARCH-30: submitting a stale form (old version) is refused beside the name field', async () => {
    const { body } = await submitForm(
      'USALES1',
      { mode: 'edit', code: 'KH-2026-0001', version: 1 },
      rawCustomer({ phone: '0755-11111111' }) as Record<string, string>,
    );
    expect(body).toMatchObject({
      response_action: 'errors',
      errors: { name: zh('error.customer_edit_conflict', { code: 'KH-2026-0001' }) },
    });
  });

  it('another salesperson cannot open the edit form of a customer they may not see', async () => {
    const reply = await kh('USALES2', 'edit KH-2026-0001');
    expect(reply.text).toBe(zh('error.customer_hidden', { code: 'KH-2026-0001', level: zh('level.restricted') }));
  });
});

describe('/kh role and audit', () => {
  it('a non-admin using /kh role is refused and the attempt is audited', async () => {
    const reply = await kh('USALES1', 'role <@USALES1|wang> admin');
    expect(reply.text).toContain(stem('error.not_allowed'));
    const denied = await db.prisma.auditEvent.findFirst({ where: { action: 'access.denied', actor: 'USALES1' } });
    expect(denied).toMatchObject({ subjectType: 'subcommand', subjectId: 'role' });
    expect(denied?.details).toMatchObject({ attempted: 'kh.role', text: '<@USALES1|wang> admin' });
    const me = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'USALES1' } });
    expect(me.roles).toEqual(['sales']);
  });

  it('an admin grants a role with a department; the new user can then search', async () => {
    const reply = await kh('UADMIN', 'role <@UARCH|liu> archivist 客户服务部');
    expect(reply.text).toContain(zh('role.archivist'));
    expect(reply.text).toContain('客户服务部');
    const found = await kh('UARCH', 'find 华为');
    expect(allText(found.blocks)).toContain('华为技术有限公司');
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

  it('no token or signing secret ever appears in the log', () => {
    const log = bot.logLines.join('\n');
    expect(log).not.toContain('xoxb-test-token');
    expect(log).not.toContain('test-signing-secret');
    expect(log).toContain('request failed');
  });
});
