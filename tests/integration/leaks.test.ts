/**
 * An insider probing: whatever a person may not see must not change any answer they get.
 * Each test names the leak it closes (issue "Close the leaks") and its rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCardBlocks } from '../../src/blocks/customer-card.js';
import { assignCustodian } from '../../src/domain/access/assign-custodian.js';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { revokeApproval, revokeExposedAccess } from '../../src/domain/approvals/revoke-approval.js';
import { queryViews } from '../../src/domain/audit/query-views.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { exportCustomers } from '../../src/domain/customers/export-customers.js';
import { findCustomers } from '../../src/domain/customers/find-customers.js';
import { openCustomerForEdit } from '../../src/domain/customers/open-customer-for-edit.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { updateCustomer } from '../../src/domain/customers/update-customer.js';
import { DomainError } from '../../src/domain/errors.js';
import { getIncidentReport } from '../../src/domain/incidents/get-incident-report.js';
import { reportIncident } from '../../src/domain/incidents/report-incident.js';
import { assignRole } from '../../src/domain/people/assign-role.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;
let serial = 0;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UKEEPER', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
});
afterAll(() => db.close());

/** A customer of USALES1's with its own name, phone and credit code (绝密 ones kept by UKEEPER). */
async function customerOf(level: 'restricted' | 'confidential' | 'top_secret') {
  const n = ++serial;
  const creditCode = `91440300MA5${String(n).padStart(7, '0')}`;
  const name = `探测客户${n}号`;
  const created = await createCustomer(ctx(db.prisma, level === 'top_secret' ? 'USUPER' : 'USALES1'), {
    ...validCustomer({
      name,
      phone: `0755-6100${String(n).padStart(4, '0')}`,
      creditCode,
      secrecyLevel: level,
      ownerSlackUserId: 'USALES1',
    }),
    custodianSlackUserIds: level === 'top_secret' ? ['UKEEPER'] : [],
  });
  return { code: created.code, name, creditCode };
}

/** What a refused attempt told the person: the error's code, parameters and text-bearing fields. */
async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('duplicate probes (SEC-3, SEC-16)', () => {
  it('SEC-3: a duplicate name of a customer the person may not see is refused without its code or level, the same at every level', async () => {
    const confidential = await customerOf('confidential');
    const topSecret = await customerOf('top_secret');
    const answers = [];
    for (const existing of [confidential, topSecret]) {
      const error = await refusalOf(
        createCustomer(ctx(db.prisma, 'USALES2'), validCustomer({ name: existing.name, phone: '0755-61999999' })),
      );
      expect(error.code).toBe('customer_duplicate_hidden_name');
      expect(JSON.stringify(error.params)).not.toContain(existing.code);
      answers.push([error.code, error.params]);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it('SEC-3: the same for a credit code, and for renaming in an edit', async () => {
    const hidden = await customerOf('confidential');
    const error = await refusalOf(
      createCustomer(
        ctx(db.prisma, 'USALES2'),
        validCustomer({ name: '另一个名字', phone: '0755-61888888', creditCode: hidden.creditCode }),
      ),
    );
    expect(error.code).toBe('customer_duplicate_hidden_credit_code');
    const mine = await createCustomer(
      ctx(db.prisma, 'USALES2'),
      validCustomer({ name: `自己的客户${++serial}`, phone: '0755-61777777' }),
    );
    const rename = await refusalOf(
      updateCustomer(ctx(db.prisma, 'USALES2'), {
        code: mine.code,
        expectedVersion: 1,
        customer: validCustomer({ name: hidden.name, phone: '0755-61777777' }),
      }),
    );
    expect(rename.code).toBe('customer_duplicate_hidden_name');
  });

  it('SEC-16: the probe is audited and the archivists are told (for 绝密, its custodians), so a real duplicate is resolved', async () => {
    const confidential = await customerOf('confidential');
    const topSecret = await customerOf('top_secret');
    const probe = (name: string) =>
      refusalOf(createCustomer(ctx(db.prisma, 'USALES2'), validCustomer({ name, phone: '0755-61666666' })));
    const first = await probe(confidential.name);
    // 机密: the supervisors, who may read it (an archivist may not).
    expect(first.notices).toEqual([
      {
        to: expect.arrayContaining([{ channel: 'USUPER' }]),
        about: { kind: 'duplicate_probe', code: confidential.code, field: 'name', by: 'USALES2' },
      },
    ]);
    expect(first.notices[0]?.to).not.toContainEqual({ channel: 'UARCH' });
    const second = await probe(topSecret.name);
    expect(second.notices).toEqual([
      {
        to: [{ channel: 'UKEEPER' }],
        about: { kind: 'duplicate_probe', code: topSecret.code, field: 'name', by: 'USALES2' },
      },
    ]);
    const events = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.duplicate_probe', subjectId: { in: [confidential.code, topSecret.code] } },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.actor, e.subjectId, e.details])).toEqual([
      ['USALES2', confidential.code, { field: 'name', level: 'confidential' }],
      ['USALES2', topSecret.code, { field: 'name', level: 'top_secret' }],
    ]);
  });

  it('a duplicate the person may see is still named by its code, so they open it instead', async () => {
    const own = await customerOf('restricted');
    await expect(
      createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: own.name, phone: '0755-61555555' })),
    ).rejects.toBeDomainError('customer_duplicate_name', { code: own.code });
    await expect(
      createCustomer(ctx(db.prisma, 'UARCH'), validCustomer({ name: own.name, phone: '0755-61555555' })),
    ).rejects.toBeDomainError('customer_duplicate_name', { code: own.code });
  });
});

