import { can } from '../access/capabilities.js';
import type { UseCaseContext } from '../context.js';
import type { Notice } from '../destination.js';
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
  /** A role under dual control was proposed and waits for a second admin's confirmation. */
  pending?: boolean;
  /** The other admins, told of a proposal. */
  notices?: Notice[];
}

/**
 * Roles that open top-secret material, approve copies, or grant roles: two admins grant
 * them (SEC-3), and the one confirming is neither the proposer nor the person named.
 * ADMIN_USER_IDS (the operator, at start) is the way in for the first admins.
 */
export const DUAL_CONTROL_ROLES: readonly Role[] = ['general_manager', 'deputy_gm', 'admin'];
const PROPOSAL_DAYS = 7;

/**
 * An admin grants or removes a role, optionally setting the person's department.
 * Refused (and audited) for anyone who is not an admin; the last admin cannot be removed.
 * general_manager and deputy_gm take two admins: the first proposes (the other admins are
 * told), a different admin confirms with the same command within seven days.
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
    let proposal: { id: number; proposedBy: string } | null = null;
    if (!input.remove && DUAL_CONTROL_ROLES.includes(input.role) && !target.roles.includes(input.role)) {
      // Nobody confirms a role for themselves.
      proposal =
        target.id === me.id
          ? null
          : await tx.roleProposal.findFirst({
              where: {
                targetId: target.id,
                role: input.role,
                confirmedAt: null,
                proposedBy: { not: me.slackUserId },
                proposedAt: { gt: new Date(now.getTime() - PROPOSAL_DAYS * 86_400_000) },
              },
              orderBy: { id: 'desc' },
              select: { id: true, proposedBy: true },
            });
      if (!proposal) {
        await tx.roleProposal.create({
          data: {
            targetId: target.id,
            role: input.role,
            department: departmentName ?? null,
            proposedBy: me.slackUserId,
            proposedAt: now,
          },
        });
        await audit({
          action: 'person.role_proposed',
          subjectType: 'person',
          subjectId: target.slackUserId,
          details: { role: input.role },
        });
        const admins = await tx.person.findMany({
          where: { roles: { has: 'admin' }, slackUserId: { not: me.slackUserId } },
          select: { slackUserId: true },
          orderBy: { id: 'asc' },
        });
        const about = {
          kind: 'role_proposed' as const,
          user: target.slackUserId,
          role: input.role,
          by: me.slackUserId,
        };
        return {
          person: target,
          changed: false,
          pending: true,
          notices: admins.length > 0 ? [{ to: admins.map((a) => ({ channel: a.slackUserId })), about }] : [],
        };
      }
      await tx.roleProposal.update({
        where: { id: proposal.id },
        data: { confirmedBy: me.slackUserId, confirmedAt: now },
      });
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
        ...(proposal && { proposedBy: proposal.proposedBy }),
        ...(departmentChanged && { departmentBefore: target.department, departmentAfter: department?.name }),
      },
    });
    return { person: toProfile(row), changed: true };
  });
}
