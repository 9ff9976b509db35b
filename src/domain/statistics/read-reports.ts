/**
 * Reading statistics reports (STAT-5, STAT-20): `/kh report` lists the reports a person may
 * read, `/kh report show` shows one and `/kh report export` sends it as a workbook. Every view
 * and export is audited (`report.viewed`, `report.exported`); a report a person may not read
 * is answered exactly like one that does not exist, and the attempt is audited too.
 */
import type { Prisma, ReportPeriod, ReportState } from '../../generated/prisma/client.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { hasAnyRole } from '../people/roles.js';
import { formatLocalDate, localDateFromDbDate } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import { parsePeriod } from './report-periods.js';
import { grantedPeriods, mayReadReport, REPORT_ACCESS, readsWithoutGrant } from './report-policy.js';
import { loadReportView, type ReportView } from './report-view.js';

export const REPORT_PAGE_SIZE = 10;

export interface ReportListItem {
  code: string;
  period: ReportPeriod;
  periodKey: string;
  state: ReportState;
  dueOn: string;
  releasedAt: Date | null;
  late: boolean;
}

export interface ReportList {
  items: ReportListItem[];
  page: number;
  pages: number;
  total: number;
  /** STAT-18: released reports that were late, among those listed for this person. */
  lateCount: number;
}

/** A report as typed: its code (TJ-…) or its period (2026-11, 2026-Q4, 2026). */
function reportWhere(ref: string): Prisma.ReportWhereUniqueInput | undefined {
  const code = ref.trim().toUpperCase();
  if (/^TJ-\d{4}-\d{1,6}$/.test(code))
    return { code: code.replace(/-(\d+)$/, (_, n: string) => `-${n.padStart(4, '0')}`) };
  const period = parsePeriod(ref);
  return period ? { period_periodKey: { period: period.period, periodKey: period.key } } : undefined;
}

/**
 * The report, audited as viewed or exported; refused alike when missing or not the person's to
 * read. An export `forRequest` (STAT-6) is the hand-over to an outside unit: only under that
 * approved, live grant of the exporter's, for the report's series; the unit is in the audit.
 */
export function readReport(
  ctx: UseCaseContext,
  ref: string,
  via: 'show' | 'export',
  options: { forRequest?: string } = {},
): Promise<ReportView> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    const where = reportWhere(ref);
    const shown = ref.trim().slice(0, 20);
    const row = where ? await tx.report.findUnique({ where, select: { code: true, state: true, period: true } }) : null;
    const granted = await grantedPeriods(tx, me, now);
    if (!row || !mayReadReport(me, granted, row))
      return refuse(
        new DomainError('report_not_found', { ref: shown }),
        denied('report', row?.code ?? shown, `report.${via}`),
      );
    const report = await loadReportView(tx, { code: row.code });
    if (!report) throw new Error('report vanished inside its transaction');
    if (via === 'export' && report.state === 'destroyed')
      throw new DomainError('report_destroyed', { code: report.code });
    const handover = options.forRequest
      ? await tx.reportGrant.findFirst({
          where: {
            request: { code: options.forRequest },
            personId: me.id,
            recipient: { not: null },
            period: report.period,
            revokedAt: null,
            expiresAt: { gt: now },
          },
          select: { recipient: true },
        })
      : null;
    if (options.forRequest && (!handover || report.state !== 'released'))
      throw new DomainError('report_handover_invalid', { request: options.forRequest, code: report.code });
    await audit({
      action: via === 'export' ? 'report.exported' : 'report.viewed',
      subjectType: 'report',
      subjectId: report.code,
      details: {
        state: report.state,
        ...(!readsWithoutGrant(me.roles, report.state) && { underGrant: report.period }),
        ...(handover && { request: options.forRequest, recipient: handover.recipient }),
      },
    });
    return report;
  });
}

/** The reports this person may read, newest period first, a page at a time. */
export function listReports(ctx: UseCaseContext, page: number): Promise<ReportList> {
  return runUseCase(ctx, async ({ tx, now, me }) => {
    const granted = await grantedPeriods(tx, me, now);
    const readsDrafts = hasAnyRole(me.roles, [...REPORT_ACCESS.compile, ...REPORT_ACCESS.review]);
    const readsReleased = hasAnyRole(me.roles, REPORT_ACCESS.readReleased);
    const where: Prisma.ReportWhereInput = readsDrafts
      ? {}
      : readsReleased
        ? { state: 'released' }
        : { state: 'released', period: { in: [...granted] } };
    const total = await tx.report.count({ where });
    const lateCount = await tx.report.count({ where: { AND: [where, { state: 'released', late: true }] } });
    const pages = Math.max(1, Math.ceil(total / REPORT_PAGE_SIZE));
    const current = Math.min(Math.max(1, page), pages);
    const rows = await tx.report.findMany({
      where,
      orderBy: [{ periodKey: 'desc' }, { period: 'asc' }],
      skip: (current - 1) * REPORT_PAGE_SIZE,
      take: REPORT_PAGE_SIZE,
    });
    return {
      items: rows.map((row) => ({
        code: row.code,
        period: row.period,
        periodKey: row.periodKey,
        state: row.state,
        dueOn: formatLocalDate(localDateFromDbDate(row.dueOn)),
        releasedAt: row.releasedAt,
        late: row.late,
      })),
      page: current,
      pages,
      total,
      lateCount,
    };
  });
}
