/**
 * Statistics reports on a real database (STAT-3, STAT-5, STAT-7, STAT-10, STAT-11, STAT-15,
 * STAT-17, STAT-18, STAT-19, STAT-20, INFO-9, INFO-10, INFO-11, INFO-12, INFO-13, STAT-6):
 * compiled from the official figures against targets, released only after the supervisor and
 * the service manager sign, read-only afterwards, corrected by a slip the general manager
 * approves with the original figure kept, late when released after the due day, read by the
 * roles of the policy table and by departments the general manager lets have the series, and
 * every view, export and refused attempt audited.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { revokeApproval } from '../../src/domain/approvals/revoke-approval.js';
import { withdrawRequest } from '../../src/domain/approvals/withdraw-request.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { isDomainError } from '../../src/domain/errors.js';
import { compileReport } from '../../src/domain/statistics/compile-report.js';
import { importSalesFile } from '../../src/domain/statistics/import-sales.js';
import { importTargetsFile } from '../../src/domain/statistics/import-targets.js';
import { listReports, readReport } from '../../src/domain/statistics/read-reports.js';
import {
  proposeCorrection,
  proposeReportDestruction,
  requestReportAccess,
  submitReport,
} from '../../src/domain/statistics/report-requests.js';
import { reportContentHash } from '../../src/domain/statistics/report-view.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, validCustomer } from '../helpers/fixtures.js';
import { refusal } from '../helpers/refusal.js';

/** NOW is 2026-11-28 (Shanghai): October is the last complete month; its report is due 2026-11-10. */
const DEC_2 = new Date('2026-12-02T02:00:00.000Z');

async function company(): Promise<{ db: TestDb; codes: string[] }> {
  const db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USERV', ['service'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  const codes: string[] = [];
  for (const [owner, name, region] of [
    ['USALES1', '杭州甲公司', '西湖'],
    ['USALES1', '杭州乙公司', '西湖'],
    ['USALES2', '宁波丙公司', '海曙'],
    ['USALES1', '杭州丁公司', '西湖'],
    ['USALES2', '宁波戊公司', '海曙'],
    ['USALES2', '宁波己公司', '海曙'],
  ] as const) {
    const created = await createCustomer(ctx(db.prisma, owner), validCustomer({ name, region }));
    codes.push(created.code);
  }
  const csv = (text: string) => new TextEncoder().encode(text);
  const [a, b, c, d, e, f] = codes;
  // Each department and region has three customers with figures: every line stands alone (STAT-20).
  const sales = await importSalesFile(ctx(db.prisma, 'UARCH'), {
    name: 's.csv',
    bytes: csv(
      [
        '客户编号,月份,销售额',
        `${a},2026-10,1000.50`,
        `${b},2026-10,500`,
        `${c},2026-10,2000`,
        `${d},2026-10,100`,
        `${e},2026-10,300`,
        `${f},2026-10,200`,
        `${a},2026-09,800`,
        `${c},2026-09,100`,
      ].join('\n'),
    ),
  });
  expect(sales.ok).toBe(true);
  const targets = await importTargetsFile(ctx(db.prisma, 'UARCH'), {
    bytes: csv('部门,等级,月份,目标\n销售一部,,2026-10,2000\n销售二部,,2026-10,1000'),
  });
  expect(targets).toMatchObject({ ok: true });
  return { db, codes };
}

const monthly = { period: '2026-10', explanation: { text: '十月销售回升，西湖区域贡献最大。' } };

async function approveChain(db: TestDb, requestCode: string, deciders: string[], now = NOW) {
  let outcome: Awaited<ReturnType<typeof decideStep>> | undefined;
  for (const decider of deciders) {
    const open = await db.prisma.approvalStep.findFirstOrThrow({
      where: { request: { code: requestCode }, state: 'open' },
    });
    outcome = await decideStep(ctx(db.prisma, decider, now), { stepId: open.id, decision: 'approve' });
  }
  return outcome;
}