describe('show of a hidden code and of an unknown code (SEC-3, SEC-16)', () => {
  it('SEC-16: both answer "not found" and both are recorded as refused views', async () => {
    const topSecret = await customerOf('top_secret');
    const unknown = 'KH-2026-9876';
    for (const code of [topSecret.code, unknown]) {
      await expect(showCustomer(ctx(db.prisma, 'USALES2'), code)).rejects.toBeDomainError('customer_not_found', {
        code,
      });
      expect(
        await db.prisma.auditEvent.count({
          where: { action: 'customer.view_refused', subjectId: code, actor: 'USALES2' },
        }),
      ).toBe(1);
    }
  });
});

describe('leak reports as a probe (INFO-27, INFO-17)', () => {
  const report = (user: string, customerCodes: string) =>
    reportIncident(ctx(db.prisma, user), {
      cause: 'possible_leak',
      description: '资料外泄',
      howDiscovered: '同事告知',
      remedy: '已收回',
      customerCodes,
    });

  it('INFO-27 SEC-3: a report naming an unknown code is accepted like any other; 绝密 and unknown codes are withheld alike from its readers and go to the GM', async () => {
    await givePerson(db.prisma, 'UREPORTER1', []);
    const secret = await customerOf('top_secret');
    const confidential = await customerOf('confidential');
    const unknown = 'KH-2026-8888';
    const filed = await report('UREPORTER1', `${confidential.code} ${secret.code} ${unknown}`);
    // The report its readers (supervisor, service manager, GM office) get lists what they may know of.
    expect(filed.customers.map((c) => c.code)).toEqual([confidential.code]);
    expect(filed.notices).toEqual([
      {
        to: expect.arrayContaining([{ channel: 'UGM' }]),
        about: { kind: 'incident_withheld_codes', incident: filed.code, codes: [secret.code, unknown].sort() },
      },
    ]);
    const alone = await report('UREPORTER1', confidential.code);
    expect(alone.notices).toEqual([]);
    const stored = await db.prisma.incident.findUniqueOrThrow({ where: { code: filed.code } });
    expect(stored.unknownCodes).toEqual([unknown]);
    // Re-rendered after a status change, the report still leaves the 绝密 customer out.
    const { report: again } = await getIncidentReport(ctx(db.prisma, 'USUPER'), filed.code);
    expect(again.customers.map((c) => c.code)).toEqual([confidential.code]);
  });

  it('INFO-27: only the form of a code is refused, never its existence; more than the maximum is refused as such', async () => {
    await givePerson(db.prisma, 'UREPORTER2', []);
    await expect(report('UREPORTER2', 'KH-2026-0001 华为')).rejects.toBeDomainError('incident_unknown_customers', {
      codes: ['华为'],
    });
    const many = Array.from({ length: 21 }, (_, i) => `KH-2026-${String(5000 + i)}`).join(' ');
    await expect(report('UREPORTER2', many)).rejects.toBeDomainError('incident_too_many_customers', { max: 20 });
  });

  it('INFO-27: a person files at most incident_reports_per_hour reports an hour; the next is refused and audited', async () => {
    await givePerson(db.prisma, 'UREPORTER3', ['sales']);
    for (let i = 0; i < 5; i++) await report('UREPORTER3', '');
    await expect(report('UREPORTER3', '')).rejects.toBeDomainError('incident_rate_limited', { max: 5 });
    expect(
      await db.prisma.auditEvent.count({
        where: { action: 'access.denied', actor: 'UREPORTER3', subjectType: 'incident' },
      }),
    ).toBe(1);
    // An hour later the person may report again.
    const later = new Date(Date.parse('2026-11-28T03:00:01Z'));
    await expect(
      reportIncident(ctx(db.prisma, 'UREPORTER3', later), {
        cause: 'other',
        description: '又一次',
        howDiscovered: '自查',
        remedy: '无',
        customerCodes: '',
      }),
    ).resolves.toMatchObject({ cause: 'other' });
  });

  it('INFO-17: a request from a person without a role gets the same answer for an existing and an unknown code', async () => {
    await givePerson(db.prisma, 'UNOBODY', []);
    const existing = await customerOf('confidential');
    const ask = (customerCode: string) =>
      createRequest(ctx(db.prisma, 'UNOBODY'), {
        kind: 'view',
        customerCode,
        purpose: '核对',
        reason: '投诉',
        requesterProfile: '路人',
      });
    const answers = [];
    for (const code of [existing.code, 'KH-2026-7777']) {
      const error = await refusalOf(ask(code));
      answers.push([error.code, error.params]);
    }
    expect(answers).toEqual([
      ['not_allowed', { action: 'request' }],
      ['not_allowed', { action: 'request' }],
    ]);
  });
});

