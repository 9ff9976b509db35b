/**
 * The three report requests, filed through the approval engine (approvals/policy.ts):
 *
 * - `submitReport`: a compiler sends a draft for release; supervisor → service manager sign
 *   (INFO-13). The report is under review, not to be compiled again, until they decide.
 * - `proposeCorrection`: a correction slip (统计数字订正单) for one figure of a released
 *   report, filed by customer service, approved by the general manager (INFO-11, STAT-10,
 *   STAT-11). The released figures are never rewritten: the slip is attached beside them.
 * - `requestReportAccess`: another department asks for a series of periodic reports (INFO-10:
 *   service manager → general manager); an outside unit's request carries its introduction
 *   letter and is filed by customer service (STAT-6).
 */
import { Prisma } from '../../generated/prisma/client.js';
import { insertRequest, type RequestCreated } from '../approvals/create-request.js';
import { approvalChain, REPORT_REQUEST_LEVEL } from '../approvals/policy.js';
import { loadRequestRow, toSummary } from '../approvals/request-view.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { type FieldError, storableText } from '../form-input.js';
import { hasAnyRole } from '../people/roles.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { figureLines } from './report-figures.js';
import type { ReportPeriod } from './report-periods.js';
import { grantedPeriods, REPORT_ACCESS, readsWithoutGrant } from './report-policy.js';
import { appliedCorrection, loadReportView, type ReportView } from './report-view.js';
import { readAmount } from './sales-sheet.js';

/** The report a person may read, or the same refusal whether it is missing or not theirs. */
async function readableReport(scope: Scope, code: string, attempted: string): Promise<ReportView> {
  const { tx, me, now, refuse } = scope;
  const report = await loadReportView(tx, { code });
  const granted = await grantedPeriods(tx, me, now);
  const readable =
    report !== null &&
    (readsWithoutGrant(me.roles, report.state) || (report.state === 'released' && granted.has(report.period)));
  if (!report || !readable)
    return refuse(new DomainError('report_not_found', { ref: code }), denied('report', code, attempted));
  return report;
}

export function submitReport(ctx: UseCaseContext, code: string): Promise<RequestCreated> {
  return runUseCase(ctx, async (scope) => {
    const { tx, me, refuse } = scope;
    if (!hasAnyRole(me.roles, REPORT_ACCESS.compile))
      return refuse(
        new DomainError('not_allowed', { action: 'report_compile' }),
        denied('report', code, 'report.submit'),
      );
    const report = await readableReport(scope, code, 'report.submit');
    if (report.state === 'released') throw new DomainError('report_released', { code });
    const { count } = await tx.report.updateMany({
      where: { id: report.id, state: 'draft' },
      data: { state: 'in_review' },
    });
    if (count === 0) throw new DomainError('report_in_review', { code });
    return insertRequest(scope, {
      kind: 'report_release',
      customer: { id: null, code: report.code },
      level: REPORT_REQUEST_LEVEL,
      chain: approvalChain('report_release', REPORT_REQUEST_LEVEL),
      fields: {
        purpose: report.periodKey,
        reason: '',
        requesterProfile: '',
        reportId: report.id,
      },
    });
  });
}

/** The released report a slip is filed against, for the form (refused as the slip itself would be). */
export function correctionTarget(ctx: UseCaseContext, code: string): Promise<ReportView> {
  return runUseCase(ctx, async (scope) => {
    if (!hasAnyRole(scope.me.roles, REPORT_ACCESS.correct))
      return scope.refuse(
        new DomainError('not_allowed', { action: 'report_correct' }),
        denied('report', code, 'report.correct'),
      );
    const report = await readableReport(scope, code, 'report.correct');
    if (report.state !== 'released') throw new DomainError('report_not_released', { code: report.code });
    // The form lists every figure: the person reads the report.
    await scope.audit({
      action: 'report.viewed',
      subjectType: 'report',
      subjectId: report.code,
      details: { via: 'correct' },
    });
    return report;
  });
}

