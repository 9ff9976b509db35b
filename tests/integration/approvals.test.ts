import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { withdrawRequest } from '../../src/domain/approvals/withdraw-request.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { DomainError } from '../../src/domain/errors.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;

/** The people every test relies on; no test changes them in the shared database. */
async function givePeople(on: TestDb): Promise<void> {
  await givePerson(on.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(on.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(on.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(on.prisma, 'UHEAD1', ['dept_head'], '销售一部');
  await givePerson(on.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(on.prisma, 'UMGR', ['service_manager'], '客户服务部');
  await givePerson(on.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(on.prisma, 'UGM', ['general_manager'], '总经理办公室');
  await givePerson(on.prisma, 'UNODEPT', ['sales']);
}

/**
 * A database of the test's own with the same people, for a test that adds an approver:
 * approvers are everyone holding a step's role, so another holder would change the
 * approvers other tests expect.
 */
async function ownDb(): Promise<TestDb> {
  const own = await createTestDb();
  onTestFinished(() => own.close());
  await givePeople(own);
  return own;
}

let customers = 0;
/** A customer (USALES1's unless `owner` says otherwise) that no other test uses. */
async function newCustomer(
  label: string,
  secrecyLevel: 'restricted' | 'confidential',
  { on = db, owner = 'USALES1' }: { on?: TestDb; owner?: string } = {},
): Promise<{ code: string; name: string }> {
  const n = ++customers;
  const created = await createCustomer(
    ctx(on.prisma, owner),
    validCustomer({ name: `${label}${n}号`, phone: `0755-${String(44440000 + n)}`, secrecyLevel }),
  );
  return { code: created.code, name: created.name };
}

const ask = (user: string, kind: 'view' | 'copy' | 'provide', code: string, extra: object = {}, on: TestDb = db) =>
  createRequest(ctx(on.prisma, user), {
    kind,
    customerCode: code,
    purpose: '核对合同条款',
    reason: '客户投诉处理',
    requesterProfile: '王磊 销售二部 销售经理',
    ...extra,
  });

beforeAll(async () => {
  db = await createTestDb();
  await givePeople(db);
});
afterAll(() => db.close());

describe('view requests (INFO-18, ARCH-27)', () => {
  it('INFO-18: a confidential view goes head of the requester’s department → archivist → service manager, then grants access', async () => {
    const confidential = await newCustomer('机密客户', 'confidential');
    // Request codes number the year's requests in order of creation.
    const earlier = await db.prisma.request.count({ where: { code: { startsWith: 'SQ-2026-' } } });
    const { request, approvers } = await ask('USALES2', 'view', confidential.code, { grantDays: 3 });
    expect(request.code).toBe(`SQ-2026-${String(earlier + 1).padStart(4, '0')}`);
    expect(request.steps.map((s) => [s.roles, s.state])).toEqual([
      [['dept_head'], 'open'],
      [['archivist'], 'waiting'],
      [['service_manager'], 'waiting'],
    ]);
    expect(approvers).toEqual(['UHEAD2']);
    const [first, second, third] = request.steps;
    if (!first || !second || !third) throw new Error('chain too short');
    // The head of another department may not sign, and the refusal is audited.
    await expect(
      decideStep(ctx(db.prisma, 'UHEAD1'), { stepId: first.id, decision: 'approve' }),
    ).rejects.toBeDomainError('not_allowed');
    expect(
      await db.prisma.auditEvent.count({
        where: { action: 'access.denied', actor: 'UHEAD1', subjectId: request.code },
      }),
    ).toBe(1);
    const one = await decideStep(ctx(db.prisma, 'UHEAD2'), { stepId: first.id, decision: 'approve' });
    expect(one.nextStep).toEqual({ id: second.id, approvers: ['UARCH'] });
    // A later step cannot be decided before it opens.
    await expect(decideStep(ctx(db.prisma, 'UMGR'), { stepId: third.id, decision: 'approve' })).rejects.toBeDomainError(
      'step_already_decided',
    );
    await decideStep(ctx(db.prisma, 'UARCH'), { stepId: second.id, decision: 'approve' });
    const last = await decideStep(ctx(db.prisma, 'UMGR'), { stepId: third.id, decision: 'approve' });
    expect(last.request.state).toBe('approved');
    expect(last.created).toEqual({ kind: 'grant', expiresAt: new Date(NOW.getTime() + 3 * 86_400_000) });
    const shown = await showCustomer(ctx(db.prisma, 'USALES2'), confidential.code);
    expect(shown.customer.name).toBe(confidential.name);
    await expect(
      showCustomer(ctx(db.prisma, 'USALES2', new Date(NOW.getTime() + 3 * 86_400_000)), confidential.code),
    ).rejects.toBeDomainError('customer_hidden');
  });

  it('refuses a view the person already has, a second open request, and a requester without a department', async () => {
    const confidential = await newCustomer('机密客户', 'confidential');
    const restricted = await newCustomer('秘密客户', 'restricted');
    await expect(ask('USALES1', 'view', confidential.code)).rejects.toBeDomainError('request_unneeded');
    const { request } = await ask('USALES2', 'view', restricted.code);
    await expect(ask('USALES2', 'view', restricted.code)).rejects.toBeDomainError('request_duplicate', {
      code: request.code,
    });
    await expect(ask('UNODEPT', 'view', restricted.code)).rejects.toBeDomainError('request_no_department');
    // An unknown code is filed like a hidden one (leaks.test.ts): the GM screens it.
  });

  it('a rejection ends the request and cancels the steps after it', async () => {
    const restricted = await newCustomer('秘密客户', 'restricted');
    const { request } = await ask('USALES2', 'view', restricted.code);
    const first = request.steps.find((s) => s.position === 0);
    if (!first) throw new Error('no first step');
    const outcome = await decideStep(ctx(db.prisma, 'UHEAD2'), {
      stepId: first.id,
      decision: 'reject',
      comment: '理由不充分',
    });
    expect(outcome.request.state).toBe('rejected');
    expect(outcome.request.steps.map((s) => s.state)).toEqual(['rejected', 'cancelled']);
    expect(outcome.request.steps[0]?.comment).toBe('理由不充分');
  });
});

describe('copy and provision (INFO-23, SEC-8, INFO-24, SEC-10)', () => {
  it('SEC-8: copying classified material is decided by the GM (or a deputy) and recorded as a permission', async () => {
    const confidential = await newCustomer('机密客户', 'confidential');
    const { request, approvers } = await ask('USALES1', 'copy', confidential.code);
    expect(approvers).toEqual(['UGM']);
    const step = request.steps[0];
    if (!step) throw new Error('no step');
    await expect(
      decideStep(ctx(db.prisma, 'USUPER'), { stepId: step.id, decision: 'approve' }),
    ).rejects.toBeDomainError('not_allowed');
    const outcome = await decideStep(ctx(db.prisma, 'UGM'), { stepId: step.id, decision: 'approve' });
    expect(outcome.created).toEqual({ kind: 'permission' });
    expect(await db.prisma.permission.count({ where: { requestId: request.id, kind: 'copy' } })).toBe(1);
  });

  it('INFO-24: provision needs supervisor, service manager and general manager in that order', async () => {
    const restricted = await newCustomer('秘密客户', 'restricted');
    const { request } = await ask('USALES1', 'provide', restricted.code, {
      recipient: '深圳市律师事务所',
      externalReference: null,
    });
    expect(request.steps.map((s) => s.roles)).toEqual([['supervisor'], ['service_manager'], ['general_manager']]);
    expect(request.recipient).toBe('深圳市律师事务所');
  });

  it('a person never approves their own request; with nobody else to decide, the request is refused up front', async () => {
    // A deputy GM is added below: in the shared database that would change who decides other tests' copies.
    const own = await ownDb();
    const restricted = await newCustomer('秘密客户', 'restricted', { on: own });
    // Only the GM holds a role of the classified-copy step, and the GM is the one asking.
    await expect(ask('UGM', 'copy', restricted.code, {}, own)).rejects.toBeDomainError('request_no_approvers');
    await givePerson(own.prisma, 'UDGM', ['deputy_gm'], '总经理办公室');
    const { request, approvers } = await ask('UGM', 'copy', restricted.code, {}, own);
    expect(approvers).toEqual(['UDGM']);
    const step = request.steps[0];
    if (!step) throw new Error('no step');
    await expect(decideStep(ctx(own.prisma, 'UGM'), { stepId: step.id, decision: 'approve' })).rejects.toBeDomainError(
      'not_allowed',
    );
    await expect(decideStep(ctx(own.prisma, 'UDGM'), { stepId: step.id, decision: 'approve' })).resolves.toMatchObject({
      decision: 'approve',
    });
  });
});

describe('exactly once (double clicks, retries, replicas) and withdrawal', () => {
  it('two approvers deciding one step at once record one decision; the other is told who', async () => {
    // A second archivist: in the shared database that would change who decides other tests' archivist steps.
    const own = await ownDb();
    await givePerson(own.prisma, 'UARCH2', ['archivist'], '客户服务部');
    const customer = await newCustomer('并发客户', 'restricted', { on: own, owner: 'USALES2' });
    const { request } = await ask('USALES1', 'view', customer.code, {}, own);
    const first = request.steps[0];
    const second = request.steps[1];
    if (!first || !second) throw new Error('chain too short');
    await decideStep(ctx(own.prisma, 'UHEAD1'), { stepId: first.id, decision: 'approve' });
    const results = await Promise.allSettled([
      decideStep(ctx(own.prisma, 'UARCH'), { stepId: second.id, decision: 'approve' }),
      decideStep(ctx(own.prisma, 'UARCH2'), { stepId: second.id, decision: 'reject', comment: '不同意' }),
      decideStep(ctx(own.prisma, 'UARCH'), { stepId: second.id, decision: 'approve' }),
    ]);
    const fulfilled = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(fulfilled).toHaveLength(1);
    const winner = fulfilled[0];
    if (!winner) throw new Error('no decision');
    for (const r of results) {
      if (r.status !== 'rejected') continue;
      // A click that found the step still open learns who decided it; one that came after finds the request closed.
      if (r.reason instanceof DomainError && r.reason.code === 'request_closed')
        expect(r.reason).toBeDomainError('request_closed', { code: request.code, state: winner.request.state });
      else expect(r.reason).toBeDomainError('step_already_decided', { code: request.code, user: winner.by });
    }
    const events = await own.prisma.auditEvent.count({
      where: {
        subjectId: request.code,
        action: { in: ['request.step_approved', 'request.step_rejected'] },
        details: { path: ['step'], equals: 1 },
      },
    });
    expect(events).toBe(1);
    expect(await own.prisma.accessGrant.count({ where: { requestId: request.id } })).toBeLessThanOrEqual(1);
  });

  it('a withdrawn request cannot be decided; only the requester withdraws', async () => {
    const confidential = await newCustomer('机密客户', 'confidential');
    const { request } = await ask('USALES1', 'provide', confidential.code, { recipient: '银行' });
    await expect(withdrawRequest(ctx(db.prisma, 'USALES2'), request.code)).rejects.toBeDomainError('request_not_found');
    const withdrawn = await withdrawRequest(ctx(db.prisma, 'USALES1'), request.code);
    expect(withdrawn.request.state).toBe('withdrawn');
    const step = request.steps[0];
    if (!step) throw new Error('no step');
    // The domain names the step whose messages must now show the withdrawal.
    expect(withdrawn.cancelledStep?.id).toBe(step.id);
    await expect(
      decideStep(ctx(db.prisma, 'USUPER'), { stepId: step.id, decision: 'approve' }),
    ).rejects.toBeDomainError('request_closed');
    await expect(withdrawRequest(ctx(db.prisma, 'USALES1'), request.code)).rejects.toBeDomainError('request_closed');
  });
});

describe('"all of these" steps (the engine mode later workflows use, e.g. ARCH-29 joint appraisal)', () => {
  it('each role of the step must approve once; the step completes with the last one', async () => {
    await givePerson(db.prisma, 'UDIR', ['director'], '客户服务部');
    const created = await newCustomer('联合审批客户', 'restricted');
    const { request } = await ask('USALES2', 'view', created.code);
    const first = request.steps[0];
    const second = request.steps[1];
    if (!first || !second) throw new Error('chain too short');
    // Turn the first step into a joint step of the service manager and the department head.
    await db.prisma.approvalStep.update({
      where: { id: first.id },
      data: { mode: 'all', roles: ['service_manager', 'dept_head'] },
    });
    const one = await decideStep(ctx(db.prisma, 'UMGR'), { stepId: first.id, decision: 'approve' });
    expect(one.stepComplete).toBe(false);
    expect(one.nextStep).toBeNull();
    expect(one.request.steps[0]?.approvals.map((a) => [a.role, a.decidedBy])).toEqual([['service_manager', 'UMGR']]);
    expect(one.request.steps[0]?.state).toBe('open');
    // The same role cannot approve twice; an outsider cannot approve at all.
    await expect(decideStep(ctx(db.prisma, 'UMGR'), { stepId: first.id, decision: 'approve' })).rejects.toBeDomainError(
      'step_already_decided',
    );
    await expect(decideStep(ctx(db.prisma, 'UDIR'), { stepId: first.id, decision: 'approve' })).rejects.toBeDomainError(
      'not_allowed',
    );
    const two = await decideStep(ctx(db.prisma, 'UHEAD2'), { stepId: first.id, decision: 'approve' });
    expect(two.stepComplete).toBe(true);
    expect(two.nextStep?.id).toBe(second.id);
    expect(two.request.steps[0]?.state).toBe('approved');
  });

  it('in a joint step, one holder’s rejection rejects the request', async () => {
    const created = await newCustomer('联合驳回客户', 'restricted');
    const { request } = await ask('USALES2', 'view', created.code);
    const first = request.steps[0];
    if (!first) throw new Error('no step');
    await db.prisma.approvalStep.update({
      where: { id: first.id },
      data: { mode: 'all', roles: ['service_manager', 'dept_head'] },
    });
    await decideStep(ctx(db.prisma, 'UMGR'), { stepId: first.id, decision: 'approve' });
    const rejected = await decideStep(ctx(db.prisma, 'UHEAD2'), {
      stepId: first.id,
      decision: 'reject',
      comment: '不同意',
    });
    expect(rejected.request.state).toBe('rejected');
  });
});