describe('registration levels and ownership (SEC-6, ARCH-30)', () => {
  const register = (user: string, overrides: Parameters<typeof validCustomer>[0], custodians: string[] = []) => {
    const n = ++serial;
    return createCustomer(ctx(db.prisma, user), {
      ...validCustomer({ name: `登记测试${n}号`, phone: `0755-6300${String(n).padStart(4, '0')}`, ...overrides }),
      custodianSlackUserIds: custodians,
    });
  };

  it('SEC-6: a salesperson registers at 秘密 or 机密; 公开 and 绝密 are refused and the attempt audited', async () => {
    await expect(register('USALES2', { secrecyLevel: 'restricted' })).resolves.toMatchObject({
      secrecyLevel: 'restricted',
    });
    await expect(register('USALES2', { secrecyLevel: 'confidential' })).resolves.toMatchObject({
      secrecyLevel: 'confidential',
    });
    const refusals = () =>
      db.prisma.auditEvent.count({ where: { action: 'access.denied', actor: 'USALES2', subjectType: 'customer' } });
    const before = await refusals();
    await expect(register('USALES2', { secrecyLevel: 'unclassified', secrecyUntil: '' })).rejects.toBeDomainError(
      'not_allowed',
      { action: 'secrecy' },
    );
    await expect(register('USALES2', { secrecyLevel: 'top_secret' }, ['UKEEPER'])).rejects.toBeDomainError(
      'not_allowed',
      { action: 'secrecy' },
    );
    await expect(register('UARCH', { secrecyLevel: 'unclassified', secrecyUntil: '' })).rejects.toBeDomainError(
      'not_allowed',
    );
    expect(await refusals()).toBe(before + 2);
  });

  it('SEC-6 INFO-22: a supervisor registers 绝密 only with custodians named in the same step, never themselves', async () => {
    await expect(register('USUPER', { secrecyLevel: 'top_secret' })).rejects.toBeDomainError(
      'customer_custodians_required',
    );
    await expect(register('USUPER', { secrecyLevel: 'top_secret' }, ['USUPER'])).rejects.toBeDomainError(
      'custodian_self',
    );
    const created = await register('USUPER', { secrecyLevel: 'top_secret', ownerSlackUserId: 'USALES1' }, ['UKEEPER']);
    await expect(showCustomer(ctx(db.prisma, 'UKEEPER'), created.code)).resolves.toMatchObject({
      customer: { code: created.code },
    });
    expect(await db.prisma.auditEvent.count({ where: { action: 'custodian.assigned', subjectId: created.code } })).toBe(
      1,
    );
    await expect(register('USUPER', { secrecyLevel: 'unclassified', secrecyUntil: '' })).resolves.toMatchObject({
      secrecyLevel: 'unclassified',
    });
  });

  it('SEC-6: below supervisor a secrecy period is at least secrecy_min_days (a short one declassifies early)', async () => {
    await expect(
      register('USALES2', { secrecyLevel: 'confidential', secrecyUntil: '2026-12-28' }),
    ).rejects.toBeDomainError('secrecy_period_too_short', { days: 365 });
    await expect(
      register('USUPER', { secrecyLevel: 'confidential', secrecyUntil: '2026-12-28' }),
    ).resolves.toMatchObject({
      secrecyLevel: 'confidential',
    });
  });

  it('ARCH-30: an archivist cannot make a customer theirs by editing the owner; a supervisor hands it over to someone else', async () => {
    const customer = await customerOf('restricted');
    const stored = () =>
      db.prisma.customer.findUniqueOrThrow({ where: { code: customer.code }, include: { owner: true } });
    const { phone } = await stored();
    const editTo = (user: string, owner: string, expectedVersion: number) =>
      updateCustomer(ctx(db.prisma, user), {
        code: customer.code,
        expectedVersion,
        customer: validCustomer({
          name: customer.name,
          phone,
          creditCode: customer.creditCode,
          ownerSlackUserId: owner,
        }),
      });
    await expect(editTo('UARCH', 'UARCH', 1)).rejects.toBeDomainError('not_allowed', { action: 'handover' });
    await expect(editTo('UARCH', 'USALES2', 1)).rejects.toBeDomainError('not_allowed', { action: 'handover' });
    await expect(editTo('USUPER', 'USUPER', 1)).rejects.toBeDomainError('not_allowed', { action: 'handover' });
    expect((await stored()).owner.slackUserId).toBe('USALES1');
    await editTo('USUPER', 'USALES2', 1);
    expect((await stored()).owner.slackUserId).toBe('USALES2');
  });
});

