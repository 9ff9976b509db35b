/**
 * Monthly submissions (ARCH-5, ARCH-3, STAT-18): what each department hands the archive for a
 * month, due by day `submission_due_day` of the next month. Admins set the table
 * (`/kh submissions rule`), the archivist records receipt (`/kh received`), the daily
 * `submission-deadlines` job reminds and alerts (sweepSubmissions), and `/kh submissions`
 * shows a month with each department's lateness count.
 */
import type { DocumentType } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { readConfig } from '../settings/config-values.js';
import { monthKey } from '../statistics/sales-sheet.js';
import { dbDateFromLocalDate, formatLocalDate, localDateFromDbDate, localDateOf, startOfLocalDay } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import {
  monthBefore,
  parseMonth,
  receivedLate,
  type SubmissionStage,
  submissionDueOn,
  submissionStage,
} from './submission-rules.js';

/** How many months back `/kh submissions` counts each department's late submissions. */
export const LATENESS_MONTHS = 12;

async function departmentNamed(tx: Tx, name: string) {
  const department = await tx.department.findUnique({ where: { name: name.trim() } });
  if (!department) throw new DomainError('department_not_found', { name: name.trim().slice(0, 60) });
  return department;
}

/**
 * Creates the month's rows from the table (once: later runs and receipts find them): only the
 * rules that were in force for that month (set before it ended), and for one department when a
 * receipt names it — a receipt for an old month must not make every department owe it.
 */
async function ensureMonth(tx: Tx, month: string, now: Date, timeZone: string, departmentId?: number): Promise<void> {
  const parsed = parseMonth(month);
  if (!parsed) return;
  const { submission_due_day: dueDay } = await readConfig(tx);
  const monthEnd = startOfLocalDay(submissionDueOn(month, 1), timeZone);
  const rules = await tx.submissionRule.findMany({
    where: { createdAt: { lt: monthEnd }, ...(departmentId !== undefined && { departmentId }) },
    select: { departmentId: true, material: true },
  });
  if (rules.length === 0) return;
  const dueOn = dbDateFromLocalDate(submissionDueOn(month, dueDay));
  await tx.submission.createMany({
    data: rules.map((rule) => ({ ...rule, month, dueOn, createdAt: now })),
    skipDuplicates: true,
  });
}

/** `/kh submissions rule <部门> <material…> [responsible]`: admins set what a department owes each month. */
export function setSubmissionRules(
  ctx: UseCaseContext,
  input: { department: string; materials: readonly DocumentType[]; responsibleSlackUserId: string | null },
): Promise<{ department: string; materials: DocumentType[] }> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    if (!can(me.roles, 'assignRoles'))
      return refuse(
        new DomainError('not_allowed', { action: 'submissions' }),
        denied('department', input.department.slice(0, 60), 'submission.rules_set'),
      );
    const department = await departmentNamed(tx, input.department);
    const responsible = input.responsibleSlackUserId
      ? await tx.person.findUnique({ where: { slackUserId: input.responsibleSlackUserId } })
      : null;
    if (input.responsibleSlackUserId && (!responsible || responsible.roles.length === 0))
      throw new DomainError('person_without_role', { user: input.responsibleSlackUserId });
    const materials = [...new Set(input.materials)];
    await tx.submissionRule.deleteMany({ where: { departmentId: department.id, material: { notIn: materials } } });
    for (const material of materials) {
      await tx.submissionRule.upsert({
        where: { departmentId_material: { departmentId: department.id, material } },
        create: { departmentId: department.id, material, responsibleId: responsible?.id ?? null, createdAt: now },
        update: { responsibleId: responsible?.id ?? null },
      });
    }
    await audit({
      action: 'submission.rules_set',
      subjectType: 'department',
      subjectId: department.name,
      details: { materials, responsible: responsible?.slackUserId ?? null },
    });
    return { department: department.name, materials };
  });
}

export interface Received {
  department: string;
  month: string;
  materials: { material: DocumentType; late: boolean }[];
}

