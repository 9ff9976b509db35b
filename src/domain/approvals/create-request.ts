import type { Prisma } from '../../generated/prisma/client.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, type SecrecyLevel, visibilityOf } from '../access/visibility.js';
import { nextCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { localDateOf } from '../time.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { approversOf } from './approvers.js';
import { approvalChain, type RequestKind, type StepRule, screeningChain } from './policy.js';
import { type RawRequestInput, type RequestInput, validateRequestInput } from './request-input.js';
import { loadRequestRow, type RequestSummary, toSummary } from './request-view.js';

export interface RequestCreated {
  request: RequestSummary;
  /** Slack ids of the people who may decide the first step. */
  approvers: string[];
}

/**
 * A view, copy or provision request (INFO-18, INFO-23, INFO-24) with its chain from the
 * policy table. Refused when the person can already see the customer (views), when the
 * same request is already open, when the chain needs a department head and the requester
 * has no department, or when a step has nobody to decide it.
 */
export async function createRequest(ctx: UseCaseContext, raw: RawRequestInput): Promise<RequestCreated> {
  const validation = validateRequestInput(raw);
  if (!validation.ok) throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });
  const input = validation.value;
  // Report access is filed by statistics/report-requests.ts: this is the customer requests' path.
  if (input.kind === 'report_access') throw new DomainError('invalid_form', { fields: 'kind' });
  return runUseCase(ctx, async (scope) => {
    const { tx, now, me, refuse } = scope;
    // INFO-17: without a role the answer is the same whether the code exists or not.
    if (me.roles.length === 0) {
      return refuse(
        new DomainError('not_allowed', { action: 'request' }),
        denied('customer', input.customerCode, `request.${input.kind}`),
      );
    }
    const customer = await tx.customer.findUnique({
      where: { code: input.customerCode },
      select: { id: true, code: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
    });
    const viewer = await loadViewer(tx, me, now);
    const visibility = customer ? visibilityOf(viewer, customer, now) : 'hidden';
    if (visibility === 'hidden') return screenedRequest(scope, input, customer);
    if (!customer) throw new Error('unreachable: a missing customer is hidden');
    if (input.kind === 'view' && visibility === 'visible')
      throw new DomainError('request_unneeded', { code: customer.code });
    const open = await tx.request.findFirst({
      where: { requesterId: me.id, customerId: customer.id, kind: input.kind, state: 'pending' },
      select: { code: true },
    });
    if (open) throw new DomainError('request_duplicate', { code: open.code });

    const level = effectiveSecrecy(customer, now);
    const chain = approvalChain(input.kind, level);
    if (chain.some((step) => step.roles.includes('dept_head')) && me.departmentId === null) {
      throw new DomainError('request_no_department');
    }
    return insertRequest(scope, {
      kind: input.kind,
      customer,
      level,
      chain,
      fields: requestFields(input),
    });
  });
}

/** What the requester stated, as stored on the request. */
const requestFields = (input: RequestInput) => ({
  purpose: input.purpose,
  reason: input.reason,
  requesterProfile: input.requesterProfile,
  externalReference: input.externalReference,
  recipient: input.recipient,
  grantDays: input.grantDays,
});

/**
 * SEC-3 (issue "top-secret requests can never run"): a code the requester cannot see — a
 * 绝密 customer, or none at all — is filed the same way either way: the same checks (made
 * against the longest chain, so neither a missing department nor a missing approver
 * depends on existence), the same answer, and the general manager screens it first.
 */
