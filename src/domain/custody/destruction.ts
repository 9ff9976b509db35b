/**
 * Destruction of expired volumes (ARCH-29, INFO-25), by the chain of the regulation:
 *
 * 1. the archivist lists the volumes whose retention has run out and proposes a batch of one
 *    originating department (登记造册): its volumes are held from then on (not lent);
 * 2. the service manager and that department's head appraise it jointly, then the customer
 *    director approves (the approval engine, `destruction` in approvals/policy.ts); a rejection
 *    or a withdrawal puts the volumes back in their boxes;
 * 3. approved, the batch is held apart for `destruction_hold_months` (six) — the day it may be
 *    destroyed is fixed at approval: a later change of the setting does not shorten it;
 * 4. after the hold the archivist names the place and the supervisor (监销人), who is not the
 *    proposer; the supervisor confirms in Slack, the volumes are marked destroyed and a
 *    destruction register (.xlsx) is produced. The volumes' records and the batch stay forever.
 */
import type { DestructionState, RetentionClass, SecrecyLevel } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { approversOf, rolesActedFor } from '../approvals/approvers.js';
import { insertRequest, type RequestCreated } from '../approvals/create-request.js';
import { approvalChain } from '../approvals/policy.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from '../archive/archive-visibility.js';
import { nextCode } from '../codes.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { storableText } from '../form-input.js';
import { loanLevel } from '../loans/loan-level.js';
import type { Role } from '../people/roles.js';
import { readConfig } from '../settings/config-values.js';
import { dbDateFromLocalDate, formatLocalDate, localDateFromDbDate, localDateOf } from '../time.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { holdEnded, holdUntilOf, retentionExpired } from './destruction-rules.js';

export interface ExpiredVolume {
  code: string;
  customerCode: string;
  level: SecrecyLevel;
  year: number;
  retention: RetentionClass;
  department: string | null;
}

/** Expired volumes in their boxes, in no open batch, that this archivist may read (a 绝密 one waits for its custodian). */
async function expiredVolumes(scope: Scope) {
  const { tx, now, timeZone, me } = scope;
  const today = localDateOf(now, timeZone);
  const { retention_long_years: long, retention_short_years: short } = await readConfig(tx);
  const candidates = await tx.volume.findMany({
    where: {
      state: 'in_box',
      retention: { not: 'permanent' },
      OR: [
        { retention: 'long_term', year: { lt: today.year - long } },
        { retention: 'short_term', year: { lt: today.year - short } },
      ],
    },
    include: {
      customer: { select: { ...CUSTOMER_FOR_ARCHIVE, owner: { select: { departmentId: true, department: true } } } },
      documents: { select: { pages: true } },
    },
    orderBy: { code: 'asc' },
  });
  const viewer = await loadViewer(tx, me, now);
  return candidates.filter(
    (v) =>
      retentionExpired(v, { long_term: long, short_term: short }, today) &&
      itemVisibility(viewer, v.customer, v, now) === 'visible',
  );
}

/** Whether this person may read every volume of a batch (a 绝密 batch exists only for those who do). */
async function readsBatch(tx: Tx, person: { id: number; roles: Role[] }, volumeIds: readonly number[], now: Date) {
  const viewer = await loadViewer(tx, person, now);
  const volumes = await tx.volume.findMany({
    where: { id: { in: [...volumeIds] } },
    select: { secrecyLevel: true, secrecyUntil: true, customer: { select: CUSTOMER_FOR_ARCHIVE } },
  });
  return volumes.every((v) => itemVisibility(viewer, v.customer, v, now) === 'visible');
}

/** SEC-3: a 绝密 volume (by itself or its customer) goes only in a batch of its own kind. */
const isTopSecret = (
  v: {
    secrecyLevel: SecrecyLevel;
    secrecyUntil: Date | null;
    customer: { secrecyLevel: SecrecyLevel; secrecyUntil: Date | null };
  },
  now: Date,
) => loanLevel(v, v.customer, now) === 'top_secret';

