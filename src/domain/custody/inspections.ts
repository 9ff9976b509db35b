/**
 * Inspections (INFO-14, INFO-16, ARCH-21, ARCH-22, ARCH-23, ARCH-24, INFO-8, INFO-15): the half-yearly full inspection
 * and the monthly environment check are scheduled (made by the `inspection-reminders` job, which
 * reminds when one is due and overdue); an event (fire, theft, loss, damage, doubt) opens one
 * too (report-incident.ts). The archivists carry one out with the checklist form — environment,
 * the material (the four no's, damage, media and writing, records against shelves) and the
 * store's security rules (a list admins keep) — and its findings, per volume or location, each
 * with a follow-up action closed later with who and when.
 */
import type { InspectionKind } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import type { Viewer } from '../access/visibility.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from '../archive/archive-visibility.js';
import { nextCode } from '../codes.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { type FieldError, storableText } from '../form-input.js';
import { readConfig } from '../settings/config-values.js';
import { dbDateFromLocalDate, formatLocalDate, localDateFromDbDate, localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import {
  type ChecklistGroup,
  checklistGroups,
  DEFAULT_SECURITY_ITEMS,
  ENVIRONMENT_ITEMS,
  type FindingInput,
  type FindingProblem,
  halfYearOf,
  type InspectionStage,
  inspectionStage,
  MATERIAL_ITEMS,
  monthOf,
  parseFindings,
} from './inspection-rules.js';

const SECURITY_SETTING = 'inspection.security_items';

/** ARCH-24: the store's security rules as admins keep them (the regulation's seven by default). */
export async function securityItems(db: Db | Tx): Promise<string[]> {
  const row = await db.setting.findUnique({ where: { key: SECURITY_SETTING } });
  const stored = row ? (JSON.parse(row.value) as unknown) : null;
  return Array.isArray(stored) && stored.every((item) => typeof item === 'string') && stored.length > 0
    ? stored
    : [...DEFAULT_SECURITY_ITEMS];
}

/** `/kh inspection items <item；item；…>`: admins replace the security checklist (ARCH-24). */
export function setSecurityItems(ctx: UseCaseContext, items: readonly string[]): Promise<string[]> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!can(me.roles, 'assignRoles'))
      return refuse(
        new DomainError('not_allowed', { action: 'inspection' }),
        denied('setting', SECURITY_SETTING, 'setting.change'),
      );
    const cleaned = items.map((item) => item.trim()).filter(Boolean);
    const value = JSON.stringify(cleaned);
    if (cleaned.length === 0 || cleaned.length > 10 || cleaned.some((item) => item.length > 30) || value.length > 500)
      throw new DomainError('inspection_items_invalid', { max: 10, length: 30 });
    await tx.setting.upsert({
      where: { key: SECURITY_SETTING },
      create: { key: SECURITY_SETTING, value, updatedBy: actor.slackUserId, updatedAt: now },
      update: { value, updatedBy: actor.slackUserId, updatedAt: now },
    });
    await audit({
      action: 'setting.changed',
      subjectType: 'setting',
      subjectId: SECURITY_SETTING,
      details: { items: cleaned },
    });
    return cleaned;
  });
}

/** The checklist an inspection of this kind shows: each group's items (security ones by their text). */
export async function checklistOf(
  db: Db | Tx,
  kind: InspectionKind,
): Promise<{ group: ChecklistGroup; items: { id: string; label: string | null }[] }[]> {
  const security = await securityItems(db);
  return checklistGroups(kind).map((group) => ({
    group,
    items:
      group === 'environment'
        ? ENVIRONMENT_ITEMS.map((id) => ({ id, label: null }))
        : group === 'material'
          ? MATERIAL_ITEMS.map((id) => ({ id, label: null }))
          : security.map((label, i) => ({ id: `security:${i}`, label })),
  }));
}

/** Makes this half-year's full inspection and this month's environment check if they are not there yet. */
export async function ensureScheduledInspections(tx: Tx, now: Date, timeZone: string): Promise<void> {
  const today = localDateOf(now, timeZone);
  // Two callers at once (the job and someone listing) must not both create the period's inspection.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('inspections:ensure'))`;
  for (const [kind, { period, dueOn }] of [
    ['full', halfYearOf(today)],
    ['environment', monthOf(today)],
  ] as const) {
    const exists = await tx.inspection.findUnique({ where: { kind_period: { kind, period } }, select: { id: true } });
    if (exists) continue;
    await tx.inspection.create({
      data: {
        code: await nextCode(tx, 'inspection', today.year),
        kind,
        reason: 'scheduled',
        period,
        dueOn: dbDateFromLocalDate(dueOn),
        requestedAt: now,
      },
    });
  }
}

