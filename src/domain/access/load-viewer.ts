import type { Db, Tx } from '../context.js';
import type { PersonProfile } from '../people/person.js';
import type { Viewer } from './visibility.js';

/** The viewer behind a person: roles, active access grants and custodianships. */
export async function loadViewer(db: Db | Tx, person: Pick<PersonProfile, 'id' | 'roles'>, now: Date): Promise<Viewer> {
  // Sequential on purpose: inside a transaction both queries share one connection anyway.
  const grants = await db.accessGrant.findMany({
    where: { personId: person.id, revokedAt: null, startsAt: { lte: now }, expiresAt: { gt: now } },
    select: { customerId: true },
  });
  const custodianships = await db.customerCustodian.findMany({
    where: { personId: person.id },
    select: { customerId: true },
  });
  return {
    personId: person.id,
    roles: person.roles,
    grantedCustomerIds: new Set(grants.map((g) => g.customerId)),
    custodianOf: new Set(custodianships.map((c) => c.customerId)),
  };
}
