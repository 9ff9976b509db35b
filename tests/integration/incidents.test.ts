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
let confidential: string;
let restricted: string;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UMGR', ['service_manager']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'UARCH', ['archivist']);
  const earlier = new Date(NOW.getTime() - 10 * DAY);
  confidential = (
    await createCustomer(
      ctx(db.prisma, 'USALES1', earlier),
      validCustomer({ name: '机密客户甲', secrecyLevel: 'confidential' }, earlier),
    )
  ).code;
  restricted = (
    await createCustomer(
      ctx(db.prisma, 'USALES1', earlier),
      validCustomer({ name: '秘密客户乙', phone: '0755-22223333' }, earlier),
    )
  ).code;
  // Views over the last days: these are what a leak report must list (SEC-16).
  await showCustomer(ctx(db.prisma, 'USUPER', new Date(NOW.getTime() - 5 * DAY)), confidential);
  await showCustomer(ctx(db.prisma, 'USUPER', new Date(NOW.getTime() - 2 * DAY)), confidential);
  await showCustomer(ctx(db.prisma, 'UMGR', new Date(NOW.getTime() - 1 * DAY)), confidential);
  await showCustomer(ctx(db.prisma, 'UARCH', new Date(NOW.getTime() - 3 * DAY)), restricted);
  await showCustomer(ctx(db.prisma, 'UARCH', new Date(NOW.getTime() - 200 * DAY + 11 * DAY)), restricted).catch(
    () => {},
  );
});
afterAll(() => db.close());

describe('leak reports (INFO-27, SEC-13, SEC-16)', () => {
  it('INFO-27 SEC-13: a report lists, per customer, who saw it in the window, and names who must be told', async () => {
    await setChannel(ctx(db.prisma, 'UADMIN'), 'gm_office', 'C0GMOFFICE');
    const report = await reportIncident(ctx(db.prisma, 'USALES1'), {
      cause: 'possible_leak',
      description: '客户资料表遗落在会议室',
      howDiscovered: '清洁人员发现',
      remedy: '已收回资料表',
      customerCodes: `${confidential}, ${restricted.toLowerCase()}`,
    });
    expect(report.code).toBe('SJ-2026-0001');
    expect(report.recipients).toEqual({
      supervisors: ['USUPER'],
      serviceManagers: ['UMGR'],
      generalManagers: ['UGM'],
      gmOfficeChannel: 'C0GMOFFICE',
    });
    const byCode = new Map(report.customers.map((c) => [c.code, c]));
    expect(byCode.get(confidential)?.level).toBe('confidential');
    expect(byCode.get(confidential)?.viewers).toEqual([
      { slackUserId: 'UMGR', views: 1, last: new Date(NOW.getTime() - 1 * DAY) },
      { slackUserId: 'USUPER', views: 2, last: new Date(NOW.getTime() - 2 * DAY) },
    ]);
    expect(byCode.get(restricted)?.viewers.map((v) => v.slackUserId)).toEqual(['UARCH']);
    expect(report.inspectionOpened).toBe(false);
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: 'incident.reported' } });
    expect(audit).toMatchObject({ actor: 'USALES1', subjectId: 'SJ-2026-0001' });
  });

  it('SEC-16: the window limits the viewers listed', async () => {
    const report = await reportIncident(ctx(db.prisma, 'USALES1'), {
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

  it('unknown or malformed customer codes are refused and nothing is recorded', async () => {
    const before = await db.prisma.incident.count();
    await expect(
      reportIncident(ctx(db.prisma, 'USALES1'), {
        cause: 'leak',
        description: 'x',
        howDiscovered: 'y',
        remedy: 'z',
        customerCodes: 'KH-2026-9999',
      }),
    ).rejects.toBeDomainError('incident_unknown_customers', { codes: 'KH-2026-9999' });
    await expect(
      reportIncident(ctx(db.prisma, 'USALES1'), {
        cause: 'leak',
        description: 'x',
        howDiscovered: 'y',
        remedy: 'z',
        customerCodes: '华为',
      }),
    ).rejects.toBeDomainError('incident_unknown_customers');
    expect(await db.prisma.incident.count()).toBe(before);
  });

  it('status moves reported → remedied → closed once each, with who and when; concurrent clicks record one', async () => {
    const results = await Promise.allSettled([
      advanceIncident(ctx(db.prisma, 'USUPER'), { code: 'SJ-2026-0001', to: 'remedied' }),
      advanceIncident(ctx(db.prisma, 'UMGR'), { code: 'SJ-2026-0001', to: 'remedied' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ code: 'incident_transition' });
    await expect(
      advanceIncident(ctx(db.prisma, 'USALES1'), { code: 'SJ-2026-0001', to: 'closed' }),
    ).rejects.toBeDomainError('not_allowed');
    const closed = await advanceIncident(ctx(db.prisma, 'UGM'), { code: 'SJ-2026-0001', to: 'closed' });
    expect(closed).toEqual({ code: 'SJ-2026-0001', status: 'closed', by: 'UGM', at: NOW });
    const incident = await db.prisma.incident.findUniqueOrThrow({ where: { code: 'SJ-2026-0001' } });
    expect(incident).toMatchObject({ status: 'closed', closedBy: 'UGM', closedAt: NOW });
    expect(await db.prisma.auditEvent.count({ where: { action: 'incident.remedied' } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: 'access.denied', actor: 'USALES1' } })).toBe(1);
  });
});

describe('/kh audit: who saw what (SEC-16)', () => {
  const from = new Date(NOW.getTime() - 30 * DAY);
  const to = new Date(NOW.getTime() + DAY);

  it('SEC-16: lists who saw a customer, newest first, and audits the query', async () => {
    const report = await queryViews(ctx(db.prisma, 'UGM'), { by: 'customer', code: confidential, from, to });
    expect(report.total).toBe(3);
    expect(report.items.map((i) => [i.actor, i.action, i.level, i.via])).toEqual([
      ['UMGR', 'customer.viewed', 'confidential', 'show'],
      ['USUPER', 'customer.viewed', 'confidential', 'show'],
      ['USUPER', 'customer.viewed', 'confidential', 'show'],
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: 'audit.queried', actor: 'UGM' } })).toBe(1);
  });

  it('SEC-16: lists what a person saw, including refused attempts', async () => {
    await showCustomer(ctx(db.prisma, 'USALES1'), confidential);
    await showCustomer(ctx(db.prisma, 'UARCH'), confidential).catch(() => {});
    const report = await queryViews(ctx(db.prisma, 'USUPER'), { by: 'person', slackUserId: 'UARCH', from, to });
    expect(report.items.map((i) => [i.action, i.code])).toEqual([
      ['customer.view_refused', confidential],
      ['customer.viewed', restricted],
    ]);
  });

  it('only supervisor and above may read it; bad periods and unknown subjects are refused', async () => {
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