describe('compiling a report (STAT-3, STAT-7, STAT-15, STAT-17, INFO-9, INFO-12)', () => {
  it('INFO-12, STAT-16, STAT-17: the figures by department, region and grade, against targets, beside the period before', async () => {
    const { db } = await company();
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    expect(report.code).toMatch(/^TJ-2026-\d{4}$/);
    expect(report.state).toBe('draft');
    expect(report.dueOn).toBe('2026-11-10');
    const f = report.figures;
    expect(f.months).toEqual(['2026-10']);
    expect(f.previousMonths).toEqual(['2026-09']);
    expect(f.total).toMatchObject({ actualFen: 410050n, previousFen: 90000n, targetFen: 300000n, customers: 6 });
    expect(f.departments.map((d) => [d.label, d.actualFen, d.targetFen, d.previousFen])).toEqual([
      ['销售一部', 160050n, 200000n, 80000n],
      ['销售二部', 250000n, 100000n, 10000n],
    ]);
    expect(f.regions.map((r) => [r.label, r.actualFen, r.customers])).toEqual([
      ['海曙', 250000n, 3],
      ['西湖', 160050n, 3],
    ]);
    // Nobody graded yet: the grade lines A, B, C have no customers and no targets; "none" holds all six.
    expect(f.grades.find((g) => g.key === 'grade!none')).toMatchObject({ actualFen: 410050n, customers: 6 });
    expect(report.explanation).toEqual({ text: monthly.explanation.text });
  });

  it('STAT-7: a quarter and a year carry the four-part analysis; a period still running is refused', async () => {
    const { db } = await company();
    const archivist = ctx(db.prisma, 'UARCH', DEC_2);
    expect(await refusal(compileReport(archivist, { period: '2026-Q4', explanation: { indicators: 'x' } }))).toBe(
      'report_period_open',
    );
    expect(await refusal(compileReport(archivist, { period: '2026-Q3', explanation: { text: 'only text' } }))).toBe(
      'invalid_form',
    );
    const analysis = { indicators: '指标', causes: '原因', completion: '完成', suggestions: '建议' };
    const { report } = await compileReport(archivist, { period: '2026q3', explanation: analysis });
    expect(report).toMatchObject({ period: 'quarter', periodKey: '2026-Q3', dueOn: '2026-10-10' });
    expect(report.figures.months).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(report.figures.total.actualFen).toBe(90000n);
    expect(await refusal(compileReport(archivist, { period: '2026-13', explanation: {} }))).toBe(
      'report_period_invalid',
    );
    expect(await db.prisma.report.count()).toBe(1);
  });

  it('STAT-3, STAT-11: only the information staff compile; a draft is compiled again in place', async () => {
    const { db } = await company();
    expect(await refusal(compileReport(ctx(db.prisma, 'USALES1'), monthly))).toBe('not_allowed');
    const denied = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'access.denied', actor: 'USALES1' },
    });
    expect(denied.details).toMatchObject({ attempted: 'report.compile' });
    const first = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const again = await compileReport(ctx(db.prisma, 'USERV'), { ...monthly, explanation: { text: '修订后的说明' } });
    expect(again.recompiled).toBe(true);
    expect(again.report.code).toBe(first.report.code);
    expect(again.report.explanation).toEqual({ text: '修订后的说明' });
    expect(await db.prisma.report.count()).toBe(1);
  });
});

