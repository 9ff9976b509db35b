/**
 * The visibility table of REQUIREMENTS.md, proven on every read path: for each role and
 * secrecy level, search (`/kh find`), the card (`/kh show`), exports and channel posts by
 * jobs answer visible, masked or hidden as the policy says; App Home shows a person only
 * their own customers, masked where the policy masks them; active grants and named
 * custodians open a customer, expired grants do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_AUDIENCE, visibilityOf } from '../../src/domain/access/visibility.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { exportCustomers } from '../../src/domain/customers/export-customers.js';
import { findCustomers } from '../../src/domain/customers/find-customers.js';
import { homeSummary } from '../../src/domain/customers/home-summary.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { DomainError } from '../../src/domain/errors.js';
import { ensurePerson } from '../../src/domain/people/ensure-person.js';
import { ROLES, type Role } from '../../src/domain/people/roles.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, validCustomer } from '../helpers/fixtures.js';

type Level = 'unclassified' | 'restricted' | 'confidential' | 'top_secret';
type Outcome = 'visible' | 'masked' | 'hidden';

/** REQUIREMENTS.md "Secrecy levels": who sees another person's customer without a request. */
const SEES: Record<Exclude<Level, 'unclassified'>, Role[]> = {
  restricted: ['archivist', 'supervisor', 'service_manager', 'director', 'general_manager'],
  confidential: ['supervisor', 'service_manager', 'director', 'general_manager'],
  top_secret: ['general_manager'],
};

function expected(role: Role, level: Level): Outcome {
  if (level === 'unclassified') return 'visible';
  if (SEES[level].includes(role)) return 'visible';
  return level === 'top_secret' ? 'hidden' : 'masked';
}

const LEVELS: Level[] = ['unclassified', 'restricted', 'confidential', 'top_secret'];
const codes = {} as Record<Level, string>;
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'UOWNER', ['sales']);
  await givePerson(db.prisma, 'UCREATOR', ['supervisor']);
  // SEC-6: a 绝密 customer is registered with a custodian; this one is nobody the matrix asks.
  await givePerson(db.prisma, 'UTSKEEPER', ['service']);
  for (const role of ROLES) await givePerson(db.prisma, `UROLE${role.toUpperCase().replace(/_/g, '')}`, [role]);
  for (const [i, level] of LEVELS.entries()) {
    const created = await createCustomer(ctx(db.prisma, 'UCREATOR'), {
      custodianSlackUserIds: ['UTSKEEPER'],
      ...validCustomer({
        name: `权限测试客户${i}`,
        phone: `0755-3300000${i}`,
        secrecyLevel: level,
        secrecyUntil: level === 'unclassified' ? '' : '2030-12-31',
        ownerSlackUserId: 'UOWNER',
      }),
    });
    codes[level] = created.code;
  }
});
afterAll(() => db.close());

const userOf = (role: Role) => `UROLE${role.toUpperCase().replace(/_/g, '')}`;

async function outcomeOfShow(user: string, code: string): Promise<Outcome> {
  try {
    await showCustomer(ctx(db.prisma, user), code);
    return 'visible';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'customer_hidden') return 'masked';
    if (error.code === 'customer_not_found') return 'hidden';
    throw error;
  }
}

function outcomeOfList(items: { visibility: string; code: string }[], code: string): Outcome {
  const item = items.find((i) => i.code === code);
  return item ? (item.visibility as Outcome) : 'hidden';
}