/** `/kh destruction`: the batches, newest first, and the expired volumes no batch holds yet. */
export function destructionOverview(ctx: UseCaseContext): Promise<{
  expired: ExpiredVolume[];
  batches: {
    code: string;
    state: DestructionState;
    department: string;
    volumes: number;
    holdUntil: string | null;
    supervisor: string | null;
  }[];
}> {
  return runUseCase(ctx, async (scope) => {
    const { tx, me, refuse } = scope;
    if (!can(me.roles, 'manageArchive') && !can(me.roles, 'readLoanRegister'))
      return refuse(
        new DomainError('not_allowed', { action: 'destruction' }),
        denied('destruction', null, 'destruction.list'),
      );
    const expired = can(me.roles, 'manageArchive') ? await expiredVolumes(scope) : [];
    const recent = await tx.destructionBatch.findMany({
      include: { department: true, _count: { select: { items: true } }, items: { select: { volumeId: true } } },
      orderBy: { id: 'desc' },
      take: 20,
    });
    // A batch of 绝密 volumes is listed only to whoever may know of them (SEC-3).
    const batches = [];
    for (const b of recent)
      if (
        !b.topSecret ||
        (await readsBatch(
          tx,
          me,
          b.items.map((i) => i.volumeId),
          scope.now,
        ))
      )
        batches.push(b);
    return {
      expired: expired.map((v) => ({
        code: v.code,
        customerCode: v.customer.code,
        level: v.secrecyLevel,
        year: v.year,
        retention: v.retention,
        department: v.customer.owner.department?.name ?? null,
      })),
      batches: batches.map((b) => ({
        code: b.code,
        state: b.state,
        department: b.department.name,
        volumes: b._count.items,
        holdUntil: b.holdUntil ? formatLocalDate(localDateFromDbDate(b.holdUntil)) : null,
        supervisor: b.supervisor,
      })),
    };
  });
}

/**
 * `/kh destruction propose <部门> [JZ-… …]`: a batch of the department's expired volumes (all of
 * them, or those named), held at once, sent to the joint appraisal.
 */
export function proposeDestruction(
  ctx: UseCaseContext,
  input: { department: string; codes: readonly string[] },
): Promise<RequestCreated & { batch: string; volumes: string[] }> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, timeZone, me, actor, audit, refuse } = scope;
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'destruction' }),
        denied('department', input.department.slice(0, 60), 'destruction.propose'),
      );
    const department = await tx.department.findUnique({ where: { name: input.department.trim() } });
    if (!department) throw new DomainError('department_not_found', { name: input.department.trim().slice(0, 60) });
    // One proposal at a time: two archivists must not both take the same volumes.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('destruction:propose'))`;
    const expired = (await expiredVolumes(scope)).filter((v) => v.customer.owner.departmentId === department.id);
    // All the department's expired volumes except 绝密 ones, or those named — 绝密 ones only by
    // name, and never beside others: their batch is approved by the general manager alone, the
    // only office that may know of them (and their custodian who names them); an ordinary
    // batch's appraisers may not (SEC-3, INFO-22).
    const chosen = input.codes.length
      ? expired.filter((v) => input.codes.includes(v.code))
      : expired.filter((v) => !isTopSecret(v, now));
    const missing = input.codes.find((code) => !expired.some((v) => v.code === code));
    if (missing)
      throw new DomainError('destruction_volume_not_eligible', { code: missing, department: department.name });
    if (chosen.length === 0) throw new DomainError('destruction_nothing_expired', { department: department.name });
    const topSecret = chosen.some((v) => isTopSecret(v, now));
    if (topSecret && !chosen.every((v) => isTopSecret(v, now))) throw new DomainError('destruction_mixed');
    const level: SecrecyLevel = topSecret ? 'top_secret' : 'restricted';
    const chain = approvalChain('destruction', level);
    // Every role of every step has someone to decide it (in the joint step, each of the two).
    for (const role of chain.flatMap((step) => step.roles)) {
      const who = await approversOf(tx, { roles: [role] }, { requesterId: me.id, departmentId: department.id });
      if (who.length === 0) throw new DomainError('request_no_approvers', { roles: [role] });
    }
    const code = await nextCode(tx, 'destruction', localDateOf(now, timeZone).year);
    const batch = await tx.destructionBatch.create({
      data: {
        code,
        topSecret,
        departmentId: department.id,
        proposedBy: actor.slackUserId,
        proposedAt: now,
        items: {
          create: chosen.map((v) => ({
            volumeId: v.id,
            volumeCode: v.code,
            customerCode: v.customer.code,
            year: v.year,
            retention: v.retention,
            secrecyLevel: v.secrecyLevel,
            documents: v.documents.length,
            pages: v.documents.reduce((n, d) => n + d.pages, 0),
          })),
        },
      },
    });
    const { count } = await tx.volume.updateMany({
      where: { id: { in: chosen.map((v) => v.id) }, state: 'in_box' },
      data: { state: 'held', updatedAt: now },
    });
    if (count !== chosen.length) throw new Error('a volume left its box while it was being proposed');
    await audit({
      action: 'destruction.proposed',
      subjectType: 'destruction',
      subjectId: code,
      details: { department: department.name, volumes: chosen.map((v) => v.code) },
    });
    const created = await insertRequest(scope, {
      kind: 'destruction',
      customer: { id: null, code },
      level,
      chain,
      departmentId: department.id,
      fields: {
        purpose: department.name,
        reason: chosen
          .map((v) => v.code)
          .join(', ')
          .slice(0, 1000),
        requesterProfile: '',
        destructionId: batch.id,
      },
    });
    return { ...created, batch: code, volumes: chosen.map((v) => v.code) };
  });
}