/** A correction slip as the form states it: the figure, its corrected amount (yuan) and why. */
export interface CorrectionInput {
  code: string;
  item: string;
  corrected: string;
  reason: string;
}

export type CorrectionField = 'item' | 'corrected' | 'reason';

/**
 * The slip's fields: a figure chosen, an amount as an import accepts it (two decimals at most,
 * never through a float; a sales figure is never negative), a reason of at most 1,000 characters.
 */
export function validateCorrection(
  input: Omit<CorrectionInput, 'code'>,
): { ok: true; fen: bigint; reason: string } | { ok: false; errors: Partial<Record<CorrectionField, FieldError>> } {
  const errors: Partial<Record<CorrectionField, FieldError>> = {};
  if (!input.item) errors.item = { code: 'required' };
  const amount = input.corrected.trim() ? readAmount(input.corrected.trim()) : undefined;
  if (amount === undefined) errors.corrected = { code: 'required' };
  else if (amount === 'negative') errors.corrected = { code: 'negative' };
  else if (amount === 'invalid') errors.corrected = { code: 'not_a_number' };
  const reason = storableText(input.reason).trim();
  if (!reason) errors.reason = { code: 'required' };
  else if (reason.length > 1000) errors.reason = { code: 'too_long', params: { max: 1000 } };
  if (typeof amount !== 'bigint' || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, fen: amount, reason };
}

export function proposeCorrection(ctx: UseCaseContext, input: CorrectionInput): Promise<RequestCreated> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, me, audit, refuse } = scope;
    if (!hasAnyRole(me.roles, REPORT_ACCESS.correct))
      return refuse(
        new DomainError('not_allowed', { action: 'report_correct' }),
        denied('report', input.code, 'report.correct'),
      );
    const report = await readableReport(scope, input.code, 'report.correct');
    // Before release an error is corrected directly (STAT-11): the draft is compiled again.
    if (report.state !== 'released') throw new DomainError('report_not_released', { code: report.code });
    const line = figureLines(report.figures).find((l) => l.key === input.item);
    if (!line) throw new DomainError('report_item_unknown', { item: input.item.slice(0, 60) });
    // One slip filed at a time per figure: two at once would both find none pending.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`slip:${report.id}:${line.key}`}))`;
    const filed = await loadReportView(tx, { id: report.id });
    if (!filed) throw new Error('report vanished inside its transaction');
    const validation = validateCorrection(input);
    if (!validation.ok) throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });
    const { fen, reason } = validation;
    // The figure as it reads now: the last applied slip's, or the released one.
    const applied = appliedCorrection(filed.corrections, line.key);
    const current = applied?.correctedFen ?? line.actualFen;
    if (fen === current) throw new DomainError('report_correction_unchanged');
    const pending = filed.corrections.find((c) => c.item === line.key && c.state === 'pending');
    if (pending) throw new DomainError('request_duplicate', { code: pending.requestCode });
    const created = await insertRequest(scope, {
      kind: 'report_correction',
      customer: { id: null, code: report.code },
      level: REPORT_REQUEST_LEVEL,
      chain: approvalChain('report_correction', REPORT_REQUEST_LEVEL),
      fields: { purpose: report.periodKey, reason, requesterProfile: '', reportId: report.id },
    });
    const toYuan = (value: bigint) => new Prisma.Decimal(value.toString()).div(100);
    await tx.reportCorrection.create({
      data: {
        reportId: report.id,
        requestId: created.request.id,
        item: line.key,
        label: line.label,
        original: toYuan(current),
        corrected: toYuan(fen),
        reason,
        createdBy: me.slackUserId,
        createdAt: now,
      },
    });
    await audit({
      action: 'report.correction_proposed',
      subjectType: 'report',
      subjectId: report.code,
      details: {
        request: created.request.code,
        item: line.key,
        original: current.toString(),
        corrected: fen.toString(),
      },
    });
    // The summary was loaded before the slip existed: load it again so the approver sees the figures.
    return { ...created, request: (await reloadSummary(scope, created.request.id)) ?? created.request };
  });
}

