import { effectiveSecrecy, levelRank } from '../access/visibility.js';
import type { Tx, UseCaseContext } from '../context.js';
import { destructionApproved, destructionClosed } from '../custody/destruction.js';
import { DomainError } from '../errors.js';
import { lendVolume } from '../loans/lend-volume.js';
import { loanLevel } from '../loans/loan-level.js';
import type { Role } from '../people/roles.js';
import { isUniqueViolation } from '../prisma-errors.js';
import {
  reportDecidedByItsAuthor,
  reportRequestApproved,
  reportRequestClosed,
} from '../statistics/report-decisions.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { approversOf, decidesAsCustodian, rolesActedFor } from './approvers.js';
import { approvalChain, DISTINCT_DECIDERS, isReportRequest } from './policy.js';
import { loadRequestRow, type RequestSummary, toSummary } from './request-view.js';

export interface StepMessage {
  approverId: string;
  channel: string;
  ts: string;
}

export interface DecisionOutcome {
  request: RequestSummary;
  decision: 'approve' | 'reject';
  by: string;
  at: Date;
  /** Every copy of the decided step's message, to be updated to show the decision. */
  stepMessages: StepMessage[];
  /** The step opened next and who may decide it, if the chain goes on. */
  nextStep: { id: number; approvers: string[] } | null;
  /** What the final approval created. */
  created:
    | { kind: 'grant'; expiresAt: Date }
    | { kind: 'permission' }
    | { kind: 'custodian' }
    | { kind: 'loan'; code: string }
    | { kind: 'report_released'; late: boolean }
    | { kind: 'report_destroyed' }
    | { kind: 'report_corrected' }
    | { kind: 'report_access'; expiresAt: Date }
    | { kind: 'destruction_approved'; holdUntil: string }
    | null;
  /** False when an 'all of these' step still waits for other roles after this approval. */
  stepComplete: boolean;
}

const DAY_MS = 86_400_000;

type StepRow = NonNullable<Awaited<ReturnType<Tx['approvalStep']['findUnique']>>>;
type RequestRow = Awaited<ReturnType<Tx['request']['findUniqueOrThrow']>>;
type Decision = { stepId: number; decision: 'approve' | 'reject'; comment?: string | null };

async function stepMessages(tx: Tx, stepId: number): Promise<StepMessage[]> {
  return tx.approvalMessage.findMany({
    where: { stepId },
    select: { approverId: true, channel: true, ts: true },
    orderBy: { id: 'asc' },
  });
}

/**
 * Decides an open step. The clicker must hold the step's role now (a department head only
 * for the requester's department), must not be the requester, and the step must still be
 * open; anyone else is refused and the attempt audited. A conditional update makes the
 * decision exactly once under double clicks, Slack retries and replicas: the loser learns
 * who decided. Approving the last step creates what was asked: an access grant with an
 * expiry for a view, a recorded permission for a copy or a provision.
 */
export function decideStep(ctx: UseCaseContext, input: Decision): Promise<DecisionOutcome> {
  return runUseCase(ctx, async (scope) => {
    const { step, request, actingRoles } = await openStepFor(scope, input);
    if (step.mode === 'all' && input.decision === 'approve') {
      const stillWaiting = await approveForOneRole(scope, step, request, actingRoles);
      if (stillWaiting)
        return outcome(scope, input, step, request, { nextStep: null, created: null, stepComplete: false });
    }
    await markDecided(scope, step, request, input);
    const next =
      input.decision === 'reject' ? await rejectRequest(scope, request) : await advanceRequest(scope, step, request);
    await scope.audit({
      action: input.decision === 'approve' ? 'request.step_approved' : 'request.step_rejected',
      subjectType: 'request',
      subjectId: request.code,
      details: {
        step: step.position,
        comment: input.comment ?? null,
        ...(next.created && { created: next.created.kind }),
        ...(next.created?.kind === 'grant' && { expiresAt: next.created.expiresAt.toISOString() }),
      },
    });
    return outcome(scope, input, step, request, { ...next, stepComplete: true });
  });
}

/**
 * The step and its request, refused unless the step is open and the actor may decide it now.
 * Who may decide is checked first: a person who may not learns nothing of the request (its
 * code, state or decider), and an unknown step id is answered the same way, both audited.
 */