/** The approval engine's last approval: held apart until the hold ends (fixed now, never shortened later). */
export async function destructionApproved(scope: Scope, request: { code: string; destructionId: number | null }) {
  const { tx, now, timeZone, audit } = scope;
  if (request.destructionId === null) throw new Error(`request ${request.code} names no batch`);
  const { destruction_hold_months: months } = await readConfig(tx);
  const holdUntil = holdUntilOf(localDateOf(now, timeZone), months);
  const batch = await tx.destructionBatch.update({
    where: { id: request.destructionId },
    data: { state: 'approved', approvedAt: now, holdUntil: dbDateFromLocalDate(holdUntil) },
  });
  await audit({
    action: 'destruction.approved',
    subjectType: 'destruction',
    subjectId: batch.code,
    details: { request: request.code, holdUntil: formatLocalDate(holdUntil) },
  });
  return { kind: 'destruction_approved' as const, holdUntil: formatLocalDate(holdUntil) };
}

/** Rejected or withdrawn: the batch is closed and its volumes go back to their boxes. */
export async function destructionClosed(scope: Scope, request: { destructionId: number | null }) {
  if (request.destructionId === null) return;
  const { tx, now } = scope;
  const batch = await tx.destructionBatch.update({
    where: { id: request.destructionId },
    data: { state: 'rejected' },
    include: { items: { select: { volumeId: true } } },
  });
  await tx.volume.updateMany({
    where: { id: { in: batch.items.map((i) => i.volumeId) }, state: 'held' },
    data: { state: 'in_box', updatedAt: now },
  });
}

async function batchNamed(tx: Tx, code: string) {
  const batch = await tx.destructionBatch.findUnique({
    where: { code },
    include: { items: { orderBy: { id: 'asc' } }, department: true },
  });
  if (!batch) throw new DomainError('destruction_not_found', { code });
  return batch;
}

/**
 * `/kh destruction destroy <XH-…> <@supervisor> <place>`: after the hold, the archivist names where
 * and under whom; the supervisor (not the proposer, with a role) is asked to confirm.
 */
