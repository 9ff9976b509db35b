import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import type { RawCustomerInput, ValidatedCustomer } from '../../src/domain/customers/customer-input.js';
import { findCustomers } from '../../src/domain/customers/find-customers.js';
import { reportMatter } from '../../src/domain/customers/report-matter.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { updateCustomer } from '../../src/domain/customers/update-customer.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';

/*
 * Every test registers the customers it uses, with a name, phone and credit code no other
 * test in this file uses, and asserts on their codes; the people below are never changed.
 */
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePeople(db);
});
afterAll(() => db.close());

async function givePeople(target: TestDb): Promise<void> {
  await givePerson(target.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(target.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(target.prisma, 'UARCHIVIST', ['archivist']);
  await givePerson(target.prisma, 'USUPER', ['supervisor']);
  await givePerson(target.prisma, 'UGM', ['general_manager']);
  await givePerson(target.prisma, 'UFIN', ['finance']);
}

/** A code as a user might type it: lowercase, without the leading zeros (KH-2026-0007 → kh-2026-7). */
function shortCode(code: string): string {
  const [prefix, year, sequence] = code.split('-');
  return `${prefix?.toLowerCase()}-${year}-${Number(sequence)}`;
}

/** A 绝密 customer, registered with a custodian (SEC-6): UGM, who reads top secret anyway. */
function topSecretCustomer(overrides: RawCustomerInput): ValidatedCustomer {
  return { ...validCustomer({ ...overrides, secrecyLevel: 'top_secret' }), custodianSlackUserIds: ['UGM'] };
}

describe('registering customers (INFO-4, DB-11)', () => {
  it('INFO-4 DB-11: codes are numbered in acquisition order within the company-time year', async () => {
    // Exact codes need a register nobody else has written to: a database of its own.
    const own = await createTestDb();
    try {
      await givePeople(own);
      const first = await createCustomer(ctx(own.prisma, 'USALES1'), validCustomer({ name: '华为技术有限公司' }));
      const second = await createCustomer(
        ctx(own.prisma, 'USALES1'),
        validCustomer({ name: '中兴通讯股份有限公司', phone: '0755-26770000' }),
      );
      expect(first.code).toBe('KH-2026-0001');
      expect(second.code).toBe('KH-2026-0002');
      // 2026-12-31 17:00 UTC is already 2027-01-01 in Shanghai.
      const nextYear = await createCustomer(
        ctx(own.prisma, 'USALES1', new Date('2026-12-31T17:00:00Z')),
        validCustomer({ name: '比亚迪股份有限公司', phone: '0755-89888888' }),
      );
      expect(nextYear.code).toBe('KH-2027-0001');
      const audit = await own.prisma.auditEvent.findMany({
        where: { action: 'customer.created' },
        orderBy: { id: 'asc' },
      });
      expect(audit.map((e) => e.subjectId)).toEqual(['KH-2026-0001', 'KH-2026-0002', 'KH-2027-0001']);
    } finally {
      await own.close();
    }
  });

  it('INFO-4: a duplicate name (ignoring case and spaces) is refused with the existing code, nothing saved', async () => {
    const existing = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: 'ABB（中国）有限公司', phone: '010-84566688' }),
    );
    const before = await db.prisma.customer.count();
    // The archivist may read the existing (restricted) customer, so is told its code.
    await expect(
      createCustomer(
        ctx(db.prisma, 'UARCHIVIST'),
        validCustomer({ name: ' abb（中国） 有限公司 ', phone: '010-84566689' }),
      ),
    ).rejects.toBeDomainError('customer_duplicate_name', { code: existing.code });
    expect(await db.prisma.customer.count()).toBe(before);
  });

  it('INFO-4: a duplicate unified social credit code is refused with the existing code', async () => {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES2'),
      validCustomer({ name: '深圳市腾讯计算机系统有限公司', creditCode: '91440300708461136T', phone: '0755-86013388' }),
    );
    await expect(
      createCustomer(
        ctx(db.prisma, 'USALES2'),
        validCustomer({ name: '腾讯', creditCode: '91440300708461136t', phone: '0755-86013389' }),
      ),
    ).rejects.toBeDomainError('customer_duplicate_credit_code', { code: created.code });
  });

  it('INFO-17: a person without a registering role cannot create customers', async () => {
    await expect(createCustomer(ctx(db.prisma, 'UFIN'), validCustomer({ name: '新客户甲' }))).rejects.toBeDomainError(
      'not_allowed',
    );
    await expect(
      createCustomer(ctx(db.prisma, 'UNOBODY'), validCustomer({ name: '新客户乙' })),
    ).rejects.toBeDomainError('not_allowed');
  });
});