describe('releasing a report (INFO-13, STAT-18, STAT-19)', () => {
  it('INFO-13: released only after the supervisor and then the service manager sign; then read-only', async () => {
    const { db } = await company();
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const filed = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
    expect(filed.request.steps.map((s) => s.roles)).toEqual([['supervisor'], ['service_manager']]);
    expect(filed.approvers).toEqual(['USUPER']);
    // Under review: not compiled again, not submitted twice.
    expect(await refusal(compileReport(ctx(db.prisma, 'UARCH'), monthly))).toBe('report_in_review');
    expect(await refusal(submitReport(ctx(db.prisma, 'UARCH'), report.code))).toBe('report_in_review');
    // The general manager is not in the chain.
    const open = await db.prisma.approvalStep.findFirstOrThrow({
      where: { requestId: filed.request.id, state: 'open' },
    });
    expect(await refusal(decideStep(ctx(db.prisma, 'UGM'), { stepId: open.id, decision: 'approve' }))).toBe(
      'not_allowed',
    );
    const afterFirst = await approveChain(db, filed.request.code, ['USUPER']);
    expect(afterFirst?.created).toBeNull();
    expect((await db.prisma.report.findUniqueOrThrow({ where: { code: report.code } })).state).toBe('in_review');
    const outcome = await approveChain(db, filed.request.code, ['UMGR']);
    // NOW (11-28) is after the due day (11-10): late (STAT-18).
    expect(outcome?.created).toEqual({ kind: 'report_released', late: true });
    const released = await readReport(ctx(db.prisma, 'UGM'), report.code, 'show');
    expect(released).toMatchObject({ state: 'released', late: true, intact: true });
    expect(released.signatures.map((s) => s.by)).toEqual(['USUPER', 'UMGR']);
    expect(await refusal(compileReport(ctx(db.prisma, 'UARCH'), monthly))).toBe('report_released');
    expect(await refusal(submitReport(ctx(db.prisma, 'UARCH'), report.code))).toBe('report_released');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'report.released' } });
    expect(audit.details).toMatchObject({ late: true, dueOn: '2026-11-10' });
    expect((await listReports(ctx(db.prisma, 'UGM'), 1)).lateCount).toBe(1);
  });

  it('STAT-18: released by its due day it is on time', async () => {
    const { db } = await company();
    const early = new Date('2026-11-05T02:00:00.000Z');
    const { report } = await compileReport(ctx(db.prisma, 'UARCH', early), monthly);
    const filed = await submitReport(ctx(db.prisma, 'UARCH', early), report.code);
    const outcome = await approveChain(db, filed.request.code, ['USUPER', 'UMGR'], early);
    expect(outcome?.created).toEqual({ kind: 'report_released', late: false });
  });

  it('INFO-13: a rejected or withdrawn release leaves a draft to compile again', async () => {
    const { db } = await company();
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const first = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
    const open = await db.prisma.approvalStep.findFirstOrThrow({
      where: { requestId: first.request.id, state: 'open' },
    });
    await decideStep(ctx(db.prisma, 'USUPER'), { stepId: open.id, decision: 'reject', comment: '区域数字有误' });
    expect((await db.prisma.report.findUniqueOrThrow({ where: { code: report.code } })).state).toBe('draft');
    await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const second = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
    await withdrawRequest(ctx(db.prisma, 'UARCH'), second.request.code);
    expect((await db.prisma.report.findUniqueOrThrow({ where: { code: report.code } })).state).toBe('draft');
  });

  it('STAT-19: a released report changed in the database behind the bot shows as tampered', async () => {
    const { db } = await company();
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const filed = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
    await approveChain(db, filed.request.code, ['USUPER', 'UMGR']);
    await db.prisma.report.update({ where: { code: report.code }, data: { explanation: { text: '篡改后的说明' } } });
    expect((await readReport(ctx(db.prisma, 'USUPER'), report.code, 'show')).intact).toBe(false);
  });
});

async function releasedReport(db: TestDb): Promise<string> {
  const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
  const filed = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
  await approveChain(db, filed.request.code, ['USUPER', 'UMGR']);
  return report.code;
}