export function scheduleDestruction(
  ctx: UseCaseContext,
  input: { code: string; supervisor: string; place: string },
): Promise<{ code: string; supervisor: string; place: string; volumes: number }> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'destruction' }),
        denied('destruction', input.code, 'destruction.schedule'),
      );
    const batch = await batchNamed(tx, input.code);
    // A 绝密 batch is answered like none to whoever may not know of its volumes.
    if (
      batch.topSecret &&
      !(await readsBatch(
        tx,
        me,
        batch.items.map((i) => i.volumeId),
        now,
      ))
    )
      throw new DomainError('destruction_not_found', { code: input.code });
    if (batch.state !== 'approved')
      throw new DomainError('destruction_state', { code: batch.code, state: batch.state });
    const holdUntil = batch.holdUntil ? localDateFromDbDate(batch.holdUntil) : null;
    if (!holdUntil || !holdEnded(holdUntil, localDateOf(now, timeZone)))
      throw new DomainError('destruction_held', {
        code: batch.code,
        until: holdUntil ? formatLocalDate(holdUntil) : '?',
      });
    // Named once: who supervises is not changed afterwards (a second archivist must not take it over).
    if (batch.supervisor) throw new DomainError('destruction_state', { code: batch.code, state: batch.state });
    // The supervisor (监销人) watches the others: not who listed it, who schedules it, or who appraised or approved it.
    const steps = await tx.approvalStep.findMany({
      where: { request: { destructionId: batch.id } },
      select: { decidedBy: true, approvals: { select: { decidedBy: true } } },
    });
    const involved = new Set([
      batch.proposedBy,
      me.slackUserId,
      ...steps.flatMap((a) => [...(a.decidedBy ? [a.decidedBy] : []), ...a.approvals.map((x) => x.decidedBy)]),
    ]);
    if (involved.has(input.supervisor)) throw new DomainError('destruction_supervisor_proposer', { code: batch.code });
    const supervisor = await tx.person.findUnique({ where: { slackUserId: input.supervisor } });
    if (!supervisor || supervisor.roles.length === 0)
      throw new DomainError('person_without_role', { user: input.supervisor });
    // The register names customers and levels: the supervisor oversees the archive and may read every volume of it.
    if (!can(supervisor.roles, 'manageArchive') && !can(supervisor.roles, 'readLoanRegister'))
      throw new DomainError('destruction_supervisor_proposer', { code: batch.code });
    if (
      !(await readsBatch(
        tx,
        supervisor,
        batch.items.map((i) => i.volumeId),
        now,
      ))
    )
      throw new DomainError('destruction_supervisor_proposer', { code: batch.code });
    const place = storableText(input.place).trim();
    if (!place || place.length > 200) throw new DomainError('destruction_place_required');
    await tx.destructionBatch.update({ where: { id: batch.id }, data: { supervisor: input.supervisor, place } });
    await audit({
      action: 'destruction.scheduled',
      subjectType: 'destruction',
      subjectId: batch.code,
      details: { supervisor: input.supervisor, place },
    });
    return { code: batch.code, supervisor: input.supervisor, place, volumes: batch.items.length };
  });
}

export interface DestroyedBatch {
  code: string;
  department: string;
  proposedBy: string;
  proposedAt: Date;
  approvedAt: Date | null;
  holdUntil: string | null;
  place: string;
  supervisor: string;
  destroyedAt: Date;
  /** Who appraised and approved, from the request's steps. */
  approvals: { roles: string[]; by: string; at: Date }[];
  items: {
    volumeCode: string;
    customerCode: string;
    year: number;
    retention: RetentionClass;
    secrecyLevel: SecrecyLevel;
    documents: number;
    pages: number;
  }[];
}

/**
 * The named supervisor confirms the destruction (监销人签字): the volumes are destroyed, their
 * records kept. Exactly once; anyone else is refused and audited; never before the hold ends.
 */
export function confirmDestruction(ctx: UseCaseContext, code: string): Promise<DestroyedBatch> {
  return runUseCase(ctx, async ({ tx, now, timeZone, actor, audit, refuse }) => {
    const batch = await tx.destructionBatch.findUnique({ where: { code } });
    if (!batch || batch.supervisor !== actor.slackUserId)
      return refuse(
        new DomainError('not_allowed', { action: 'destruction' }),
        denied('destruction', code, 'destruction.confirm'),
      );
    const holdUntil = batch.holdUntil ? localDateFromDbDate(batch.holdUntil) : null;
    if (!holdUntil || !holdEnded(holdUntil, localDateOf(now, timeZone)))
      throw new DomainError('destruction_held', { code, until: holdUntil ? formatLocalDate(holdUntil) : '?' });
    if (batch.state !== 'approved') throw new DomainError('destruction_state', { code, state: batch.state });
    // What is destroyed is what was appraised: each volume still held, as it was listed.
    const listed = await tx.destructionItem.findMany({
      where: { batchId: batch.id },
      include: { volume: { select: { state: true, retention: true, _count: { select: { documents: true } } } } },
    });
    const changed = listed.find(
      (i) =>
        i.volume.state !== 'held' || i.volume.retention !== i.retention || i.volume._count.documents !== i.documents,
    );
    if (changed) throw new DomainError('destruction_changed', { code, volume: changed.volumeCode });
    const { count } = await tx.destructionBatch.updateMany({
      where: { id: batch.id, state: 'approved' },
      data: { state: 'destroyed', destroyedAt: now },
    });
    if (count === 0) throw new DomainError('destruction_state', { code, state: batch.state });
    const full = await tx.destructionBatch.findUniqueOrThrow({
      where: { id: batch.id },
      include: {
        items: { orderBy: { id: 'asc' } },
        department: true,
        requests: {
          where: { state: 'approved' },
          include: { steps: { include: { approvals: true }, orderBy: { position: 'asc' } } },
        },
      },
    });
    await tx.volume.updateMany({
      where: { id: { in: full.items.map((i) => i.volumeId) } },
      data: { state: 'destroyed', updatedAt: now },
    });
    await audit({
      action: 'destruction.confirmed',
      subjectType: 'destruction',
      subjectId: code,
      details: { place: full.place, volumes: full.items.map((i) => i.volumeCode) },
    });
    const approvals = (full.requests[0]?.steps ?? []).flatMap((step) =>
      step.mode === 'all'
        ? step.approvals.map((a) => ({ roles: [a.role as string], by: a.decidedBy, at: a.decidedAt }))
        : step.decidedBy && step.decidedAt
          ? [{ roles: step.roles as string[], by: step.decidedBy, at: step.decidedAt }]
          : [],
    );
    return {
      code,
      department: full.department.name,
      proposedBy: full.proposedBy,
      proposedAt: full.proposedAt,
      approvedAt: full.approvedAt,
      holdUntil: full.holdUntil ? formatLocalDate(localDateFromDbDate(full.holdUntil)) : null,
      place: full.place ?? '',
      supervisor: actor.slackUserId,
      destroyedAt: now,
      approvals,
      items: full.items.map(({ volumeCode, customerCode, year, retention, secrecyLevel, documents, pages }) => ({
        volumeCode,
        customerCode,
        year,
        retention,
        secrecyLevel,
        documents,
        pages,
      })),
    };
  });
}

