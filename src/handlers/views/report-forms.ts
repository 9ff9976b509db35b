import type { App } from '@slack/bolt';
import { formErrors } from '../../blocks/customer-form.js';
import { t } from '../../blocks/i18n/index.js';
import { ACTION, VIEW } from '../../blocks/ids.js';
import { CorrectionFormMetadata, periodLabel, ReportFormMetadata } from '../../blocks/reports.js';
import { compileReport } from '../../domain/statistics/compile-report.js';
import { EXPLANATION_FIELDS, validateExplanation } from '../../domain/statistics/report-input.js';
import { parsePeriod } from '../../domain/statistics/report-periods.js';
import { proposeCorrection, validateCorrection } from '../../domain/statistics/report-requests.js';
import { messageApprovers, openRequesterThread } from '../approvals/notify.js';
import type { HandlerDeps } from '../deps.js';
import { failureText, parseJsonField } from '../reply.js';
import { submission } from './submission.js';

/** The compile form (STAT-15, STAT-16, STAT-17) and the correction slip (INFO-11). */
export function registerReportForms(app: App, deps: HandlerDeps): void {
  submission(app, deps, VIEW.reportForm, { errorField: 'text' }, async ({ session, locale, view }) => {
    const period = parsePeriod(ReportFormMetadata.safeParse(parseJsonField(view.private_metadata)).data?.period ?? '');
    const firstField = period?.period === 'month' ? 'text' : 'indicators';
    if (!period) return { errors: { [firstField]: t(locale, 'error.report_period_invalid') } };
    const raw = Object.fromEntries(
      EXPLANATION_FIELDS.map((field) => [field, view.state.values[field]?.[ACTION.fieldValue]?.value ?? '']),
    );
    const validation = validateExplanation(period.period, raw);
    if (!validation.ok) {
      const { form, ...fields } = validation.errors;
      return { errors: formErrors(locale, form ? { ...fields, [firstField]: form } : fields) };
    }
    try {
      const { report } = await compileReport(session.ctx, { period: period.key, explanation: validation.value });
      return { done: t(locale, 'report.compiled_done', { code: report.code, period: periodLabel(locale, report) }) };
    } catch (error) {
      // A quarter's or a year's form has no `text` field: the refusal goes beside its first one.
      return { errors: { [firstField]: failureText(deps, locale, error, `view ${VIEW.reportForm}`) } };
    }
  });

  submission(app, deps, VIEW.correctionForm, { errorField: 'corrected' }, async ({ session, locale, view, client }) => {
    const code = CorrectionFormMetadata.safeParse(parseJsonField(view.private_metadata)).data?.code ?? '';
    const values = view.state.values;
    const item = values.item?.[ACTION.fieldValue]?.selected_option?.value ?? '';
    const corrected = (values.corrected?.[ACTION.fieldValue]?.value ?? '').trim();
    const reason = (values.reason?.[ACTION.fieldValue]?.value ?? '').trim();
    const validation = validateCorrection({ item, corrected, reason });
    if (!validation.ok) return { errors: formErrors(locale, validation.errors) };
    const created = await proposeCorrection(session.ctx, { code, item, corrected, reason });
    return {
      done: t(locale, 'report.correction_submitted', { request: created.request.code, code }),
      after: async () => {
        await openRequesterThread(deps, client, locale, created.request);
        const first = created.request.steps.find((s) => s.state === 'open');
        if (first) await messageApprovers(deps, client, created.request, first.id, created.approvers);
      },
    };
  });
}