describe('correction slips (STAT-10, STAT-11, INFO-11)', () => {
  it('INFO-11: a slip approved by the general manager shows the corrected figure beside the original', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const before = await readReport(ctx(db.prisma, 'UARCH'), code, 'show');
    const department = before.figures.departments[0];
    if (!department) throw new Error('no department line');
    // Not before release, not unchanged, not by a reviewer.
    expect(
      await refusal(
        proposeCorrection(ctx(db.prisma, 'USUPER'), { code, item: department.key, corrected: '1', reason: 'r' }),
      ),
    ).toBe('not_allowed');
    expect(
      await refusal(
        proposeCorrection(ctx(db.prisma, 'UARCH'), {
          code,
          item: department.key,
          corrected: '1600.50',
          reason: '同数',
        }),
      ),
    ).toBe('report_correction_unchanged');
    expect(
      await refusal(
        proposeCorrection(ctx(db.prisma, 'UARCH'), { code, item: 'region:火星', corrected: '1', reason: 'r' }),
      ),
    ).toBe('report_item_unknown');
    expect(
      await refusal(
        proposeCorrection(ctx(db.prisma, 'UARCH'), { code, item: department.key, corrected: '-3', reason: 'r' }),
      ),
    ).toBe('invalid_form');

    const slip = await proposeCorrection(ctx(db.prisma, 'UARCH'), {
      code,
      item: department.key,
      corrected: '1,700.50',
      reason: '漏记一笔十月销售',
    });
    expect(slip.request.steps.map((s) => s.roles)).toEqual([['general_manager']]);
    expect(slip.request.report?.correction).toEqual({
      item: department.key,
      group: 'department',
      label: '销售一部',
      original: '1600.50',
      corrected: '1700.50',
    });
    // Pending: the figure is not changed yet; a second slip for the same figure waits its turn.
    const pending = await readReport(ctx(db.prisma, 'UARCH'), code, 'show');
    expect(pending.corrections).toMatchObject([{ state: 'pending', appliedAt: null }]);
    expect(
      await refusal(
        proposeCorrection(ctx(db.prisma, 'USERV'), { code, item: department.key, corrected: '9', reason: 'r' }),
      ),
    ).toBe('request_duplicate');
    const outcome = await approveChain(db, slip.request.code, ['UGM']);
    expect(outcome?.created).toEqual({ kind: 'report_corrected' });
    const after = await readReport(ctx(db.prisma, 'UGM'), code, 'show');
    // The released figures are untouched (and still intact); the slip lies beside them.
    expect(after.intact).toBe(true);
    expect(after.figures.departments[0]?.actualFen).toBe(160050n);
    expect(after.corrections).toMatchObject([
      {
        item: department.key,
        originalFen: 160050n,
        correctedFen: 170050n,
        state: 'approved',
        reason: '漏记一笔十月销售',
      },
    ]);
    expect(after.corrections[0]?.appliedAt).not.toBeNull();
    const audited = await db.prisma.auditEvent.findMany({
      where: { action: { in: ['report.correction_proposed', 'report.corrected'] } },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => e.action)).toEqual(['report.correction_proposed', 'report.corrected']);
  });

  it('STAT-11: a draft is corrected directly, not by a slip', async () => {
    const { db } = await company();
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    expect(
      await refusal(
        proposeCorrection(ctx(db.prisma, 'UARCH'), { code: report.code, item: 'total', corrected: '1', reason: 'r' }),
      ),
    ).toBe('report_not_released');
  });
});