/**
 * The monthly `retention-review` job's figures (ARCH-29): how many volumes have passed their
 * retention and are in no batch (counted whoever may read them), and the batches whose hold has
 * ended, ready to be destroyed. Counts and batch codes only: the archive channel reads it.
 */
export async function retentionReview(
  db: Db,
  now: Date,
  timeZone: string,
): Promise<{ expired: number; ready: string[] }> {
  const today = localDateOf(now, timeZone);
  const { retention_long_years: long, retention_short_years: short } = await readConfig(db);
  const expired = await db.volume.count({
    where: {
      state: 'in_box',
      OR: [
        { retention: 'long_term', year: { lt: today.year - long } },
        { retention: 'short_term', year: { lt: today.year - short } },
      ],
    },
  });
  const ready = await db.destructionBatch.findMany({
    where: { state: 'approved', holdUntil: { lt: dbDateFromLocalDate(today) } },
    select: { code: true },
    orderBy: { id: 'asc' },
  });
  return { expired, ready: ready.map((b) => b.code) };
}

/**
 * `/kh destruction show <XH-…>`: a batch with every volume (code, customer code, level, year,
 * retention), for those who keep or oversee the archive and for anyone who may decide a step of
 * its request (the appraisers and the director). A 绝密 batch only for whoever may read all of it.
 */
export function showDestruction(
  ctx: UseCaseContext,
  code: string,
): Promise<{
  code: string;
  state: DestructionState;
  department: string;
  holdUntil: string | null;
  items: { volumeCode: string; customerCode: string; level: SecrecyLevel; year: number; retention: RetentionClass }[];
}> {
  return runUseCase(ctx, async ({ tx, now, me, refuse }) => {
    const batch = await tx.destructionBatch.findUnique({
      where: { code },
      include: { department: true, items: { orderBy: { id: 'asc' } }, requests: { include: { steps: true } } },
    });
    const decides = batch?.requests.some((r) => r.steps.some((step) => rolesActedFor(me, step, r).length > 0)) ?? false;
    const overseer = can(me.roles, 'manageArchive') || can(me.roles, 'readLoanRegister');
    const readable =
      batch !== null &&
      (overseer || decides) &&
      (!batch.topSecret ||
        (await readsBatch(
          tx,
          me,
          batch.items.map((i) => i.volumeId),
          now,
        )));
    if (!batch || !readable)
      return refuse(
        new DomainError('destruction_not_found', { code }),
        denied('destruction', code, 'destruction.show'),
      );
    return {
      code: batch.code,
      state: batch.state,
      department: batch.department.name,
      holdUntil: batch.holdUntil ? formatLocalDate(localDateFromDbDate(batch.holdUntil)) : null,
      items: batch.items.map((i) => ({
        volumeCode: i.volumeCode,
        customerCode: i.customerCode,
        level: i.secrecyLevel,
        year: i.year,
        retention: i.retention,
      })),
    };
  });
}