describe('finding customers (/kh find)', () => {
  it('finds by Chinese substring, pinyin initials, full pinyin, code and phone', async () => {
    const huawei = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '华为技术有限公司', phone: '0755-28780808' }),
    );
    const zte = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '中兴通讯股份有限公司', phone: '0755-26770000' }),
    );
    const byName = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '华为' });
    expect(byName.items.map((i) => i.code)).toEqual([huawei.code]);
    const byInitials = await findCustomers(ctx(db.prisma, 'USALES1'), { query: 'hw' });
    expect(byInitials.items.map((i) => i.code)).toContain(huawei.code);
    const byPinyin = await findCustomers(ctx(db.prisma, 'USALES1'), { query: 'Zhong Xing' });
    expect(byPinyin.items.map((i) => i.code)).toEqual([zte.code]);
    const byCode = await findCustomers(ctx(db.prisma, 'USALES1'), { query: shortCode(zte.code) });
    expect(byCode.items[0]?.code).toBe(zte.code);
    const byPhone = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '26770000' });
    expect(byPhone.items.map((i) => i.code)).toEqual([zte.code]);
  });

  it('orders an exact name before names that only contain the query, and pages results', async () => {
    for (let i = 1; i <= 12; i++) {
      await createCustomer(
        ctx(db.prisma, 'USALES1'),
        validCustomer({ name: `前海贸易${i}号`, phone: `0755-6600${String(i).padStart(4, '0')}` }),
      );
    }
    await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '前海贸易', phone: '0755-66009999' }));
    const page1 = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '前海贸易' });
    expect(page1.items).toHaveLength(10);
    expect(page1.items[0]).toMatchObject({ visibility: 'visible', name: '前海贸易' });
    expect(page1.hasMore).toBe(true);
    const page2 = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '前海贸易', page: 2 });
    expect(page2.items).toHaveLength(3);
    expect(page2.hasMore).toBe(false);
    const all = [...page1.items, ...page2.items].map((i) => i.code);
    expect(new Set(all).size).toBe(13);
  });

  it('treats LIKE wildcards in the query as plain characters', async () => {
    // A customer the searcher sees, which a wildcard would match.
    const visible = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '通配符测试有限公司', phone: '0755-33330001' }),
    );
    const found = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '通配符测试' });
    expect(found.items.map((i) => i.code)).toEqual([visible.code]);
    const result = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '%' });
    expect(result.items).toEqual([]);
    const underscore = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '_' });
    expect(underscore.items).toEqual([]);
  });

  it('SEC-5 INFO-22: classified customers of others are masked, top secret ones are absent', async () => {
    const confidential = await createCustomer(
      ctx(db.prisma, 'USALES2'),
      validCustomer({
        name: '招商银行深圳分行',
        kind: 'special',
        specialCategory: 'bank',
        secrecyLevel: 'confidential',
        phone: '0755-95555000',
      }),
    );
    const topSecret = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      topSecretCustomer({ name: '招商局集团', phone: '0755-26828888', ownerSlackUserId: 'USALES2' }),
    );
    // SEC-3: a customer the searcher may not read is matched by its exact code only, masked.
    const seenByOther = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '招商' });
    expect(seenByOther.items).toEqual([]);
    const confidentialByCode = await findCustomers(ctx(db.prisma, 'USALES1'), { query: confidential.code });
    expect(confidentialByCode.items).toEqual([
      { visibility: 'masked', code: confidential.code, level: 'confidential', needs: 'view' },
    ]);
    const topSecretByCode = await findCustomers(ctx(db.prisma, 'USALES1'), { query: topSecret.code });
    expect(topSecretByCode.items).toEqual([]);
    const seenByOwner = await findCustomers(ctx(db.prisma, 'USALES2'), { query: '招商' });
    expect(seenByOwner.items).toEqual([expect.objectContaining({ visibility: 'visible', name: '招商银行深圳分行' })]);
    const seenByGm = await findCustomers(ctx(db.prisma, 'UGM'), { query: '招商' });
    expect(seenByGm.items.map((i) => i.visibility)).toEqual(['visible', 'visible']);
  });

  it('SEC-16: search results that show classified customers are audited per customer', async () => {
    const confidential = await createCustomer(
      ctx(db.prisma, 'USALES2'),
      validCustomer({
        name: '浦发银行上海分行',
        kind: 'special',
        specialCategory: 'bank',
        secrecyLevel: 'confidential',
        phone: '021-95528000',
      }),
    );
    const where = { action: 'customer.viewed', actor: 'UGM' };
    const before = await db.prisma.auditEvent.count({ where });
    await findCustomers(ctx(db.prisma, 'UGM'), { query: '浦发银行' });
    const events = await db.prisma.auditEvent.findMany({ where, orderBy: { id: 'asc' }, skip: before });
    expect(events).toHaveLength(1);
    expect(events[0]?.subjectId).toBe(confidential.code);
    expect(events[0]?.details).toMatchObject({ level: 'confidential', via: 'find', query: '浦发银行' });
    // Unclassified hits are not views of secrets and are not logged.
    const unclassified = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({
        name: '公开信息有限公司',
        phone: '0755-33330002',
        secrecyLevel: 'unclassified',
        secrecyUntil: '',
      }),
    );
    const unclassifiedCountBefore = await db.prisma.auditEvent.count();
    const unclassifiedHit = await findCustomers(ctx(db.prisma, 'UGM'), { query: shortCode(unclassified.code) });
    expect(unclassifiedHit.items.map((i) => i.code)).toEqual([unclassified.code]);
    expect(await db.prisma.auditEvent.count()).toBe(unclassifiedCountBefore);
    // A restricted hit found by its code is one view of it.
    const restricted = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '内部资料有限公司', phone: '0755-33330003', secrecyLevel: 'restricted' }),
    );
    const restrictedCountBefore = await db.prisma.auditEvent.count();
    await findCustomers(ctx(db.prisma, 'UGM'), { query: shortCode(restricted.code) });
    expect(await db.prisma.auditEvent.count()).toBe(restrictedCountBefore + 1);
    const restrictedViews = await db.prisma.auditEvent.findMany({ where: { ...where, subjectId: restricted.code } });
    expect(restrictedViews).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ level: 'restricted' }) }),
    ]);
  });

  it('SEC-7: a customer whose secrecy period has ended is shown to everyone with a role', async () => {
    // A period this short is the supervisor's to set (SEC-6); USALES2 owns the customer.
    const created = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({
        name: '平安保险深圳',
        kind: 'special',
        specialCategory: 'insurance',
        secrecyLevel: 'confidential',
        secrecyUntil: '2026-11-30',
        phone: '0755-95511000',
        ownerSlackUserId: 'USALES2',
      }),
    );
    // Before, it is closed to another salesperson: masked, and matched by its exact code only (SEC-3).
    const before = await findCustomers(ctx(db.prisma, 'USALES1'), { query: created.code });
    expect(before.items).toEqual([{ visibility: 'masked', code: created.code, level: 'confidential', needs: 'view' }]);
    expect((await findCustomers(ctx(db.prisma, 'USALES1'), { query: '平安' })).items).toEqual([]);
    // The period covers 2026-11-30 and ends when 2026-12-01 starts in Shanghai (16:00 UTC on the 30th).
    const after = await findCustomers(ctx(db.prisma, 'USALES1', new Date('2026-11-30T16:00:00Z')), { query: '平安' });
    expect(after.items).toEqual([expect.objectContaining({ visibility: 'visible', level: 'unclassified' })]);
  });

  it('INFO-17: a person without any role cannot search', async () => {
    await expect(findCustomers(ctx(db.prisma, 'UNOBODY2'), { query: '华为' })).rejects.toBeDomainError('not_allowed');
  });
});

