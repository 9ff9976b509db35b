/**
 * Handover on a real database (STAT-12, STAT-13, STAT-14): the checklist of what a leaving
 * person holds; both people confirm; nothing moves before both have, and nothing is left
 * without a holder (a loan still out blocks it); then in one step their customers, monthly
 * submissions and volumes move to the successor, their pending requests are withdrawn and their
 * grants revoked, each customer's change of hands kept in its history — and what they could
 * read as owner they no longer can.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { cancelHandover, confirmHandover, showHandover, startHandover } from '../../src/domain/custody/handover.js';
import { setSubmissionRules } from '../../src/domain/custody/submissions.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { compileReport } from '../../src/domain/statistics/compile-report.js';
import { submitReport } from '../../src/domain/statistics/report-requests.js';
import { createTestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertLoan } from '../helpers/loan-rows.js';
import { refusal } from '../helpers/refusal.js';

describe('a handover when someone leaves (STAT-12, STAT-13, STAT-14)', () => {
  it('STAT-13, STAT-14: listed, blocked while a loan is out, confirmed by both, then everything moves at once', async () => {
    const db = await createTestDb();
    onTestFinished(() => db.close());
    await givePerson(db.prisma, 'UADMIN', ['admin']);
    await givePerson(db.prisma, 'ULEAVE', ['sales'], '销售一部');
    await givePerson(db.prisma, 'UNEXT', ['sales'], '销售一部');
    await givePerson(db.prisma, 'UHEAD1', ['dept_head'], '销售一部');
    await givePerson(db.prisma, 'UOTHER', ['sales'], '销售二部');
    await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
    await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'UNOROLE', []);
    const a = await createCustomer(ctx(db.prisma, 'ULEAVE'), validCustomer({ name: '移交客户甲' }));
    const b = await createCustomer(ctx(db.prisma, 'ULEAVE'), validCustomer({ name: '移交客户乙' }));
    const theirs = await createCustomer(ctx(db.prisma, 'UOTHER'), validCustomer({ name: '他部客户' }));
    // A 绝密 customer the leaving person owns (its custodian is the GM's choice, UCUST): nobody else here may know of it.
    await givePerson(db.prisma, 'UCUST', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
    const secret = await createCustomer(ctx(db.prisma, 'USUPER'), {
      ...validCustomer({ name: '绝密移交客户', secrecyLevel: 'top_secret', ownerSlackUserId: 'ULEAVE' }),
      custodianSlackUserIds: ['UCUST'],
    });
    await setSubmissionRules(ctx(db.prisma, 'UADMIN'), {
      department: '销售一部',
      materials: ['basic_info'],
      responsibleSlackUserId: 'ULEAVE',
    });
    const pending = await createRequest(ctx(db.prisma, 'ULEAVE'), {
      kind: 'view',
      customerCode: theirs.code,
      purpose: '回访',
      reason: '客户来电',
      requesterProfile: '销售一部',
    });
    const leaving = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'ULEAVE' } });
    const archivist = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UARCH' } });
    const customerA = await db.prisma.customer.findUniqueOrThrow({ where: { code: a.code } });
    const loan = await insertLoan(db.prisma, {
      n: 3,
      customer: { id: customerA.id, code: a.code },
      boxId: await insertBox(db.prisma),
      borrowerId: leaving.id,
      responsibleId: archivist.id,
      dueOn: '2026-12-01',
    });

    // Who may start it: the department's head (or supervisor and above), not the person, not another head.
    const input = { from: 'ULEAVE', to: 'UNEXT', materials: '统计台账 2 本、计算器 1 台' };
    expect(await refusal(startHandover(ctx(db.prisma, 'ULEAVE'), input))).toBe('not_allowed');
    expect(await refusal(startHandover(ctx(db.prisma, 'UHEAD2'), input))).toBe('not_allowed');
    expect(await refusal(startHandover(ctx(db.prisma, 'UHEAD1'), { ...input, to: 'UNOROLE' }))).toBe(
      'person_without_role',
    );
    expect(await refusal(startHandover(ctx(db.prisma, 'UHEAD1'), { ...input, to: 'ULEAVE' }))).toBe(
      'handover_same_person',
    );
    const started = await startHandover(ctx(db.prisma, 'UHEAD1'), input);
    expect(started).toMatchObject({
      code: 'YJ-2026-0001',
      customers: [a.code, b.code],
      submissions: [{ department: '销售一部', material: 'basic_info' }],
      pendingRequests: [pending.request.code],
      openLoans: [loan.code],
      materials: '统计台账 2 本、计算器 1 台',
    });
    expect(await refusal(startHandover(ctx(db.prisma, 'UHEAD1'), input))).toBe('handover_open');
    // SEC-3: the 绝密 customer is in nobody's list here — not the head's, the leaving person's or the successor's.
    for (const list of [started, started.forFrom, started.forTo]) expect(list.customers).not.toContain(secret.code);

    // Nothing without a holder: the loan out blocks every confirmation.
    expect(await refusal(confirmHandover(ctx(db.prisma, 'UNEXT'), started.code))).toBe('handover_blocked');
    await db.prisma.loan.updateMany({ data: { state: 'returned', returnedAt: NOW } });
    expect(await refusal(confirmHandover(ctx(db.prisma, 'UOTHER'), started.code))).toBe('not_allowed');
    const half = await confirmHandover(ctx(db.prisma, 'UNEXT'), started.code);
    expect(half).toMatchObject({ state: 'open', toConfirmed: true, fromConfirmed: false });
    // One confirmation moves nothing.
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { code: a.code } })).ownerId).toBe(leaving.id);

    const done = await confirmHandover(ctx(db.prisma, 'ULEAVE'), started.code);
    expect(done.state).toBe('done');
    const next = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UNEXT' } });
    for (const code of [a.code, b.code, secret.code]) {
      const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code } });
      expect(customer.ownerId).toBe(next.id);
      expect((await db.prisma.customerSearch.findUniqueOrThrow({ where: { customerId: customer.id } })).ownerId).toBe(
        next.id,
      );
      const change = await db.prisma.customerChange.findFirstOrThrow({
        where: { customerId: customer.id, field: 'ownerSlackUserId' },
      });
      expect([change.oldValue, change.newValue]).toEqual(['ULEAVE', 'UNEXT']);
    }
    expect((await db.prisma.submissionRule.findFirstOrThrow()).responsibleId).toBe(next.id);
    expect((await db.prisma.request.findUniqueOrThrow({ where: { code: pending.request.code } })).state).toBe(
      'withdrawn',
    );
    expect(await refusal(confirmHandover(ctx(db.prisma, 'ULEAVE'), started.code))).toBe('handover_closed');
    // Shown afterwards, it is what moved then — not what the person holds now — and still no 绝密 code.
    const afterwards = await showHandover(ctx(db.prisma, 'UHEAD1'), started.code);
    expect(afterwards).toMatchObject({
      state: 'done',
      customers: [a.code, b.code],
      pendingRequests: [pending.request.code],
    });
    // The successor reads the customers as their owner; the one who left no longer does.
    expect((await showCustomer(ctx(db.prisma, 'UNEXT'), a.code)).customer.code).toBe(a.code);
    expect(await refusal(showCustomer(ctx(db.prisma, 'ULEAVE'), a.code))).toBe('customer_hidden');
    const audited = await db.prisma.auditEvent.findMany({ where: { subjectType: 'handover' }, orderBy: { id: 'asc' } });
    expect(audited.map((e) => [e.action, e.actor])).toEqual([
      ['handover.started', 'UHEAD1'],
      ['access.denied', 'UOTHER'],
      ['handover.confirmed', 'UNEXT'],
      ['handover.confirmed', 'ULEAVE'],
      ['handover.completed', 'ULEAVE'],
    ]);
  });
});

describe('an insider probing handovers (STAT-13, ARCH-29, INFO-13)', () => {
  it('STAT-13: a head does not take a member’s customers; a mistaken handover is cancelled; a pending request is withdrawn with its effects', async () => {
    const db = await createTestDb();
    onTestFinished(() => db.close());
    await givePerson(db.prisma, 'UARCH1', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'UARCH2', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'USVCHEAD', ['dept_head'], '客户服务部');
    await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
    await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
    // The leaving archivist has a report waiting for its release.
    const { report } = await compileReport(ctx(db.prisma, 'UARCH1'), {
      period: '2026-10',
      explanation: { text: '说明' },
    });
    await submitReport(ctx(db.prisma, 'UARCH1'), report.code);

    expect(
      await refusal(startHandover(ctx(db.prisma, 'USVCHEAD'), { from: 'UARCH1', to: 'USVCHEAD', materials: '' })),
    ).toBe('not_allowed');
    const wrong = await startHandover(ctx(db.prisma, 'USVCHEAD'), { from: 'UARCH1', to: 'USUPER', materials: '' });
    expect(
      await refusal(startHandover(ctx(db.prisma, 'USVCHEAD'), { from: 'UARCH1', to: 'UARCH2', materials: '' })),
    ).toBe('handover_open');
    expect(await refusal(cancelHandover(ctx(db.prisma, 'UARCH2'), wrong.code))).toBe('not_allowed');
    await cancelHandover(ctx(db.prisma, 'USVCHEAD'), wrong.code);
    const right = await startHandover(ctx(db.prisma, 'USVCHEAD'), { from: 'UARCH1', to: 'UARCH2', materials: '' });
    expect(right.pendingRequests).toHaveLength(1);
    await confirmHandover(ctx(db.prisma, 'UARCH2'), right.code);
    await confirmHandover(ctx(db.prisma, 'UARCH1'), right.code);
    // The release request went the way a withdrawal goes: the report is a draft again, for the successor.
    expect((await db.prisma.report.findUniqueOrThrow({ where: { code: report.code } })).state).toBe('draft');
    expect((await submitReport(ctx(db.prisma, 'UARCH2'), report.code)).request.state).toBe('pending');
  });
});
