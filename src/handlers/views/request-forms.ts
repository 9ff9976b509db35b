import type { App } from '@slack/bolt';
import { RejectFormMetadata, RequestFormMetadata, readRequestForm, requestSubject } from '../../blocks/approvals.js';
import { formErrors } from '../../blocks/customer-form.js';
import { t } from '../../blocks/i18n/index.js';
import { ACTION, VIEW } from '../../blocks/ids.js';
import { createRequest } from '../../domain/approvals/create-request.js';
import { decideStep } from '../../domain/approvals/decide-step.js';
import { validateRequestInput } from '../../domain/approvals/request-input.js';
import { isReportPeriod } from '../../domain/statistics/report-periods.js';
import { requestReportAccess } from '../../domain/statistics/report-requests.js';
import { announceDecision, messageApprovers, openRequesterThread } from '../approvals/notify.js';
import type { HandlerDeps } from '../deps.js';
import { parseJsonField } from '../reply.js';
import { submission } from './submission.js';

/** The request form and the rejection-reason form. */
export function registerRequestForms(app: App, deps: HandlerDeps): void {
  submission(app, deps, VIEW.requestForm, { errorField: 'purpose' }, async ({ session, locale, view, client }) => {
    const metadata = RequestFormMetadata.safeParse(parseJsonField(view.private_metadata));
    if (!metadata.success) return { errors: { purpose: t(locale, 'fieldError.invalid_choice') } };
    const validation = validateRequestInput({
      ...readRequestForm(view.state.values),
      kind: metadata.data.kind,
      customerCode: metadata.data.code,
    });
    if (!validation.ok) {
      const { form, ...fields } = validation.errors;
      return { errors: formErrors(locale, form ? { ...fields, purpose: form } : fields) };
    }
    const input = validation.value;
    const created =
      input.kind === 'report_access' && isReportPeriod(input.customerCode)
        ? await requestReportAccess(session.ctx, {
            period: input.customerCode,
            purpose: input.purpose,
            reason: input.reason,
            requesterProfile: input.requesterProfile,
            recipient: input.requesterType === 'outsider' ? input.recipient : null,
            externalReference: input.externalReference,
          })
        : await createRequest(session.ctx, input);
    return {
      done: t(locale, 'request.submitted', {
        code: created.request.code,
        kind: t(locale, `request.kind.${created.request.kind}`),
        customer: requestSubject(locale, created.request),
      }),
      after: async () => {
        await openRequesterThread(deps, client, locale, created.request);
        const first = created.request.steps.find((s) => s.state === 'open');
        if (first) await messageApprovers(deps, client, created.request, first.id, created.approvers);
      },
    };
  });

  submission(app, deps, VIEW.rejectForm, { errorField: 'reason' }, async ({ session, locale, view, client }) => {
    const metadata = RejectFormMetadata.safeParse(parseJsonField(view.private_metadata));
    const reason = (view.state.values.reason?.[ACTION.fieldValue]?.value ?? '').trim();
    if (!metadata.success || !reason) return { errors: { reason: t(locale, 'fieldError.required') } };
    const outcome = await decideStep(session.ctx, {
      stepId: metadata.data.stepId,
      decision: 'reject',
      comment: reason,
    });
    return {
      close: true,
      after: () => announceDecision(deps, client, locale, metadata.data.stepId, outcome),
    };
  });
}
