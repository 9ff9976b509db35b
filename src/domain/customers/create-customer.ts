import { can } from '../access/capabilities.js';
import { nextCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findOrRegisterPerson } from '../people/ensure-person.js';
import { isUniqueViolation } from '../prisma-errors.js';
import { localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import type { ValidatedCustomer } from './customer-input.js';
import { assertNoDuplicate } from './find-duplicate.js';
import { nameKey, syncCustomerSearch } from './search-text.js';

export interface CustomerCreated {
  id: number;
  code: string;
  name: string;
  secrecyLevel: ValidatedCustomer['data']['secrecyLevel'];
  secrecyUntil: Date | null;
  ownerSlackUserId: string;
}

/**
 * INFO-4: registers a new customer with a standardized record and a readable code numbered
 * in acquisition order (DB-11). Duplicates (same name, or same credit code) are refused
 * (find-duplicate.ts says what the person is told). One transaction: the code, the record and its audit.
 */
export async function createCustomer(ctx: UseCaseContext, input: ValidatedCustomer): Promise<CustomerCreated> {
  try {
    return await runUseCase(ctx, async (scope) => {
      const { tx, now, timeZone, actor, me, audit, refuse } = scope;
      if (!can(me.roles, 'createCustomer')) {
        return refuse(new DomainError('not_allowed', { action: 'new' }), denied('customer', null, 'customer.create'));
      }
      await assertNoDuplicate(scope, input.data);
      const owner =
        input.ownerSlackUserId && input.ownerSlackUserId !== me.slackUserId
          ? await findOrRegisterPerson(tx, {
              slackUserId: input.ownerSlackUserId,
              now,
              registeredBy: actor.slackUserId,
            })
          : me;
      const year = localDateOf(now, timeZone).year;
      const code = await nextCode(tx, 'customer', year);
      const customer = await tx.customer.create({
        data: {
          ...input.data,
          code,
          nameKey: nameKey(input.data.name),
          ownerId: owner.id,
          createdById: me.id,
          createdAt: now,
        },
        select: { id: true, code: true, name: true, secrecyLevel: true, secrecyUntil: true, ownerId: true },
      });
      await syncCustomerSearch(tx, { ...customer, phone: input.data.phone });
      await audit({
        action: 'customer.created',
        subjectType: 'customer',
        subjectId: code,
        details: {
          kind: input.data.kind,
          secrecyLevel: input.data.secrecyLevel,
          secrecyUntil: input.data.secrecyUntil?.toISOString() ?? null,
          owner: owner.slackUserId,
        },
      });
      return { ...customer, ownerSlackUserId: owner.slackUserId };
    });
  } catch (error) {
    // Another request registered the same name or credit code between our check and insert.
    if (isUniqueViolation(error)) {
      await runUseCase(ctx, (scope) => assertNoDuplicate(scope, input.data));
    }
    throw error;
  }
}
