import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { runUseCase } from '../use-case.js';
import type { StepMessage } from './decide-step.js';
import { loadRequestRow, type RequestSummary, toSummary } from './request-view.js';

/** The requester withdraws an open request; its open step is cancelled and its messages can be updated. */
export async function withdrawRequest(
  ctx: UseCaseContext,
  code: string,
): Promise<{ request: RequestSummary; stepMessages: StepMessage[] }> {
  return runUseCase(ctx, async ({ tx, now, me, audit }) => {
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
    await audit({ action: 'request.withdrawn', subjectType: 'request', subjectId: code });
    const messages = await tx.approvalMessage.findMany({
      where: { stepId: { in: open.map((s) => s.id) } },
      select: { approverId: true, channel: true, ts: true },
    });
    const row = await loadRequestRow(tx, { id: request.id });
    if (!row) throw new Error('request vanished inside its transaction');
    return { request: toSummary(row), stepMessages: messages };
  });
}
