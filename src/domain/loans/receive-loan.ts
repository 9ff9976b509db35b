import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { addDays, dbDateFromLocalDate, formatLocalDate, localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';

export interface LoanReceived {
  code: string;
  volumeCode: string;
  /** The last day (company calendar) the volume may be out, YYYY-MM-DD. */
  dueOn: string;
}

/**
 * INFO-19: the borrower signs the register for what they received (a button in Slack). The
 * loan opens; its due date is the length asked for, counted from today. Only the borrower
 * signs; anyone else, and an unknown code, is refused alike and audited. A second click
 * changes nothing and is told so.
 */
export function receiveLoan(ctx: UseCaseContext, code: string): Promise<LoanReceived> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, audit, refuse }) => {
    const loan = await tx.loan.findUnique({ where: { code }, include: { volume: { select: { code: true } } } });
    if (!loan || loan.borrowerId !== me.id)
      return refuse(new DomainError('not_allowed', { action: 'loan_receipt' }), denied('loan', code, 'loan.receive'));
    const due = addDays(localDateOf(now, timeZone), loan.days);
    const { count } = await tx.loan.updateMany({
      where: { id: loan.id, state: 'approved' },
      data: { state: 'open', outAt: now, dueOn: dbDateFromLocalDate(due) },
    });
    if (count === 0) throw new DomainError('loan_closed', { code, state: loan.state });
    await audit({
      action: 'loan.received',
      subjectType: 'loan',
      subjectId: code,
      details: { volume: loan.volume.code, dueOn: formatLocalDate(due) },
    });
    return { code, volumeCode: loan.volume.code, dueOn: formatLocalDate(due) };
  });
}
