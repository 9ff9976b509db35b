import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, seedDemo } from '../../src/demo/seed-demo.js';
import { verifyAuditChain } from '../../src/domain/audit/verify-audit-chain.js';
import { findCustomers } from '../../src/domain/customers/find-customers.js';
import { ROLES } from '../../src/domain/people/roles.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, NOW, TIME_ZONE } from '../helpers/fixtures.js';
import { TEST_AUDIT_KEY } from '../setup/audit-key.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.close());

describe('seed demo', () => {
  it('loads a person for every role and valid, audited customers of every level; a second run does nothing', async () => {
    const result = await seedDemo(db.prisma, { now: NOW, timeZone: TIME_ZONE, count: 40 });
    expect(result).toEqual({ people: DEMO_PEOPLE.length, customers: 40, skipped: false });
    const roles = new Set(DEMO_PEOPLE.flatMap((p) => p.roles));
    expect(ROLES.filter((role) => !roles.has(role))).toEqual([]);
    const levels = await db.prisma.customer.groupBy({ by: ['secrecyLevel'], _count: true });
    expect(levels.map((l) => l.secrecyLevel).sort()).toEqual([
      'confidential',
      'restricted',
      'top_secret',
      'unclassified',
    ]);
    // ARCH-5: every department the regulation names owes its monthly material.
    const rules = await db.prisma.submissionRule.findMany({ include: { department: true }, orderBy: { id: 'asc' } });
    expect(rules.map((r) => `${r.department.name} ${r.material}`)).toEqual([
      '销售一部 basic_info',
      '销售一部 sales_contract',
      '销售一部 sales_statistics',
      '销售二部 basic_info',
      '销售二部 sales_contract',
      '销售二部 sales_statistics',
      '财务部 credit_evaluation',
      '客户服务部 qualification_rating',
      '客户服务部 analysis_report',
    ]);
    expect(await seedDemo(db.prisma, { now: NOW, timeZone: TIME_ZONE })).toEqual({
      people: 0,
      customers: 0,
      skipped: true,
    });
    expect((await verifyAuditChain(db.prisma, { key: TEST_AUDIT_KEY })).ok).toBe(true);
    // Their search rows are written: the archivist finds a 秘密 one by a piece of its name.
    const restricted = await db.prisma.customer.findFirstOrThrow({ where: { secrecyLevel: 'restricted' } });
    const found = await findCustomers(ctx(db.prisma, 'UDEMOARCH1'), { query: restricted.name.slice(0, 4) });
    expect(found.items).toContainEqual(expect.objectContaining({ code: restricted.code, visibility: 'visible' }));
  });
});