describe('who reads reports (STAT-5, STAT-20, INFO-10, STAT-6)', () => {
  it('STAT-5: a salesperson is answered alike for a report that exists and one that does not; both audited', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    expect(await refusal(readReport(ctx(db.prisma, 'USALES2'), code, 'show'))).toBe('report_not_found');
    expect(await refusal(readReport(ctx(db.prisma, 'USALES2'), 'TJ-2026-0999', 'show'))).toBe('report_not_found');
    expect(await refusal(readReport(ctx(db.prisma, 'USALES2'), '2026-10', 'export'))).toBe('report_not_found');
    expect((await listReports(ctx(db.prisma, 'USALES2'), 1)).total).toBe(0);
    const denied = await db.prisma.auditEvent.findMany({ where: { action: 'access.denied', actor: 'USALES2' } });
    expect(denied.map((e) => (e.details as { attempted: string }).attempted)).toEqual([
      'report.show',
      'report.show',
      'report.export',
    ]);
  });

  it('STAT-5: drafts are read by compilers and reviewers only; released ones by the policy roles; each view and export audited', async () => {
    const { db } = await company();
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    expect(await refusal(readReport(ctx(db.prisma, 'UGM'), report.code, 'show'))).toBe('report_not_found');
    expect((await readReport(ctx(db.prisma, 'USUPER'), report.code, 'show')).state).toBe('draft');
    const filed = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
    await approveChain(db, filed.request.code, ['USUPER', 'UMGR']);
    await readReport(ctx(db.prisma, 'UGM'), '2026-10', 'show');
    await readReport(ctx(db.prisma, 'UGM'), report.code, 'export');
    const events = await db.prisma.auditEvent.findMany({
      where: { action: { in: ['report.viewed', 'report.exported'] } },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.actor, e.action, e.subjectId])).toEqual([
      ['USUPER', 'report.viewed', report.code],
      ['UGM', 'report.viewed', report.code],
      ['UGM', 'report.exported', report.code],
    ]);
  });

  it('INFO-10: another department asks; service manager then general manager approve; its members read the series until revoked', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const input = {
      period: 'month' as const,
      purpose: '制定销售计划',
      reason: '需要月度数据',
      requesterProfile: '销售二部经理',
      recipient: null,
      externalReference: null,
    };
    // Someone who reads reports already needs no request.
    expect(await refusal(requestReportAccess(ctx(db.prisma, 'UGM'), input))).toBe('report_access_unneeded');
    const filed = await requestReportAccess(ctx(db.prisma, 'UHEAD2'), input);
    expect(filed.request.steps.map((s) => s.roles)).toEqual([['service_manager'], ['general_manager']]);
    expect(await refusal(requestReportAccess(ctx(db.prisma, 'UHEAD2'), input))).toBe('request_duplicate');
    const outcome = await approveChain(db, filed.request.code, ['UMGR', 'UGM']);
    expect(outcome?.created?.kind).toBe('report_access');
    // A member of the department reads released monthly reports, not quarterly ones or drafts.
    expect((await readReport(ctx(db.prisma, 'USALES2'), code, 'show')).code).toBe(code);
    expect((await listReports(ctx(db.prisma, 'USALES2'), 1)).total).toBe(1);
    expect(await refusal(readReport(ctx(db.prisma, 'USALES1'), code, 'show'))).toBe('report_not_found');
    const viewed = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'report.viewed', actor: 'USALES2' },
    });
    expect(viewed.details).toMatchObject({ underGrant: 'month' });
    await revokeApproval(ctx(db.prisma, 'UGM'), filed.request.code);
    expect(await refusal(readReport(ctx(db.prisma, 'USALES2'), code, 'show'))).toBe('report_not_found');
  });

  it('STAT-6: an outside unit is received by customer service, with its introduction letter', async () => {
    const { db } = await company();
    const outside = {
      period: 'year' as const,
      purpose: '行业统计',
      reason: '上级主管部门要求',
      requesterProfile: '客户服务部专员',
      recipient: '市商务局',
      externalReference: null,
    };
    expect(
      await refusal(requestReportAccess(ctx(db.prisma, 'UHEAD2'), { ...outside, externalReference: '介绍信 2026-17' })),
    ).toBe('report_outside_via_service');
    expect(await refusal(requestReportAccess(ctx(db.prisma, 'USERV'), outside))).toBe('invalid_form');
    const filed = await requestReportAccess(ctx(db.prisma, 'USERV'), {
      ...outside,
      externalReference: '介绍信 2026-17',
    });
    await approveChain(db, filed.request.code, ['UMGR', 'UGM']);
    const grant = await db.prisma.reportGrant.findFirstOrThrow();
    // The unit's copy goes through the contact, never to their whole department.
    expect(grant).toMatchObject({ period: 'year', departmentId: null, recipient: '市商务局' });
  });
});

