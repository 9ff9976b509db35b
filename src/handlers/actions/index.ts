import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { rejectFormView } from '../../blocks/approvals.js';
import { customerCardBlocks, customerCardText } from '../../blocks/customer-card.js';
import { destructionRegisterXlsx } from '../../blocks/destruction.js';
import { findResultsBlocks, findResultsText } from '../../blocks/find-results.js';
import { handoverBlocks, handoverText } from '../../blocks/handover.js';
import { t } from '../../blocks/i18n/index.js';
import { ACTION } from '../../blocks/ids.js';
import { incidentReportBlocks } from '../../blocks/incident.js';
import { decideStep } from '../../domain/approvals/decide-step.js';
import { revokeExposedAccess } from '../../domain/approvals/revoke-approval.js';
import { parseCode } from '../../domain/codes.js';
import { confirmDestruction } from '../../domain/custody/destruction.js';
import { confirmHandover } from '../../domain/custody/handover.js';
import { FIND_MAX_PAGE, FIND_MAX_QUERY_LENGTH, findCustomers } from '../../domain/customers/find-customers.js';
import { showCustomer } from '../../domain/customers/show-customer.js';
import { DomainError } from '../../domain/errors.js';
import { advanceIncident } from '../../domain/incidents/advance-incident.js';
import { getIncidentReport } from '../../domain/incidents/get-incident-report.js';
import { receiveLoan } from '../../domain/loans/receive-loan.js';
import { formatLocalDateTime } from '../../domain/time.js';
import { announceDecision } from '../approvals/notify.js';
import { openEditForm } from '../commands/customers.js';
import { beginSession, type HandlerDeps, type Session } from '../deps.js';
import { failureText, parseJsonField, sendFileToDm } from '../reply.js';

const FindPageValue = z.object({
  q: z.string().min(1).max(FIND_MAX_QUERY_LENGTH),
  page: z.number().int().min(1).max(FIND_MAX_PAGE),
});

function codeFrom(value: string | undefined): string {
  const code = parseCode('customer', value ?? '');
  // A button value that is not a code was not rendered by us.
  if (!code) throw new DomainError('customer_not_found', { code: (value ?? '').slice(0, 20) });
  return code;
}

type ButtonWork = (input: {
  session: Session;
  body: BlockButtonAction;
  value: string | undefined;
  respond: (message: object) => Promise<unknown>;
  client: Parameters<Parameters<App['action']>[1]>[0]['client'];
}) => Promise<void>;

/** Registers a button: ack first, then the work; failures become an ephemeral message. */
function button(app: App, deps: HandlerDeps, actionId: string, work: ButtonWork): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    let locale = deps.defaultLocale;
    try {
      const session = await beginSession(deps, body.user.id);
      locale = session.locale;
      await work({ session, body, value: action.value, respond, client });
    } catch (error) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: failureText(deps, locale, error, `action ${actionId}`),
      });
    }
  });
}

