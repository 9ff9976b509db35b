/**
 * The customer registers on a real database (DB-11, INFO-23, SEC-8, SEC-16, SEC-3): the whole
 * register with no row cap, classified customers written out only under a copy permission
 * (masked otherwise), 绝密 customers only for those who may know of them, the grade and
 * address groupings, a regional analysis that never sums a masked customer, and the audit.
 * Each test has a database of its own: a register lists every customer there is.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import type { RawCustomerInput } from '../../src/domain/customers/customer-input.js';
import { exportCustomers } from '../../src/domain/customers/export-customers.js';
import { importSalesFile } from '../../src/domain/statistics/import-sales.js';
import { buildRegister, lastCompleteMonths, type Register } from '../../src/domain/statistics/registers.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';

async function ownDb(): Promise<TestDb> {
  const db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UKEEPER', ['archivist'], '客户服务部');
  return db;
}

let serial = 0;

/** A customer of USALES1's with a name and phone of its own (公开 and 绝密 set by the supervisor, SEC-6). */
async function customer(db: TestDb, overrides: RawCustomerInput = {}, custodians: string[] = []): Promise<string> {
  const n = ++serial;
  const level = overrides.secrecyLevel ?? 'restricted';
  const created = await createCustomer(
    ctx(db.prisma, level === 'unclassified' || level === 'top_secret' ? 'USUPER' : 'USALES1'),
    {
      ...validCustomer({
        name: `名册客户${n}号`,
        phone: `0571-8600${String(n).padStart(4, '0')}`,
        ownerSlackUserId: 'USALES1',
        ...(level === 'unclassified' ? { secrecyUntil: '' } : {}),
        ...overrides,
      }),
      custodianSlackUserIds: custodians,
    },
  );
  return created.code;
}

/** An approved copy permission (INFO-23, SEC-8): asked by `user`, decided by the GM. */
async function copyPermission(db: TestDb, user: string, code: string): Promise<void> {
  const { request } = await createRequest(ctx(db.prisma, user), {
    kind: 'copy',
    customerCode: code,
    purpose: '报送',
    reason: '合同备案',
    requesterProfile: '王磊',
  });
  for (const step of request.steps) await decideStep(ctx(db.prisma, 'UGM'), { stepId: step.id, decision: 'approve' });
}

const rowsOf = (register: Register) => (register.kind === 'region' ? [] : register.rows);
const codesOf = (register: Register) => rowsOf(register).map((row) => row.code);

const csv = (rows: string[][]) =>
  new TextEncoder().encode(['客户编号,月份,销售额', ...rows.map((r) => r.join(','))].join('\n'));

