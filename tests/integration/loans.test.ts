/**
 * Loans on a real database (INFO-19, INFO-20, ARCH-28): asked for through the approval engine,
 * at most three days in company time, signed for by the borrower, returned once, and of two
 * loans of one volume approved at once exactly one wins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { fileDocument } from '../../src/domain/archive/file-document.js';
import { addLocation } from '../../src/domain/archive/locations.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { listLoans } from '../../src/domain/loans/list-loans.js';
import { receiveLoan } from '../../src/domain/loans/receive-loan.js';
import { requestLoan } from '../../src/domain/loans/request-loan.js';
import { returnLoan } from '../../src/domain/loans/return-loan.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertLoan } from '../helpers/loan-rows.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'USALES3', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UKEEPER', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UGM', ['general_manager'], '总经理办公室');
});
afterAll(() => db.close());

let serial = 0;
/** A customer of USALES1's with one filed volume in a box of the test's own; returns the volume code. */
async function newVolume(level: 'restricted' | 'confidential' | 'top_secret' = 'restricted'): Promise<string> {
  const n = ++serial;
  const created = await createCustomer(ctx(db.prisma, level === 'top_secret' ? 'USUPER' : 'USALES1'), {
    ...validCustomer({
      name: `借阅测试客户${n}号`,
      phone: `0571-${String(87000000 + n)}`,
      secrecyLevel: level,
      ownerSlackUserId: 'USALES1',
    }),
    custodianSlackUserIds: level === 'top_secret' ? ['UKEEPER'] : [],
  });
  const box = `借阅库${n}/柜/架/盒`;
  await addLocation(ctx(db.prisma, 'UARCH'), { path: box, classified: level !== 'restricted' });
  const filer = level === 'restricted' ? 'UARCH' : level === 'confidential' ? 'USUPER' : 'UKEEPER';
  const filed = await fileDocument(ctx(db.prisma, filer), {
    customerCode: created.code,
    type: 'sales_contract',
    title: '销售合同',
    formedOn: '2026-10-01',
    copies: '1',
    pages: '12',
    form: 'copy',
    carrier: 'paper',
    retention: 'long_term',
    box,
    vetted: true,
  });
  return filed.volume.code;
}

const ask = (user: string, volumeCode: string, dueOn = '2026-11-30', now = NOW) =>
  requestLoan(ctx(db.prisma, user, now), {
    volumeCode,
    material: '2026 年销售合同',
    copies: '1',
    dueOn,
    purpose: '核对合同条款',
    reason: '客户投诉处理',
    requesterProfile: '王磊 销售二部',
  });

/** Approves every step of a request in turn, by the first of `deciders` who may decide it. */
async function approveAll(requestCode: string, deciders: string[] = ['UHEAD2', 'UARCH', 'UMGR', 'UGM']) {
  let outcome: Awaited<ReturnType<typeof decideStep>> | undefined;
  for (const decider of deciders) {
    const request = await db.prisma.request.findUniqueOrThrow({
      where: { code: requestCode },
      include: { steps: true },
    });
    if (request.state !== 'pending') break;
    const open = request.steps.find((s) => s.state === 'open');
    if (!open) break;
    outcome = await decideStep(ctx(db.prisma, decider), { stepId: open.id, decision: 'approve' });
  }
  return outcome;
}