describe('customer card and edits (ARCH-30)', () => {
  it('shows the full record to the owner and audits views of classified customers', async () => {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '美的集团股份有限公司', phone: '0757-26338888' }),
    );
    const shown = await showCustomer(ctx(db.prisma, 'USALES1'), created.code);
    expect(shown.customer).toMatchObject({
      name: '美的集团股份有限公司',
      ownerSlackUserId: 'USALES1',
      effectiveLevel: 'restricted',
    });
    expect(shown.canEdit).toBe(true);
    const viewed = await db.prisma.auditEvent.findFirst({
      where: { action: 'customer.viewed', subjectId: created.code },
      orderBy: { id: 'desc' },
    });
    expect(viewed).toMatchObject({ actor: 'USALES1', details: { level: 'restricted', via: 'show' } });
  });

  it('INFO-17: another salesperson is refused a restricted card with its code and level, and the attempt is audited', async () => {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '格力电器股份有限公司', phone: '0756-8669999' }),
    );
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), created.code)).rejects.toBeDomainError('customer_hidden', {
      code: created.code,
      level: 'restricted',
    });
    const refused = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.view_refused', subjectId: created.code },
    });
    expect(refused).toEqual([
      expect.objectContaining({ actor: 'USALES2', details: expect.objectContaining({ level: 'restricted' }) }),
    ]);
  });

  it('SEC-5: a top-secret customer is answered like an unknown code', async () => {
    // Owned by USALES2, who still may not see it: top secret is for custodians and the general manager.
    const topSecret = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      topSecretCustomer({ name: '航天科工深圳研究院', phone: '0755-26820001', ownerSlackUserId: 'USALES2' }),
    );
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), topSecret.code)).rejects.toBeDomainError(
      'customer_not_found',
      { code: topSecret.code },
    );
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), 'KH-2026-9999')).rejects.toBeDomainError(
      'customer_not_found',
      {
        code: 'KH-2026-9999',
      },
    );
  });

  it('ARCH-30: an edit keeps every changed field with who and when, and bumps the version', async () => {
    const original = { name: '海尔智家股份有限公司', phone: '0532-88939999' };
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer(original));
    const later = new Date('2026-11-29T03:00:00Z');
    const result = await updateCustomer(ctx(db.prisma, 'USALES1', later), {
      code: created.code,
      expectedVersion: 1,
      customer: validCustomer({
        ...original,
        address: '广东省深圳市龙岗区坂田华为基地',
        registeredCapital: '4104113.18',
      }),
    });
    expect(result.version).toBe(2);
    expect(result.changedFields.sort()).toEqual(['address', 'registeredCapital']);
    const changes = await db.prisma.customerChange.findMany({ where: { customerId: created.id, field: 'address' } });
    expect(changes).toEqual([
      expect.objectContaining({
        oldValue: '广东省深圳市龙岗区坂田街道',
        newValue: '广东省深圳市龙岗区坂田华为基地',
        changedAt: later,
      }),
    ]);
    const shown = await showCustomer(ctx(db.prisma, 'USALES1'), created.code);
    expect(shown.history.map((h) => h.field).sort()).toEqual(['address', 'registeredCapital']);
    expect(shown.history[0]?.changedBySlackUserId).toBe('USALES1');
  });

  it('ARCH-30: an edit based on an old version is refused and changes nothing', async () => {
    const original = { name: '联想集团有限公司', phone: '010-58868888' };
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer(original));
    const edited = await updateCustomer(ctx(db.prisma, 'USALES1'), {
      code: created.code,
      expectedVersion: 1,
      customer: validCustomer({ ...original, address: '北京市海淀区上地西路6号' }),
    });
    expect(edited.version).toBe(2);
    await expect(
      updateCustomer(ctx(db.prisma, 'UARCHIVIST'), {
        code: created.code,
        expectedVersion: 1,
        customer: validCustomer({ ...original, address: '别处' }),
      }),
    ).rejects.toBeDomainError('customer_edit_conflict');
    const row = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    expect(row.address).toBe('北京市海淀区上地西路6号');
    expect(row.version).toBe(2);
  });

  it('an edit that changes nothing is reported as such', async () => {
    const original = { name: '小米通讯技术有限公司', phone: '010-60606666', registeredCapital: '5000' };
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer(original));
    const current = await showCustomer(ctx(db.prisma, 'USALES1'), created.code);
    await expect(
      updateCustomer(ctx(db.prisma, 'USALES1'), {
        code: created.code,
        expectedVersion: current.customer.version,
        customer: validCustomer({
          ...original,
          address: current.customer.address,
          registeredCapital: current.customer.registeredCapital?.toString() ?? '',
        }),
      }),
    ).rejects.toBeDomainError('customer_no_changes');
  });

  it('SEC-7: only supervisor and above change a secrecy level by hand', async () => {
    const original = { name: '大疆创新科技有限公司', phone: '0755-26656677' };
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer(original));
    const current = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    expect(current.secrecyLevel).toBe('restricted');
    const lowered = validCustomer({ ...original, secrecyLevel: 'unclassified', secrecyUntil: '' });
    await expect(
      updateCustomer(ctx(db.prisma, 'USALES1'), {
        code: created.code,
        expectedVersion: current.version,
        customer: lowered,
      }),
    ).rejects.toBeDomainError('not_allowed', { action: 'secrecy' });
    const result = await updateCustomer(ctx(db.prisma, 'USUPER'), {
      code: created.code,
      expectedVersion: current.version,
      customer: lowered,
    });
    expect(result.changedFields.sort()).toEqual(['secrecyLevel', 'secrecyUntil']);
  });

  it('ARCH-30: another salesperson cannot edit a customer they do not own', async () => {
    // Unclassified (set by a supervisor), so the other salesperson may see it: the refusal is about editing.
    const original = {
      ownerSlackUserId: 'USALES1',
      name: '顺丰控股股份有限公司',
      phone: '0755-36395338',
      secrecyLevel: 'unclassified',
      secrecyUntil: '',
    };
    const created = await createCustomer(ctx(db.prisma, 'USUPER'), validCustomer(original));
    expect(created.ownerSlackUserId).toBe('USALES1');
    const current = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    await expect(
      updateCustomer(ctx(db.prisma, 'USALES2'), {
        code: created.code,
        expectedVersion: current.version,
        customer: validCustomer({ ...original, phone: '0755-36395339' }),
      }),
    ).rejects.toBeDomainError('not_allowed', { action: 'edit' });
    const row = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    expect(row).toMatchObject({ phone: '0755-36395338', version: current.version });
  });

  it('createdAt uses the clock of the use case', async () => {
    const at = new Date('2026-11-29T08:30:00.000Z');
    const created = await createCustomer(
      ctx(db.prisma, 'USALES1', at),
      validCustomer({ name: '时钟测试有限公司', phone: '0755-12340099' }, at),
    );
    const row = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    expect(row.createdAt).toEqual(at);
  });
});