describe('SEC-5 INFO-17 INFO-22: every role × level × read path', () => {
  for (const role of ROLES) {
    for (const level of LEVELS) {
      const want = expected(role, level);
      it(`SEC-5: ${role} / ${level} → ${want} on find, show and export`, async () => {
        const code = codes[level];
        const user = userOf(role);
        const found = await findCustomers(ctx(db.prisma, user), { query: code });
        expect(outcomeOfList(found.items, code), 'find').toBe(want);
        expect(await outcomeOfShow(user, code), 'show').toBe(want);
        const exported = await exportCustomers(ctx(db.prisma, user), { query: code });
        // INFO-23, SEC-8: a file of a classified customer is a copy, made only under an
        // approved copy request; the GM (who approves them) needs none.
        const copyNeeded = want === 'visible' && level !== 'unclassified' && role !== 'general_manager';
        expect(outcomeOfList(exported.items, code), 'export').toBe(copyNeeded ? 'masked' : want);
        if (want !== 'visible') {
          // Nothing but the code and level leaks from a masked or hidden customer.
          expect(JSON.stringify([found, exported])).not.toContain('权限测试客户');
        }
      });

      it(`SEC-3: ${role} / ${level} → ${want === 'visible' ? 'found' : 'not found'} by a piece of its name, phone or pinyin`, async () => {
        // Only the exact code finds a customer the searcher may not read: a piece of a field
        // they may not read must not, or growing the query one character at a time reads it.
        const i = LEVELS.indexOf(level);
        const code = codes[level];
        for (const query of [`权限测试客户${i}`, '测试客户', `3300000${i}`, '0755330', 'quanxianceshi', 'qxcs']) {
          const found = await findCustomers(ctx(db.prisma, userOf(role)), { query });
          expect(outcomeOfList(found.items, code), query).toBe(want === 'visible' ? 'visible' : 'hidden');
        }
      });
    }
  }

  it('INFO-17: a person without any role sees nothing on any path', async () => {
    for (const level of LEVELS) {
      await expect(findCustomers(ctx(db.prisma, 'UNOROLE'), { query: codes[level] })).rejects.toBeDomainError(
        'not_allowed',
      );
      await expect(exportCustomers(ctx(db.prisma, 'UNOROLE'), { query: '' })).rejects.toBeDomainError('not_allowed');
      await expect(showCustomer(ctx(db.prisma, 'UNOROLE'), codes[level])).rejects.toBeDomainError('not_allowed');
    }
  });

  it('SEC-5 SEC-3: App Home shows the owner their customers — not the top-secret one, closed to them as to anyone', async () => {
    const home = await homeSummary(ctx(db.prisma, 'UOWNER'));
    const byCode = new Map(home.customers.map((c) => [c.code, c]));
    expect(byCode.get(codes.unclassified)).toMatchObject({ visible: true });
    expect(byCode.get(codes.restricted)).toMatchObject({ visible: true });
    expect(byCode.get(codes.confidential)).toMatchObject({ visible: true });
    expect(byCode.has(codes.top_secret)).toBe(false);
    expect(home.totalCustomers).toBe(3);
    expect((await homeSummary(ctx(db.prisma, userOf('general_manager')))).customers).toEqual([]);
  });

  it('SEC-16: App Home audits the classified names it shows', async () => {
    const before = await db.prisma.auditEvent.count({ where: { action: 'customer.viewed', actor: 'UOWNER' } });
    await homeSummary(ctx(db.prisma, 'UOWNER'));
    expect(await db.prisma.auditEvent.count({ where: { action: 'customer.viewed', actor: 'UOWNER' } })).toBe(
      before + 2,
    );
  });

  it('SEC-5: channel posts by jobs carry only what anyone may see', () => {
    for (const level of LEVELS) {
      const subject = {
        id: 1,
        ownerId: 1,
        secrecyLevel: level,
        secrecyUntil: level === 'unclassified' ? null : new Date('2030-01-01'),
      };
      expect(visibilityOf(CHANNEL_AUDIENCE, subject, NOW) === 'visible', level).toBe(level === 'unclassified');
    }
  });
});

