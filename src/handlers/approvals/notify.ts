/**
 * The Slack side of the approval engine: DM the approvers of an open step (and remember
 * where each copy went), update every copy once the step is decided, and tell the requester
 * in the thread of their request message. Failures to reach one person are logged and do not
 * stop the others; the decision itself is already committed.
 */
import type { webApi } from '@slack/bolt';
import { approvalBlocks, requestHeadline, requestSubject, threadStepText } from '../../blocks/approvals.js';
import { t, type UiLocale } from '../../blocks/i18n/index.js';
import { loanReceiptBlocks } from '../../blocks/loans.js';
import type { DecisionOutcome } from '../../domain/approvals/decide-step.js';
import { recordRequestThread, recordStepMessages, type StepMessage } from '../../domain/approvals/decide-step.js';
import type { RequestSummary } from '../../domain/approvals/request-view.js';
import { formatLocalDateTime } from '../../domain/time.js';
import type { HandlerDeps } from '../deps.js';

type Client = webApi.WebClient;

export async function messageApprovers(
  deps: HandlerDeps,
  client: Client,
  request: RequestSummary,
  stepId: number,
  approvers: readonly string[],
): Promise<void> {
  const locale = deps.defaultLocale;
  const results = await Promise.allSettled(
    approvers.map(async (approverId): Promise<StepMessage> => {
      const posted = await client.chat.postMessage({
        channel: approverId,
        text: requestHeadline(locale, request),
        blocks: approvalBlocks(locale, request, deps.timeZone, { stepId }),
      });
      if (!posted.channel || !posted.ts) throw new Error('chat.postMessage returned no channel or ts');
      return { approverId, channel: posted.channel, ts: posted.ts };
    }),
  );
  const delivered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (delivered.length < approvers.length) {
    deps.logger.error(
      { request: request.code, failed: approvers.length - delivered.length },
      'approval request not delivered to every approver',
    );
  }
  await recordStepMessages(deps.db, stepId, delivered);
}

/** Every copy of a decided (or cancelled) step's message now shows the outcome, without buttons. */
export async function updateStepMessages(
  deps: HandlerDeps,
  client: Client,
  request: RequestSummary,
  stepId: number,
  messages: readonly StepMessage[],
): Promise<void> {
  const locale = deps.defaultLocale;
  const results = await Promise.allSettled(
    messages.map((m) =>
      client.chat.update({
        channel: m.channel,
        ts: m.ts,
        text: requestHeadline(locale, request),
        blocks: approvalBlocks(locale, request, deps.timeZone, { stepId }),
      }),
    ),
  );
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed) deps.logger.error({ request: request.code, failed }, 'some approval messages could not be updated');
}

/** The requester's message that decisions are threaded under. */
export async function openRequesterThread(
  deps: HandlerDeps,
  client: Client,
  locale: UiLocale,
  request: RequestSummary,
): Promise<void> {
  const posted = await client.chat.postMessage({
    channel: request.requesterSlackUserId,
    text: t(locale, 'request.submitted', {
      code: request.code,
      kind: t(locale, `request.kind.${request.kind}`),
      customer: requestSubject(locale, request),
    }),
  });
  if (posted.channel && posted.ts)
    await recordRequestThread(deps.db, request.id, { channel: posted.channel, ts: posted.ts });
}

async function toRequester(client: Client, request: RequestSummary, text: string): Promise<void> {
  const { channel, threadTs } = request.requesterThread;
  await client.chat.postMessage({ channel, ...(threadTs && { thread_ts: threadTs }), text });
}

/** After a decision: update the step's copies, message the next approvers, tell the requester. */
export async function announceDecision(
  deps: HandlerDeps,
  client: Client,
  locale: UiLocale,
  stepId: number,
  outcome: DecisionOutcome,
): Promise<void> {
  const { request } = outcome;
  await updateStepMessages(deps, client, request, stepId, outcome.stepMessages);
  if (outcome.nextStep) await messageApprovers(deps, client, request, outcome.nextStep.id, outcome.nextStep.approvers);
  // A screened request's requester learns the outcome only (SEC-3: progress would confirm the code).
  if (request.screened && request.state === 'pending') return;
  const lines = [threadStepText(locale, request, stepId)];
  if (request.state === 'rejected') lines.push(t(locale, 'request.thread_rejected', { code: request.code }));
  if (outcome.created?.kind === 'grant') {
    lines.push(
      t(locale, 'request.thread_approved_view', {
        code: request.code,
        customer: request.customerCode,
        until: formatLocalDateTime(outcome.created.expiresAt, deps.timeZone),
      }),
    );
  }
  if (outcome.created?.kind === 'report_released')
    lines.push(
      t(locale, 'request.thread_approved_report_released', { code: request.report?.code ?? request.customerCode }) +
        (outcome.created.late ? t(locale, 'request.thread_approved_report_late') : ''),
    );
  if (outcome.created?.kind === 'report_destroyed')
    lines.push(
      t(locale, 'request.thread_approved_report_destroyed', { code: request.report?.code ?? request.customerCode }),
    );
  if (outcome.created?.kind === 'report_corrected')
    lines.push(t(locale, 'request.thread_approved_report_corrected', { code: request.code }));
  if (outcome.created?.kind === 'report_access')
    lines.push(
      t(locale, 'request.thread_approved_report_access', {
        code: request.code,
        series: requestSubject(locale, request),
        until: formatLocalDateTime(outcome.created.expiresAt, deps.timeZone),
      }),
    );
  if (outcome.created?.kind === 'destruction_approved')
    lines.push(
      t(locale, 'request.thread_approved_destruction', {
        code: request.destruction?.code ?? request.customerCode,
        until: outcome.created.holdUntil,
      }),
    );
  if (outcome.created?.kind === 'permission')
    lines.push(t(locale, 'request.thread_approved_permission', { code: request.code }));
  if (outcome.created?.kind === 'custodian' && request.custodian)
    lines.push(
      t(locale, 'request.thread_approved_custodian', {
        code: request.code,
        user: request.custodian,
        customer: request.customerCode,
      }),
    );
  await toRequester(client, request, lines.filter(Boolean).join('\n'));
  // INFO-19: the borrower signs the register when collecting the volume.
  if (outcome.created?.kind === 'loan' && request.loan) {
    const { channel, threadTs } = request.requesterThread;
    const loan = { code: outcome.created.code, volumeCode: request.loan.volumeCode, days: request.loan.days };
    await client.chat.postMessage({
      channel,
      ...(threadTs && { thread_ts: threadTs }),
      text: t(locale, 'loan.approved', { code: loan.code, volume: loan.volumeCode, days: loan.days }),
      blocks: loanReceiptBlocks(locale, loan),
    });
  }
}
