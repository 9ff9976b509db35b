/**
 * DB-10, STAT-17: monthly targets (plans) per department — for all its customers or one grade —
 * imported all or nothing like sales figures: 部门 / department, 等级 / grade (A, B, C, or empty
 * for all), 月份 / month, 目标 / target (yuan). A target set again replaces the old one. Audited.
 */
import { Prisma } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import { monthKey, readAmount, readMonth, readTable } from './sales-sheet.js';

type Column = 'department' | 'grade' | 'month' | 'target';
const HEADERS: Record<Column, readonly string[]> = {
  department: ['部门', 'department'],
  grade: ['等级', 'grade'],
  month: ['月份', 'month'],
  target: ['目标', 'target'],
};

export type TargetProblem =
  | { row: null; column: null; reason: 'not_a_spreadsheet' | 'empty' }
  | { row: null; column: null; reason: 'too_many_rows'; max: number }
  | { row: 1; column: Column; reason: 'missing_column' }
  | { row: number; column: 'department'; reason: 'unknown_department' }
  | { row: number; column: 'grade'; reason: 'invalid_grade' }
  | { row: number; column: 'month'; reason: 'invalid_month' }
  | { row: number; column: 'target'; reason: 'invalid_amount' | 'negative_amount' }
  | { row: number; column: null; reason: 'duplicate_row'; firstRow: number };

export type TargetsOutcome = { ok: true; targets: number; months: string[] } | { ok: false; problems: TargetProblem[] };

const MAX_ROWS = 10_000;

export async function importTargetsFile(ctx: UseCaseContext, file: { bytes: Uint8Array }): Promise<TargetsOutcome> {
  await runUseCase(ctx, async ({ me, refuse }) => {
    if (!can(me.roles, 'manageFigures'))
      refuse(new DomainError('not_allowed', { action: 'import' }), denied('targets', null, 'targets.import'));
  });
  const table = await readTable(file, HEADERS, MAX_ROWS);
  if (!table.ok) return { ok: false, problems: table.problems as TargetProblem[] };
  return runUseCase(ctx, async ({ tx, now, me, audit }) => {
    const departments = new Map((await tx.department.findMany()).map((d) => [d.name, d.id] as const));
    const problems: TargetProblem[] = [];
    const rows: { departmentId: number; scope: string; month: string; amount: string }[] = [];
    const firstRowOf = new Map<string, number>();
    for (const { row, cell } of table.rows) {
      const name = cell('department');
      const departmentId = typeof name === 'string' ? departments.get(name.trim()) : undefined;
      if (departmentId === undefined) problems.push({ row, column: 'department', reason: 'unknown_department' });
      const gradeCell = cell('grade');
      const gradeText = typeof gradeCell === 'string' ? gradeCell.trim().toUpperCase() : '';
      const scope = gradeText === '' || gradeText === '全部' || gradeText === 'ALL' ? 'all' : gradeText;
      if (!['all', 'A', 'B', 'C'].includes(scope)) problems.push({ row, column: 'grade', reason: 'invalid_grade' });
      const month = readMonth(cell('month'));
      if (!month) problems.push({ row, column: 'month', reason: 'invalid_month' });
      const amount = readAmount(cell('target'));
      if (amount === 'invalid') problems.push({ row, column: 'target', reason: 'invalid_amount' });
      else if (amount === 'negative') problems.push({ row, column: 'target', reason: 'negative_amount' });
      if (departmentId !== undefined && month) {
        const key = `${departmentId} ${scope} ${monthKey(month)}`;
        const first = firstRowOf.get(key);
        if (first === undefined) firstRowOf.set(key, row);
        else problems.push({ row, column: null, reason: 'duplicate_row', firstRow: first });
      }
      if (departmentId !== undefined && month && typeof amount === 'bigint') {
        rows.push({
          departmentId,
          scope,
          month: monthKey(month),
          amount: new Prisma.Decimal(amount.toString()).dividedBy(100).toFixed(2),
        });
      }
    }
    if (problems.length > 0) return { ok: false, problems };
    for (const target of rows) {
      await tx.salesTarget.upsert({
        where: {
          departmentId_scope_month: { departmentId: target.departmentId, scope: target.scope, month: target.month },
        },
        create: { ...target, importedBy: me.slackUserId, importedAt: now },
        update: { amount: target.amount, importedBy: me.slackUserId, importedAt: now },
      });
    }
    const months = [...new Set(rows.map((r) => r.month))].sort();
    await audit({
      action: 'targets.imported',
      subjectType: 'targets',
      subjectId: null,
      details: { rows: rows.length, months },
    });
    return { ok: true, targets: rows.length, months };
  });
}