describe('exports in who saw it (SEC-16, SEC-13)', () => {
  it('SEC-16: a leak report lists the people who exported a customer, not only those who viewed it', async () => {
    const customer = await customerOf('confidential');
    // The GM approves copies, so exports classified rows without a request of his own.
    await exportCustomers(ctx(db.prisma, 'UGM'), { query: customer.code });
    await showCustomer(ctx(db.prisma, 'USALES1'), customer.code);
    const filed = await reportIncident(ctx(db.prisma, 'USALES1'), {
      cause: 'leak',
      description: '名册外泄',
      howDiscovered: '客户来电',
      remedy: '已通知法务',
      customerCodes: customer.code,
    });
    const viewers = filed.customers[0]?.viewers.map((v) => [v.slackUserId, v.views, v.exports]);
    expect(viewers).toEqual(
      expect.arrayContaining([
        ['UGM', 0, 1],
        ['USALES1', 1, 0],
      ]),
    );
    expect(viewers).toHaveLength(2);
  });
});

describe('a lapsed secrecy period before the job runs (SEC-7)', () => {
  /** 2026-11-29 10:00 in Shanghai: a period whose last day was 2026-11-28 has ended. */
  const LATER = new Date('2026-11-29T02:00:00Z');

  it('SEC-7: the edit form starts from the level in force, and saving it works (the ledger shows the system lowered it)', async () => {
    const n = ++serial;
    const fields = {
      name: `到期编辑${n}号`,
      phone: `0755-6400${String(n).padStart(4, '0')}`,
      secrecyLevel: 'confidential',
    };
    // A period ending today is the supervisor's to set (SEC-6); USALES1 owns it.
    const created = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({ ...fields, secrecyUntil: '2026-11-28', ownerSlackUserId: 'USALES1' }),
    );
    const form = await openCustomerForEdit(ctx(db.prisma, 'USALES1', LATER), created.code);
    expect(form.values).toMatchObject({ secrecyLevel: 'unclassified', secrecyUntil: null });
    expect(form.customer.version).toBe(2);
    const saved = await updateCustomer(ctx(db.prisma, 'USALES1', LATER), {
      code: created.code,
      expectedVersion: form.customer.version,
      customer: validCustomer({ ...fields, secrecyLevel: 'unclassified', secrecyUntil: '', address: '新地址' }, LATER),
    });
    expect(saved.changedFields).toEqual(['address']);
    const declassified = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.declassified', subjectId: created.code },
    });
    expect(declassified.map((e) => e.actor)).toEqual(['system']);
  });

  it('SEC-7: an approval message shows the level in force, not the stored one', async () => {
    const n = ++serial;
    const created = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({
        ownerSlackUserId: 'USALES1',
        name: `到期申请${n}号`,
        phone: `0755-6500${String(n).padStart(4, '0')}`,
        secrecyLevel: 'confidential',
        secrecyUntil: '2026-11-28',
      }),
    );
    const { request } = await createRequest(ctx(db.prisma, 'USALES2', LATER), {
      kind: 'copy',
      customerCode: created.code,
      purpose: '复制',
      reason: '备案',
      requesterProfile: '张伟',
    });
    expect(request.level).toBe('unclassified');
  });

  it('the card shows the last day of the period the person chose, not the instant it ends', async () => {
    const customer = await customerOf('restricted');
    const shown = await showCustomer(ctx(db.prisma, 'USALES1'), customer.code);
    const card = JSON.stringify(customerCardBlocks('zh-CN', shown, TIME_ZONE));
    expect(card).toContain(`${zh('card.secrecy_until')} 2029-12-31`);
    expect(card).not.toContain('2030-01-01');
  });
});