async function openStepFor(scope: Scope, input: Decision) {
  const { tx, me, refuse } = scope;
  const step = await tx.approvalStep.findUnique({ where: { id: input.stepId } });
  // The request row is locked before any step is written, as a withdrawal does: a withdrawal
  // racing the last approval waits for it instead of deadlocking.
  await tx.$queryRaw`SELECT id FROM "Request" WHERE id = ${step?.requestId ?? -1} FOR UPDATE`;
  // Two lookups whether the step exists or not: the answer's timing says nothing either.
  const request = await tx.request.findUnique({ where: { id: step?.requestId ?? -1 } });
  const actingRoles = step && request ? rolesActedFor(me, step, request) : [];
  const mayAct =
    step !== null && request !== null && (actingRoles.length > 0 || (await decidesAsCustodian(tx, me, step, request)));
  if (!step || !request || !mayAct) {
    return refuse(
      new DomainError('not_allowed', { action: 'approve' }),
      denied('request', request?.code ?? null, `step.${input.decision}`, {
        stepId: input.stepId,
        ...(step && { step: step.position }),
      }),
    );
  }
  if (await decidesTwice(scope, step, request)) {
    return refuse(
      new DomainError('decider_not_distinct', { code: request.code }),
      denied('request', request.code, `step.${input.decision}`, {
        stepId: input.stepId,
        step: step.position,
        reason: 'not_distinct',
      }),
    );
  }
  if (request.state !== 'pending') {
    return refuse(new DomainError('request_closed', { code: request.code, state: request.state }));
  }
  if (step.state !== 'open') {
    return refuse(new DomainError('step_already_decided', { code: request.code, user: step.decidedBy ?? '?' }));
  }
  if (request.customerId === null && isAboutCustomer(request) && input.decision === 'approve') {
    throw new DomainError('request_unknown_customer', { code: request.customerCode });
  }
  return { step, request, actingRoles };
}

/** A request about a customer (not a report, not a destruction batch): a null customer means an unknown code. */
const isAboutCustomer = (request: RequestRow) => !isReportRequest(request.kind) && request.kind !== 'destruction';

/**
 * Everyone who decided a step of the request other than `stepId`: its decider, and in an "all
 * of" step each role's approver (the step's decider is only the last of them).
 */
async function earlierDeciders(tx: Tx, requestId: number, stepId: number): Promise<string[]> {
  const steps = await tx.approvalStep.findMany({
    where: { requestId, id: { not: stepId } },
    select: { decidedBy: true, approvals: { select: { decidedBy: true } } },
  });
  return steps.flatMap((s) => [...(s.decidedBy ? [s.decidedBy] : []), ...s.approvals.map((a) => a.decidedBy)]);
}

/**
 * INFO-13 (and the joint appraisal of an "all of these" step): where the policy wants distinct
 * people, one who decided another step of the request, or compiled the report to be released,
 * may not decide this one — someone holding both reviewers' roles signs once.
 */
async function decidesTwice(scope: Scope, step: StepRow, request: RequestRow): Promise<boolean> {
  if (!DISTINCT_DECIDERS.includes(request.kind)) return false;
  const { tx, actor } = scope;
  const others = (await earlierDeciders(tx, request.id, step.id)).includes(actor.slackUserId);
  if (others) return true;
  return isReportRequest(request.kind) && (await reportDecidedByItsAuthor(tx, request, actor.slackUserId));
}

/**
 * An "all of these" step takes one approval per role: the first of the actor's roles still
 * without one. Returns true while other roles still have to approve.
 */
