/**
 * Handover when someone leaves (STAT-12, STAT-13, STAT-14, and customers' ownership):
 * `/kh handover @from @to [materials]` builds the checklist of what the leaving person holds,
 * both people confirm it (one button each, confirming every item listed), and only when both
 * have confirmed does anything move — in one transaction, audited. Nothing is left without a
 * holder: what cannot move by itself (a loan still out, a custodianship nobody else holds)
 * blocks the handover until it is settled.
 *
 * What moves to the successor: the customers they own, the monthly submissions they collect
 * (ARCH-5), the volumes they are responsible for (the remarks sheet's person). What ends with
 * the handover: their pending requests (withdrawn) and their access grants (revoked). What
 * is only listed: the report drafts they compiled (the successor compiles them again) and the
 * materials and equipment the initiator listed (STAT-14).
 */
import type { SecrecyLevel } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { visibilityOf } from '../access/visibility.js';
import { nextCode } from '../codes.js';
import type { Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { storableText } from '../form-input.js';
import type { Role } from '../people/roles.js';
import { reportRequestClosed } from '../statistics/report-decisions.js';
import { localDateOf } from '../time.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { destructionClosed } from './destruction.js';

export interface HandoverChecklist {
  code: string;
  from: string;
  to: string;
  materials: string;
  /** Move to the successor on completion. */
  customers: string[];
  submissions: { department: string; material: string }[];
  volumes: string[];
  /** End on completion. */
  pendingRequests: string[];
  grants: number;
  /** Only listed. */
  reportDrafts: string[];
  /** Block the handover until settled. */
  openLoans: string[];
  soleCustodianships: string[];
  state: 'open' | 'done' | 'cancelled';
  fromConfirmed: boolean;
  toConfirmed: boolean;
}

/**
 * The checklist as one reader may see it (SEC-3): a customer they may not know of — a 绝密 one
 * outside its custodians — is neither listed nor counted (it moves with the rest; its owner
 * never saw it either). `reader` null: the whole list, for what moves.
 */
async function checklist(
  tx: Tx,
  row: {
    code: string;
    fromSlackUserId: string;
    toSlackUserId: string;
    materials: string;
    state: 'open' | 'done' | 'cancelled';
    fromConfirmedAt: Date | null;
    toConfirmedAt: Date | null;
  },
  now: Date,
  reader: { id: number; roles: Role[] } | null,
): Promise<HandoverChecklist & { personId: number }> {
  const person = await tx.person.findUniqueOrThrow({ where: { slackUserId: row.fromSlackUserId } });
  const viewer = reader ? await loadViewer(tx, reader, now) : null;
  const known = (customer: { id: number; ownerId: number; secrecyLevel: SecrecyLevel; secrecyUntil: Date | null }) =>
    viewer === null || visibilityOf(viewer, customer, now) !== 'hidden';
  const owned = await tx.customer.findMany({
    where: { ownerId: person.id },
    select: { id: true, code: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
    orderBy: { id: 'asc' },
  });
  const customers = owned.filter(known);
  const submissions = await tx.submissionRule.findMany({
    where: { responsibleId: person.id },
    include: { department: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  const volumes = await tx.volume.findMany({
    where: { responsibleId: person.id, state: { not: 'destroyed' } },
    select: { code: true },
    orderBy: { code: 'asc' },
  });
  const pending = await tx.request.findMany({
    where: { requesterId: person.id, state: 'pending' },
    select: { code: true },
    orderBy: { id: 'asc' },
  });
  const grants = await tx.accessGrant.count({
    where: { personId: person.id, revokedAt: null, expiresAt: { gt: now } },
  });
  const drafts = await tx.report.findMany({
    where: { compiledBy: row.fromSlackUserId, state: { not: 'released' } },
    select: { code: true },
  });
  const loans = await tx.loan.findMany({
    where: { borrowerId: person.id, state: { in: ['approved', 'open'] } },
    select: { code: true },
  });
  const custodianships = await tx.customerCustodian.findMany({
    where: { personId: person.id },
    select: {
      customer: {
        select: {
          id: true,
          code: true,
          ownerId: true,
          secrecyLevel: true,
          secrecyUntil: true,
          custodians: { select: { personId: true } },
        },
      },
    },
  });
  return {
    personId: person.id,
    code: row.code,
    from: row.fromSlackUserId,
    to: row.toSlackUserId,
    materials: row.materials,
    customers: customers.map((c) => c.code),
    submissions: submissions.map((s) => ({ department: s.department.name, material: s.material })),
    volumes: volumes.map((v) => v.code),
    pendingRequests: pending.map((r) => r.code),
    grants,
    reportDrafts: drafts.map((d) => d.code),
    openLoans: loans.map((l) => l.code),
    // Named only to whoever may know of them; the whole list (reader null) decides what blocks.
    soleCustodianships: custodianships
      .filter((c) => c.customer.custodians.length === 1)
      .filter((c) => known(c.customer))
      .map((c) => c.customer.code),
    state: row.state,
    fromConfirmed: row.fromConfirmedAt !== null,
    toConfirmed: row.toConfirmedAt !== null,
  };
}

/** Supervisor and above, or the leaving person's department head, start a handover. */
function mayStart(
  me: { roles: readonly Role[]; departmentId: number | null },
  from: { departmentId: number | null },
): boolean {
  return (
    can(me.roles, 'handOverCustomers') ||
    (me.roles.includes('dept_head') && me.departmentId !== null && me.departmentId === from.departmentId)
  );
}

export function startHandover(
  ctx: UseCaseContext,
  input: { from: string; to: string; materials: string },
): Promise<HandoverChecklist & { forFrom: HandoverChecklist; forTo: HandoverChecklist }> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, actor, audit, refuse }) => {
    const from = await tx.person.findUnique({ where: { slackUserId: input.from } });
    if (!from || !mayStart(me, from))
      return refuse(
        new DomainError('not_allowed', { action: 'handover' }),
        denied('person', input.from, 'handover.start', { to: input.to }),
      );
    const to = await tx.person.findUnique({ where: { slackUserId: input.to } });
    if (input.from === input.to) throw new DomainError('handover_same_person');
    // A department head does not hand a member's customers to themselves: that is for supervisor and above.
    if (input.to === actor.slackUserId && !can(me.roles, 'handOverCustomers'))
      return refuse(
        new DomainError('not_allowed', { action: 'handover' }),
        denied('person', input.from, 'handover.start', { to: input.to }),
      );
    if (!to || to.roles.length === 0) throw new DomainError('person_without_role', { user: input.to });
    const materials = storableText(input.materials).trim();
    if (materials.length > 2000) throw new DomainError('matter_text_invalid', { max: 2000 });
    // One open handover per person: two started at once must not both pass the check below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`handover:${input.from}`}))`;
    const open = await tx.handover.findFirst({
      where: { fromSlackUserId: input.from, state: 'open' },
      select: { code: true },
    });
    if (open) throw new DomainError('handover_open', { code: open.code });
    const code = await nextCode(tx, 'handover', localDateOf(now, timeZone).year);
    const row = await tx.handover.create({
      data: {
        code,
        fromSlackUserId: input.from,
        toSlackUserId: input.to,
        materials,
        createdBy: actor.slackUserId,
        createdAt: now,
      },
    });
    const list = await checklist(tx, row, now, me);
    await audit({
      action: 'handover.started',
      subjectType: 'handover',
      subjectId: code,
      details: {
        from: input.from,
        to: input.to,
        customers: list.customers.length,
        blocking: list.openLoans.length + list.soleCustodianships.length,
      },
    });
    // Each of the two gets the checklist as they may see it.
    return {
      ...withoutPerson(list),
      forFrom: withoutPerson(await checklist(tx, row, now, from)),
      forTo: withoutPerson(await checklist(tx, row, now, to)),
    };
  });
}

/**
 * One of the two confirms (the button). When both have, and nothing blocks, everything moves at
 * once; while something blocks, the confirmation is refused with what is left to settle.
 */
export function confirmHandover(ctx: UseCaseContext, code: string): Promise<HandoverChecklist> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, me, actor, audit, refuse } = scope;
    // Locked: the two confirmations, clicked at once, are taken one after the other.
    await tx.$queryRaw`SELECT id FROM "Handover" WHERE code = ${code} FOR UPDATE`;
    const row = await tx.handover.findUnique({ where: { code } });
    const side =
      row?.fromSlackUserId === actor.slackUserId ? 'from' : row?.toSlackUserId === actor.slackUserId ? 'to' : null;
    if (!row || !side)
      return refuse(
        new DomainError('not_allowed', { action: 'handover' }),
        denied('handover', code, 'handover.confirm'),
      );
    if (row.state !== 'open') throw new DomainError('handover_closed', { code });
    // What moves is decided on the whole list; what this person is shown, on what they may see.
    const list = await checklist(tx, row, now, null);
    const shownList = await checklist(tx, row, now, me);
    if (list.openLoans.length || list.soleCustodianships.length)
      throw new DomainError('handover_blocked', {
        loans: list.openLoans.length,
        custodianships: list.soleCustodianships.length,
      });
    const confirmed = await tx.handover.update({
      where: { id: row.id },
      data:
        side === 'from' ? { fromConfirmedAt: row.fromConfirmedAt ?? now } : { toConfirmedAt: row.toConfirmedAt ?? now },
    });
    await audit({ action: 'handover.confirmed', subjectType: 'handover', subjectId: code, details: { side } });
    const state = { fromConfirmed: confirmed.fromConfirmedAt !== null, toConfirmed: confirmed.toConfirmedAt !== null };
    if (!state.fromConfirmed || !state.toConfirmed) return { ...withoutPerson(shownList), ...state };
    await complete(scope, row.id, list);
    return { ...withoutPerson(shownList), ...state, state: 'done' };
  });
}