export interface InspectionSummary {
  code: string;
  kind: InspectionKind;
  reason: string;
  period: string | null;
  dueOn: string | null;
  status: 'open' | 'done';
  completedAt: Date | null;
  completedBy: string | null;
  findings: {
    id: number;
    subject: string;
    problem: string;
    action: string;
    closedAt: Date | null;
    closedBy: string | null;
    closeNote: string | null;
  }[];
}

/** `/kh inspection`: open inspections, then the last done ones, with their findings still open. */
export function listInspections(
  ctx: UseCaseContext,
): Promise<{ open: InspectionSummary[]; done: InspectionSummary[] }> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, refuse }) => {
    if (!can(me.roles, 'manageArchive') && !can(me.roles, 'readLoanRegister'))
      return refuse(
        new DomainError('not_allowed', { action: 'inspection' }),
        denied('inspection', null, 'inspection.list'),
      );
    await ensureScheduledInspections(tx, now, timeZone);
    const include = { findings: { orderBy: { id: 'asc' as const } } };
    const open = await tx.inspection.findMany({
      where: { status: 'open' },
      include,
      orderBy: [{ dueOn: 'asc' }, { id: 'asc' }],
    });
    const viewer = await loadViewer(tx, me, now);
    const done = await tx.inspection.findMany({
      where: { status: 'done' },
      include,
      orderBy: { completedAt: 'desc' },
      take: 5,
    });
    // A finding on a volume this reader may not know of is not theirs to read (SEC-3).
    const known = new Set<string>();
    for (const f of [...open, ...done].flatMap((row) => row.findings))
      if (!/^JZ-/i.test(f.subject) || (await volumeKnown(tx, f.subject, viewer, now))) known.add(f.subject);
    const summary = (row: (typeof open)[number]): InspectionSummary => ({
      code: row.code,
      kind: row.kind,
      reason: row.reason,
      period: row.period,
      dueOn: row.dueOn ? formatLocalDate(localDateFromDbDate(row.dueOn)) : null,
      status: row.status,
      completedAt: row.completedAt,
      completedBy: row.completedBy,
      findings: row.findings
        .filter((f) => known.has(f.subject))
        .map((f) => ({
          id: f.id,
          subject: f.subject,
          problem: f.problem,
          action: f.action,
          closedAt: f.closedAt,
          closedBy: f.closedBy,
          closeNote: f.closeNote,
        })),
    });
    return { open: open.map(summary), done: done.map(summary) };
  });
}

/** What the checklist form needs: the inspection and its items; refused unless the person keeps the archive. */
export function openInspection(
  ctx: UseCaseContext,
  code: string,
): Promise<{
  code: string;
  kind: InspectionKind;
  period: string | null;
  dueOn: string | null;
  checklist: Awaited<ReturnType<typeof checklistOf>>;
}> {
  return runUseCase(ctx, async ({ tx, me, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'inspection' }),
        denied('inspection', code, 'inspection.do'),
      );
    const row = await tx.inspection.findUnique({ where: { code } });
    if (!row) throw new DomainError('inspection_not_found', { code });
    if (row.status === 'done') throw new DomainError('inspection_done', { code, user: row.completedBy ?? '?' });
    return {
      code: row.code,
      kind: row.kind,
      period: row.period,
      dueOn: row.dueOn ? formatLocalDate(localDateFromDbDate(row.dueOn)) : null,
      checklist: await checklistOf(tx, row.kind),
    };
  });
}

export interface InspectionResult {
  code: string;
  /** The item ids found in order (ticked); the rest of the checklist was not. */
  passed: readonly string[];
  temperature: string;
  humidity: string;
  findings: string;
  notes: string;
}

export type InspectionField = 'temperature' | 'humidity' | 'findings' | 'notes';

/** The form's values checked before anything is saved (the form shows each problem beside its field). */
export async function checkInspectionForm(
  ctx: Pick<UseCaseContext, 'db' | 'actor' | 'now'>,
  input: Omit<InspectionResult, 'code' | 'passed'>,
) {
  const person = await ctx.db.person.findUnique({ where: { slackUserId: ctx.actor.slackUserId } });
  const viewer = await loadViewer(ctx.db, { id: person?.id ?? -1, roles: person?.roles ?? [] }, ctx.now);
  return validateInspection(ctx.db, input, viewer, ctx.now);
}