describe('exports are copies (INFO-23, SEC-8)', () => {
  it('SEC-8 INFO-23: a classified customer is exported only under an approved, unexpired copy request; every export is audited', async () => {
    const customer = await customerOf('confidential');
    const exportAs = (user: string, at?: Date) => exportCustomers(ctx(db.prisma, user, at), { query: customer.code });
    // The owner may read it, but a file of it is a copy.
    expect((await exportAs('USALES1')).items).toEqual([
      { visibility: 'masked', code: customer.code, level: 'confidential', needs: 'copy' },
    ]);
    const { request } = await createRequest(ctx(db.prisma, 'USALES1'), {
      kind: 'copy',
      customerCode: customer.code,
      purpose: '报送',
      reason: '合同备案',
      requesterProfile: '王磊',
    });
    await decideStep(ctx(db.prisma, 'UGM'), { stepId: request.steps[0]?.id ?? 0, decision: 'approve' });
    expect((await exportAs('USALES1')).items).toEqual([
      expect.objectContaining({ visibility: 'visible', code: customer.code, name: customer.name }),
    ]);
    // Only for the person who asked, and only within the request's days (7 by default).
    expect((await exportAs('USUPER')).items[0]).toMatchObject({ visibility: 'masked', needs: 'copy' });
    const eightDaysLater = new Date(Date.parse('2026-12-06T02:00:00Z'));
    expect((await exportAs('USALES1', eightDaysLater)).items[0]).toMatchObject({ visibility: 'masked' });
    const exports = await db.prisma.auditEvent.findMany({
      where: {
        action: 'customer.register_exported',
        actor: 'USALES1',
        details: { path: ['query'], equals: customer.code.toLowerCase() },
      },
    });
    expect(exports.map((e) => (e.details as { masked: number }).masked)).toEqual([1, 0, 1]);
  });
});

describe('grants and requests follow the level (SEC-3, INFO-18)', () => {
  /** A 秘密 customer of USALES1's and its fields, so a supervisor can raise it. */
  async function restrictedCustomer() {
    const n = ++serial;
    const fields = {
      name: `升级客户${n}号`,
      phone: `0755-6600${String(n).padStart(4, '0')}`,
      ownerSlackUserId: 'USALES1',
    };
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer(fields));
    const setLevel = async (level: 'restricted' | 'confidential') => {
      const { version } = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
      await updateCustomer(ctx(db.prisma, 'USUPER'), {
        code: created.code,
        expectedVersion: version,
        customer: validCustomer({ ...fields, secrecyLevel: level }),
      });
    };
    return { code: created.code, setLevel };
  }
  const askToView = (code: string) =>
    createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'view',
      customerCode: code,
      purpose: '回访',
      reason: '投诉',
      requesterProfile: '张伟',
    });
  const approve = (user: string, stepId: number) => decideStep(ctx(db.prisma, user), { stepId, decision: 'approve' });

  it('SEC-3: a grant approved for 秘密 stops opening the customer once it is raised to 机密, and opens it again if lowered', async () => {
    const customer = await restrictedCustomer();
    const { request } = await askToView(customer.code);
    const head = await approve('UHEAD2', request.steps[0]?.id ?? 0);
    const last = await approve('UARCH', head.nextStep?.id ?? 0);
    expect(last.created).toMatchObject({ kind: 'grant' });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer.code)).resolves.toBeTruthy();
    await customer.setLevel('confidential');
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer.code)).rejects.toBeDomainError('customer_hidden');
    const found = await findCustomers(ctx(db.prisma, 'USALES2'), { query: customer.code });
    expect(found.items).toEqual([{ visibility: 'masked', code: customer.code, level: 'confidential', needs: 'view' }]);
    await customer.setLevel('restricted');
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer.code)).resolves.toBeTruthy();
  });

  it('INFO-18: a request pending when the customer is raised is re-routed to the longer chain before anything is granted', async () => {
    const customer = await restrictedCustomer();
    const { request } = await askToView(customer.code);
    const head = await approve('UHEAD2', request.steps[0]?.id ?? 0);
    await customer.setLevel('confidential');
    // The archivist's approval ended the 秘密 chain; the 机密 chain also needs the service manager.
    const archivist = await approve('UARCH', head.nextStep?.id ?? 0);
    expect(archivist.created).toBeNull();
    expect(archivist.nextStep?.approvers).toEqual(['UMGR']);
    expect(archivist.request.level).toBe('confidential');
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer.code)).rejects.toBeDomainError('customer_hidden');
    const manager = await approve('UMGR', archivist.nextStep?.id ?? 0);
    expect(manager.created).toMatchObject({ kind: 'grant' });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer.code)).resolves.toBeTruthy();
    const rerouted = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'request.rerouted', subjectId: request.code },
    });
    expect(rerouted.details).toMatchObject({ from: 'restricted', to: 'confidential', kept: 2 });
  });
});