async function reloadSummary(scope: Scope, id: number) {
  const row = await loadRequestRow(scope.tx, { id });
  return row ? toSummary(row, scope.now) : null;
}

export interface ReportAccessInput {
  period: ReportPeriod;
  purpose: string;
  reason: string;
  requesterProfile: string;
  /** An outside unit (STAT-6): its name, and its introduction letter from the company's superiors. */
  recipient: string | null;
  externalReference: string | null;
}

export function requestReportAccess(ctx: UseCaseContext, input: ReportAccessInput): Promise<RequestCreated> {
  return runUseCase(ctx, async (scope) => {
    const { tx, me, refuse } = scope;
    if (me.roles.length === 0)
      return refuse(
        new DomainError('not_allowed', { action: 'request' }),
        denied('report', input.period, 'request.report_access'),
      );
    const outside = input.recipient !== null;
    // STAT-6: an outside unit is received by customer service alone, and shows its letter.
    if (outside && !hasAnyRole(me.roles, REPORT_ACCESS.compile)) throw new DomainError('report_outside_via_service');
    if (outside && !input.externalReference) throw new DomainError('invalid_form', { fields: 'externalReference' });
    if (!outside && hasAnyRole(me.roles, REPORT_ACCESS.readReleased)) throw new DomainError('report_access_unneeded');
    if (!outside && me.departmentId === null) throw new DomainError('request_no_department');
    if (!outside && (await grantedPeriods(tx, me, scope.now)).has(input.period))
      throw new DomainError('report_access_unneeded');
    const open = await tx.request.findFirst({
      where: { requesterId: me.id, kind: 'report_access', reportPeriod: input.period, state: 'pending' },
      select: { code: true },
    });
    if (open) throw new DomainError('request_duplicate', { code: open.code });
    return insertRequest(scope, {
      kind: 'report_access',
      customer: { id: null, code: input.period },
      level: REPORT_REQUEST_LEVEL,
      chain: approvalChain('report_access', REPORT_REQUEST_LEVEL),
      fields: {
        purpose: input.purpose,
        reason: input.reason,
        requesterProfile: input.requesterProfile,
        recipient: input.recipient,
        externalReference: input.externalReference,
        reportPeriod: input.period,
      },
    });
  });
}

/**
 * `/kh report destroy <TJ-…> <why>` (STAT-9): customer service asks to destroy an outdated
 * released report; the supervisor, the service manager and the general manager each approve.
 */
export function proposeReportDestruction(
  ctx: UseCaseContext,
  input: { code: string; reason: string },
): Promise<RequestCreated> {
  return runUseCase(ctx, async (scope) => {
    const { tx, me, refuse } = scope;
    if (!hasAnyRole(me.roles, REPORT_ACCESS.compile))
      return refuse(
        new DomainError('not_allowed', { action: 'report_compile' }),
        denied('report', input.code, 'report.destroy'),
      );
    const report = await readableReport(scope, input.code, 'report.destroy');
    if (report.state === 'destroyed') throw new DomainError('report_destroyed', { code: report.code });
    if (report.state !== 'released') throw new DomainError('report_not_released', { code: report.code });
    const reason = storableText(input.reason).trim();
    if (!reason || reason.length > 1000) throw new DomainError('invalid_form', { fields: 'reason' });
    // Not while a slip (or anything else) about it waits: what it decides would be destroyed under it.
    const open = await tx.request.findFirst({
      where: { reportId: report.id, state: 'pending' },
      select: { code: true },
    });
    if (open) throw new DomainError('request_duplicate', { code: open.code });
    return insertRequest(scope, {
      kind: 'report_destruction',
      customer: { id: null, code: report.code },
      level: REPORT_REQUEST_LEVEL,
      chain: approvalChain('report_destruction', REPORT_REQUEST_LEVEL),
      fields: { purpose: report.periodKey, reason, requesterProfile: '', reportId: report.id },
    });
  });
}
