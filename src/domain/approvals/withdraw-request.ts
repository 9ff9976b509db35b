import type { UseCaseContext } from '../context.js';
import { destructionClosed } from '../custody/destruction.js';
import { DomainError } from '../errors.js';
import { reportRequestClosed } from '../statistics/report-decisions.js';
import { runUseCase } from '../use-case.js';
import type { StepMessage } from './decide-step.js';
import { loadRequestRow, type RequestSummary, toSummary } from './request-view.js';

/**
 * The requester withdraws an open request; its open step is cancelled. Returns that step and
 * where its messages are, so that every copy can be updated (the handler renders and sends).
 */
export async function withdrawRequest(
  ctx: UseCaseContext,
  code: string,
): Promise<{ request: RequestSummary; cancelledStep: { id: number; messages: StepMessage[] } | null }> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, me, audit } = scope;
    const request = await tx.request.findUnique({ where: { code } });
    if (!request || request.requesterId !== me.id) throw new DomainError('request_not_found', { code });
    const { count } = await tx.request.updateMany({
      where: { id: request.id, state: 'pending' },
      data: { state: 'withdrawn', decidedAt: now },
    });
    if (count === 0) throw new DomainError('request_closed', { code, state: request.state });
    const open = await tx.approvalStep.findMany({
      where: { requestId: request.id, state: { in: ['open', 'waiting'] } },
    });
    await tx.approvalStep.updateMany({
      where: { requestId: request.id, state: { in: ['open', 'waiting'] } },
      data: { state: 'cancelled' },
    });
    await reportRequestClosed(scope, request);
    if (request.kind === 'destruction') await destructionClosed(scope, request);
    await audit({ action: 'request.withdrawn', subjectType: 'request', subjectId: code });
    const openStep = open.find((step) => step.state === 'open');
    const messages = openStep
      ? await tx.approvalMessage.findMany({
          where: { stepId: openStep.id },
          select: { approverId: true, channel: true, ts: true },
          orderBy: { id: 'asc' },
        })
      : [];
    const row = await loadRequestRow(tx, { id: request.id });
    if (!row) throw new Error('request vanished inside its transaction');
    return { request: toSummary(row, now), cancelledStep: openStep ? { id: openStep.id, messages } : null };
  });
}
