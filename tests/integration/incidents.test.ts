import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryViews } from '../../src/domain/audit/query-views.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { advanceIncident } from '../../src/domain/incidents/advance-incident.js';
import { reportIncident } from '../../src/domain/incidents/report-incident.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UMGR', ['service_manager']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'UARCH', ['archivist']);
});
afterAll(() => db.close());

let created = 0;
/**
 * A confidential and a restricted customer of USALES1's that no other test uses, registered
 * ten days ago, with views over the last days: what a leak report must list (SEC-16). The
 * restricted one is viewed by `archivist`.
 */
async function viewedCustomers(archivist = 'UARCH'): Promise<{ confidential: string; restricted: string }> {
  const n = ++created;
  const earlier = new Date(NOW.getTime() - 10 * DAY);
  const confidential = (
    await createCustomer(
      ctx(db.prisma, 'USALES1', earlier),
      validCustomer(
        { name: `机密客户甲${n}号`, phone: `0755-${String(22220000 + 2 * n)}`, secrecyLevel: 'confidential' },
        earlier,
      ),
    )
  ).code;
  const restricted = (
    await createCustomer(
      ctx(db.prisma, 'USALES1', earlier),
      validCustomer({ name: `秘密客户乙${n}号`, phone: `0755-${String(22220001 + 2 * n)}` }, earlier),
    )
  ).code;
  await showCustomer(ctx(db.prisma, 'USUPER', new Date(NOW.getTime() - 5 * DAY)), confidential);
  await showCustomer(ctx(db.prisma, 'USUPER', new Date(NOW.getTime() - 2 * DAY)), confidential);
  await showCustomer(ctx(db.prisma, 'UMGR', new Date(NOW.getTime() - 1 * DAY)), confidential);
  await showCustomer(ctx(db.prisma, archivist, new Date(NOW.getTime() - 3 * DAY)), restricted);
  // Long before any window the tests use (the default is 90 days).
  await showCustomer(ctx(db.prisma, archivist, new Date(NOW.getTime() - 189 * DAY)), restricted);
  return { confidential, restricted };
}

let reporters = 0;
/** A salesperson of the test's own who reports: what one person has already reported is no other test's business. */
async function newReporter(): Promise<string> {
  const slackUserId = `UREPORTER${++reporters}`;
  await givePerson(db.prisma, slackUserId, ['sales']);
  return slackUserId;
}

/** The code the next incident gets: incidents are numbered in order of report within the year. */
async function nextIncidentCode(): Promise<string> {
  const reported = await db.prisma.incident.count({ where: { code: { startsWith: 'SJ-2026-' } } });
  return `SJ-2026-${String(reported + 1).padStart(4, '0')}`;
}

