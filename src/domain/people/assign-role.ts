import { can } from '../access/capabilities.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import { findOrRegisterPerson } from './ensure-person.js';
import { PERSON_PROFILE_SELECT, type PersonProfile, toProfile } from './person.js';
import { DEPARTMENT_ROLES, type Role } from './roles.js';

export interface AssignRoleInput {
  targetSlackUserId: string;
  role: Role;
  /** Grant (default) or take away the role. */
  remove?: boolean;
  /** Also moves the person to this department (created if new). */
  department?: string | undefined;
}

export interface AssignRoleResult {
  person: PersonProfile;
  changed: boolean;
}

/**
 * An admin grants or removes a role, optionally setting the person's department.
 * Refused (and audited) for anyone who is not an admin; the last admin cannot be removed.
 */
export async function assignRole(ctx: UseCaseContext, input: AssignRoleInput): Promise<AssignRoleResult> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!can(me.roles, 'assignRoles')) {
      return refuse(
        new DomainError('not_allowed', { action: 'role' }),
        denied('person', input.targetSlackUserId, input.remove ? 'role.remove' : 'role.assign', { role: input.role }),
      );
    }
    const target = await findOrRegisterPerson(tx, {
      slackUserId: input.targetSlackUserId,
      now,
      registeredBy: actor.slackUserId,
    });
    const departmentName = input.department?.trim() || undefined;
    if (!input.remove && DEPARTMENT_ROLES.includes(input.role) && !departmentName && !target.department) {
      throw new DomainError('person_department_required', { role: input.role });
    }
    if (input.remove && input.role === 'admin' && target.roles.includes('admin')) {
      const admins = await tx.person.count({ where: { roles: { has: 'admin' } } });
      if (admins <= 1) throw new DomainError('person_last_admin');
    }
    const roles = input.remove
      ? target.roles.filter((role) => role !== input.role)
      : target.roles.includes(input.role)
        ? target.roles
        : [...target.roles, input.role];
    const department = departmentName
      ? await tx.department.upsert({ where: { name: departmentName }, create: { name: departmentName }, update: {} })
      : undefined;
    const rolesChanged = roles.length !== target.roles.length;
    const departmentChanged = department !== undefined && department.name !== target.department;
    if (!rolesChanged && !departmentChanged) return { person: target, changed: false };
    const row = await tx.person.update({
      where: { id: target.id },
      data: { roles, ...(department && { departmentId: department.id }) },
      select: PERSON_PROFILE_SELECT,
    });
    await audit({
      action: input.remove ? 'person.role_removed' : 'person.role_assigned',
      subjectType: 'person',
      subjectId: target.slackUserId,
      details: {
        role: input.role,
        rolesBefore: target.roles,
        rolesAfter: roles,
        ...(departmentChanged && { departmentBefore: target.department, departmentAfter: department?.name }),
      },
    });
    return { person: toProfile(row), changed: true };
  });
}
