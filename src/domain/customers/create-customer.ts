import { can } from '../access/capabilities.js';
import { nextCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findOrRegisterPerson } from '../people/ensure-person.js';
import { isUniqueViolation } from '../prisma-errors.js';
import { readConfig } from '../settings/config-values.js';
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
      // SEC-6: salespeople register at 秘密 (the default) or 机密; 公开 and 绝密 are decided above them.
      const level = input.data.secrecyLevel;
      if ((level === 'unclassified' || level === 'top_secret') && !can(me.roles, 'manageSecrecy')) {
        return refuse(
          new DomainError('not_allowed', { action: 'secrecy' }),
          denied('customer', null, 'customer.create', { level }),
        );
      }
      // SEC-6: a period that ends soon declassifies the customer soon: below supervisor, at
      // least secrecy_min_days (otherwise 公开 would be one day away for anyone).
      if (level !== 'unclassified' && input.data.secrecyUntil && !can(me.roles, 'manageSecrecy')) {
        const days = (await readConfig(tx)).secrecy_min_days;
        if (input.data.secrecyUntil.getTime() - now.getTime() < days * 86_400_000) {
          throw new DomainError('secrecy_period_too_short', { days });
        }
      }
      const custodianIds = level === 'top_secret' ? [...new Set(input.custodianSlackUserIds ?? [])] : [];
      if (level === 'top_secret' && custodianIds.length === 0) throw new DomainError('customer_custodians_required');
      if (custodianIds.includes(me.slackUserId)) throw new DomainError('custodian_self');
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
      for (const slackUserId of custodianIds) {
        const custodian = await findOrRegisterPerson(tx, { slackUserId, now, registeredBy: actor.slackUserId });
        if (custodian.roles.length === 0) throw new DomainError('person_without_role', { user: slackUserId });
        await tx.customerCustodian.create({
          data: { customerId: customer.id, personId: custodian.id, assignedById: me.id, assignedAt: now },
        });
        await audit({
          action: 'custodian.assigned',
          subjectType: 'customer',
          subjectId: code,
          details: { custodian: slackUserId },
        });
      }
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