const withoutPerson = ({ personId: _personId, ...rest }: HandoverChecklist & { personId: number }): HandoverChecklist =>
  rest;

async function complete(scope: Scope, id: number, list: HandoverChecklist & { personId: number }): Promise<void> {
  const { tx, now, audit } = scope;
  const { me } = scope;
  const successor = await tx.person.findUniqueOrThrow({ where: { slackUserId: list.to } });
  // Nothing left without a holder: a successor who lost every role meanwhile holds nothing.
  if (successor.roles.length === 0) throw new DomainError('person_without_role', { user: list.to });
  const customers = await tx.customer.findMany({
    where: { ownerId: list.personId },
    select: { id: true, version: true },
  });
  // Each customer changes hands in its record (ARCH-30), and its search row knows its new owner (SEC-3).
  for (const customer of customers) {
    await tx.customer.update({
      where: { id: customer.id },
      data: { ownerId: successor.id, version: customer.version + 1 },
    });
    await tx.customerChange.create({
      data: {
        customerId: customer.id,
        version: customer.version + 1,
        field: 'ownerSlackUserId',
        oldValue: list.from,
        newValue: list.to,
        changedById: me.id,
        changedAt: now,
      },
    });
  }
  await tx.customerSearch.updateMany({ where: { ownerId: list.personId }, data: { ownerId: successor.id } });
  await tx.submissionRule.updateMany({
    where: { responsibleId: list.personId },
    data: { responsibleId: successor.id },
  });
  await tx.volume.updateMany({
    where: { responsibleId: list.personId, state: { not: 'destroyed' } },
    data: { responsibleId: successor.id, updatedAt: now },
  });
  // Withdrawn as their requester would: a report goes back to draft, a batch's volumes back to their boxes.
  const pending = await tx.request.findMany({ where: { requesterId: list.personId, state: 'pending' } });
  for (const request of pending) {
    await tx.request.update({ where: { id: request.id }, data: { state: 'withdrawn', decidedAt: now } });
    await tx.approvalStep.updateMany({
      where: { requestId: request.id, state: { in: ['open', 'waiting'] } },
      data: { state: 'cancelled' },
    });
    await reportRequestClosed(scope, request);
    if (request.kind === 'destruction') await destructionClosed(scope, request);
  }
  await tx.accessGrant.updateMany({
    where: { personId: list.personId, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  // Custodianships shared with someone else end; sole ones blocked the handover until resolved.
  await tx.customerCustodian.deleteMany({ where: { personId: list.personId } });
  const moved = {
    customers: list.customers,
    submissions: list.submissions,
    volumes: list.volumes,
    withdrawn: list.pendingRequests,
    grantsRevoked: list.grants,
    reportDrafts: list.reportDrafts,
  };
  await tx.handover.update({ where: { id }, data: { state: 'done', completedAt: now, moved } });
  await audit({
    action: 'handover.completed',
    subjectType: 'handover',
    subjectId: list.code,
    details: { from: list.from, to: list.to, ...moved },
  });
}

/** `/kh handover show <YJ-…>`: the checklist as it stands, for the two people and whoever may start one. */
export function showHandover(ctx: UseCaseContext, code: string): Promise<HandoverChecklist> {
  return runUseCase(ctx, async ({ tx, now, me, actor, refuse }) => {
    const row = await tx.handover.findUnique({ where: { code } });
    const from = row ? await tx.person.findUnique({ where: { slackUserId: row.fromSlackUserId } }) : null;
    const involved = row && (row.fromSlackUserId === actor.slackUserId || row.toSlackUserId === actor.slackUserId);
    if (!row || !from || !(involved || mayStart(me, from)))
      return refuse(new DomainError('not_allowed', { action: 'handover' }), denied('handover', code, 'handover.show'));
    if (row.state === 'open') return withoutPerson(await checklist(tx, row, now, me));
    // Finished: what moved then (never what the person holds now), as this reader may see it.
    const moved = (row.moved ?? {}) as Partial<{
      customers: string[];
      submissions: { department: string; material: string }[];
      volumes: string[];
      withdrawn: string[];
      grantsRevoked: number;
      reportDrafts: string[];
    }>;
    const viewer = await loadViewer(tx, me, now);
    const customers = await tx.customer.findMany({
      where: { code: { in: moved.customers ?? [] } },
      select: { id: true, code: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
      orderBy: { id: 'asc' },
    });
    return {
      code: row.code,
      from: row.fromSlackUserId,
      to: row.toSlackUserId,
      materials: row.materials,
      customers: customers.filter((c) => visibilityOf(viewer, c, now) !== 'hidden').map((c) => c.code),
      submissions: moved.submissions ?? [],
      volumes: moved.volumes ?? [],
      pendingRequests: moved.withdrawn ?? [],
      grants: moved.grantsRevoked ?? 0,
      reportDrafts: moved.reportDrafts ?? [],
      openLoans: [],
      soleCustodianships: [],
      state: row.state,
      fromConfirmed: row.fromConfirmedAt !== null,
      toConfirmed: row.toConfirmedAt !== null,
    };
  });
}

/**
 * `/kh handover cancel <YJ-…>`: an open handover is called off — by whoever started it, its two
 * people, or supervisor and above — so that a mistaken one never stands in the way of the right one.
 */
export function cancelHandover(ctx: UseCaseContext, code: string): Promise<{ code: string }> {
  return runUseCase(ctx, async ({ tx, now, me, actor, audit, refuse }) => {
    const row = await tx.handover.findUnique({ where: { code } });
    const allowed =
      row !== null &&
      (row.createdBy === actor.slackUserId ||
        row.fromSlackUserId === actor.slackUserId ||
        row.toSlackUserId === actor.slackUserId ||
        can(me.roles, 'handOverCustomers'));
    if (!row || !allowed)
      return refuse(
        new DomainError('not_allowed', { action: 'handover' }),
        denied('handover', code, 'handover.cancel'),
      );
    const { count } = await tx.handover.updateMany({
      where: { id: row.id, state: 'open' },
      data: { state: 'cancelled', completedAt: now },
    });
    if (count === 0) throw new DomainError('handover_closed', { code });
    await audit({ action: 'handover.cancelled', subjectType: 'handover', subjectId: code });
    return { code };
  });
}
