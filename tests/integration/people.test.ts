import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignRole } from '../../src/domain/people/assign-role.js';
import { bootstrapAdmins } from '../../src/domain/people/bootstrap-admins.js';
import { ensurePerson } from '../../src/domain/people/ensure-person.js';
import { setLocale } from '../../src/domain/people/set-locale.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW } from '../helpers/fixtures.js';

/*
 * Every test works on people of its own; UADMIN is an admin no test changes. The one test
 * that counts every admin in the table has a database of its own.
 */
let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'UADMIN', ['admin']);
});
afterAll(() => db.close());

describe('people, roles and departments', () => {
  it('a person is registered once on first contact, with no roles, and audited', async () => {
    const [a, b] = await Promise.all([
      ensurePerson(db.prisma, { slackUserId: 'UFIRST', now: NOW }),
      ensurePerson(db.prisma, { slackUserId: 'UFIRST', now: NOW }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.roles).toEqual([]);
    expect(await db.prisma.auditEvent.count({ where: { action: 'person.registered', subjectId: 'UFIRST' } })).toBe(1);
  });

  it('ADMIN_USER_IDS bootstrap admins once; a second start changes nothing', async () => {
    expect(await bootstrapAdmins(db.prisma, ['UBOSS'], NOW)).toEqual(['UBOSS']);
    expect(await bootstrapAdmins(db.prisma, ['UBOSS'], NOW)).toEqual([]);
    const boss = await ensurePerson(db.prisma, { slackUserId: 'UBOSS', now: NOW });
    expect(boss.roles).toEqual(['admin']);
  });

  it('an admin grants roles and sets departments (created on first use), audited with before and after', async () => {
    const department = '大客户销售部';
    expect(await db.prisma.department.count({ where: { name: department } })).toBe(0);
    const result = await assignRole(ctx(db.prisma, 'UADMIN'), {
      targetSlackUserId: 'UHEAD',
      role: 'dept_head',
      department,
    });
    expect(result).toMatchObject({ changed: true, person: { roles: ['dept_head'], department } });
    expect(await db.prisma.department.count({ where: { name: department } })).toBe(1);
    const again = await assignRole(ctx(db.prisma, 'UADMIN'), { targetSlackUserId: 'UHEAD', role: 'dept_head' });
    expect(again.changed).toBe(false);
    const events = await db.prisma.auditEvent.findMany({
      where: { action: 'person.role_assigned', subjectId: 'UHEAD' },
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({
      role: 'dept_head',
      rolesBefore: [],
      rolesAfter: ['dept_head'],
      departmentAfter: department,
    });
  });

  it('dept_head needs a department', async () => {
    await expect(
      assignRole(ctx(db.prisma, 'UADMIN'), { targetSlackUserId: 'UNODEPT', role: 'dept_head' }),
    ).rejects.toBeDomainError('person_department_required');
  });

  it('a non-admin is refused, the refusal is audited, nothing changes', async () => {
    await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
    await expect(
      assignRole(ctx(db.prisma, 'UHEAD2'), { targetSlackUserId: 'UHEAD2', role: 'admin' }),
    ).rejects.toBeDomainError('not_allowed');
    const denied = await db.prisma.auditEvent.findMany({ where: { action: 'access.denied', actor: 'UHEAD2' } });
    expect(denied).toHaveLength(1);
    expect(denied[0]?.details).toMatchObject({ attempted: 'role.assign', role: 'admin' });
    expect((await ensurePerson(db.prisma, { slackUserId: 'UHEAD2', now: NOW })).roles).toEqual(['dept_head']);
  });

  it('the last admin cannot be removed; with two admins one can go', async () => {
    // Counts every admin in the table: a database where UBOSS is the only one.
    const own = await createTestDb();
    try {
      await givePerson(own.prisma, 'UBOSS', ['admin']);
      expect(await own.prisma.person.count({ where: { roles: { has: 'admin' } } })).toBe(1);
      await expect(
        assignRole(ctx(own.prisma, 'UBOSS'), { targetSlackUserId: 'UBOSS', role: 'admin', remove: true }),
      ).rejects.toBeDomainError('person_last_admin');
      expect((await ensurePerson(own.prisma, { slackUserId: 'UBOSS', now: NOW })).roles).toEqual(['admin']);
      // A lone admin only proposes another (SEC-3: two admins grant admin); the operator's
      // ADMIN_USER_IDS brings in the second.
      expect(await assignRole(ctx(own.prisma, 'UBOSS'), { targetSlackUserId: 'UBOSS2', role: 'admin' })).toMatchObject({
        pending: true,
      });
      await givePerson(own.prisma, 'UBOSS2', ['admin']);
      const removed = await assignRole(ctx(own.prisma, 'UBOSS2'), {
        targetSlackUserId: 'UBOSS',
        role: 'admin',
        remove: true,
      });
      expect(removed.person.roles).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('a language choice is stored and audited', async () => {
    const before = await ensurePerson(db.prisma, { slackUserId: 'ULOCALE', now: NOW });
    expect(before.locale).not.toBe('en');
    await setLocale(ctx(db.prisma, 'ULOCALE'), 'en');
    expect((await ensurePerson(db.prisma, { slackUserId: 'ULOCALE', now: NOW })).locale).toBe('en');
    expect(await db.prisma.auditEvent.count({ where: { action: 'person.locale_set', subjectId: 'ULOCALE' } })).toBe(1);
  });
});
