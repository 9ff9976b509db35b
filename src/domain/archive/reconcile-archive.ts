import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, type SecrecyLevel } from '../access/visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from './archive-visibility.js';
import { needsClassifiedLocation } from './locations.js';

export type FindingKind =
  /** Marked as lent, but no loan in the register is out. */
  | 'on_loan_without_loan'
  /** A loan in the register is out, but the volume is marked as in its box. */
  | 'loan_but_in_box'
  /** A 机密/绝密 volume in a box not marked for classified material (INFO-22). */
  | 'unmarked_location'
  /** A volume with no documents in it. */
  | 'empty_volume';

export interface Finding {
  kind: FindingKind;
  volumeCode: string;
  level: SecrecyLevel;
  /** The loan concerned, if any. */
  loanCode: string | null;
  boxPath: string;
}

export interface Reconciliation {
  volumes: number;
  inBox: number;
  onLoan: number;
  held: number;
  findings: Finding[];
}

/**
 * `/kh reconcile` (INFO-15 账实相符, ARCH-21 not scattered, not lost): every volume is either
 * in its box or on an open loan; anything else is a finding. Codes and levels only.
 */
export function reconcileArchive(ctx: UseCaseContext): Promise<Reconciliation> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'reconcile' }),
        denied('archive', null, 'archive.reconcile'),
      );
    const viewer = await loadViewer(tx, me, now);
    const all = await tx.volume.findMany({
      select: {
        customer: { select: CUSTOMER_FOR_ARCHIVE },
        code: true,
        state: true,
        secrecyLevel: true,
        secrecyUntil: true,
        box: { select: { path: true, classified: true } },
        _count: { select: { documents: true } },
        loans: { where: { state: { in: ['approved', 'open'] } }, select: { code: true } },
      },
      orderBy: { code: 'asc' },
    });
    // What the archivist may not know of is the custodians' to reconcile (INFO-22): not counted, not listed.
    const volumes = all.filter((volume) => itemVisibility(viewer, volume.customer, volume, now) !== 'hidden');
    const findings: Finding[] = [];
    for (const volume of volumes) {
      const level = effectiveSecrecy(volume, now);
      const base = { volumeCode: volume.code, level, boxPath: volume.box.path };
      const loan = volume.loans[0];
      if (volume.state === 'on_loan' && !loan) findings.push({ kind: 'on_loan_without_loan', loanCode: null, ...base });
      if (volume.state !== 'on_loan' && loan) findings.push({ kind: 'loan_but_in_box', loanCode: loan.code, ...base });
      if (needsClassifiedLocation(level) && !volume.box.classified)
        findings.push({ kind: 'unmarked_location', loanCode: null, ...base });
      if (volume._count.documents === 0) findings.push({ kind: 'empty_volume', loanCode: null, ...base });
    }
    const result = {
      volumes: volumes.length,
      inBox: volumes.filter((v) => v.state === 'in_box').length,
      onLoan: volumes.filter((v) => v.state === 'on_loan').length,
      held: volumes.filter((v) => v.state === 'held').length,
      findings,
    };
    await audit({
      action: 'archive.reconciled',
      subjectType: 'archive',
      subjectId: null,
      details: { volumes: result.volumes, findings: findings.length },
    });
    return result;
  });
}