describe('INFO-18 INFO-22: access grants and named custodians', () => {
  it('INFO-18: an active grant opens a top-secret customer on every path; an expired one does not', async () => {
    const sales = await ensurePerson(db.prisma, { slackUserId: userOf('sales'), now: NOW });
    const gm = await ensurePerson(db.prisma, { slackUserId: userOf('general_manager'), now: NOW });
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: codes.top_secret } });
    const grant = await db.prisma.accessGrant.create({
      data: {
        customerId: customer.id,
        personId: sales.id,
        grantedById: gm.id,
        reason: '查阅合同',
        startsAt: new Date(NOW.getTime() - 3_600_000),
        expiresAt: new Date(NOW.getTime() + 3_600_000),
        createdAt: NOW,
        level: 'top_secret',
      },
    });
    expect(await outcomeOfShow(sales.slackUserId, codes.top_secret)).toBe('visible');
    const found = await findCustomers(ctx(db.prisma, sales.slackUserId), { query: codes.top_secret });
    expect(outcomeOfList(found.items, codes.top_secret)).toBe('visible');
    // One millisecond after expiry, the policy applies again.
    const later = new Date(grant.expiresAt.getTime());
    await expect(showCustomer(ctx(db.prisma, sales.slackUserId, later), codes.top_secret)).rejects.toBeDomainError(
      'customer_not_found',
    );
    const afterExpiry = await findCustomers(ctx(db.prisma, sales.slackUserId, later), { query: codes.top_secret });
    expect(afterExpiry.items).toEqual([]);
    await db.prisma.accessGrant.update({ where: { id: grant.id }, data: { revokedAt: NOW } });
    expect(await outcomeOfShow(sales.slackUserId, codes.top_secret)).toBe('hidden');
  });

  it('INFO-22: a named custodian sees a top-secret customer; the assignment is audited', async () => {
    const { assignCustodian } = await import('../../src/domain/access/assign-custodian.js');
    const archivist = userOf('archivist');
    expect(await outcomeOfShow(archivist, codes.top_secret)).toBe('hidden');
    await expect(
      assignCustodian(ctx(db.prisma, userOf('sales')), { code: codes.top_secret, targetSlackUserId: archivist }),
    ).rejects.toBeDomainError('not_allowed');
    // The general manager names custodians at once (nobody else decides who may see a secret).
    const result = await assignCustodian(ctx(db.prisma, userOf('general_manager')), {
      code: codes.top_secret,
      targetSlackUserId: archivist,
    });
    expect(result).toEqual({
      kind: 'changed',
      code: codes.top_secret,
      custodians: ['UTSKEEPER', archivist],
      changed: true,
    });
    expect(await outcomeOfShow(archivist, codes.top_secret)).toBe('visible');
    const found = await findCustomers(ctx(db.prisma, archivist), { query: '权限测试客户' });
    // The custodianship opens the top-secret one; the confidential one, closed to an
    // archivist, is not matched by its name at all (SEC-3), only by its exact code.
    expect(found.items.map((i) => [i.code, i.visibility])).toEqual([
      [codes.unclassified, 'visible'],
      [codes.restricted, 'visible'],
      [codes.top_secret, 'visible'],
    ]);
    await assignCustodian(ctx(db.prisma, userOf('general_manager')), {
      code: codes.top_secret,
      targetSlackUserId: archivist,
      remove: true,
    });
    expect(await outcomeOfShow(archivist, codes.top_secret)).toBe('hidden');
    const events = await db.prisma.auditEvent.findMany({
      where: { action: { startsWith: 'custodian.' } },
      orderBy: { id: 'asc' },
    });
    // The first is the custodian named when the customer was registered (SEC-6).
    expect(events.map((e) => [e.action, (e.details as { custodian: string }).custodian])).toEqual([
      ['custodian.assigned', 'UTSKEEPER'],
      ['custodian.assigned', archivist],
      ['custodian.removed', archivist],
    ]);
  });

  it('INFO-17: a person without a role cannot be named custodian', async () => {
    const { assignCustodian } = await import('../../src/domain/access/assign-custodian.js');
    await expect(
      assignCustodian(ctx(db.prisma, userOf('general_manager')), {
        code: codes.top_secret,
        targetSlackUserId: 'UNOBODYATALL',
      }),
    ).rejects.toBeDomainError('person_without_role');
  });
});