describe('an insider probing reports (STAT-20, INFO-13, STAT-19)', () => {
  it('STAT-20, SEC-3: a region holding one 机密 customer is never a line of its own; the total stays exact', async () => {
    const { db } = await company();
    const secret = await createCustomer(
      ctx(db.prisma, 'USUPER'),
      validCustomer({ name: '机密客户甲', region: '机密区', secrecyLevel: 'confidential' }),
    );
    // A region literally named "none" is a region, not the customers without one.
    const named = await createCustomer(
      ctx(db.prisma, 'USALES1'),
      validCustomer({ name: '普通客户乙', region: 'none' }),
    );
    const sales = await importSalesFile(ctx(db.prisma, 'USUPER'), {
      name: 's.csv',
      bytes: new TextEncoder().encode(`客户编号,月份,销售额\n${secret.code},2026-10,777.77\n${named.code},2026-10,1\n`),
    });
    expect(sales.ok).toBe(true);
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const regions = report.figures.regions;
    expect(regions.map((r) => r.key)).toEqual(['region:西湖', 'region!other']);
    const other = regions[1];
    // 机密区 and "none" (one customer each) merge with the smaller of the rest (海曙, three): five customers.
    expect(other).toMatchObject({ merged: 3, contributors: 5, actualFen: 250000n + 77777n + 100n });
    expect(regions.some((r) => r.actualFen === 77777n)).toBe(false);
    expect(report.figures.total.actualFen).toBe(410050n + 77777n + 100n);
    // Every shown line comes from at least three customers, or from none (a target alone).
    for (const line of [...report.figures.departments, ...regions, ...report.figures.grades])
      expect(line.contributors === 0 || line.contributors >= 3).toBe(true);
  });

  it('INFO-13: one person holding both reviewers’ roles signs once; whoever compiled it does not sign', async () => {
    const { db } = await company();
    await givePerson(db.prisma, 'UBOTH', ['supervisor', 'service_manager'], '客户服务部');
    const { report } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    const filed = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
    await approveChain(db, filed.request.code, ['UBOTH']);
    const second = await db.prisma.approvalStep.findFirstOrThrow({
      where: { requestId: filed.request.id, state: 'open' },
    });
    expect(await refusal(decideStep(ctx(db.prisma, 'UBOTH'), { stepId: second.id, decision: 'approve' }))).toBe(
      'decider_not_distinct',
    );
    expect(await db.prisma.auditEvent.count({ where: { action: 'access.denied', actor: 'UBOTH' } })).toBe(1);
    await approveChain(db, filed.request.code, ['UMGR']);
    expect((await db.prisma.report.findUniqueOrThrow({ where: { code: report.code } })).state).toBe('released');

    // A compiler who is also a supervisor compiles the quarter and may not sign it.
    await givePerson(db.prisma, 'UARCHSUP', ['archivist', 'supervisor'], '客户服务部');
    const analysis = { indicators: '指标', causes: '原因', completion: '完成', suggestions: '建议' };
    const quarter = await compileReport(ctx(db.prisma, 'UARCHSUP', DEC_2), {
      period: '2026-Q3',
      explanation: analysis,
    });
    const release = await submitReport(ctx(db.prisma, 'UARCH', DEC_2), quarter.report.code);
    const first = await db.prisma.approvalStep.findFirstOrThrow({
      where: { requestId: release.request.id, state: 'open' },
    });
    expect(
      await refusal(decideStep(ctx(db.prisma, 'UARCHSUP', DEC_2), { stepId: first.id, decision: 'approve' })),
    ).toBe('decider_not_distinct');
  });

  it('STAT-19: a released report rewritten behind the bot, its hash column with it, still shows as tampered', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const row = await db.prisma.report.findUniqueOrThrow({ where: { code } });
    const figures = row.figures as { total: { actualFen: string } };
    figures.total.actualFen = '1';
    const forged = { ...row, figures, late: false };
    await db.prisma.report.update({
      where: { code },
      data: { figures, late: false, contentHash: reportContentHash(forged) },
    });
    expect((await readReport(ctx(db.prisma, 'UGM'), code, 'show')).intact).toBe(false);
  });

  it('INFO-11: two slips for one figure filed at the same moment: one is filed, the other told it waits', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const slip = (user: string, corrected: string) =>
      proposeCorrection(ctx(db.prisma, user), { code, item: 'total', corrected, reason: '同时订正' }).then(
        () => 'filed',
        (error: unknown) => (isDomainError(error) ? error.code : 'crash'),
      );
    const outcomes = await Promise.all([slip('UARCH', '4200'), slip('USERV', '4300')]);
    expect(outcomes.sort()).toEqual(['filed', 'request_duplicate']);
    expect(await db.prisma.reportCorrection.count()).toBe(1);
  });

  it('INFO-10: a department’s grant follows membership: one who leaves the department loses it', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const input = {
      period: 'month' as const,
      purpose: '计划',
      reason: '需要',
      requesterProfile: '销售二部',
      recipient: null,
      externalReference: null,
    };
    const filed = await requestReportAccess(ctx(db.prisma, 'USALES2'), input);
    await approveChain(db, filed.request.code, ['UMGR', 'UGM']);
    expect((await readReport(ctx(db.prisma, 'USALES2'), code, 'show')).code).toBe(code);
    await givePerson(db.prisma, 'USALES2', ['sales'], '销售一部');
    expect(await refusal(readReport(ctx(db.prisma, 'USALES2'), code, 'show'))).toBe('report_not_found');
  });

  it('INFO-13: withdrawing while the last approval lands never deadlocks: one of them wins, cleanly', async () => {
    const { db } = await company();
    for (let round = 0; round < 5; round++) {
      const period = `2026-0${round + 1}`;
      const { report } = await compileReport(ctx(db.prisma, 'UARCH'), { period, explanation: { text: '说明' } });
      const filed = await submitReport(ctx(db.prisma, 'UARCH'), report.code);
      await approveChain(db, filed.request.code, ['USUPER']);
      const open = await db.prisma.approvalStep.findFirstOrThrow({
        where: { requestId: filed.request.id, state: 'open' },
      });
      const outcomes = await Promise.all([
        decideStep(ctx(db.prisma, 'UMGR'), { stepId: open.id, decision: 'approve' }).then(
          () => 'approved',
          (error: unknown) => (isDomainError(error) ? error.code : String(error)),
        ),
        withdrawRequest(ctx(db.prisma, 'UARCH'), filed.request.code).then(
          () => 'withdrawn',
          (error: unknown) => (isDomainError(error) ? error.code : String(error)),
        ),
      ]);
      expect(outcomes.filter((o) => o === 'approved' || o === 'withdrawn')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'request_closed')).toHaveLength(1);
      const state = (await db.prisma.report.findUniqueOrThrow({ where: { code: report.code } })).state;
      expect(state).toBe(outcomes.includes('approved') ? 'released' : 'draft');
    }
  });
});