async function approveForOneRole(scope: Scope, step: StepRow, request: RequestRow, actingRoles: Role[]) {
  const { tx, now, actor, refuse } = scope;
  const given = await tx.stepApproval.findMany({ where: { stepId: step.id } });
  const role = actingRoles.find((r) => !given.some((g) => g.role === r));
  // Jointly means two people: one holding both roles approves once.
  if (given.some((g) => g.decidedBy === actor.slackUserId)) {
    return refuse(new DomainError('step_already_decided', { code: request.code, user: actor.slackUserId }));
  }
  if (!role) {
    const mine = given.find((g) => actingRoles.includes(g.role));
    return refuse(new DomainError('step_already_decided', { code: request.code, user: mine?.decidedBy ?? '?' }));
  }
  try {
    await tx.stepApproval.create({ data: { stepId: step.id, role, decidedBy: actor.slackUserId, decidedAt: now } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return refuse(new DomainError('step_already_decided', { code: request.code, user: '?' }));
  }
  if (given.length + 1 >= step.roles.length) return false;
  await scope.audit({
    action: 'request.step_role_approved',
    subjectType: 'request',
    subjectId: request.code,
    details: { step: step.position, role },
  });
  return true;
}

/** The conditional update that makes a decision exactly once; the loser learns who decided. */
async function markDecided(scope: Scope, step: StepRow, request: RequestRow, input: Decision): Promise<void> {
  const { tx, now, actor, refuse } = scope;
  const { count } = await tx.approvalStep.updateMany({
    where: { id: step.id, state: 'open' },
    data: {
      state: input.decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: actor.slackUserId,
      decidedAt: now,
      comment: input.comment ?? null,
    },
  });
  if (count === 0) {
    const current = await tx.approvalStep.findUniqueOrThrow({ where: { id: step.id } });
    refuse(new DomainError('step_already_decided', { code: request.code, user: current.decidedBy ?? '?' }));
  }
}

type Next = Pick<DecisionOutcome, 'nextStep' | 'created'>;

async function rejectRequest(scope: Scope, request: RequestRow): Promise<Next> {
  const { tx, now } = scope;
  await tx.request.update({ where: { id: request.id }, data: { state: 'rejected', decidedAt: now } });
  await tx.approvalStep.updateMany({
    where: { requestId: request.id, state: 'waiting' },
    data: { state: 'cancelled' },
  });
  if (isReportRequest(request.kind)) await reportRequestClosed(scope, request);
  if (request.kind === 'destruction') await destructionClosed(scope, request);
  return { nextStep: null, created: null };
}

/** Opens the next step, or, after the last one, creates what was asked. */
async function advanceRequest(scope: Scope, step: StepRow, request: RequestRow): Promise<Next> {
  const { tx, now } = scope;
  const rerouted = await rerouteIfRaised(scope, request);
  if (rerouted) return rerouted;
  const next = await tx.approvalStep.findFirst({ where: { requestId: request.id, position: step.position + 1 } });
  if (next) {
    await tx.approvalStep.update({ where: { id: next.id }, data: { state: 'open', openedAt: now } });
    const approvers = await approversOf(tx, next, request);
    // Those who may not decide it (they decided an earlier step) are not asked to.
    const decided = DISTINCT_DECIDERS.includes(request.kind) ? await earlierDeciders(tx, request.id, next.id) : [];
    return { nextStep: { id: next.id, approvers: approvers.filter((a) => !decided.includes(a)) }, created: null };
  }
  await tx.request.update({ where: { id: request.id }, data: { state: 'approved', decidedAt: now } });
  return { nextStep: null, created: await grantWhatWasAsked(scope, request) };
}

/**
 * The customer was raised above the level the request's chain was built for (SEC-3): what
 * was approved for 秘密 must not open 绝密. The steps already approved that the new chain
 * also has, in the same places, stand; the rest of the old chain is cancelled and the new
 * chain's remaining steps are added and the first opened (its approvers are told like any
 * next step). Null when the level is not above the request's.
 */
async function rerouteIfRaised(scope: Scope, request: RequestRow): Promise<Next | null> {
  const { tx, now, audit } = scope;
  if (request.customerId === null) return null;
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: request.customerId },
    select: { secrecyLevel: true, secrecyUntil: true },
  });
  // A loan is of a volume, whose level may be above its customer's (and is never below it).
  const volume =
    request.volumeId !== null
      ? await tx.volume.findUniqueOrThrow({
          where: { id: request.volumeId },
          select: { secrecyLevel: true, secrecyUntil: true },
        })
      : null;
  const level = volume ? loanLevel(volume, customer, now) : effectiveSecrecy(customer, now);
  if (levelRank(level) <= levelRank(request.level)) return null;
  const chain = approvalChain(request.kind, level);
  const steps = await tx.approvalStep.findMany({ where: { requestId: request.id }, orderBy: { position: 'asc' } });
  let kept = 0;
  while (
    kept < chain.length &&
    steps[kept]?.state === 'approved' &&
    sameRoles(steps[kept]?.roles ?? [], chain[kept]?.roles ?? [])
  ) {
    kept++;
  }
  await tx.approvalStep.updateMany({
    where: { requestId: request.id, position: { gte: kept }, state: { in: ['waiting', 'open'] } },
    data: { state: 'cancelled' },
  });
  const after = (steps.at(-1)?.position ?? -1) + 1;
  const added = chain.slice(kept);
  for (const [i, rule] of added.entries()) {
    await tx.approvalStep.create({
      data: {
        requestId: request.id,
        position: after + i,
        roles: [...rule.roles],
        mode: rule.mode ?? 'any',
        custodians: rule.custodians ?? false,
        state: i === 0 ? 'open' : 'waiting',
        openedAt: i === 0 ? now : null,
      },
    });
  }
  await tx.request.update({ where: { id: request.id }, data: { level } });
  await audit({
    action: 'request.rerouted',
    subjectType: 'request',
    subjectId: request.code,
    details: { from: request.level, to: level, kept, added: added.map((rule) => rule.roles) },
  });
  const raised = { ...request, level };
  if (added.length === 0) {
    // The new chain is approved already (its steps were a prefix of the old one).
    await tx.request.update({ where: { id: request.id }, data: { state: 'approved', decidedAt: now } });
    return { nextStep: null, created: await grantWhatWasAsked(scope, raised) };
  }
  const first = await tx.approvalStep.findFirstOrThrow({ where: { requestId: request.id, position: after } });
  return { nextStep: { id: first.id, approvers: await approversOf(tx, first, raised) }, created: null };
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * A view: an access grant with an expiry (INFO-18). A loan: the volume lent (INFO-19). A copy
 * or a provision: a recorded permission. A report request: report-decisions.ts.
 */
