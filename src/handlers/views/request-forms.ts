import type { App } from '@slack/bolt';
import { RejectFormMetadata, RequestFormMetadata, readRequestForm } from '../../blocks/approvals.js';
import { t } from '../../blocks/i18n/index.js';
import { ACTION, VIEW } from '../../blocks/ids.js';
import { createRequest } from '../../domain/approvals/create-request.js';
import { decideStep } from '../../domain/approvals/decide-step.js';
import { MAX_GRANT_DAYS } from '../../domain/approvals/policy.js';
import { announceDecision, messageApprovers, openRequesterThread } from '../approvals/notify.js';
import { beginSession, type HandlerDeps } from '../deps.js';
import { failureText, parseJsonField } from '../reply.js';

const done = (text: string, title: string, close: string) => ({
  response_action: 'update' as const,
  view: {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: title },
    close: { type: 'plain_text' as const, text: close },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
  },
});

/** The request form and the rejection-reason form. */
export function registerRequestForms(app: App, deps: HandlerDeps): void {
  app.view(VIEW.requestForm, async ({ ack, body, view, client }) => {
    let locale = deps.defaultLocale;
    try {
      const session = await beginSession(deps, body.user.id);
      locale = session.locale;
      const metadata = RequestFormMetadata.safeParse(parseJsonField(view.private_metadata));
      if (!metadata.success) {
        await ack({ response_action: 'errors', errors: { purpose: t(locale, 'fieldError.invalid_choice') } });
        return;
      }
      const form = readRequestForm(view.state.values);
      const errors: Record<string, string> = {};
      for (const field of ['purpose', 'reason', 'requesterProfile'] as const) {
        if (!form[field]) errors[field] = t(locale, 'fieldError.required');
      }
      if (metadata.data.kind === 'provide' && !form.recipient) errors.recipient = t(locale, 'fieldError.required');
      const days = form.grantDays ? Number(form.grantDays) : undefined;
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_GRANT_DAYS)) {
        errors.grantDays = t(locale, 'fieldError.not_an_integer');
      }
      if (Object.keys(errors).length > 0) {
        await ack({ response_action: 'errors', errors });
        return;
      }
      const created = await createRequest(session.ctx, {
        kind: metadata.data.kind,
        customerCode: metadata.data.code,
        purpose: form.purpose,
        reason: form.reason,
        requesterProfile: form.requesterProfile,
        externalReference: form.externalReference || null,
        recipient: form.recipient || null,
        grantDays: days ?? null,
      });
      const text = t(locale, 'request.submitted', {
        code: created.request.code,
        kind: t(locale, `request.kind.${created.request.kind}`),
        customer: created.request.customerCode,
      });
      await ack(done(text, t(locale, 'modal.done.title'), t(locale, 'modal.close')));
      await openRequesterThread(deps, client, locale, created.request);
      const first = created.request.steps.find((s) => s.state === 'open');
      if (first) await messageApprovers(deps, client, created.request, first.id, created.approvers);
    } catch (error) {
      await ack({
        response_action: 'errors',
        errors: { purpose: failureText(deps, locale, error, 'view request_form') },
      }).catch(() => {});
    }
  });

  app.view(VIEW.rejectForm, async ({ ack, body, view, client }) => {
    let locale = deps.defaultLocale;
    try {
      const session = await beginSession(deps, body.user.id);
      locale = session.locale;
      const metadata = RejectFormMetadata.safeParse(parseJsonField(view.private_metadata));
      const reason = (view.state.values.reason?.[ACTION.fieldValue]?.value ?? '').trim();
      if (!metadata.success || !reason) {
        await ack({ response_action: 'errors', errors: { reason: t(locale, 'fieldError.required') } });
        return;
      }
      const outcome = await decideStep(session.ctx, {
        stepId: metadata.data.stepId,
        decision: 'reject',
        comment: reason,
      });
      await ack();
      await announceDecision(deps, client, locale, metadata.data.stepId, outcome);
    } catch (error) {
      await ack({
        response_action: 'errors',
        errors: { reason: failureText(deps, locale, error, 'view reject_form') },
      }).catch(() => {});
    }
  });
}
