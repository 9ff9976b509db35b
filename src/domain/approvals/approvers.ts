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

type RequestShape = {
  requesterId: number;
  departmentId: number | null;
  targetPersonId?: number | null;
  customerId?: number | null;
};

/** Everyone who may decide a step now, as Slack ids: its role holders, and the customer's custodians when the step says so. */
export async function approversOf(
  tx: Tx,
  step: { roles: readonly Role[]; custodians?: boolean },
  request: RequestShape,
): Promise<string[]> {
  const candidates = await tx.person.findMany({
    where: { roles: { hasSome: [...step.roles] }, id: { not: request.requesterId } },
    select: { id: true, slackUserId: true, roles: true, departmentId: true },
    orderBy: { id: 'asc' },
  });
  const byRole = candidates.filter((p) => mayDecide(p, step, request)).map((p) => p.slackUserId);
  const keepers = await custodiansDeciding(tx, step, request);
  return [...new Set([...byRole, ...keepers.map((k) => k.slackUserId)])];
}

/** The customer's custodians who may decide a step that custodians decide (never the requester or the person named). */
async function custodiansDeciding(tx: Tx, step: { custodians?: boolean }, request: RequestShape) {
  if (!step.custodians || !request.customerId) return [];
  const rows = await tx.customerCustodian.findMany({
    where: { customerId: request.customerId },
    select: { person: { select: { id: true, slackUserId: true } } },
    orderBy: { personId: 'asc' },
  });
  return rows
    .map((row) => row.person)
    .filter((person) => person.id !== request.requesterId && person.id !== request.targetPersonId);
}

/** Whether this person decides the step as one of the customer's custodians (INFO-22). */
export async function decidesAsCustodian(
  tx: Tx,
  person: { id: number },
  step: { custodians?: boolean },
  request: RequestShape,
): Promise<boolean> {
  return (await custodiansDeciding(tx, step, request)).some((keeper) => keeper.id === person.id);
}
