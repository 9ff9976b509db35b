import { loadViewer } from '../access/load-viewer.js';
import { insertRequest, type RequestCreated } from '../approvals/create-request.js';
import { approvalChain } from '../approvals/policy.js';
import { itemVisibility } from '../archive/archive-visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { readConfig } from '../settings/config-values.js';
import { localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import { type RawLoanInput, validateLoanInput } from './loan-input.js';
import { loanLevel } from './loan-level.js';

/**
 * `/kh request loan <volume>` (INFO-19, ARCH-28): a loan request through the approval
 * engine, on the view request's chain at the volume's level. A volume the requester may not
 * know of is answered exactly like an unknown code (SEC-3); one on loan or held for
 * destruction cannot be asked for; the due date is at most `loan_max_days` away.
 */
export function requestLoan(
  ctx: UseCaseContext,
  input: RawLoanInput & { volumeCode: string },
): Promise<RequestCreated> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, timeZone, me, refuse } = scope;
    const { volumeCode, ...raw } = input;
    if (me.roles.length === 0)
      return refuse(
        new DomainError('not_allowed', { action: 'request' }),
        denied('volume', volumeCode, 'request.loan'),
      );
    const { loan_max_days: maxDays } = await readConfig(tx);
    const validation = validateLoanInput(raw, localDateOf(now, timeZone), maxDays);
    if (!validation.ok) {
      if (validation.errors.dueOn?.code === 'loan_too_long') throw new DomainError('loan_too_long', { max: maxDays });
      throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });
    }
    const loan = validation.value;
    const viewer = await loadViewer(tx, me, now);
    const volume = await tx.volume.findUnique({
      where: { code: volumeCode },
      include: {
        customer: { select: { id: true, code: true, ownerId: true, secrecyLevel: true, secrecyUntil: true } },
      },
    });
    const seen = volume ? itemVisibility(viewer, volume.customer, volume, now) : 'hidden';
    if (!volume || seen === 'hidden') {
      return refuse(new DomainError('volume_not_found', { code: volumeCode }), {
        action: 'volume.view_refused',
        subjectType: 'volume',
        subjectId: volumeCode,
        details: { via: 'request.loan' },
      });
    }
    // Someone who may only know the volume exists does not learn where it is (on loan, held):
    // their request is filed, and its approval finds the volume out if it is.
    if (seen === 'visible' && volume.state !== 'in_box')
      throw new DomainError('volume_unavailable', { code: volume.code, state: volume.state });
    const open = await tx.request.findFirst({
      where: { requesterId: me.id, volumeId: volume.id, kind: 'loan', state: 'pending' },
      select: { code: true },
    });
    if (open) throw new DomainError('request_duplicate', { code: open.code });
    const level = loanLevel(volume, volume.customer, now);
    const chain = approvalChain('loan', level);
    if (chain.some((step) => step.roles.includes('dept_head')) && me.departmentId === null)
      throw new DomainError('request_no_department');
    return insertRequest(scope, {
      kind: 'loan',
      customer: { id: volume.customer.id, code: volume.customer.code },
      level,
      chain,
      fields: {
        purpose: loan.purpose,
        reason: loan.reason,
        requesterProfile: loan.requesterProfile,
        externalReference: null,
        recipient: null,
        volumeId: volume.id,
        loanMaterial: loan.material,
        loanCopies: loan.copies,
        loanDays: loan.dueOn.days,
      },
    });
  });
}
