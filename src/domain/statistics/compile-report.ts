/**
 * `/kh report compile <period>` (STAT-3, STAT-7, STAT-15, STAT-16, STAT-17, INFO-9): the information staff
 * compile the period's report from the official figures (STAT-4) with their explanation or
 * analysis. A draft is compiled again as often as needed (an error found before release is
 * corrected directly, STAT-11); a report under review or released is not: released reports
 * are read-only and change only by a correction slip (INFO-11).
 */

import { nextCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { hasAnyRole } from '../people/roles.js';
import { readConfig } from '../settings/config-values.js';
import { dbDateFromLocalDate, localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import { reportFigures, storeFigures } from './report-figures.js';
import { type ReportExplanation, validateExplanation } from './report-input.js';
import { dueDayOf, hasEnded, type Period, parsePeriod } from './report-periods.js';
import { REPORT_ACCESS } from './report-policy.js';
import { loadReportView, type ReportView } from './report-view.js';

/**
 * What the compile form starts from: the period, and the text of its draft if there is one.
 * Refused as the compile itself would be, before the form opens.
 */
export function reportDraft(
  ctx: UseCaseContext,
  periodText: string,
): Promise<{ period: Period; explanation: ReportExplanation }> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, audit, refuse }) => {
    if (!hasAnyRole(me.roles, REPORT_ACCESS.compile)) {
      return refuse(
        new DomainError('not_allowed', { action: 'report_compile' }),
        denied('report', periodText.slice(0, 20), 'report.compile'),
      );
    }
    const period = parsePeriod(periodText);
    if (!period) throw new DomainError('report_period_invalid');
    if (!hasEnded(period, localDateOf(now, timeZone)))
      throw new DomainError('report_period_open', { period: period.key });
    const existing = await tx.report.findUnique({
      where: { period_periodKey: { period: period.period, periodKey: period.key } },
      select: { code: true, state: true, explanation: true },
    });
    if (existing?.state === 'released') throw new DomainError('report_released', { code: existing.code });
    if (existing?.state === 'destroyed') throw new DomainError('report_destroyed', { code: existing.code });
    if (existing?.state === 'in_review') throw new DomainError('report_in_review', { code: existing.code });
    // The form shows the draft's text: a view of the draft (STAT-5).
    if (existing)
      await audit({
        action: 'report.viewed',
        subjectType: 'report',
        subjectId: existing.code,
        details: { via: 'compile' },
      });
    return { period, explanation: (existing?.explanation ?? {}) as ReportExplanation };
  });
}

export function compileReport(
  ctx: UseCaseContext,
  input: { period: string; explanation: ReportExplanation },
): Promise<{ report: ReportView; recompiled: boolean }> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, timeZone, me, audit, refuse } = scope;
    if (!hasAnyRole(me.roles, REPORT_ACCESS.compile)) {
      return refuse(
        new DomainError('not_allowed', { action: 'report_compile' }),
        denied('report', input.period.slice(0, 20), 'report.compile'),
      );
    }
    const period = parsePeriod(input.period);
    if (!period) throw new DomainError('report_period_invalid');
    const today = localDateOf(now, timeZone);
    if (!hasEnded(period, today)) throw new DomainError('report_period_open', { period: period.key });
    const validation = validateExplanation(period.period, input.explanation);
    if (!validation.ok) throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });

    // One compiler at a time per period (two first compiles would both try to create it).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`report:${period.key}`}))`;
    const existing = await tx.report.findUnique({
      where: { period_periodKey: { period: period.period, periodKey: period.key } },
      select: { id: true, code: true, state: true },
    });
    if (existing?.state === 'released') throw new DomainError('report_released', { code: existing.code });
    if (existing?.state === 'destroyed') throw new DomainError('report_destroyed', { code: existing.code });
    if (existing?.state === 'in_review') throw new DomainError('report_in_review', { code: existing.code });

    const figures = await reportFigures(tx, period);
    const data = {
      figures: storeFigures(figures),
      explanation: validation.value,
      compiledBy: me.slackUserId,
      compiledAt: now,
    };
    let code: string;
    if (existing) {
      // Conditional: a submit in between leaves the report under review, not silently recompiled.
      const { count } = await tx.report.updateMany({ where: { id: existing.id, state: 'draft' }, data });
      if (count === 0) throw new DomainError('report_in_review', { code: existing.code });
      code = existing.code;
    } else {
      const { report_due_day: dueDay } = await readConfig(tx);
      code = await nextCode(tx, 'report', today.year);
      await tx.report.create({
        data: {
          ...data,
          code,
          period: period.period,
          periodKey: period.key,
          dueOn: dbDateFromLocalDate(dueDayOf(period, dueDay)),
        },
      });
    }
    await audit({
      action: existing ? 'report.recompiled' : 'report.compiled',
      subjectType: 'report',
      subjectId: code,
      details: { period: period.key, totalFen: figures.total.actualFen.toString() },
    });
    const report = await loadReportView(tx, { code });
    if (!report) throw new Error('report vanished inside its transaction');
    return { report, recompiled: existing !== null };
  });
}
