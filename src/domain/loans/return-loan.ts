import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from '../archive/archive-visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { compareLocalDates, localDateFromDbDate, localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';

export interface LoanReturned {
  code: string;
  volumeCode: string;
  boxPath: string;
  borrower: string;
  /** Returned after its due date. */
  late: boolean;
}

/**
 * INFO-20, ARCH-28: the archivist takes the volume back and cancels the loan in the register
 * (注销), with who and when; the volume is back in its box. A loan approved but never signed
 * for is cancelled the same way. A second return is refused and changes nothing.
 */
export function returnLoan(ctx: UseCaseContext, code: string): Promise<LoanReturned> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(new DomainError('not_allowed', { action: 'return' }), denied('loan', code, 'loan.return'));
    const viewer = await loadViewer(tx, me, now);
    const loan = await tx.loan.findUnique({
      where: { code },
      include: {
        volume: {
          select: {
            id: true,
            code: true,
            secrecyLevel: true,
            secrecyUntil: true,
            box: { select: { path: true } },
            customer: { select: CUSTOMER_FOR_ARCHIVE },
          },
        },
        borrower: { select: { slackUserId: true } },
      },
    });
    // A loan of a volume the archivist may not know of is answered like an unknown code (SEC-3).
    if (!loan || itemVisibility(viewer, loan.volume.customer, loan.volume, now) === 'hidden') {
      return refuse(new DomainError('loan_not_found', { code }), {
        action: 'loan.view_refused',
        subjectType: 'loan',
        subjectId: code,
        details: { via: 'return' },
      });
    }
    const { count } = await tx.loan.updateMany({
      where: { id: loan.id, state: { in: ['approved', 'open'] } },
      data: { state: 'returned', returnedAt: now, returnedById: me.id },
    });
    if (count === 0) throw new DomainError('loan_closed', { code, state: 'returned' });
    await tx.volume.updateMany({
      where: { id: loan.volume.id, state: 'on_loan' },
      data: { state: 'in_box', updatedAt: now },
    });
    const late =
      loan.dueOn !== null && compareLocalDates(localDateOf(now, timeZone), localDateFromDbDate(loan.dueOn)) > 0;
    await audit({
      action: 'loan.returned',
      subjectType: 'loan',
      subjectId: code,
      details: { volume: loan.volume.code, borrower: loan.borrower.slackUserId, late, wasState: loan.state },
    });
    return {
      code,
      volumeCode: loan.volume.code,
      boxPath: loan.volume.box.path,
      borrower: loan.borrower.slackUserId,
      late,
    };
  });
}
