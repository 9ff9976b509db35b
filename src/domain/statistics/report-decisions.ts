/**
 * What the approval engine does when a report request is decided, inside the decision's
 * transaction (decide-step.ts and withdraw-request.ts call these):
 *
 * - report_release approved (INFO-13, both signatures given): the report is released, read-only
 *   from then on, its content hashed (STAT-19), and late if released after its due day (STAT-18);
 *   rejected or withdrawn: it goes back to draft, to be compiled again and resubmitted;
 * - report_correction approved (INFO-11, STAT-11): the slip applies — the report shows the
 *   corrected figure beside the original;
 * - report_access approved (INFO-10, STAT-6): the department (or, for an outside unit, the
 *   customer-service contact) receives the series for REPORT_GRANT_DAYS.
 */

import { DomainError } from '../errors.js';
import { compareLocalDates, localDateFromDbDate, localDateOf } from '../time.js';
import type { Scope } from '../use-case.js';
import { REPORT_GRANT_DAYS } from './report-policy.js';
import { reportContentHash } from './report-view.js';

const DAY_MS = 86_400_000;

interface ReportRequest {
  id: number;
  code: string;
  kind: string;
  reportId: number | null;
  reportPeriod: 'month' | 'quarter' | 'year' | null;
  requesterId: number;
  departmentId: number | null;
  recipient: string | null;
}

export type ReportApproval =
  | { kind: 'report_released'; late: boolean }
  | { kind: 'report_destroyed' }
  | { kind: 'report_corrected' }
  | { kind: 'report_access'; expiresAt: Date };

export async function reportRequestApproved(scope: Scope, request: ReportRequest): Promise<ReportApproval> {
  const { tx, now, timeZone, audit } = scope;
  if (request.kind === 'report_release' && request.reportId !== null) {
    const report = await tx.report.findUniqueOrThrow({ where: { id: request.reportId } });
    const late = compareLocalDates(localDateOf(now, timeZone), localDateFromDbDate(report.dueOn)) > 0;
    const contentHash = reportContentHash({ ...report, releasedAt: now, late });
    const { count } = await tx.report.updateMany({
      where: { id: report.id, state: 'in_review' },
      data: { state: 'released', releasedAt: now, late, contentHash },
    });
    if (count === 0) throw new Error(`report ${report.code} was not under review when its release was approved`);
    await audit({
      action: 'report.released',
      subjectType: 'report',
      subjectId: report.code,
      details: { request: request.code, late, dueOn: report.dueOn.toISOString().slice(0, 10), contentHash },
    });
    return { kind: 'report_released', late };
  }
  if (request.kind === 'report_destruction' && request.reportId !== null) {
    // STAT-9: the figures, the text and the slips go; the report's record (code, period, dates,
    // the hash taken at release) and the audit trail stay.
    const { count } = await tx.report.updateMany({
      where: { id: request.reportId, state: 'released' },
      data: { state: 'destroyed', figures: {}, explanation: {} },
    });
    if (count === 0) throw new DomainError('report_not_released', { code: request.code });
    const report = await tx.report.findUniqueOrThrow({ where: { id: request.reportId } });
    // A slip filed meanwhile (the request for it) ends with the report.
    const slips = await tx.request.findMany({
      where: { reportId: report.id, kind: 'report_correction', state: 'pending' },
      select: { id: true },
    });
    await tx.request.updateMany({
      where: { id: { in: slips.map((r) => r.id) } },
      data: { state: 'withdrawn', decidedAt: now },
    });
    await tx.approvalStep.updateMany({
      where: { requestId: { in: slips.map((r) => r.id) }, state: { in: ['open', 'waiting'] } },
      data: { state: 'cancelled' },
    });
    await tx.reportCorrection.deleteMany({ where: { reportId: report.id } });
    await audit({
      action: 'report.destroyed',
      subjectType: 'report',
      subjectId: report.code,
      details: { request: request.code },
    });
    return { kind: 'report_destroyed' };
  }
  if (request.kind === 'report_correction') {
    const correction = await tx.reportCorrection.update({
      where: { requestId: request.id },
      data: { appliedAt: now },
      include: { report: { select: { code: true } } },
    });
    await audit({
      action: 'report.corrected',
      subjectType: 'report',
      subjectId: correction.report.code,
      details: {
        request: request.code,
        item: correction.item,
        original: correction.original.toFixed(2),
        corrected: correction.corrected.toFixed(2),
      },
    });
    return { kind: 'report_corrected' };
  }
  if (request.kind === 'report_access' && request.reportPeriod !== null) {
    const expiresAt = new Date(now.getTime() + REPORT_GRANT_DAYS * DAY_MS);
    // An outside unit's copy goes to the customer-service contact alone, never to their whole department.
    const outside = request.recipient !== null;
    // A department's grant belongs to whoever is in the department; the person asked is on the request.
    await tx.reportGrant.create({
      data: {
        requestId: request.id,
        period: request.reportPeriod,
        departmentId: outside ? null : request.departmentId,
        personId: request.requesterId,
        recipient: request.recipient,
        grantedAt: now,
        expiresAt,
      },
    });
    return { kind: 'report_access', expiresAt };
  }
  throw new Error(`request ${request.code} (${request.kind}) is not a report request`);
}

/** INFO-13: whoever compiled a report does not sign its release (the reviewers check the compiler). */
export async function reportDecidedByItsAuthor(
  tx: Scope['tx'],
  request: { kind: string; reportId: number | null },
  slackUserId: string,
): Promise<boolean> {
  if (request.kind !== 'report_release' || request.reportId === null) return false;
  const report = await tx.report.findUnique({ where: { id: request.reportId }, select: { compiledBy: true } });
  return report?.compiledBy === slackUserId;
}

/** A release rejected or withdrawn: the report is a draft again, to be compiled and submitted anew. */
export async function reportRequestClosed(scope: Scope, request: ReportRequest): Promise<void> {
  if (request.kind !== 'report_release' || request.reportId === null) return;
  await scope.tx.report.updateMany({ where: { id: request.reportId, state: 'in_review' }, data: { state: 'draft' } });
}