describe('grants can be revoked (SEC-3, SEC-13)', () => {
  /** A 秘密 customer USALES2 may view through an approved request; returns both codes. */
  async function grantedCustomer() {
    const customer = await customerOf('restricted');
    const { request } = await createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'view',
      customerCode: customer.code,
      purpose: '回访',
      reason: '投诉',
      requesterProfile: '张伟',
    });
    const head = await decideStep(ctx(db.prisma, 'UHEAD2'), { stepId: request.steps[0]?.id ?? 0, decision: 'approve' });
    await decideStep(ctx(db.prisma, 'UARCH'), { stepId: head.nextStep?.id ?? 0, decision: 'approve' });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer.code)).resolves.toBeTruthy();
    return { customer: customer.code, request: request.code };
  }

  it('SEC-3: those who decide a request’s steps revoke what it granted, once, audited; others may not', async () => {
    const { customer, request } = await grantedCustomer();
    await expect(revokeApproval(ctx(db.prisma, 'USALES1'), request)).rejects.toBeDomainError('not_allowed', {
      action: 'revoke',
    });
    await expect(revokeApproval(ctx(db.prisma, 'USALES2'), request)).rejects.toBeDomainError('not_allowed');
    await expect(revokeApproval(ctx(db.prisma, 'UKEEPER'), request)).resolves.toEqual({ code: request, what: 'grant' });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer)).rejects.toBeDomainError('customer_hidden');
    await expect(revokeApproval(ctx(db.prisma, 'UARCH'), request)).rejects.toBeDomainError('nothing_to_revoke');
    expect(await db.prisma.auditEvent.count({ where: { action: 'request.revoked', subjectId: request } })).toBe(1);
  });

  it('SEC-13: after a leak report the supervisor revokes the access of everyone it lists who saw the customers', async () => {
    const { customer } = await grantedCustomer();
    const filed = await reportIncident(ctx(db.prisma, 'USALES1'), {
      cause: 'possible_leak',
      description: '疑似外泄',
      howDiscovered: '客户反映',
      remedy: '核查中',
      customerCodes: customer,
    });
    expect(filed.customers[0]?.viewers.map((v) => v.slackUserId)).toContain('USALES2');
    await expect(revokeExposedAccess(ctx(db.prisma, 'UMGR'), filed.code)).rejects.toBeDomainError('not_allowed');
    await expect(revokeExposedAccess(ctx(db.prisma, 'USUPER'), filed.code)).resolves.toEqual({ revoked: 1 });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), customer)).rejects.toBeDomainError('customer_hidden');
    const events = await db.prisma.auditEvent.findMany({ where: { action: 'grant.revoked', subjectId: customer } });
    expect(events.map((e) => [e.actor, e.details])).toEqual([['USUPER', { holder: 'USALES2', incident: filed.code }]]);
  });
});

describe('custodians are named by the general manager (INFO-22)', () => {
  it('INFO-22: a supervisor cannot make themselves custodian; naming someone else is a request the GM decides, not the person named', async () => {
    const secret = await customerOf('confidential');
    await expect(
      assignCustodian(ctx(db.prisma, 'USUPER'), { code: secret.code, targetSlackUserId: 'USUPER' }),
    ).rejects.toBeDomainError('custodian_self');
    const proposed = await assignCustodian(ctx(db.prisma, 'USUPER'), {
      code: secret.code,
      targetSlackUserId: 'UARCH',
      reason: '负责合同归档',
    });
    if (proposed.kind !== 'requested') throw new Error('expected a request');
    const { request, approvers } = proposed.created;
    expect(request).toMatchObject({ kind: 'custodian', custodian: 'UARCH', customerCode: secret.code });
    expect(approvers).toContain('UGM');
    expect(approvers).not.toContain('UARCH');
    // Nothing is opened before the decision (机密 is closed to an archivist).
    await expect(showCustomer(ctx(db.prisma, 'UARCH'), secret.code)).rejects.toBeDomainError('customer_hidden');
    const stepId = request.steps[0]?.id ?? 0;
    await expect(decideStep(ctx(db.prisma, 'UARCH'), { stepId, decision: 'approve' })).rejects.toBeDomainError(
      'not_allowed',
    );
    const decided = await decideStep(ctx(db.prisma, 'UGM'), { stepId, decision: 'approve' });
    expect(decided.created).toEqual({ kind: 'custodian' });
    await expect(showCustomer(ctx(db.prisma, 'UARCH'), secret.code)).resolves.toBeTruthy();
  });

  it('INFO-22: the person named cannot decide it even as general manager', async () => {
    await givePerson(db.prisma, 'UGM2', ['general_manager']);
    const secret = await customerOf('confidential');
    const proposed = await assignCustodian(ctx(db.prisma, 'USUPER'), { code: secret.code, targetSlackUserId: 'UGM2' });
    if (proposed.kind !== 'requested') throw new Error('expected a request');
    expect(proposed.created.approvers).toContain('UGM');
    expect(proposed.created.approvers).not.toContain('UGM2');
    await expect(
      decideStep(ctx(db.prisma, 'UGM2'), { stepId: proposed.created.request.steps[0]?.id ?? 0, decision: 'approve' }),
    ).rejects.toBeDomainError('not_allowed');
  });

  it('SEC-3: for a supervisor, a 绝密 code is an unknown code: no proposal, no removal, no list of its custodians; both audited', async () => {
    const secret = await customerOf('top_secret');
    const unknown = 'KH-2026-6601';
    for (const code of [secret.code, unknown]) {
      for (const remove of [false, true]) {
        await expect(
          assignCustodian(ctx(db.prisma, 'USUPER'), { code, targetSlackUserId: 'UARCH', remove }),
        ).rejects.toBeDomainError('customer_not_found', { code });
      }
      expect(
        await db.prisma.auditEvent.count({
          where: { action: 'customer.view_refused', subjectId: code, actor: 'USUPER' },
        }),
      ).toBe(2);
    }
    // The general manager, who sees it, names its custodians at once.
    await expect(
      assignCustodian(ctx(db.prisma, 'UGM'), { code: secret.code, targetSlackUserId: 'UARCH' }),
    ).resolves.toMatchObject({ kind: 'changed', changed: true });
  });
});

