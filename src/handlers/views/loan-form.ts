import type { App } from '@slack/bolt';
import { formErrors } from '../../blocks/customer-form.js';
import { t } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { LoanFormMetadata, readLoanForm } from '../../blocks/loans.js';
import { validateLoanInput } from '../../domain/loans/loan-input.js';
import { requestLoan } from '../../domain/loans/request-loan.js';
import { configValues } from '../../domain/settings/config-values.js';
import { localDateOf } from '../../domain/time.js';
import { messageApprovers, openRequesterThread } from '../approvals/notify.js';
import type { HandlerDeps } from '../deps.js';
import { parseJsonField } from '../reply.js';
import { submission } from './submission.js';

/** The loan request form (INFO-19): checked beside its fields, then filed through the approval engine. */
export function registerLoanForm(app: App, deps: HandlerDeps): void {
  submission(
    app,
    deps,
    VIEW.loanForm,
    {
      errorField: 'material',
      fieldOf: (error) => (error.code === 'loan_too_long' ? 'dueOn' : undefined),
    },
    async ({ session, locale, view, client }) => {
      const metadata = LoanFormMetadata.safeParse(parseJsonField(view.private_metadata));
      if (!metadata.success) return { errors: { material: t(locale, 'fieldError.invalid_choice') } };
      const raw = readLoanForm(view.state.values);
      const { loan_max_days: maxDays } = await configValues(session.ctx);
      const validation = validateLoanInput(raw, localDateOf(session.ctx.now, session.ctx.timeZone), maxDays);
      if (!validation.ok) {
        const { form, ...fields } = validation.errors;
        return { errors: formErrors(locale, form ? { ...fields, material: form } : fields) };
      }
      const created = await requestLoan(session.ctx, { ...raw, volumeCode: metadata.data.code });
      return {
        done: t(locale, 'request.submitted', {
          code: created.request.code,
          kind: t(locale, 'request.kind.loan'),
          customer: metadata.data.code,
        }),
        after: async () => {
          await openRequesterThread(deps, client, locale, created.request);
          const first = created.request.steps.find((s) => s.state === 'open');
          if (first) await messageApprovers(deps, client, created.request, first.id, created.approvers);
        },
      };
    },
  );
}
