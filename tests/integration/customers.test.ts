import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { findCustomers } from '../../src/domain/customers/find-customers.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { updateCustomer } from '../../src/domain/customers/update-customer.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UARCHIVIST', ['archivist']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UFIN', ['finance']);
});
afterAll(() => db.close());

describe('registering customers (INFO-4, DB-11)', () => {
  it('INFO-4 DB-11: codes are numbered in acquisition order within the company-time year', async () => {
    const first = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '华为技术有限公司' }));
    const second = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '中兴通讯股份有限公司', phone: '0755-26770000' }),
    );
    expect(first.code).toBe('KH-2026-0001');
    expect(second.code).toBe('KH-2026-0002');
    // 2026-12-31 17:00 UTC is already 2027-01-01 in Shanghai.
    const nextYear = await createCustomer(
      ctx(db.prisma, 'USALES1', new Date('2026-12-31T17:00:00Z')),
      validCustomer({ name: '比亚迪股份有限公司', phone: '0755-89888888' }),
    );
    expect(nextYear.code).toBe('KH-2027-0001');
    const audit = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.created' },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => e.subjectId)).toEqual(['KH-2026-0001', 'KH-2026-0002', 'KH-2027-0001']);
  });

  it('INFO-4: a duplicate name (ignoring case and spaces) is refused with the existing code, nothing saved', async () => {
    const before = await db.prisma.customer.count();
    await expect(
      createCustomer(ctx(db.prisma, 'USALES2'), validCustomer({ name: ' 华为技术 有限公司 ' })),
    ).rejects.toBeDomainError('customer_duplicate_name', { code: 'KH-2026-0001' });
    expect(await db.prisma.customer.count()).toBe(before);
  });

  it('INFO-4: a duplicate unified social credit code is refused with the existing code', async () => {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES2'),
      validCustomer({ name: '深圳市腾讯计算机系统有限公司', creditCode: '91440300708461136T', phone: '0755-86013388' }),
    );
    await expect(
      createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '腾讯', creditCode: '91440300708461136t' })),
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
    const byName = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '华为' });
    expect(byName.items.map((i) => i.code)).toEqual(['KH-2026-0001']);
    const byInitials = await findCustomers(ctx(db.prisma, 'USALES1'), { query: 'hw' });
    expect(byInitials.items.map((i) => i.code)).toContain('KH-2026-0001');
    const byPinyin = await findCustomers(ctx(db.prisma, 'USALES1'), { query: 'Zhong Xing' });
    expect(byPinyin.items.map((i) => i.code)).toEqual(['KH-2026-0002']);
    const byCode = await findCustomers(ctx(db.prisma, 'USALES1'), { query: 'kh-2026-2' });
    expect(byCode.items[0]?.code).toBe('KH-2026-0002');
    const byPhone = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '26770000' });
    expect(byPhone.items.map((i) => i.code)).toEqual(['KH-2026-0002']);
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
    const result = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '%' });
    expect(result.items).toEqual([]);
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
    await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({
        name: '招商局集团',
        secrecyLevel: 'top_secret',
        phone: '0755-26828888',
        ownerSlackUserId: 'USALES2',
      }),
    );
    const seenByOther = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '招商' });
    expect(seenByOther.items).toEqual([{ visibility: 'masked', code: confidential.code, level: 'confidential' }]);
    const seenByOwner = await findCustomers(ctx(db.prisma, 'USALES2'), { query: '招商' });
    expect(seenByOwner.items).toEqual([expect.objectContaining({ visibility: 'visible', name: '招商银行深圳分行' })]);
    const seenByGm = await findCustomers(ctx(db.prisma, 'UGM'), { query: '招商' });
    expect(seenByGm.items.map((i) => i.visibility)).toEqual(['visible', 'visible']);
  });

  it('SEC-16: search results that show classified customers are audited per customer', async () => {
    const where = { action: 'customer.viewed', actor: 'UGM' };
    const before = await db.prisma.auditEvent.count({ where });
    await findCustomers(ctx(db.prisma, 'UGM'), { query: '招商银行' });
    const events = await db.prisma.auditEvent.findMany({ where, orderBy: { id: 'asc' }, skip: before });
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ level: 'confidential', via: 'find', query: '招商银行' });
    // Unclassified hits are not views of secrets and are not logged.
    const unclassifiedCountBefore = await db.prisma.auditEvent.count();
    await findCustomers(ctx(db.prisma, 'UGM'), { query: 'kh-2026-0002' });
    expect(await db.prisma.auditEvent.count()).toBe(unclassifiedCountBefore + 1);
  });

  it('SEC-7: a customer whose secrecy period has ended is shown to everyone with a role', async () => {
    const created = await createCustomer(
      ctx(db.prisma, 'USALES2'),
      validCustomer({
        name: '平安保险深圳',
        kind: 'special',
        specialCategory: 'insurance',
        secrecyLevel: 'confidential',
        secrecyUntil: '2026-11-30',
        phone: '0755-95511000',
      }),
    );
    const before = await findCustomers(ctx(db.prisma, 'USALES1'), { query: '平安' });
    expect(before.items).toEqual([{ visibility: 'masked', code: created.code, level: 'confidential' }]);
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
    const shown = await showCustomer(ctx(db.prisma, 'USALES1'), 'KH-2026-0001');
    expect(shown.customer).toMatchObject({
      name: '华为技术有限公司',
      ownerSlackUserId: 'USALES1',
      effectiveLevel: 'restricted',
    });
    expect(shown.canEdit).toBe(true);
    const viewed = await db.prisma.auditEvent.findFirst({
      where: { action: 'customer.viewed', subjectId: 'KH-2026-0001' },
      orderBy: { id: 'desc' },
    });
    expect(viewed).toMatchObject({ actor: 'USALES1', details: { level: 'restricted', via: 'show' } });
  });

  it('INFO-17: another salesperson is refused a restricted card with its code and level, and the attempt is audited', async () => {
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), 'KH-2026-0001')).rejects.toBeDomainError('customer_hidden', {
      code: 'KH-2026-0001',
      level: 'restricted',
    });
    const refused = await db.prisma.auditEvent.findFirst({
      where: { action: 'customer.view_refused', actor: 'USALES2' },
    });
    expect(refused?.subjectId).toBe('KH-2026-0001');
  });

  it('SEC-5: a top-secret customer is answered like an unknown code', async () => {
    const topSecret = await db.prisma.customer.findFirstOrThrow({ where: { secrecyLevel: 'top_secret' } });
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), topSecret.code)).rejects.toBeDomainError('customer_not_found');
    await expect(showCustomer(ctx(db.prisma, 'USALES2'), 'KH-2026-9999')).rejects.toBeDomainError('customer_not_found');
  });

  it('ARCH-30: an edit keeps every changed field with who and when, and bumps the version', async () => {
    const later = new Date('2026-11-29T03:00:00Z');
    const result = await updateCustomer(ctx(db.prisma, 'USALES1', later), {
      code: 'KH-2026-0001',
      expectedVersion: 1,
      customer: validCustomer({
        name: '华为技术有限公司',
        address: '广东省深圳市龙岗区坂田华为基地',
        registeredCapital: '4104113.18',
      }),
    });
    expect(result.version).toBe(2);
    expect(result.changedFields.sort()).toEqual(['address', 'registeredCapital']);
    const changes = await db.prisma.customerChange.findMany({ where: { field: 'address' } });
    expect(changes).toEqual([
      expect.objectContaining({
        oldValue: '广东省深圳市龙岗区坂田街道',
        newValue: '广东省深圳市龙岗区坂田华为基地',
        changedAt: later,
      }),
    ]);
    const shown = await showCustomer(ctx(db.prisma, 'USALES1'), 'KH-2026-0001');
    expect(shown.history.map((h) => h.field).sort()).toEqual(['address', 'registeredCapital']);
    expect(shown.history[0]?.changedBySlackUserId).toBe('USALES1');
  });

  it('ARCH-30: an edit based on an old version is refused and changes nothing', async () => {
    await expect(
      updateCustomer(ctx(db.prisma, 'UARCHIVIST'), {
        code: 'KH-2026-0001',
        expectedVersion: 1,
        customer: validCustomer({ address: '别处' }),
      }),
    ).rejects.toBeDomainError('customer_edit_conflict');
    const row = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'KH-2026-0001' } });
    expect(row.address).toBe('广东省深圳市龙岗区坂田华为基地');
  });

  it('an edit that changes nothing is reported as such', async () => {
    const current = await showCustomer(ctx(db.prisma, 'USALES1'), 'KH-2026-0001');
    await expect(
      updateCustomer(ctx(db.prisma, 'USALES1'), {
        code: 'KH-2026-0001',
        expectedVersion: current.customer.version,
        customer: validCustomer({
          address: current.customer.address,
          registeredCapital: current.customer.registeredCapital?.toString() ?? '',
        }),
      }),
    ).rejects.toBeDomainError('customer_no_changes');
  });

  it('SEC-7: only supervisor and above change a secrecy level by hand', async () => {
    const current = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'KH-2026-0002' } });
    const lowered = validCustomer({
      name: '中兴通讯股份有限公司',
      phone: '0755-26770000',
      secrecyLevel: 'unclassified',
      secrecyUntil: '',
    });
    await expect(
      updateCustomer(ctx(db.prisma, 'USALES1'), {
        code: 'KH-2026-0002',
        expectedVersion: current.version,
        customer: lowered,
      }),
    ).rejects.toBeDomainError('not_allowed', { action: 'secrecy' });
    const result = await updateCustomer(ctx(db.prisma, 'USUPER'), {
      code: 'KH-2026-0002',
      expectedVersion: current.version,
      customer: lowered,
    });
    expect(result.changedFields.sort()).toEqual(['secrecyLevel', 'secrecyUntil']);
  });

  it('ARCH-30: another salesperson cannot edit a customer they do not own', async () => {
    const current = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'KH-2026-0002' } });
    await expect(
      updateCustomer(ctx(db.prisma, 'USALES2'), {
        code: 'KH-2026-0002',
        expectedVersion: current.version,
        customer: validCustomer({
          name: '中兴通讯股份有限公司',
          phone: '0755-26770001',
          secrecyLevel: 'unclassified',
          secrecyUntil: '',
        }),
      }),
    ).rejects.toBeDomainError('not_allowed', { action: 'edit' });
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