describe('the highest roles take two admins (SEC-3)', () => {
  it('SEC-3: an admin cannot make themselves general manager alone; a second admin confirms it', async () => {
    await givePerson(db.prisma, 'UADMIN1', ['admin']);
    await givePerson(db.prisma, 'UADMIN2', ['admin']);
    const grant = (by: string) =>
      assignRole(ctx(db.prisma, by), { targetSlackUserId: 'UADMIN1', role: 'general_manager' });
    const proposed = await grant('UADMIN1');
    expect(proposed).toMatchObject({ pending: true, changed: false });
    expect(proposed.notices).toEqual([
      {
        to: expect.arrayContaining([{ channel: 'UADMIN2' }]),
        about: { kind: 'role_proposed', user: 'UADMIN1', role: 'general_manager', by: 'UADMIN1' },
      },
    ]);
    // Asking again does not confirm one's own proposal.
    expect(await grant('UADMIN1')).toMatchObject({ pending: true });
    const roles = async () => (await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UADMIN1' } })).roles;
    expect(await roles()).toEqual(['admin']);
    const confirmed = await grant('UADMIN2');
    expect(confirmed).toMatchObject({ changed: true });
    expect(await roles()).toEqual(['admin', 'general_manager']);
    // Proposed for someone by one admin, confirmed by that person themselves: still pending.
    await givePerson(db.prisma, 'UADMIN3', ['admin']);
    await assignRole(ctx(db.prisma, 'UADMIN2'), { targetSlackUserId: 'UADMIN3', role: 'deputy_gm' });
    expect(
      await assignRole(ctx(db.prisma, 'UADMIN3'), { targetSlackUserId: 'UADMIN3', role: 'deputy_gm' }),
    ).toMatchObject({ pending: true });
    const assigned = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'person.role_assigned', subjectId: 'UADMIN1' },
    });
    expect(assigned).toMatchObject({ actor: 'UADMIN2', details: expect.objectContaining({ proposedBy: 'UADMIN1' }) });
  });
});

describe('requests for codes one cannot see (SEC-3, INFO-18)', () => {
  const ask = (code: string) =>
    createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'view',
      customerCode: code,
      purpose: '核对',
      reason: '客户来电',
      requesterProfile: '张伟',
    });
  const approve = (user: string, stepId: number | undefined) =>
    decideStep(ctx(db.prisma, user), { stepId: stepId ?? 0, decision: 'approve' });

  it('SEC-3: a 绝密 code and an unknown code are filed the same way, screened first by the general manager', async () => {
    const secret = await customerOf('top_secret');
    const unknown = 'KH-2026-6543';
    const real = await ask(secret.code);
    const none = await ask(unknown);
    // What the requester is told: the request's code, kind and the code as asked — alike.
    for (const [created, code] of [
      [real, secret.code],
      [none, unknown],
    ] as const) {
      expect(created.request).toMatchObject({
        kind: 'view',
        customerCode: code,
        state: 'pending',
        level: 'top_secret',
      });
      expect(created.request.steps[0]?.roles).toEqual(['general_manager']);
      expect(created.approvers).toContain('UGM');
    }
    // The general manager sees which is real: the unknown one can only be rejected.
    expect(none.request.customerKnown).toBe(false);
    await expect(approve('UGM', none.request.steps[0]?.id)).rejects.toBeDomainError('request_unknown_customer', {
      code: unknown,
    });
    const closed = await decideStep(ctx(db.prisma, 'UGM'), {
      stepId: none.request.steps[0]?.id ?? 0,
      decision: 'reject',
      comment: '编号不存在',
    });
    expect(closed.request.state).toBe('rejected');
  });

  it('INFO-22: the customer’s custodians screen it too, and for an unknown code there are none to ask', async () => {
    const secret = await customerOf('top_secret');
    const real = await ask(secret.code);
    expect(real.approvers).toEqual(expect.arrayContaining(['UGM', 'UKEEPER']));
    const none = await ask('KH-2026-6544');
    expect(none.approvers).not.toContain('UKEEPER');
    const screened = await approve('UKEEPER', real.request.steps[0]?.id);
    expect(screened.request.steps[0]).toMatchObject({ state: 'approved', decidedBy: 'UKEEPER' });
    expect(screened.nextStep?.approvers).toEqual(['UHEAD2']);
    // The custodian's screening does not stand in for the general manager's decision at the end.
    expect(screened.request.steps.at(-1)?.roles).toEqual(['general_manager']);
  });

  it('INFO-18: a real 绝密 request goes on through the rest of its chain and ends in a grant', async () => {
    const secret = await customerOf('top_secret');
    const { request } = await ask(secret.code);
    expect(request.steps.map((s) => s.roles)).toEqual([
      ['general_manager'],
      ['dept_head'],
      ['archivist'],
      ['service_manager'],
      ['general_manager'],
    ]);
    let outcome = await approve('UGM', request.steps[0]?.id);
    outcome = await approve('UHEAD2', outcome.nextStep?.id);
    outcome = await approve('UARCH', outcome.nextStep?.id);
    outcome = await approve('UMGR', outcome.nextStep?.id);
    outcome = await approve('UGM', outcome.nextStep?.id);
    expect(outcome.created).toMatchObject({ kind: 'grant' });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), secret.code)).resolves.toBeTruthy();
  });
});

