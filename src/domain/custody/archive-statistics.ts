/**
 * ARCH-25: the archive's statistics for a period (a month, a quarter or a year): how much there
 * is, what was collected and organised, how it was kept, how it was used, the store's
 * equipment and its staff. Counts only — no customer, no code — for those who keep or oversee
 * the archive. `/kh archive [period]`, in Slack and as .xlsx.
 */
import { can } from '../access/capabilities.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { hasEnded, monthsOf, type Period, parsePeriod } from '../statistics/report-periods.js';
import { dbDateFromLocalDate, localDateOf, startOfLocalDay } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import { monthBefore } from './submission-rules.js';

export interface ArchiveStatistics {
  period: Period;
  /** The period is still running: its figures are so far. */
  partial: boolean;
  quantity: {
    volumes: Record<'in_box' | 'on_loan' | 'held' | 'destroyed', number>;
    documents: number;
    customers: number;
  };
  collection: { documentsFiled: number; submissionsReceived: number; submissionsLate: number };
  organisation: { volumesOpened: number };
  custody: { inspectionsDone: number; findings: number; findingsClosed: number; findingsOpen: number };
  use: { loansLent: number; loansReturned: number; loansOverdueNow: number; viewsApproved: number };
  destruction: { batchesDestroyed: number; volumesDestroyed: number };
  equipment: { boxes: number; classifiedBoxes: number };
  staff: { archivists: number };
}

export function archiveStatistics(ctx: UseCaseContext, periodText: string | null): Promise<ArchiveStatistics> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, refuse }) => {
    if (!can(me.roles, 'manageArchive') && !can(me.roles, 'readLoanRegister'))
      return refuse(
        new DomainError('not_allowed', { action: 'archive' }),
        denied('archive', null, 'archive.statistics'),
      );
    const today = localDateOf(now, timeZone);
    const period = parsePeriod(periodText ?? monthBefore(today));
    if (!period) throw new DomainError('report_period_invalid');
    const months = monthsOf(period);
    const first = { year: period.year, month: period.firstMonth, day: 1 };
    const after =
      period.lastMonth === 12
        ? { year: period.year + 1, month: 1, day: 1 }
        : { year: period.year, month: period.lastMonth + 1, day: 1 };
    const from = startOfLocalDay(first, timeZone);
    const to = startOfLocalDay(after, timeZone);
    const within = { gte: from, lt: to };
    const byState = await tx.volume.groupBy({ by: ['state'], _count: { _all: true } });
    const volumes = { in_box: 0, on_loan: 0, held: 0, destroyed: 0 };
    for (const row of byState) volumes[row.state] = row._count._all;
    const customers = (await tx.volume.findMany({ distinct: ['customerId'], select: { customerId: true } })).length;
    const destroyedBatches = await tx.destructionBatch.findMany({
      where: { state: 'destroyed', destroyedAt: within },
      select: { _count: { select: { items: true } } },
    });
    return {
      period,
      partial: !hasEnded(period, today),
      quantity: { volumes, documents: await tx.document.count(), customers },
      collection: {
        documentsFiled: await tx.document.count({ where: { filedAt: within } }),
        submissionsReceived: await tx.submission.count({ where: { month: { in: months }, receivedAt: { not: null } } }),
        submissionsLate: await tx.submission.count({
          where: {
            month: { in: months },
            OR: [{ late: true }, { receivedAt: null, dueOn: { lt: dbDateFromLocalDate(today) } }],
          },
        }),
      },
      organisation: { volumesOpened: await tx.volume.count({ where: { createdAt: within } }) },
      custody: {
        inspectionsDone: await tx.inspection.count({ where: { completedAt: within } }),
        findings: await tx.inspectionFinding.count({ where: { inspection: { completedAt: within } } }),
        findingsClosed: await tx.inspectionFinding.count({ where: { closedAt: within } }),
        findingsOpen: await tx.inspectionFinding.count({ where: { closedAt: null } }),
      },
      use: {
        loansLent: await tx.loan.count({ where: { outAt: within } }),
        loansReturned: await tx.loan.count({ where: { returnedAt: within } }),
        loansOverdueNow: await tx.loan.count({ where: { state: 'open', dueOn: { lt: dbDateFromLocalDate(today) } } }),
        viewsApproved: await tx.request.count({ where: { kind: 'view', state: 'approved', decidedAt: within } }),
      },
      destruction: {
        batchesDestroyed: destroyedBatches.length,
        volumesDestroyed: destroyedBatches.reduce((n, b) => n + b._count.items, 0),
      },
      equipment: {
        boxes: await tx.location.count({ where: { kind: 'box' } }),
        classifiedBoxes: await tx.location.count({ where: { kind: 'box', classified: true } }),
      },
      staff: { archivists: await tx.person.count({ where: { roles: { has: 'archivist' } } }) },
    };
  });
}