async function screenedRequest(
  scope: Scope,
  input: RequestInput,
  customer: { id: number; code: string; secrecyLevel: SecrecyLevel; secrecyUntil: Date | null } | null,
): Promise<RequestCreated> {
  const { tx, me } = scope;
  const open = await tx.request.findFirst({
    where: { requesterId: me.id, customerCode: input.customerCode, kind: input.kind, state: 'pending' },
    select: { code: true },
  });
  if (open) throw new DomainError('request_duplicate', { code: open.code });
  const longest = screeningChain(input.kind, 'top_secret');
  if (longest.some((step) => step.roles.includes('dept_head')) && me.departmentId === null) {
    throw new DomainError('request_no_department');
  }
  const level = customer ? effectiveSecrecy(customer, scope.now) : 'top_secret';
  return insertRequest(scope, {
    kind: input.kind,
    customer: { id: customer?.id ?? null, code: input.customerCode },
    level,
    chain: screeningChain(input.kind, customer ? level : null),
    approversChecked: 'first',
    fields: requestFields(input),
  });
}

/**
 * Files a request with its chain, inside the caller's use case: every step must have someone
 * to decide it, the code is the next of the year, the first step opens, and it is audited.
 * Shared by `/kh request` and the custodian proposal.
 */
export async function insertRequest(
  scope: Scope,
  input: {
    kind: RequestKind;
    /** A null id: the code matches no customer (a request the general manager screens). */
    customer: { id: number | null; code: string };
    level: SecrecyLevel;
    chain: readonly StepRule[];
    fields: Pick<
      Prisma.RequestUncheckedCreateInput,
      | 'purpose'
      | 'reason'
      | 'requesterProfile'
      | 'externalReference'
      | 'recipient'
      | 'grantDays'
      | 'volumeId'
      | 'loanMaterial'
      | 'loanCopies'
      | 'loanDays'
      | 'reportId'
      | 'reportPeriod'
      | 'destructionId'
    >;
    targetPersonId?: number;
    /** The department whose head signs, when it is not the requester's (a destruction: the originating department). */
    departmentId?: number;
    /** 'first': only the first step must have approvers now (a screened request's later steps depend on existence). */
    approversChecked?: 'all' | 'first';
  },
): Promise<RequestCreated> {
  const { tx, now, timeZone, me, audit } = scope;
  const { chain, customer, level } = input;
  const departmentId = input.departmentId ?? me.departmentId;
  const shape = {
    requesterId: me.id,
    departmentId,
    targetPersonId: input.targetPersonId ?? null,
    customerId: customer.id,
  };
  for (const step of input.approversChecked === 'first' ? chain.slice(0, 1) : chain) {
    if ((await approversOf(tx, step, shape)).length === 0) {
      throw new DomainError('request_no_approvers', { roles: step.roles });
    }
  }
  const code = await nextCode(tx, 'request', localDateOf(now, timeZone).year);
  const created = await tx.request.create({
    data: {
      ...input.fields,
      code,
      kind: input.kind,
      customerId: customer.id,
      customerCode: customer.code,
      requesterId: me.id,
      departmentId,
      targetPersonId: input.targetPersonId ?? null,
      createdAt: now,
      level,
      steps: {
        create: chain.map((step, position) => ({
          position,
          roles: [...step.roles],
          mode: step.mode ?? 'any',
          custodians: step.custodians ?? false,
          state: position === 0 ? ('open' as const) : ('waiting' as const),
          openedAt: position === 0 ? now : null,
        })),
      },
    },
    select: { id: true },
  });
  await audit({
    action: 'request.created',
    subjectType: 'request',
    subjectId: code,
    details: {
      kind: input.kind,
      customer: customer.code,
      level,
      steps: chain.map((s) => s.roles),
      ...(input.fields.volumeId && { volumeId: input.fields.volumeId }),
      ...(input.fields.reportId && { reportId: input.fields.reportId }),
      ...(input.fields.reportPeriod && { reportPeriod: input.fields.reportPeriod }),
    },
  });
  const row = await loadRequestRow(tx, { id: created.id });
  if (!row) throw new Error('request vanished inside its transaction');
  const first = chain[0];
  return { request: toSummary(row, now), approvers: first ? await approversOf(tx, first, shape) : [] };
}
