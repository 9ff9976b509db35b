import type { Tx } from '../context.js';
import type { Role } from '../people/roles.js';

/** The step's roles this person may act for (a dept_head only for the request's department); none for the requester. */
export function rolesActedFor(
  person: { id: number; roles: readonly Role[]; departmentId: number | null },
  step: { roles: readonly Role[] },
  request: { requesterId: number; departmentId: number | null; targetPersonId?: number | null },
): Role[] {
  // Nobody decides their own request, nor one that would name them custodian (INFO-22).
  if (person.id === request.requesterId || person.id === request.targetPersonId) return [];
  return step.roles.filter((role) =>
    role === 'dept_head'
      ? person.roles.includes('dept_head') &&
        request.departmentId !== null &&
        person.departmentId === request.departmentId
      : person.roles.includes(role),
  );
}

/** A person may decide a step if they hold one of its roles (a dept_head only for the request's department) and did not ask. */
export function mayDecide(
  person: { id: number; roles: readonly Role[]; departmentId: number | null },
  step: { roles: readonly Role[] },
  request: { requesterId: number; departmentId: number | null; targetPersonId?: number | null },
): boolean {
  return rolesActedFor(person, step, request).length > 0;
}

/** Everyone who may decide a step now, as Slack ids. */
export async function approversOf(
  tx: Tx,
  step: { roles: readonly Role[] },
  request: { requesterId: number; departmentId: number | null; targetPersonId?: number | null },
): Promise<string[]> {
  const candidates = await tx.person.findMany({
    where: { roles: { hasSome: [...step.roles] }, id: { not: request.requesterId } },
    select: { id: true, slackUserId: true, roles: true, departmentId: true },
    orderBy: { id: 'asc' },
  });
  return candidates.filter((p) => mayDecide(p, step, request)).map((p) => p.slackUserId);
}
