import type { Request } from '../../generated/prisma/client.js';
import { nextCode } from '../codes.js';
import { DomainError } from '../errors.js';
import { localDateOf } from '../time.js';
import type { Scope } from '../use-case.js';

/**
 * INFO-19, ARCH-28: the last approval of a loan request enters it in the loan register and
 * takes the volume off the shelf. The volume is claimed with a conditional update, so of two
 * loans of one volume approved at once exactly one wins; the other approval is refused (and
 * rolled back) with the volume's state, and its approver can reject it.
 */
export async function lendVolume(scope: Scope, request: Request): Promise<string> {
  const { tx, now, timeZone, audit } = scope;
  if (request.volumeId === null) throw new Error(`loan request ${request.code} has no volume`);
  const { count } = await tx.volume.updateMany({
    where: { id: request.volumeId, state: 'in_box' },
    data: { state: 'on_loan', updatedAt: now },
  });
  if (count === 0) {
    const volume = await tx.volume.findUniqueOrThrow({ where: { id: request.volumeId } });
    throw new DomainError('volume_unavailable', { code: volume.code, state: volume.state });
  }
  const code = await nextCode(tx, 'loan', localDateOf(now, timeZone).year);
  const loan = await tx.loan.create({
    data: {
      code,
      volumeId: request.volumeId,
      requestId: request.id,
      borrowerId: request.requesterId,
      material: request.loanMaterial ?? '',
      copies: request.loanCopies ?? 1,
      reason: request.reason,
      days: request.loanDays ?? 0,
      approvedAt: now,
    },
    include: { volume: { select: { code: true } } },
  });
  await audit({
    action: 'loan.approved',
    subjectType: 'loan',
    subjectId: code,
    details: { volume: loan.volume.code, request: request.code, days: loan.days },
  });
  return code;
}
