import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findOrRegisterPerson } from '../people/ensure-person.js';
import { denied, runUseCase } from '../use-case.js';
import { can } from './capabilities.js';

export interface CustodianChange {
  code: string;
  custodians: string[];
  changed: boolean;
}

/**
 * INFO-22 专人管理: supervisor and above name (or remove) the custodians of a customer, who
 * then see it whatever its level. The custodian must hold a role in the bot (INFO-17).
 */
export async function assignCustodian(
  ctx: UseCaseContext,
  input: { code: string; targetSlackUserId: string; remove?: boolean },
): Promise<CustodianChange> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!can(me.roles, 'manageSecrecy')) {
      return refuse(
        new DomainError('not_allowed', { action: 'custodian' }),
        denied('customer', input.code, input.remove ? 'custodian.remove' : 'custodian.assign'),
      );
    }
    const customer = await tx.customer.findUnique({ where: { code: input.code }, select: { id: true, code: true } });
    if (!customer) throw new DomainError('customer_not_found', { code: input.code });
    const target = await findOrRegisterPerson(tx, {
      slackUserId: input.targetSlackUserId,
      now,
      registeredBy: actor.slackUserId,
    });
    if (!input.remove && target.roles.length === 0)
      throw new DomainError('person_without_role', { user: target.slackUserId });
    const key = { customerId_personId: { customerId: customer.id, personId: target.id } };
    const existing = await tx.customerCustodian.findUnique({ where: key });
    let changed = false;
    if (input.remove && existing) {
      // A custodianship is not an audit event: removing the row is allowed and the audit keeps the history.
      await tx.customerCustodian.delete({ where: key });
      changed = true;
    } else if (!input.remove && !existing) {
      await tx.customerCustodian.create({
        data: { customerId: customer.id, personId: target.id, assignedById: me.id, assignedAt: now },
      });
      changed = true;
    }
    if (changed) {
      await audit({
        action: input.remove ? 'custodian.removed' : 'custodian.assigned',
        subjectType: 'customer',
        subjectId: customer.code,
        details: { custodian: target.slackUserId },
      });
    }
    const custodians = await tx.customerCustodian.findMany({
      where: { customerId: customer.id },
      select: { person: { select: { slackUserId: true } } },
      orderBy: { assignedAt: 'asc' },
    });
    return { code: customer.code, custodians: custodians.map((c) => c.person.slackUserId), changed };
  });
}