/**
 * `/kh received <部门> <YYYY-MM> [material…]`: the archivist records what arrived (everything
 * still outstanding for that month when no material is named). Late when after its due day.
 */
export function receiveSubmission(
  ctx: UseCaseContext,
  input: { department: string; month: string; materials: readonly DocumentType[] },
): Promise<Received> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, actor, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'received' }),
        denied('department', input.department.slice(0, 60), 'submission.receive'),
      );
    const today = localDateOf(now, timeZone);
    // Material may come early (this month's), never for a month still to come.
    if (!parseMonth(input.month) || input.month.trim() > monthKey(today))
      throw new DomainError('submission_month_invalid');
    const department = await departmentNamed(tx, input.department);
    const key = input.month.trim();
    await ensureMonth(tx, key, now, timeZone, department.id);
    const outstanding = await tx.submission.findMany({
      where: {
        departmentId: department.id,
        month: key,
        receivedAt: null,
        ...(input.materials.length > 0 && { material: { in: [...input.materials] } }),
      },
      orderBy: { material: 'asc' },
    });
    if (outstanding.length === 0)
      throw new DomainError('submission_nothing_outstanding', { department: department.name, month: key });
    const received = outstanding.map((row) => ({
      id: row.id,
      material: row.material,
      late: receivedLate(today, localDateFromDbDate(row.dueOn)),
    }));
    for (const row of received) {
      await tx.submission.update({
        where: { id: row.id },
        data: { receivedAt: now, receivedBy: actor.slackUserId, late: row.late },
      });
    }
    await audit({
      action: 'submission.received',
      subjectType: 'department',
      subjectId: department.name,
      details: {
        month: key,
        materials: received.map((r) => r.material),
        late: received.filter((r) => r.late).map((r) => r.material),
      },
    });
    return {
      department: department.name,
      month: key,
      materials: received.map(({ material, late }) => ({ material, late })),
    };
  });
}

export interface DepartmentSubmissions {
  department: string;
  items: { material: DocumentType; dueOn: string; receivedAt: Date | null; late: boolean }[];
  /** STAT-18: late or still missing past their due day, over the last LATENESS_MONTHS months. */
  lateCount: number;
}

/** `/kh submissions [YYYY-MM]`: the month's table by department (the last month by default), with lateness counts. */
export function submissionStatus(
  ctx: UseCaseContext,
  monthText: string | null,
): Promise<{ month: string; departments: DepartmentSubmissions[] }> {
  return runUseCase(ctx, async ({ tx, now, timeZone }) => {
    const today = localDateOf(now, timeZone);
    const month = monthText?.trim() ?? monthBefore(today);
    if (!parseMonth(month)) throw new DomainError('submission_month_invalid');
    if (month === monthBefore(today)) await ensureMonth(tx, month, now, timeZone);
    const rows = await tx.submission.findMany({
      where: { month },
      include: { department: { select: { name: true } } },
      orderBy: [{ departmentId: 'asc' }, { material: 'asc' }],
    });
    const todayDb = dbDateFromLocalDate(today);
    const earliest = monthBefore({ ...today, year: today.year - 1 });
    const lateRows = await tx.submission.groupBy({
      by: ['departmentId'],
      where: {
        month: { gte: earliest },
        OR: [{ late: true }, { receivedAt: null, dueOn: { lt: todayDb } }],
      },
      _count: { _all: true },
    });
    const lateOf = new Map(lateRows.map((row) => [row.departmentId, row._count._all]));
    const byDepartment = new Map<number, DepartmentSubmissions>();
    for (const row of rows) {
      const entry = byDepartment.get(row.departmentId) ?? {
        department: row.department.name,
        items: [],
        lateCount: lateOf.get(row.departmentId) ?? 0,
      };
      const overdue = row.receivedAt === null && row.dueOn < todayDb;
      entry.items.push({
        material: row.material,
        dueOn: formatLocalDate(localDateFromDbDate(row.dueOn)),
        receivedAt: row.receivedAt,
        late: row.late || overdue,
      });
      byDepartment.set(row.departmentId, entry);
    }
    return { month, departments: [...byDepartment.values()] };
  });
}