async function grantWhatWasAsked(scope: Scope, request: RequestRow): Promise<NonNullable<DecisionOutcome['created']>> {
  const { tx, now, me } = scope;
  if (isReportRequest(request.kind)) return reportRequestApproved(scope, request);
  if (request.kind === 'destruction') return destructionApproved(scope, request);
  const customerId = request.customerId;
  // openStepFor refuses to approve a request whose code matches no customer.
  if (customerId === null) throw new Error(`request ${request.code} has no customer to grant`);
  if (request.kind === 'view') {
    const expiresAt = new Date(now.getTime() + request.grantDays * DAY_MS);
    await tx.accessGrant.create({
      data: {
        customerId,
        personId: request.requesterId,
        grantedById: me.id,
        reason: request.reason.slice(0, 500),
        requestId: request.id,
        startsAt: now,
        expiresAt,
        createdAt: now,
        // It covers the level its chain was approved for, no higher (SEC-3).
        level: request.level,
      },
    });
    return { kind: 'grant', expiresAt };
  }
  if (request.kind === 'loan') return { kind: 'loan', code: await lendVolume(scope, request) };
  if (request.kind === 'custodian' && request.targetPersonId !== null) {
    // INFO-22: the general manager's approval names the custodian (once, whatever else happened).
    await tx.customerCustodian.upsert({
      where: { customerId_personId: { customerId, personId: request.targetPersonId } },
      create: {
        customerId,
        personId: request.targetPersonId,
        assignedById: me.id,
        assignedAt: now,
      },
      update: {},
    });
    const target = await tx.person.findUniqueOrThrow({ where: { id: request.targetPersonId } });
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId } });
    await scope.audit({
      action: 'custodian.assigned',
      subjectType: 'customer',
      subjectId: customer.code,
      details: { custodian: target.slackUserId, request: request.code },
    });
    return { kind: 'custodian' };
  }
  await tx.permission.create({
    data: {
      requestId: request.id,
      kind: request.kind,
      customerId,
      personId: request.requesterId,
      createdAt: now,
      // INFO-23: an approved copy is made within the request's days (the exporter is its handler).
      expiresAt: request.kind === 'copy' ? new Date(now.getTime() + request.grantDays * DAY_MS) : null,
      level: request.level,
    },
  });
  return { kind: 'permission' };
}

async function outcome(
  scope: Scope,
  input: Decision,
  step: StepRow,
  request: RequestRow,
  rest: Pick<DecisionOutcome, 'nextStep' | 'created' | 'stepComplete'>,
): Promise<DecisionOutcome> {
  const row = await loadRequestRow(scope.tx, { id: request.id });
  if (!row) throw new Error('request vanished inside its transaction');
  return {
    request: toSummary(row, scope.now),
    decision: input.decision,
    by: scope.actor.slackUserId,
    at: scope.now,
    stepMessages: await stepMessages(scope.tx, step.id),
    ...rest,
  };
}

/** Keeps where each approver's copy of a step's message is, so all copies can be updated. */
export async function recordStepMessages(
  db: UseCaseContext['db'],
  stepId: number,
  messages: readonly StepMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await db.approvalMessage.createMany({ data: messages.map((m) => ({ stepId, ...m })), skipDuplicates: true });
}

/** Keeps the requester's message that decisions are threaded under. */
export async function recordRequestThread(
  db: UseCaseContext['db'],
  requestId: number,
  thread: { channel: string; ts: string },
): Promise<void> {
  await db.request.update({ where: { id: requestId }, data: { threadChannel: thread.channel, threadTs: thread.ts } });
}