describe('major matters reported to the archive (ARCH-26)', () => {
  it('ARCH-26, ARCH-30: a department reports a dated matter with a customer it may read; the card shows it; others are answered as by show', async () => {
    const created = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '重大事项测试客户' }));
    const reported = await reportMatter(ctx(db.prisma, 'USALES1'), {
      code: created.code,
      occurredOn: '2026-11-20',
      text: '客户更换法定代表人 <!channel>',
    });
    expect(reported).toEqual({ code: created.code, occurredOn: '2026-11-20' });
    const card = await showCustomer(ctx(db.prisma, 'USALES1'), created.code);
    expect(card.matters).toEqual([
      {
        occurredOn: '2026-11-20',
        department: '销售一部',
        reportedBy: 'USALES1',
        text: '客户更换法定代表人 <!channel>',
      },
    ]);
    const refused = async (promise: Promise<unknown>) =>
      promise.then(
        () => 'done',
        (e: { code?: string }) => e.code,
      );
    expect(
      await refused(
        reportMatter(ctx(db.prisma, 'USALES1'), { code: created.code, occurredOn: '2099-01-01', text: 'x' }),
      ),
    ).toBe('matter_date_invalid');
    expect(
      await refused(reportMatter(ctx(db.prisma, 'USALES1'), { code: 'KH-2026-9998', occurredOn: null, text: 'x' })),
    ).toBe('customer_not_found');
    expect(await db.prisma.customerMatter.count({ where: { customer: { code: created.code } } })).toBe(1);
  });
});