/** Whether a volume exists for this reader: one they may not know of is answered like none (SEC-3). */
async function volumeKnown(db: Db | Tx, code: string, viewer: Viewer, now: Date): Promise<boolean> {
  const volume = await db.volume.findUnique({
    where: { code: code.toUpperCase() },
    select: { secrecyLevel: true, secrecyUntil: true, customer: { select: CUSTOMER_FOR_ARCHIVE } },
  });
  return volume !== null && itemVisibility(viewer, volume.customer, volume, now) !== 'hidden';
}

/** The form's values checked: readings as numbers in range, findings by their lines, each subject a real volume or location. */
export async function validateInspection(
  db: Db | Tx,
  input: Omit<InspectionResult, 'code' | 'passed'>,
  viewer: Viewer,
  now: Date,
): Promise<
  | { ok: true; temperature: string | null; humidity: number | null; findings: FindingInput[]; notes: string | null }
  | { ok: false; errors: Partial<Record<InspectionField, FieldError>> }
> {
  const errors: Partial<Record<InspectionField, FieldError>> = {};
  const temperature = input.temperature.trim();
  if (temperature && !(/^-?\d{1,2}(\.\d)?$/.test(temperature) && Math.abs(Number(temperature)) <= 60))
    errors.temperature = { code: 'not_a_number' };
  const humidity = input.humidity.trim();
  if (humidity && !(/^\d{1,3}$/.test(humidity) && Number(humidity) <= 100)) errors.humidity = { code: 'not_a_number' };
  const { findings, problems } = parseFindings(storableText(input.findings));
  const unknown: FindingProblem[] = [];
  for (const finding of findings) {
    const known = /^JZ-/i.test(finding.subject)
      ? await volumeKnown(db, finding.subject, viewer, now)
      : await db.location.findUnique({ where: { path: finding.subject }, select: { id: true } });
    if (!known) unknown.push({ line: finding.line, reason: 'format' });
  }
  const first = problems[0];
  if (first) errors.findings = { code: `finding_${first.reason}`, params: { line: first.line } };
  else if (unknown[0]) errors.findings = { code: 'finding_subject', params: { line: unknown[0].line } };
  const notes = storableText(input.notes).trim();
  if (notes.length > 2000) errors.notes = { code: 'too_long', params: { max: 2000 } };
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    temperature: temperature || null,
    humidity: humidity ? Number(humidity) : null,
    findings: findings.map(({ line: _line, ...finding }) => finding),
    notes: notes || null,
  };
}

/**
 * Records an inspection done: the checklist as found, the readings, the findings with their
 * actions. Exactly once (a second submission, or two archivists at once, is told who did it).
 */
export function completeInspection(ctx: UseCaseContext, input: InspectionResult): Promise<InspectionSummary> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'inspection' }),
        denied('inspection', input.code, 'inspection.do'),
      );
    const row = await tx.inspection.findUnique({ where: { code: input.code } });
    if (!row) throw new DomainError('inspection_not_found', { code: input.code });
    const validation = await validateInspection(tx, input, await loadViewer(tx, me, now), now);
    if (!validation.ok) throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });
    const checklist = (await checklistOf(tx, row.kind)).flatMap(({ group, items }) =>
      items.map((item) => ({ group, item: item.id, label: item.label, ok: input.passed.includes(item.id) })),
    );
    const { count } = await tx.inspection.updateMany({
      where: { id: row.id, status: 'open' },
      data: {
        status: 'done',
        completedAt: now,
        completedBy: actor.slackUserId,
        checklist,
        temperature: validation.temperature,
        humidity: validation.humidity,
        notes: validation.notes,
      },
    });
    if (count === 0) {
      const current = await tx.inspection.findUniqueOrThrow({ where: { id: row.id } });
      throw new DomainError('inspection_done', { code: row.code, user: current.completedBy ?? '?' });
    }
    if (validation.findings.length)
      await tx.inspectionFinding.createMany({
        data: validation.findings.map((f) => ({
          inspectionId: row.id,
          ...f,
          subject: /^JZ-/i.test(f.subject) ? f.subject.toUpperCase() : f.subject,
        })),
      });
    const failed = checklist.filter((c) => !c.ok).map((c) => c.item);
    await audit({
      action: 'inspection.completed',
      subjectType: 'inspection',
      subjectId: row.code,
      details: { kind: row.kind, failed, findings: validation.findings.length },
    });
    const findings = await tx.inspectionFinding.findMany({ where: { inspectionId: row.id }, orderBy: { id: 'asc' } });
    return {
      code: row.code,
      kind: row.kind,
      reason: row.reason,
      period: row.period,
      dueOn: row.dueOn ? formatLocalDate(localDateFromDbDate(row.dueOn)) : null,
      status: 'done',
      completedAt: now,
      completedBy: actor.slackUserId,
      findings: findings.map((f) => ({ ...f, action: f.action })),
    };
  });
}