describe('asking for a loan (INFO-19, ARCH-28)', () => {
  it('INFO-19: like a view request: department head → archivist, + service manager for a 机密 volume', async () => {
    const restricted = await newVolume();
    const { request } = await ask('USALES2', restricted);
    expect(request.kind).toBe('loan');
    expect(request.loan).toMatchObject({ volumeCode: restricted, copies: 1, days: 2 });
    expect(request.steps.map((s) => s.roles)).toEqual([['dept_head'], ['archivist']]);
    const confidential = await newVolume('confidential');
    const secret = await ask('USALES2', confidential);
    expect(secret.request.steps.map((s) => s.roles)).toEqual([['dept_head'], ['archivist'], ['service_manager']]);
  });

  it('INFO-19: at most three days, counted on the company calendar: late at night in Shanghai is already the next day', async () => {
    const volume = await newVolume();
    // 23:30 on 2026-11-28 in Shanghai is 15:30 UTC: the company's today is the 28th.
    const lateNight = new Date('2026-11-28T15:30:00Z');
    await expect(ask('USALES2', volume, '2026-12-02', lateNight)).rejects.toBeDomainError('loan_too_long', { max: 3 });
    // 00:30 on the 29th in Shanghai is still the 28th in UTC: three days from the 29th reach the 2nd.
    const afterMidnight = new Date('2026-11-28T16:30:00Z');
    const { request } = await ask('USALES2', volume, '2026-12-02', afterMidnight);
    expect(request.loan?.days).toBe(3);
    await expect(ask('USALES3', volume, '2026-11-27')).rejects.toBeDomainError('invalid_form', { fields: 'dueOn' });
    expect(await db.prisma.request.count({ where: { volume: { code: volume } } })).toBe(1);
  });

  it('SEC-3: a top-secret volume is answered like an unknown code; a volume out on loan cannot be asked for by who may read it', async () => {
    const topSecret = await newVolume('top_secret');
    await expect(ask('USALES2', topSecret)).rejects.toBeDomainError('volume_not_found', { code: topSecret });
    await expect(ask('USALES2', 'JZ-2026-9999')).rejects.toBeDomainError('volume_not_found', { code: 'JZ-2026-9999' });
    const volume = await newVolume();
    const { request } = await ask('USALES2', volume);
    await approveAll(request.code);
    // Who may read the volume is told it is out; who may only know it exists is not told where
    // it is: the request is filed, and its approval will find the volume out.
    await expect(ask('UMGR', volume)).rejects.toBeDomainError('volume_unavailable', { code: volume, state: 'on_loan' });
    const masked = await ask('USALES3', volume);
    expect(masked.request.state).toBe('pending');
  });
});

