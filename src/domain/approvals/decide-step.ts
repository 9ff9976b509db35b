import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { Tx, UseCaseContext } from '../context.js';
import { loadActor } from '../customers/load-actor.js';
import { DomainError } from '../errors.js';
import { isUniqueViolation } from '../prisma-errors.js';
import { approversOf, rolesActedFor } from './approvers.js';
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
  created: { kind: 'grant'; expiresAt: Date } | { kind: 'permission' } | null;
  /** False when an 'all of these' step still waits for other roles after this approval. */
  stepComplete: boolean;
}

const DAY_MS = 86_400_000;

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
export async function decideStep(
  ctx: UseCaseContext,
  input: { stepId: number; decision: 'approve' | 'reject'; comment?: string | null },
): Promise<DecisionOutcome> {
  const { db, now, actor } = ctx;
  const outcome = await db.$transaction(async (tx) => {
    const step = await tx.approvalStep.findUnique({ where: { id: input.stepId } });
    if (!step) return { error: new DomainError('request_not_found', { code: String(input.stepId) }) };
    const request = await tx.request.findUniqueOrThrow({ where: { id: step.requestId } });
    const me = await loadActor(tx, ctx);
    const person = await tx.person.findUniqueOrThrow({
      where: { id: me.id },
      select: { id: true, roles: true, departmentId: true },
    });
    if (request.state !== 'pending') {
      return { error: new DomainError('request_closed', { code: request.code, state: request.state }) };
    }
    if (step.state !== 'open') {
      return {
        error: new DomainError('step_already_decided', { code: request.code, user: step.decidedBy ?? '?' }),
      };
    }
    const actingRoles = rolesActedFor(person, step, request);
    if (actingRoles.length === 0) {
      await appendAuditEvent(tx, {
        at: now,
        actor: actor.slackUserId,
        action: 'access.denied',
        subjectType: 'request',
        subjectId: request.code,
        details: { attempted: `step.${input.decision}`, step: step.position },
      });
      return { error: new DomainError('not_allowed', { action: 'approve' }) };
    }
    if (step.mode === 'all' && input.decision === 'approve') {
      // One approval per role: take the first of this person's roles still without one.
      const given = await tx.stepApproval.findMany({ where: { stepId: step.id } });
      const role = actingRoles.find((r) => !given.some((g) => g.role === r));
      if (!role) {
        const mine = given.find((g) => actingRoles.includes(g.role));
        return { error: new DomainError('step_already_decided', { code: request.code, user: mine?.decidedBy ?? '?' }) };
      }
      try {
        await tx.stepApproval.create({ data: { stepId: step.id, role, decidedBy: actor.slackUserId, decidedAt: now } });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return { error: new DomainError('step_already_decided', { code: request.code, user: '?' }) };
      }
      if (given.length + 1 < step.roles.length) {
        await appendAuditEvent(tx, {
          at: now,
          actor: actor.slackUserId,
          action: 'request.step_role_approved',
          subjectType: 'request',
          subjectId: request.code,
          details: { step: step.position, role },
        });
        const partial = await loadRequestRow(tx, { id: request.id });
        if (!partial) throw new Error('request vanished inside its transaction');
        return {
          done: {
            request: toSummary(partial),
            decision: input.decision,
            by: actor.slackUserId,
            at: now,
            stepMessages: await stepMessages(tx, step.id),
            nextStep: null,
            created: null,
            stepComplete: false,
          },
        };
      }
    }
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
      return { error: new DomainError('step_already_decided', { code: request.code, user: current.decidedBy ?? '?' }) };
    }
    let nextStep: DecisionOutcome['nextStep'] = null;
    let created: DecisionOutcome['created'] = null;
    if (input.decision === 'reject') {
      await tx.request.update({ where: { id: request.id }, data: { state: 'rejected', decidedAt: now } });
      await tx.approvalStep.updateMany({
        where: { requestId: request.id, state: 'waiting' },
        data: { state: 'cancelled' },
      });
    } else {
      const next = await tx.approvalStep.findFirst({ where: { requestId: request.id, position: step.position + 1 } });
      if (next) {
        await tx.approvalStep.update({ where: { id: next.id }, data: { state: 'open', openedAt: now } });
        nextStep = { id: next.id, approvers: await approversOf(tx, next, request) };
      } else {
        await tx.request.update({ where: { id: request.id }, data: { state: 'approved', decidedAt: now } });
        if (request.kind === 'view') {
          const expiresAt = new Date(now.getTime() + request.grantDays * DAY_MS);
          await tx.accessGrant.create({
            data: {
              customerId: request.customerId,
              personId: request.requesterId,
              grantedById: person.id,
              reason: request.reason.slice(0, 500),
              requestId: request.id,
              startsAt: now,
              expiresAt,
              createdAt: now,
            },
          });
          created = { kind: 'grant', expiresAt };
        } else {
          await tx.permission.create({
            data: {
              requestId: request.id,
              kind: request.kind,
              customerId: request.customerId,
              personId: request.requesterId,
              createdAt: now,
            },
          });
          created = { kind: 'permission' };
        }
      }
    }
    await appendAuditEvent(tx, {
      at: now,
      actor: actor.slackUserId,
      action: input.decision === 'approve' ? 'request.step_approved' : 'request.step_rejected',
      subjectType: 'request',
      subjectId: request.code,
      details: {
        step: step.position,
        comment: input.comment ?? null,
        ...(created && { created: created.kind }),
        ...(created?.kind === 'grant' && { expiresAt: created.expiresAt.toISOString() }),
      },
    });
    const row = await loadRequestRow(tx, { id: request.id });
    if (!row) throw new Error('request vanished inside its transaction');
    return {
      done: {
        request: toSummary(row),
        decision: input.decision,
        by: actor.slackUserId,
        at: now,
        stepMessages: await stepMessages(tx, step.id),
        nextStep,
        created,
        stepComplete: true,
      },
    };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.done;
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
