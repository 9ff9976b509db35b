import type { Db, Tx } from '../context.js';
import type { PersonProfile } from '../people/person.js';
import { effectiveSecrecy, levelRank, type Viewer } from './visibility.js';

/** The viewer behind a person: roles, active access grants and custodianships. */
export async function loadViewer(db: Db | Tx, person: Pick<PersonProfile, 'id' | 'roles'>, now: Date): Promise<Viewer> {
  // Sequential on purpose: inside a transaction both queries share one connection anyway.
  const grants = await db.accessGrant.findMany({
    where: { personId: person.id, revokedAt: null, startsAt: { lte: now }, expiresAt: { gt: now } },
    select: { customerId: true, level: true, customer: { select: { secrecyLevel: true, secrecyUntil: true } } },
  });
  // SEC-3: a grant covers the level it was approved at; a customer raised above it is closed
  // again (the grant is suspended, and lives again if the level comes back down).
  const covering = grants.filter((g) => levelRank(effectiveSecrecy(g.customer, now)) <= levelRank(g.level));
  const custodianships = await db.customerCustodian.findMany({
    where: { personId: person.id },
    select: { customerId: true },
  });
  return {
    personId: person.id,
    roles: person.roles,
    grantedCustomerIds: new Set(covering.map((g) => g.customerId)),
    custodianOf: new Set(custodianships.map((c) => c.customerId)),
  };
}