describe('handing a report to an outside unit (STAT-6)', () => {
  it('STAT-6: exported under the approved request, the unit named in the audit; not under another request or series', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const outside = {
      period: 'month' as const,
      purpose: '行业统计',
      reason: '上级主管部门要求',
      requesterProfile: '客户服务部专员',
      recipient: '市商务局',
      externalReference: '介绍信 2026-17',
    };
    const filed = await requestReportAccess(ctx(db.prisma, 'USERV'), outside);
    expect(await refusal(readReport(ctx(db.prisma, 'USERV'), code, 'export', { forRequest: filed.request.code }))).toBe(
      'report_handover_invalid',
    );
    await approveChain(db, filed.request.code, ['UMGR', 'UGM']);
    await readReport(ctx(db.prisma, 'USERV'), code, 'export', { forRequest: filed.request.code });
    const exported = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'report.exported', actor: 'USERV' },
    });
    expect(exported.details).toMatchObject({ request: filed.request.code, recipient: '市商务局' });
    // Someone else, or a yearly request for a monthly report, hands nothing over.
    expect(await refusal(readReport(ctx(db.prisma, 'UARCH'), code, 'export', { forRequest: filed.request.code }))).toBe(
      'report_handover_invalid',
    );
    const yearly = await requestReportAccess(ctx(db.prisma, 'USERV'), { ...outside, period: 'year' });
    await approveChain(db, yearly.request.code, ['UMGR', 'UGM']);
    expect(
      await refusal(readReport(ctx(db.prisma, 'USERV'), code, 'export', { forRequest: yearly.request.code })),
    ).toBe('report_handover_invalid');
  });
});