describe('the loan register (INFO-19, INFO-20, ARCH-28)', () => {
  it('INFO-19: the last approval registers the loan; the borrower signs for it and the due date counts from that day', async () => {
    const volume = await newVolume();
    const { request } = await ask('USALES2', volume, '2026-11-30');
    const outcome = await approveAll(request.code);
    expect(outcome?.created).toEqual({ kind: 'loan', code: expect.stringMatching(/^JY-2026-\d{4}$/) });
    const code = outcome?.created?.kind === 'loan' ? outcome.created.code : '';
    expect(await db.prisma.volume.findUniqueOrThrow({ where: { code: volume } })).toMatchObject({ state: 'on_loan' });
    // Only the borrower signs; anyone else is refused like an unknown code.
    await expect(receiveLoan(ctx(db.prisma, 'USALES3'), code)).rejects.toBeDomainError('not_allowed', {
      action: 'loan_receipt',
    });
    const dayLater = new Date(NOW.getTime() + 86_400_000);
    const received = await receiveLoan(ctx(db.prisma, 'USALES2', dayLater), code);
    // Asked on the 28th for the 30th (two days); signed for on the 29th: due on the 1st.
    expect(received).toEqual({ code, volumeCode: volume, dueOn: '2026-12-01' });
    await expect(receiveLoan(ctx(db.prisma, 'USALES2', dayLater), code)).rejects.toBeDomainError('loan_closed', {
      code,
      state: 'open',
    });
    const register = await listLoans(ctx(db.prisma, 'UARCH'), { filter: 'open', page: 1 });
    expect(register.scope).toBe('all');
    expect(register.lines).toContainEqual(expect.objectContaining({ code, volumeCode: volume, borrower: 'USALES2' }));
    const own = await listLoans(ctx(db.prisma, 'USALES3'), { filter: 'all', page: 1 });
    expect(own.scope).toBe('own');
    expect(own.lines.map((l) => l.code)).not.toContain(code);
  });

  it('INFO-20: the archivist takes it back once; the volume is in its box again; a second return is refused', async () => {
    const volume = await newVolume();
    const { request } = await ask('USALES2', volume);
    const outcome = await approveAll(request.code);
    const code = outcome?.created?.kind === 'loan' ? outcome.created.code : '';
    await receiveLoan(ctx(db.prisma, 'USALES2'), code);
    await expect(returnLoan(ctx(db.prisma, 'USALES2'), code)).rejects.toBeDomainError('not_allowed', {
      action: 'return',
    });
    const later = new Date(NOW.getTime() + 4 * 86_400_000);
    const returned = await returnLoan(ctx(db.prisma, 'UARCH', later), code);
    expect(returned).toMatchObject({ code, volumeCode: volume, borrower: 'USALES2', late: true });
    expect(await db.prisma.volume.findUniqueOrThrow({ where: { code: volume } })).toMatchObject({ state: 'in_box' });
    const loan = await db.prisma.loan.findUniqueOrThrow({ where: { code }, include: { returnedBy: true } });
    expect(loan).toMatchObject({ state: 'returned', returnedAt: later, returnedBy: { slackUserId: 'UARCH' } });
    await expect(returnLoan(ctx(db.prisma, 'UARCH'), code)).rejects.toBeDomainError('loan_closed', {
      code,
      state: 'returned',
    });
    await expect(returnLoan(ctx(db.prisma, 'UARCH'), 'JY-2026-9999')).rejects.toBeDomainError('loan_not_found');
    const audited = await db.prisma.auditEvent.findMany({
      where: { subjectType: 'loan', subjectId: code },
      orderBy: { id: 'asc' },
      select: { action: true },
    });
    expect(audited.map((e) => e.action)).toEqual(['loan.approved', 'loan.received', 'access.denied', 'loan.returned']);
  });

  it('ARCH-28: two loans of one volume approved at the same moment: exactly one is registered', async () => {
    const volume = await newVolume();
    const first = await ask('USALES2', volume);
    const second = await ask('USALES3', volume);
    // Both reach their last step (the archivist's).
    await approveAll(first.request.code, ['UHEAD2']);
    await approveAll(second.request.code, ['UHEAD2']);
    const lastStep = async (code: string) =>
      (await db.prisma.approvalStep.findFirstOrThrow({ where: { request: { code }, state: 'open' } })).id;
    const steps = [await lastStep(first.request.code), await lastStep(second.request.code)];
    const results = await Promise.allSettled(
      steps.map((stepId, i) =>
        decideStep(ctx(db.prisma, i === 0 ? 'UARCH' : 'UKEEPER'), { stepId, decision: 'approve' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
      code: 'volume_unavailable',
      params: { code: volume, state: 'on_loan' },
    });
    expect(await db.prisma.loan.count({ where: { volume: { code: volume } } })).toBe(1);
  });

  it('SEC-3, INFO-22: a loan of a top-secret volume is not in the archivist’s register, and its return is answered like an unknown code', async () => {
    const n = ++serial;
    const customer = await createCustomer(ctx(db.prisma, 'USUPER'), {
      ...validCustomer({
        name: `绝密借阅客户${n}号`,
        phone: `0571-${String(88000000 + n)}`,
        secrecyLevel: 'top_secret',
      }),
      custodianSlackUserIds: ['UKEEPER'],
    });
    const keeper = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UKEEPER' } });
    const loan = await insertLoan(db.prisma, {
      n: 900 + n,
      customer,
      boxId: await insertBox(db.prisma, `绝密盒${n}`),
      borrowerId: keeper.id,
      responsibleId: keeper.id,
      dueOn: '2026-11-25',
      level: 'top_secret',
    });
    const archivist = await listLoans(ctx(db.prisma, 'UARCH'), { filter: 'all', page: 1 });
    expect(archivist.lines.map((l) => l.code)).not.toContain(loan.code);
    const overdue = await listLoans(ctx(db.prisma, 'UARCH'), { filter: 'overdue', page: 1 });
    expect(overdue.lines.map((l) => l.code)).not.toContain(loan.code);
    // Its custodian reads it.
    const custodian = await listLoans(ctx(db.prisma, 'UKEEPER'), { filter: 'overdue', page: 1 });
    expect(custodian.lines.map((l) => l.code)).toContain(loan.code);
    await expect(returnLoan(ctx(db.prisma, 'UARCH'), loan.code)).rejects.toBeDomainError('loan_not_found', {
      code: loan.code,
    });
    await expect(returnLoan(ctx(db.prisma, 'UARCH'), 'JY-2026-8888')).rejects.toBeDomainError('loan_not_found', {
      code: 'JY-2026-8888',
    });
    const refusals = await db.prisma.auditEvent.count({
      where: { actor: 'UARCH', action: 'loan.view_refused', subjectId: { in: [loan.code, 'JY-2026-8888'] } },
    });
    expect(refusals).toBe(2);
    expect(await db.prisma.loan.findUniqueOrThrow({ where: { code: loan.code } })).toMatchObject({ state: 'open' });
  });
});