describe('the audit trail as a probe (SEC-3, SEC-16)', () => {
  it('SEC-3: for a supervisor a 绝密 code reads like an unknown one in /kh audit, by code and by person', async () => {
    await givePerson(db.prisma, 'USUPER2', ['supervisor']);
    const secret = await customerOf('top_secret');
    const unknown = 'KH-2026-6602';
    const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-31T00:00:00Z') };
    for (const code of [secret.code, unknown]) {
      await expect(showCustomer(ctx(db.prisma, 'USUPER2'), code)).rejects.toBeDomainError('customer_not_found');
      await expect(queryViews(ctx(db.prisma, 'USUPER2'), { by: 'customer', code, ...period })).rejects.toBeDomainError(
        'customer_not_found',
        { code },
      );
    }
    // The custodian's views of it are left out of what the supervisor reads of that person.
    await showCustomer(ctx(db.prisma, 'UKEEPER'), secret.code);
    const keeper = await queryViews(ctx(db.prisma, 'USUPER2'), { by: 'person', slackUserId: 'UKEEPER', ...period });
    expect(keeper.items.map((i) => i.code)).not.toContain(secret.code);
    const own = await queryViews(ctx(db.prisma, 'USUPER2'), { by: 'person', slackUserId: 'USUPER2', ...period });
    const refused = own.items.filter((i) => i.action === 'customer.view_refused' && i.via === 'show');
    expect(refused.map((i) => [i.code, i.level]).sort()).toEqual(
      [
        [secret.code, null],
        [unknown, null],
      ].sort(),
    );
    // The general manager reads all of it.
    const all = await queryViews(ctx(db.prisma, 'UGM'), { by: 'customer', code: secret.code, ...period });
    expect(all.items.map((i) => i.actor)).toContain('UKEEPER');
  });
});

describe('copy permissions follow the level (SEC-8)', () => {
  it('SEC-8: a copy approved for 公开 does not export the customer once it is raised to 机密', async () => {
    const n = ++serial;
    const fields = {
      name: `复制升级${n}号`,
      phone: `0755-6700${String(n).padStart(4, '0')}`,
      secrecyLevel: 'restricted',
      ownerSlackUserId: 'USALES1',
    };
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer(fields));
    const { request } = await createRequest(ctx(db.prisma, 'USALES1'), {
      kind: 'copy',
      customerCode: created.code,
      purpose: '报送',
      reason: '备案',
      requesterProfile: '王磊',
    });
    await decideStep(ctx(db.prisma, 'UGM'), { stepId: request.steps[0]?.id ?? 0, decision: 'approve' });
    const exportIt = () => exportCustomers(ctx(db.prisma, 'USALES1'), { query: created.code });
    expect((await exportIt()).items[0]).toMatchObject({ visibility: 'visible' });
    const { version } = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    await updateCustomer(ctx(db.prisma, 'USUPER'), {
      code: created.code,
      expectedVersion: version,
      customer: validCustomer({ ...fields, secrecyLevel: 'confidential' }),
    });
    expect((await exportIt()).items[0]).toMatchObject({ visibility: 'masked', needs: 'copy' });
  });
});
