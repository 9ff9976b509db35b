import { insertRequest, type RequestCreated } from '../approvals/create-request.js';
import { approvalChain } from '../approvals/policy.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findOrRegisterPerson } from '../people/ensure-person.js';
import { hasAnyRole } from '../people/roles.js';
import { denied, runUseCase } from '../use-case.js';
import { can } from './capabilities.js';
import { loadViewer } from './load-viewer.js';
import { effectiveSecrecy, visibilityOf } from './visibility.js';

export interface CustodianChange {
  kind: 'changed';
  code: string;
  custodians: string[];
  changed: boolean;
}

/** A custodian proposed by someone other than the general manager: a request for the GM to decide. */
export interface CustodianRequested {
  kind: 'requested';
  created: RequestCreated;
}

/**
 * INFO-22 专人管理: custodians see a customer whatever its level, so who becomes one is the
 * general manager's decision. Supervisor and above propose one (a request the general
 * manager approves or rejects, never the person named); the general manager names one at
 * once; nobody names themselves. Removing a custodian closes access and is done at once by
 * supervisor and above. The custodian must hold a role in the bot (INFO-17).
 */
export async function assignCustodian(
  ctx: UseCaseContext,
  input: { code: string; targetSlackUserId: string; remove?: boolean; reason?: string },
): Promise<CustodianChange | CustodianRequested> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, actor, me, audit, refuse } = scope;
    if (!can(me.roles, 'manageSecrecy')) {
      return refuse(
        new DomainError('not_allowed', { action: 'custodian' }),
        denied('customer', input.code, input.remove ? 'custodian.remove' : 'custodian.assign'),
      );
    }
    if (!input.remove && input.targetSlackUserId === me.slackUserId) {
      return refuse(new DomainError('custodian_self'), denied('customer', input.code, 'custodian.assign_self'));
    }
    const customer = await tx.customer.findUnique({
      where: { code: input.code },
      select: { id: true, code: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
    });
    // SEC-3: a customer hidden from the caller (绝密, not theirs to keep) is answered like an
    // unknown code, both audited: the command must not tell which codes are secret, or
    // who keeps them. The general manager names and removes 绝密 custodians.
    const visible = customer ? visibilityOf(await loadViewer(tx, me, now), customer, now) !== 'hidden' : false;
    if (!customer || !visible) {
      return refuse(new DomainError('customer_not_found', { code: input.code }), {
        action: 'customer.view_refused',
        subjectType: 'customer',
        subjectId: input.code,
        details: { level: null, via: 'custodian' },
      });
    }
    const target = await findOrRegisterPerson(tx, {
      slackUserId: input.targetSlackUserId,
      now,
      registeredBy: actor.slackUserId,
    });
    if (!input.remove && target.roles.length === 0)
      throw new DomainError('person_without_role', { user: target.slackUserId });
    if (!input.remove && !hasAnyRole(me.roles, ['general_manager'])) {
      const pending = await tx.request.findFirst({
        where: { kind: 'custodian', customerId: customer.id, targetPersonId: target.id, state: 'pending' },
        select: { code: true },
      });
      if (pending) throw new DomainError('request_duplicate', { code: pending.code });
      const created = await insertRequest(scope, {
        kind: 'custodian',
        customer,
        level: effectiveSecrecy(customer, now),
        chain: approvalChain('custodian', effectiveSecrecy(customer, now)),
        // The proposal's why, as the proposer typed it (the approval message shows it).
        fields: { purpose: '', reason: (input.reason ?? '').slice(0, 1000), requesterProfile: '' },
        targetPersonId: target.id,
      });
      return { kind: 'requested', created };
    }
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
      orderBy: [{ assignedAt: 'asc' }, { personId: 'asc' }],
    });
    return { kind: 'changed', code: customer.code, custodians: custodians.map((c) => c.person.slackUserId), changed };
  });
}