describe('the customer register (DB-11)', () => {
  it('DB-11: the whole register in acquisition order, not cut at export_max_rows like /kh export', async () => {
    const db = await ownDb();
    // 2,100 公开 customers set-based (createCustomer takes about 14 ms each here: 30 s for as many):
    // the ledger row and its search row, and the code counter where the use case would leave it.
    const total = 2_100;
    const owner = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'USALES1' } });
    await db.prisma.$executeRaw`
      INSERT INTO "Customer" (code, name, "nameKey", kind, "legalRepresentative", address, "postalCode", phone,
                              "secrecyLevel", "ownerId", "createdById", "createdAt", "updatedAt")
      SELECT 'KH-2026-' || lpad(g::text, 4, '0'), '批量客户' || g, '批量客户' || g, 'dealer', '张三',
             '杭州市文一路' || g || '号', '310000', '0571-' || lpad(g::text, 8, '0'), 'unclassified', ${owner.id}::int,
             ${owner.id}::int, timestamptz '2026-03-01T00:00:00+08:00', now()
        FROM generate_series(1, ${total}::int) g`;
    await db.prisma.$executeRaw`
      INSERT INTO "CustomerSearch" ("customerId", code, "nameKey", "searchText", "secrecyLevel", "ownerId")
      SELECT id, code, "nameKey", lower(name) || '|' || lower(code), 'unclassified', "ownerId" FROM "Customer"`;
    await db.prisma.$executeRaw`INSERT INTO "CodeCounter" (scope, last) VALUES ('customer:2026', ${total}::int)`;
    // One more through the use case: the newest, last in the register.
    const newest = await customer(db, { secrecyLevel: 'unclassified' });

    const register = await buildRegister(ctx(db.prisma, 'UARCH'), 'order');
    const codes = codesOf(register);
    expect(codes).toHaveLength(total + 1);
    expect(codes.slice(0, 2)).toEqual(['KH-2026-0001', 'KH-2026-0002']);
    expect(codes.at(-1)).toBe(newest);
    expect(rowsOf(register)[0]).toMatchObject({
      visibility: 'visible',
      name: '批量客户1',
      address: '杭州市文一路1号',
      ownerSlackUserId: 'USALES1',
      registeredOn: '2026-03-01',
      grade: null,
    });
    // The export of the same person stops at the configured 2,000 and says so.
    expect(await exportCustomers(ctx(db.prisma, 'UARCH'), { query: '' })).toMatchObject({
      truncated: true,
      maxRows: 2000,
    });
  });

  it('INFO-23, SEC-8, SEC-16: a classified customer is written out only under a copy permission, otherwise masked; all audited', async () => {
    const db = await ownDb();
    const open = await customer(db, { secrecyLevel: 'unclassified', name: '公开名册客户' });
    const copied = await customer(db, { secrecyLevel: 'confidential', name: '已批复制客户' });
    const withheld = await customer(db, { secrecyLevel: 'restricted', name: '未批复制客户' });
    await copyPermission(db, 'USALES1', copied);

    // The owner may read all three; a file of a classified one is a copy.
    const mine = await buildRegister(ctx(db.prisma, 'USALES1'), 'order');
    expect(mine).toMatchObject({ kind: 'order', masked: 1 });
    expect(rowsOf(mine)).toEqual([
      expect.objectContaining({ visibility: 'visible', code: open, name: '公开名册客户', level: 'unclassified' }),
      expect.objectContaining({ visibility: 'visible', code: copied, name: '已批复制客户', level: 'confidential' }),
      { visibility: 'masked', code: withheld, level: 'restricted' },
    ]);
    // The masked row carries nothing but its code and level.
    expect(JSON.stringify(rowsOf(mine)[2])).not.toContain('未批复制客户');

    // The general manager approves copies and needs none.
    const gm = await buildRegister(ctx(db.prisma, 'UGM'), 'order');
    expect(rowsOf(gm).map((row) => row.visibility)).toEqual(['visible', 'visible', 'visible']);

    // Another department's salesperson may not read the classified ones: they are not in it at all.
    const other = await buildRegister(ctx(db.prisma, 'USALES2'), 'order');
    expect(codesOf(other)).toEqual([open]);

    // SEC-16: the export with its kind and counts, and each classified customer written out.
    const exports = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.register_exported' },
      orderBy: { id: 'asc' },
    });
    expect(exports.map((e) => [e.actor, e.details])).toEqual([
      ['USALES1', { kind: 'order', rows: 3, masked: 1 }],
      ['UGM', { kind: 'order', rows: 3, masked: 0 }],
      ['USALES2', { kind: 'order', rows: 1, masked: 0 }],
    ]);
    const revealed = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.exported' },
      orderBy: { id: 'asc' },
    });
    expect(revealed.map((e) => [e.actor, e.subjectId])).toEqual([
      ['USALES1', copied],
      ['UGM', copied],
      ['UGM', withheld],
    ]);
  });

  it('SEC-3: a 绝密 customer never appears for someone who may not know of it; its custodian and the GM see it', async () => {
    const db = await ownDb();
    const open = await customer(db, { secrecyLevel: 'unclassified' });
    const secret = await customer(db, { secrecyLevel: 'top_secret', name: '绝密名册客户' }, ['UKEEPER']);
    for (const user of ['USALES1', 'UARCH', 'USUPER']) {
      for (const kind of ['order', 'grade', 'address'] as const) {
        const register = await buildRegister(ctx(db.prisma, user), kind);
        expect(codesOf(register)).toEqual([open]);
      }
    }
    // Its custodian may read it: without a copy permission the file shows its code and level.
    const keeper = await buildRegister(ctx(db.prisma, 'UKEEPER'), 'order');
    expect(rowsOf(keeper)).toEqual([
      expect.objectContaining({ visibility: 'visible', code: open }),
      { visibility: 'masked', code: secret, level: 'top_secret' },
    ]);
    const gm = await buildRegister(ctx(db.prisma, 'UGM'), 'order');
    expect(rowsOf(gm)[1]).toMatchObject({ visibility: 'visible', code: secret, name: '绝密名册客户' });
  });

  it('DB-11, DB-8: the grade register lists A, B, C, then the ungraded, each by code; masked rows last', async () => {
    const db = await ownDb();
    const grades = ['C', null, 'A', 'B', 'A', null, 'C'] as const;
    const codes: string[] = [];
    for (const grade of grades) {
      const code = await customer(db, { secrecyLevel: 'unclassified' });
      await db.prisma.customer.update({ where: { code }, data: { grade } });
      codes.push(code);
    }
    // A graded classified customer without a copy permission: its grade is not given away by its place.
    const masked = await customer(db, { secrecyLevel: 'restricted' });
    await db.prisma.customer.update({ where: { code: masked }, data: { grade: 'A' } });

    const register = await buildRegister(ctx(db.prisma, 'UARCH'), 'grade');
    const at = (i: number) => codes[i];
    expect(codesOf(register)).toEqual([at(2), at(4), at(3), at(0), at(6), at(1), at(5), masked]);
    expect(rowsOf(register).map((row) => (row.visibility === 'visible' ? row.grade : 'masked'))).toEqual([
      'A',
      'A',
      'B',
      'C',
      'C',
      null,
      null,
      'masked',
    ]);
  });

  it('DB-11, DB-9: the address register groups by region, then address; no region last', async () => {
    const db = await ownDb();
    const unclassified = { secrecyLevel: 'unclassified' } as const;
    const north = await customer(db, { ...unclassified, region: '华北', address: '北京市朝阳区建国路1号' });
    const eastB = await customer(db, { ...unclassified, region: '华东', address: '上海市浦东新区世纪大道2号' });
    const nowhere = await customer(db, { ...unclassified, address: '广州市天河路3号' });
    const eastA = await customer(db, { ...unclassified, region: '华东', address: '上海市徐汇区漕溪路5号' });
    const eastA2 = await customer(db, { ...unclassified, region: '华东', address: '上海市徐汇区漕溪路5号' });
    const register = await buildRegister(ctx(db.prisma, 'UARCH'), 'address');
    // Code-point order: 华东 (U+534E U+4E1C) before 华北 (U+534E U+5317); 上海市徐… (U+5F90) before 上海市浦… (U+6D66).
    expect(codesOf(register)).toEqual([eastA, eastA2, eastB, north, nowhere]);
  });

  it('DB-11, INFO-23, SEC-8: the regional analysis sums the last twelve complete months of full rows only', async () => {
    const db = await ownDb();
    const east1 = await customer(db, { secrecyLevel: 'unclassified', region: '华东' });
    const east2 = await customer(db, { secrecyLevel: 'unclassified', region: '华东' });
    const north = await customer(db, { secrecyLevel: 'unclassified', region: '华北' });
    const nowhere = await customer(db, { secrecyLevel: 'unclassified' });
    // Classified, readable by the archivist, no copy permission: masked, so in no line at all.
    const secretEast = await customer(db, { secrecyLevel: 'restricted', region: '华东' });
    const secretWest = await customer(db, { secrecyLevel: 'restricted', region: '西北' });
    await db.prisma.customer.update({ where: { code: east1 }, data: { grade: 'A' } });
    await db.prisma.customer.update({ where: { code: north }, data: { grade: 'C' } });
    // NOW is 2026-11-28: the twelve complete months are 2025-11 … 2026-10.
    const imported = await importSalesFile(ctx(db.prisma, 'UARCH'), {
      name: 'sales.csv',
      bytes: csv([
        [east1, '2025-11', '100.10'],
        [east1, '2026-10', '0.20'],
        [east1, '2025-10', '5000'], // before the window
        [east1, '2026-11', '7000'], // the month in progress
        [east2, '2026-05', '"1,000,000.01"'],
        [north, '2026-01', '99.99'],
        [secretEast, '2026-05', '333333.33'],
        [secretWest, '2026-05', '444444.44'],
      ]),
    });
    expect(imported.ok).toBe(true);

    const register = await buildRegister(ctx(db.prisma, 'UARCH'), 'region');
    expect(register.kind === 'region' && register.months).toEqual(lastCompleteMonths({ year: 2026, month: 11 }, 12));
    expect(register.kind === 'region' && register.months.slice(0, 1).concat(register.months.slice(-1))).toEqual([
      '2025-11',
      '2026-10',
    ]);
    expect(register).toMatchObject({
      kind: 'region',
      masked: 2,
      regions: [
        { region: '华东', customers: 2, salesFen: 100_010_031n, grades: { A: 1, B: 0, C: 0, none: 1 } },
        { region: '华北', customers: 1, salesFen: 9_999n, grades: { A: 0, B: 0, C: 1, none: 0 } },
        { region: null, customers: 1, salesFen: 0n, grades: { A: 0, B: 0, C: 0, none: 1 } },
      ],
    });
    // 西北 holds only a masked customer: the region itself does not appear.
    expect(register.kind === 'region' && register.regions.map((r) => r.region)).not.toContain('西北');
    expect(nowhere).toBeTruthy();

    // With a copy permission the archivist's own analysis takes 秘密 华东 in (the GM needs none).
    await copyPermission(db, 'UARCH', secretEast);
    const opened = await buildRegister(ctx(db.prisma, 'UARCH'), 'region');
    expect(opened.kind === 'region' && opened.regions[0]).toMatchObject({
      region: '华东',
      customers: 3,
      salesFen: 133_343_364n,
    });
    const gm = await buildRegister(ctx(db.prisma, 'UGM'), 'region');
    expect(gm.kind === 'region' && gm.regions.map((r) => r.region)).toEqual(['华东', '华北', '西北', null]);

    const audited = await db.prisma.auditEvent.findMany({
      where: { action: 'customer.register_exported' },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => e.details)).toEqual([
      { kind: 'region', rows: 3, masked: 2 },
      { kind: 'region', rows: 3, masked: 1 },
      { kind: 'region', rows: 4, masked: 0 },
    ]);
  });

  it('SEC-3, SEC-16: someone without a role is refused and the refusal recorded', async () => {
    const db = await ownDb();
    await givePerson(db.prisma, 'UNOROLE', []);
    await expect(buildRegister(ctx(db.prisma, 'UNOROLE'), 'order')).rejects.toBeDomainError('not_allowed', {
      action: 'register',
    });
    const refusals = await db.prisma.auditEvent.findMany({ where: { action: 'access.denied', actor: 'UNOROLE' } });
    expect(refusals.map((e) => e.details)).toEqual([{ attempted: 'customer.register', kind: 'order' }]);
    expect(await db.prisma.auditEvent.count({ where: { action: 'customer.register_exported' } })).toBe(0);
  });
});
