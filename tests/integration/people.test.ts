import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignRole } from '../../src/domain/people/assign-role.js';
import { bootstrapAdmins } from '../../src/domain/people/bootstrap-admins.js';
import { ensurePerson } from '../../src/domain/people/ensure-person.js';
import { setLocale } from '../../src/domain/people/set-locale.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, NOW } from '../helpers/fixtures.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
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
    const result = await assignRole(ctx(db.prisma, 'UBOSS'), {
      targetSlackUserId: 'UHEAD',
      role: 'dept_head',
      department: '销售一部',
    });
    expect(result).toMatchObject({ changed: true, person: { roles: ['dept_head'], department: '销售一部' } });
    const again = await assignRole(ctx(db.prisma, 'UBOSS'), { targetSlackUserId: 'UHEAD', role: 'dept_head' });
    expect(again.changed).toBe(false);
    const event = await db.prisma.auditEvent.findFirst({
      where: { action: 'person.role_assigned', subjectId: 'UHEAD' },
    });
    expect(event?.details).toMatchObject({
      role: 'dept_head',
      rolesBefore: [],
      rolesAfter: ['dept_head'],
      departmentAfter: '销售一部',
    });
  });

  it('dept_head needs a department', async () => {
    await expect(
      assignRole(ctx(db.prisma, 'UBOSS'), { targetSlackUserId: 'UNODEPT', role: 'dept_head' }),
    ).rejects.toBeDomainError('person_department_required');
  });

  it('a non-admin is refused, the refusal is audited, nothing changes', async () => {
    await expect(
      assignRole(ctx(db.prisma, 'UHEAD'), { targetSlackUserId: 'UHEAD', role: 'admin' }),
    ).rejects.toBeDomainError('not_allowed');
    const denied = await db.prisma.auditEvent.findFirst({ where: { action: 'access.denied', actor: 'UHEAD' } });
    expect(denied?.details).toMatchObject({ attempted: 'role.assign', role: 'admin' });
    expect((await ensurePerson(db.prisma, { slackUserId: 'UHEAD', now: NOW })).roles).toEqual(['dept_head']);
  });

  it('the last admin cannot be removed; with two admins one can go', async () => {
    await expect(
      assignRole(ctx(db.prisma, 'UBOSS'), { targetSlackUserId: 'UBOSS', role: 'admin', remove: true }),
    ).rejects.toBeDomainError('person_last_admin');
    await assignRole(ctx(db.prisma, 'UBOSS'), { targetSlackUserId: 'UBOSS2', role: 'admin' });
    const removed = await assignRole(ctx(db.prisma, 'UBOSS2'), {
      targetSlackUserId: 'UBOSS',
      role: 'admin',
      remove: true,
    });
    expect(removed.person.roles).toEqual([]);
  });

  it('a language choice is stored and audited', async () => {
    await setLocale(ctx(db.prisma, 'UHEAD'), 'en');
    expect((await ensurePerson(db.prisma, { slackUserId: 'UHEAD', now: NOW })).locale).toBe('en');
    expect(await db.prisma.auditEvent.count({ where: { action: 'person.locale_set', subjectId: 'UHEAD' } })).toBe(1);
  });
});