export function registerActions(app: App, deps: HandlerDeps): void {
  button(app, deps, ACTION.findNextPage, async ({ session, value, respond }) => {
    const parsed = FindPageValue.safeParse(parseJsonField(value));
    if (!parsed.success) throw new DomainError('invalid_input', { reason: 'query_length', max: FIND_MAX_QUERY_LENGTH });
    const result = await findCustomers(session.ctx, { query: parsed.data.q, page: parsed.data.page });
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: findResultsText(session.locale, result),
      blocks: findResultsBlocks(session.locale, result),
    });
  });

  button(app, deps, ACTION.showCustomer, async ({ session, value, respond }) => {
    const shown = await showCustomer(session.ctx, codeFrom(value));
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: customerCardText(shown),
      blocks: customerCardBlocks(session.locale, shown, deps.timeZone),
    });
  });

  button(app, deps, ACTION.editCustomer, async ({ session, value, body, client }) => {
    await openEditForm(session, codeFrom(value), client, body.trigger_id);
  });

  // Approve and reject (which asks for a reason first). The value is the step id.
  button(app, deps, ACTION.approveStep, async ({ session, value, client }) => {
    const stepId = stepIdFrom(value);
    const outcome = await decideStep(session.ctx, { stepId, decision: 'approve' });
    await announceDecision(deps, client, session.locale, stepId, outcome);
  });

  button(app, deps, ACTION.rejectStep, async ({ session, value, body, client }) => {
    const stepId = stepIdFrom(value);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: rejectFormView(session.locale, stepId, `#${stepId}`),
    });
  });

  // INFO-19: the borrower signs for the volume; the value is the loan code.
  button(app, deps, ACTION.receiveLoan, async ({ session, value, respond }) => {
    const received = await receiveLoan(session.ctx, parseCode('loan', value ?? '') ?? '');
    await respond({
      replace_original: true,
      text: t(session.locale, 'loan.received', {
        code: received.code,
        volume: received.volumeCode,
        due: received.dueOn,
      }),
    });
  });

  // ARCH-29: the supervisor named for a destruction confirms it; the register goes to them and the proposer.
  button(app, deps, ACTION.confirmDestruction, async ({ session, value, respond, client }) => {
    const code = parseCode('destruction', value ?? '') ?? '';
    const destroyed = await confirmDestruction(session.ctx, code);
    await respond({
      replace_original: true,
      text: t(session.locale, 'destruction.confirmed', { code, count: destroyed.items.length }),
    });
    const register = await destructionRegisterXlsx(session.locale, destroyed, deps.timeZone);
    for (const person of new Set([destroyed.supervisor, destroyed.proposedBy])) {
      await sendFileToDm(client, person, {
        bytes: register,
        filename: `${code}.xlsx`,
        title: t(session.locale, 'destruction.register_file', { code }),
      });
    }
  });

  // STAT-13, STAT-14: each of a handover's two people confirms its checklist; the message shows where it stands.
  button(app, deps, ACTION.confirmHandover, async ({ session, value, respond }) => {
    const confirmed = await confirmHandover(session.ctx, parseCode('handover', value ?? '') ?? '');
    await respond({
      replace_original: true,
      text: handoverText(session.locale, confirmed),
      blocks: handoverBlocks(session.locale, confirmed),
    });
  });

  button(app, deps, ACTION.incidentRevokeExposed, async ({ session, value, respond }) => {
    const code = parseCode('incident', value ?? '');
    if (!code) throw new DomainError('incident_not_found', { code: (value ?? '').slice(0, 20) });
    const { revoked } = await revokeExposedAccess(session.ctx, code);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: t(session.locale, 'incident.revoked', { count: revoked, code }),
    });
  });

  for (const [actionId, to] of [
    [ACTION.incidentRemedied, 'remedied'],
    [ACTION.incidentClosed, 'closed'],
  ] as const) {
    button(app, deps, actionId, async ({ session, value, respond }) => {
      const code = parseCode('incident', value ?? '');
      if (!code) throw new DomainError('incident_not_found', { code: (value ?? '').slice(0, 20) });
      const advanced = await advanceIncident(session.ctx, { code, to });
      const { report, status } = await getIncidentReport(session.ctx, code);
      const note = t(session.locale, 'incident.advanced', {
        code,
        status: t(session.locale, `incident.status.${advanced.status}`),
        user: advanced.by,
        at: formatLocalDateTime(advanced.at, deps.timeZone),
      });
      await respond({
        replace_original: true,
        text: note,
        blocks: [
          ...incidentReportBlocks(session.locale, report, status, deps.timeZone),
          { type: 'context', elements: [{ type: 'mrkdwn', text: note }] },
        ],
      });
    });
  }
}

/** A value that is not a step id was not rendered by us: step 0, which the domain refuses like any step the clicker may not decide. */
function stepIdFrom(value: string | undefined): number {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}
