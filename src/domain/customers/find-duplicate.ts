import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, type SecrecyLevel, VISIBILITY_POLICY, visibilityOf } from '../access/visibility.js';
import type { Tx } from '../context.js';
import type { Notice } from '../destination.js';
import { DomainError } from '../errors.js';
import type { Role } from '../people/roles.js';
import type { Scope } from '../use-case.js';
import { nameKey } from './search-text.js';

/**
 * Refuses a second customer with the same name (ignoring case and spaces) or the same
 * unified social credit code. A duplicate the person may read is named by its code, so they
 * open it instead. One they may not read is refused without its code or level, the same for
 * every level (SEC-3: the form must not be a way to learn which secret customers exist); the
 * probe is audited, and whoever may see the existing customer is told so that a real
 * duplicate is resolved by someone who can see both: the archivists for 秘密, the
 * supervisors for 机密, for 绝密 its custodians (the general managers when it has none).
 */
export async function assertNoDuplicate(
  scope: Scope,
  candidate: { name: string; creditCode: string | null },
  excludeId?: number,
): Promise<void> {
  const { tx, now, me } = scope;
  const key = nameKey(candidate.name);
  const existing = await tx.customer.findFirst({
    where: {
      OR: [{ nameKey: key }, ...(candidate.creditCode ? [{ creditCode: candidate.creditCode }] : [])],
      ...(excludeId !== undefined && { id: { not: excludeId } }),
    },
    select: { id: true, code: true, nameKey: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
  });
  if (!existing) return;
  const field = existing.nameKey === key ? 'name' : 'creditCode';
  if (visibilityOf(await loadViewer(tx, me, now), existing, now) === 'visible') {
    throw field === 'name'
      ? new DomainError('customer_duplicate_name', { code: existing.code })
      : new DomainError('customer_duplicate_credit_code', { code: existing.code });
  }
  const level = effectiveSecrecy(existing, now);
  const notice: Notice = {
    to: (await resolversOf(tx, existing.id, level)).map((channel) => ({ channel })),
    about: { kind: 'duplicate_probe', code: existing.code, field, by: me.slackUserId },
  };
  return scope.refuse(
    field === 'name'
      ? new DomainError('customer_duplicate_hidden_name')
      : new DomainError('customer_duplicate_hidden_credit_code'),
    {
      action: 'customer.duplicate_probe',
      subjectType: 'customer',
      subjectId: existing.code,
      details: { field, level },
    },
    notice.to.length > 0 ? [notice] : [],
  );
}

/** Who is told of a probe, by level: the first role (in this order) that may read it. */
const RESOLVER_ORDER: readonly Role[] = ['archivist', 'supervisor', 'service_manager', 'director', 'general_manager'];

async function resolversOf(tx: Tx, customerId: number, level: SecrecyLevel): Promise<string[]> {
  const topSecret = level === 'top_secret';
  if (topSecret) {
    const custodians = await tx.customerCustodian.findMany({
      where: { customerId },
      select: { person: { select: { slackUserId: true } } },
      orderBy: { personId: 'asc' },
    });
    if (custodians.length > 0) return custodians.map((c) => c.person.slackUserId);
  }
  // Someone who may read the existing customer, so a real duplicate is resolved by one who sees both.
  const readers = VISIBILITY_POLICY[level].roles;
  const role = RESOLVER_ORDER.find((r) => readers === 'any_role' || readers.includes(r)) ?? 'general_manager';
  const holders = await tx.person.findMany({
    where: { roles: { has: role } },
    select: { slackUserId: true },
    orderBy: { id: 'asc' },
  });
  return holders.map((h) => h.slackUserId);
}
