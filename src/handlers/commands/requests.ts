import { requestFormView, requestKindOf } from '../../blocks/approvals.js';
import { t } from '../../blocks/i18n/index.js';
import { loanFormView } from '../../blocks/loans.js';
import { revokeApproval } from '../../domain/approvals/revoke-approval.js';
import { withdrawRequest } from '../../domain/approvals/withdraw-request.js';
import { parseCode } from '../../domain/codes.js';
import { configValues } from '../../domain/settings/config-values.js';
import { isReportPeriod } from '../../domain/statistics/report-periods.js';
import { updateStepMessages } from '../approvals/notify.js';
import type { CommandContext } from './command-context.js';

/**
 * `/kh request view|copy|provide <customer code>` opens the form (`/kh request loan <volume code>`
 * the loan form); `/kh request withdraw
 * <request code>` withdraws one's own; `/kh request revoke <request code>` ends what an
 * approved one opened.
 */
export async function request({ session, args, reply, client, triggerId, deps }: CommandContext): Promise<void> {
  const [first, second, extra] = args.split(/\s+/).filter(Boolean);
  const verb = first?.toLowerCase();
  if (verb === 'revoke') {
    const code = second ? parseCode('request', second) : undefined;
    if (!code || extra) {
      await reply({ text: t(session.locale, 'usage.request') });
      return;
    }
    const revoked = await revokeApproval(session.ctx, code);
    await reply({ text: t(session.locale, `request.revoked.${revoked.what}`, { code }) });
    return;
  }
  if (verb === 'withdraw') {
    const code = second ? parseCode('request', second) : undefined;
    if (!code || extra) {
      await reply({ text: t(session.locale, 'usage.request') });
      return;
    }
    const { request: withdrawn, cancelledStep } = await withdrawRequest(session.ctx, code);
    if (cancelledStep?.messages.length) {
      await updateStepMessages(deps, client, withdrawn, cancelledStep.id, cancelledStep.messages);
    }
    await reply({ text: t(session.locale, 'request.withdrawn', { code }) });
    return;
  }
  if (verb === 'loan') {
    const volumeCode = second ? parseCode('volume', second) : undefined;
    if (!volumeCode || extra) return void (await reply({ text: t(session.locale, 'usage.request_loan') }));
    const { loan_max_days: maxDays } = await configValues(session.ctx);
    await client.views.open({
      trigger_id: triggerId,
      view: loanFormView(session.locale, { code: volumeCode }, maxDays),
    });
    return;
  }
  if (verb === 'report') {
    const period = second?.toLowerCase();
    if (!period || !isReportPeriod(period) || extra)
      return void (await reply({ text: t(session.locale, 'usage.request_report') }));
    await client.views.open({
      trigger_id: triggerId,
      view: requestFormView(session.locale, { kind: 'report_access', code: period }),
    });
    return;
  }
  const kind = requestKindOf(verb);
  const code = second ? parseCode('customer', second) : undefined;
  if (!kind || !code || extra) {
    await reply({ text: t(session.locale, 'usage.request') });
    return;
  }
  await client.views.open({ trigger_id: triggerId, view: requestFormView(session.locale, { kind, code }) });
}