/** `/kh inspection close <finding> [note]` (INFO-15): a follow-up action done, with who and when; once. */
export function closeFinding(
  ctx: UseCaseContext,
  input: { id: number; note: string },
): Promise<{ id: number; inspection: string; subject: string }> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'inspection' }),
        denied('finding', String(input.id), 'finding.close'),
      );
    const finding = await tx.inspectionFinding.findUnique({ where: { id: input.id }, include: { inspection: true } });
    if (!finding) throw new DomainError('finding_not_found', { id: input.id });
    const note = Array.from(storableText(input.note).trim()).slice(0, 500).join('') || null;
    const { count } = await tx.inspectionFinding.updateMany({
      where: { id: finding.id, closedAt: null },
      data: { closedAt: now, closedBy: actor.slackUserId, closeNote: note },
    });
    if (count === 0) throw new DomainError('finding_closed', { id: finding.id, user: finding.closedBy ?? '?' });
    await audit({
      action: 'inspection.finding_closed',
      subjectType: 'inspection',
      subjectId: finding.inspection.code,
      details: { finding: finding.id, subject: finding.subject, action: finding.action, note },
    });
    return { id: finding.id, inspection: finding.inspection.code, subject: finding.subject };
  });
}

export interface InspectionNotice {
  /** What marks it delivered. */
  key: { inspectionId: number; stage: string };
  stage: Exclude<InspectionStage, 'none'>;
  code: string;
  kind: InspectionKind;
  period: string | null;
  dueOn: string;
}

/**
 * The daily job's work: this half-year's and this month's inspections made, then for each open
 * inspection with a due day the stage today calls for, once per inspection and stage
 * (InspectionAlert), and the archivists to tell.
 */
export async function sweepInspections(
  db: Db,
  now: Date,
  timeZone: string,
  options: { dryRun?: boolean } = {},
): Promise<{ notices: InspectionNotice[]; archivists: string[] }> {
  const today = localDateOf(now, timeZone);
  return db.$transaction(async (tx) => {
    await ensureScheduledInspections(tx, now, timeZone);
    const { inspection_notice_days: noticeDays } = await readConfig(tx);
    const open = await tx.inspection.findMany({
      where: { status: 'open', dueOn: { not: null } },
      orderBy: { dueOn: 'asc' },
    });
    const notices: InspectionNotice[] = [];
    for (const row of open) {
      if (!row.dueOn) continue;
      const dueOn = localDateFromDbDate(row.dueOn);
      const stage = inspectionStage(today, dueOn, noticeDays);
      if (stage === 'none') continue;
      // A dry run writes nothing; a notice not yet delivered to everyone is tried again by the next run.
      if (!options.dryRun)
        await tx.inspectionAlert.createMany({
          data: [{ inspectionId: row.id, stage, sentAt: now }],
          skipDuplicates: true,
        });
      const alert = await tx.inspectionAlert.findUnique({
        where: { inspectionId_stage: { inspectionId: row.id, stage } },
      });
      if (!alert?.deliveredAt)
        notices.push({
          key: { inspectionId: row.id, stage },
          stage,
          code: row.code,
          kind: row.kind,
          period: row.period,
          dueOn: formatLocalDate(dueOn),
        });
    }
    const archivists = notices.length
      ? (
          await tx.person.findMany({
            where: { roles: { has: 'archivist' } },
            select: { slackUserId: true },
            orderBy: { id: 'asc' },
          })
        ).map((p) => p.slackUserId)
      : [];
    return { notices, archivists };
  });
}

/** The notices were told to everyone: later runs leave them alone. */
export async function inspectionNoticesDelivered(
  db: Db,
  keys: readonly InspectionNotice['key'][],
  now: Date,
): Promise<void> {
  for (const key of keys)
    await db.inspectionAlert.updateMany({ where: { ...key, deliveredAt: null }, data: { deliveredAt: now } });
}