export interface SubmissionNotice {
  /** What marks it delivered. */
  key: { departmentId: number; month: string; stage: string };
  stage: Exclude<SubmissionStage, 'none'>;
  department: string;
  month: string;
  dueOn: string;
  materials: DocumentType[];
  /** Slack ids: the responsible people (and, when overdue or nobody is named, the department's heads). */
  recipients: string[];
}

/**
 * The daily job's work: the last month's rows made from the table, then for each department
 * with material missing, the stage today calls for, once per department, month and stage
 * (SubmissionNotice): returned until it is marked delivered (`submissionNoticeDelivered`, once
 * every recipient was told), so a run that could not tell everyone is made good by the next.
 * Every department late is listed, alerted today or before.
 */
export async function sweepSubmissions(
  db: Db,
  now: Date,
  timeZone: string,
  options: { dryRun?: boolean } = {},
): Promise<{
  month: string;
  notices: SubmissionNotice[];
  lateDepartments: { department: string; materials: DocumentType[] }[];
}> {
  const today = localDateOf(now, timeZone);
  const month = monthBefore(today);
  return db.$transaction(async (tx) => {
    await ensureMonth(tx, month, now, timeZone);
    const missing = await tx.submission.findMany({
      where: { month, receivedAt: null },
      include: { department: { select: { name: true } } },
      orderBy: [{ departmentId: 'asc' }, { material: 'asc' }],
    });
    const byDepartment = new Map<number, typeof missing>();
    for (const row of missing) byDepartment.set(row.departmentId, [...(byDepartment.get(row.departmentId) ?? []), row]);
    const notices: SubmissionNotice[] = [];
    const lateDepartments: { department: string; materials: DocumentType[] }[] = [];
    for (const [departmentId, rows] of byDepartment) {
      const first = rows[0];
      if (!first) continue;
      const dueOn = localDateFromDbDate(first.dueOn);
      const stage = submissionStage(today, dueOn);
      if (stage === 'none') continue;
      const materials = rows.map((row) => row.material);
      if (stage === 'overdue') lateDepartments.push({ department: first.department.name, materials });
      // A dry run (nothing can be sent) writes nothing: the next run that can send still does.
      if (!options.dryRun)
        await tx.submissionNotice.createMany({
          data: [{ departmentId, month, stage, sentAt: now }],
          skipDuplicates: true,
        });
      const notice = await tx.submissionNotice.findUnique({
        where: { departmentId_month_stage: { departmentId, month, stage } },
      });
      if (notice?.deliveredAt) continue;
      const rules = await tx.submissionRule.findMany({
        where: { departmentId, material: { in: materials }, responsibleId: { not: null } },
        select: { responsible: { select: { slackUserId: true } } },
      });
      const responsible = rules.flatMap((rule) => (rule.responsible ? [rule.responsible.slackUserId] : []));
      const heads =
        stage === 'overdue' || responsible.length === 0
          ? await tx.person.findMany({
              where: { departmentId, roles: { has: 'dept_head' } },
              select: { slackUserId: true },
              orderBy: { id: 'asc' },
            })
          : [];
      notices.push({
        key: { departmentId, month, stage },
        stage,
        department: first.department.name,
        month,
        dueOn: formatLocalDate(dueOn),
        materials,
        recipients: [...new Set([...responsible, ...heads.map((h) => h.slackUserId)])],
      });
    }
    return { month, notices, lateDepartments };
  });
}

/** Every recipient of the notice was told: later runs leave it alone. */
export async function submissionNoticeDelivered(db: Db, key: SubmissionNotice['key'], now: Date): Promise<void> {
  await db.submissionNotice.updateMany({ where: { ...key, deliveredAt: null }, data: { deliveredAt: now } });
}