describe('destroying outdated statistics (STAT-9)', () => {
  it('STAT-9: the supervisor, the service manager and the GM each approve; the figures, text and slips go, the record stays', async () => {
    const { db } = await company();
    const { report: draft } = await compileReport(ctx(db.prisma, 'UARCH'), monthly);
    expect(
      await refusal(proposeReportDestruction(ctx(db.prisma, 'UARCH'), { code: draft.code, reason: '已过时' })),
    ).toBe('report_not_released');
    const code = await releasedReport(db);
    const slip = await proposeCorrection(ctx(db.prisma, 'UARCH'), {
      code,
      item: 'total',
      corrected: '1',
      reason: '订正',
    });
    await approveChain(db, slip.request.code, ['UGM']);
    expect(await refusal(proposeReportDestruction(ctx(db.prisma, 'USALES1'), { code, reason: '已过时' }))).toBe(
      'not_allowed',
    );
    const filed = await proposeReportDestruction(ctx(db.prisma, 'UARCH'), { code, reason: '已过时，无保管价值' });
    expect(filed.request.steps.map((s) => s.roles)).toEqual([['supervisor'], ['service_manager'], ['general_manager']]);
    const outcome = await approveChain(db, filed.request.code, ['USUPER', 'UMGR', 'UGM']);
    expect(outcome?.created).toEqual({ kind: 'report_destroyed' });
    const row = await db.prisma.report.findUniqueOrThrow({ where: { code } });
    expect(row).toMatchObject({ state: 'destroyed', figures: {}, explanation: {}, periodKey: '2026-10' });
    expect(row.contentHash).not.toBeNull();
    expect(await db.prisma.reportCorrection.count()).toBe(0);
    const shown = await readReport(ctx(db.prisma, 'UGM'), code, 'show');
    expect(shown).toMatchObject({ state: 'destroyed', intact: null, corrections: [] });
    expect(shown.figures.departments).toEqual([]);
    expect(await refusal(readReport(ctx(db.prisma, 'UGM'), code, 'export'))).toBe('report_destroyed');
    expect(await refusal(compileReport(ctx(db.prisma, 'UARCH'), monthly))).toBe('report_destroyed');
    expect(await db.prisma.auditEvent.count({ where: { action: 'report.destroyed', subjectId: code } })).toBe(1);
  });
});

describe('destroying statistics while something about them waits (STAT-9, INFO-11)', () => {
  it('STAT-9: not while a correction slip waits for the GM', async () => {
    const { db } = await company();
    const code = await releasedReport(db);
    const slip = await proposeCorrection(ctx(db.prisma, 'UARCH'), {
      code,
      item: 'total',
      corrected: '1',
      reason: '订正',
    });
    expect(await refusal(proposeReportDestruction(ctx(db.prisma, 'USERV'), { code, reason: '过时' }))).toBe(
      'request_duplicate',
    );
    await approveChain(db, slip.request.code, ['UGM']);
    expect((await proposeReportDestruction(ctx(db.prisma, 'USERV'), { code, reason: '过时' })).request.state).toBe(
      'pending',
    );
  });
});