describe('leak reports (INFO-27, SEC-13, SEC-16)', () => {
  it('INFO-27 SEC-13: a report lists, per customer, who saw it in the window, and names who must be told', async () => {
    const { confidential, restricted } = await viewedCustomers();
    const reporter = await newReporter();
    await setChannel(ctx(db.prisma, 'UADMIN'), 'gm_office', 'C0GMOFFICE');
    const code = await nextIncidentCode();
    const report = await reportIncident(ctx(db.prisma, reporter), {
      cause: 'possible_leak',
      description: '客户资料表遗落在会议室',
      howDiscovered: '清洁人员发现',
      remedy: '已收回资料表',
      customerCodes: `${confidential}, ${restricted.toLowerCase()}`,
    });
    expect(report.code).toBe(code);
    expect(report.recipients).toEqual({
      supervisors: ['USUPER'],
      serviceManagers: ['UMGR'],
      generalManagers: ['UGM'],
      gmOfficeChannel: 'C0GMOFFICE',
    });
    const byCode = new Map(report.customers.map((c) => [c.code, c]));
    expect(byCode.get(confidential)?.level).toBe('confidential');
    expect(byCode.get(confidential)?.viewers).toEqual([
      { slackUserId: 'UMGR', views: 1, exports: 0, last: new Date(NOW.getTime() - 1 * DAY) },
      { slackUserId: 'USUPER', views: 2, exports: 0, last: new Date(NOW.getTime() - 2 * DAY) },
    ]);
    // The view 189 days ago is outside the default window of 90 days.
    expect(byCode.get(restricted)?.viewers.map((v) => [v.slackUserId, v.views])).toEqual([['UARCH', 1]]);
    expect(report.inspectionOpened).toBe(false);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: 'incident.reported', subjectId: code } });
    expect(audit).toEqual([expect.objectContaining({ actor: reporter, subjectId: code })]);
  });

  it('SEC-16: the window limits the viewers listed', async () => {
    const { confidential } = await viewedCustomers();
    const report = await reportIncident(ctx(db.prisma, await newReporter()), {
      cause: 'leak',
      description: '合同条款外泄',
      howDiscovered: '竞争对手报价',
      remedy: '已通知法务',
      customerCodes: confidential,
      since: new Date(NOW.getTime() - 3 * DAY),
    });
    expect(report.customers[0]?.viewers.map((v) => [v.slackUserId, v.views])).toEqual([
      ['UMGR', 1],
      ['USUPER', 1],
    ]);
  });

  it('ARCH-23: fire, theft, loss or damage opens an inspection record', async () => {
    const report = await reportIncident(ctx(db.prisma, 'UARCH'), {
      cause: 'fire',
      description: '档案室 2 号柜过火',
      howDiscovered: '烟感报警',
      remedy: '已灭火并转移档案',
      customerCodes: '',
    });
    expect(report.inspectionOpened).toBe(true);
    const inspection = await db.prisma.inspection.findFirstOrThrow({ where: { incident: { code: report.code } } });
    expect(inspection).toMatchObject({ reason: 'fire', status: 'open', requestedAt: NOW });
  });

  it('text that is not a customer code is refused and nothing is recorded (codes that match nothing: leaks.test.ts)', async () => {
    const reporter = await newReporter();
    const before = await db.prisma.incident.count();
    await expect(
      reportIncident(ctx(db.prisma, reporter), {
        cause: 'leak',
        description: 'x',
        howDiscovered: 'y',
        remedy: 'z',
        customerCodes: 'KH-2026-0001 华为',
      }),
    ).rejects.toBeDomainError('incident_unknown_customers', { codes: ['华为'] });
    expect(await db.prisma.incident.count()).toBe(before);
  });

  it('status moves reported → remedied → closed once each, with who and when; concurrent clicks record one', async () => {
    const { confidential, restricted } = await viewedCustomers();
    const { code } = await reportIncident(ctx(db.prisma, await newReporter()), {
      cause: 'possible_leak',
      description: '客户资料表遗落在会议室',
      howDiscovered: '清洁人员发现',
      remedy: '已收回资料表',
      customerCodes: `${confidential}, ${restricted}`,
    });
    const results = await Promise.allSettled([
      advanceIncident(ctx(db.prisma, 'USUPER'), { code, to: 'remedied' }),
      advanceIncident(ctx(db.prisma, 'UMGR'), { code, to: 'remedied' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ code: 'incident_transition' });
    await expect(advanceIncident(ctx(db.prisma, 'USALES1'), { code, to: 'closed' })).rejects.toBeDomainError(
      'not_allowed',
    );
    const closed = await advanceIncident(ctx(db.prisma, 'UGM'), { code, to: 'closed' });
    expect(closed).toEqual({ code, status: 'closed', by: 'UGM', at: NOW });
    const incident = await db.prisma.incident.findUniqueOrThrow({ where: { code } });
    expect(incident).toMatchObject({ status: 'closed', closedBy: 'UGM', closedAt: NOW });
    expect(await db.prisma.auditEvent.count({ where: { action: 'incident.remedied', subjectId: code } })).toBe(1);
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'access.denied', actor: 'USALES1', subjectId: code } }),
    ).toBe(1);
  });
});

describe('/kh audit: who saw what (SEC-16)', () => {
  const from = new Date(NOW.getTime() - 30 * DAY);
  const to = new Date(NOW.getTime() + DAY);

  it('SEC-16: lists who saw a customer, newest first, and audits the query', async () => {
    const { confidential } = await viewedCustomers();
    const report = await queryViews(ctx(db.prisma, 'UGM'), { by: 'customer', code: confidential, from, to });
    expect(report.total).toBe(3);
    expect(report.items.map((i) => [i.actor, i.action, i.level, i.via])).toEqual([
      ['UMGR', 'customer.viewed', 'confidential', 'show'],
      ['USUPER', 'customer.viewed', 'confidential', 'show'],
      ['USUPER', 'customer.viewed', 'confidential', 'show'],
    ]);
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'audit.queried', actor: 'UGM', subjectId: confidential } }),
    ).toBe(1);
  });

  it('SEC-16: lists what a person saw, including refused attempts', async () => {
    // An archivist of this test's own: the list covers everything the person saw.
    await givePerson(db.prisma, 'UARCHSEEN', ['archivist']);
    const { confidential, restricted } = await viewedCustomers('UARCHSEEN');
    await showCustomer(ctx(db.prisma, 'USALES1'), confidential);
    await expect(showCustomer(ctx(db.prisma, 'UARCHSEEN'), confidential)).rejects.toBeDomainError('customer_hidden');
    const report = await queryViews(ctx(db.prisma, 'USUPER'), { by: 'person', slackUserId: 'UARCHSEEN', from, to });
    expect(report.items.map((i) => [i.action, i.code])).toEqual([
      ['customer.view_refused', confidential],
      ['customer.viewed', restricted],
    ]);
  });

  it('only supervisor and above may read it; bad periods and unknown subjects are refused', async () => {
    const { confidential } = await viewedCustomers();
    await expect(
      queryViews(ctx(db.prisma, 'UARCH'), { by: 'customer', code: confidential, from, to }),
    ).rejects.toBeDomainError('not_allowed');
    await expect(
      queryViews(ctx(db.prisma, 'UGM'), { by: 'customer', code: confidential, from: to, to: from }),
    ).rejects.toBeDomainError('invalid_period');
    await expect(
      queryViews(ctx(db.prisma, 'UGM'), { by: 'customer', code: 'KH-2026-0999', from, to }),
    ).rejects.toBeDomainError('customer_not_found');
    await expect(
      queryViews(ctx(db.prisma, 'UGM'), { by: 'person', slackUserId: 'UNEVERSEEN', from, to }),
    ).rejects.toBeDomainError('person_without_role');
  });
});
