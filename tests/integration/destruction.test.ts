/**
 * Destruction on a real database (ARCH-29, INFO-25): the archivist lists the expired volumes of a
 * department (登记造册) and they are held; the service manager and the department's head appraise
 * jointly (both, two people), the customer director approves; the batch is held apart six months
 * to the day in company time — a later change of the setting does not shorten it — and is then
 * destroyed at a named place under a named supervisor, not the proposer, who confirms; the volumes'
 * records stay. A rejected batch puts its volumes back.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { destructionRegisterXlsx } from '../../src/blocks/destruction.js';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import {
  confirmDestruction,
  destructionOverview,
  proposeDestruction,
  retentionReview,
  scheduleDestruction,
  showDestruction,
} from '../../src/domain/custody/destruction.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { setConfigValue } from '../../src/domain/settings/config-values.js';
import { zh } from '../helpers/copy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertVolume } from '../helpers/loan-rows.js';
import { refusal } from '../helpers/refusal.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const DEC_2 = sh('2026-12-02T10:00:00');

async function archive() {
  const db: TestDb = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'UHEAD1', ['dept_head'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UMGR', ['service_manager'], '客户服务部');
  await givePerson(db.prisma, 'UDIR', ['director'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  const boxId = await insertBox(db.prisma);
  const archivist = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UARCH' } });
  const one = await createCustomer(ctx(db.prisma, 'USALES1'), validCustomer({ name: '销毁测试甲' }));
  const two = await createCustomer(ctx(db.prisma, 'USALES2'), validCustomer({ name: '销毁测试乙' }));
  const customerOne = await db.prisma.customer.findUniqueOrThrow({ where: { code: one.code } });
  const customerTwo = await db.prisma.customer.findUniqueOrThrow({ where: { code: two.code } });
  const volume = (
    code: string,
    customer: { id: number },
    year: number,
    retention: 'permanent' | 'long_term' | 'short_term',
  ) => insertVolume(db.prisma, { code, customer, boxId, responsibleId: archivist.id, year, retention });
  // 2026: short-term (10 years) volumes of 2015 and before and long-term (30) of 1995 and before are expired.
  await volume('JZ-1990-0001', customerOne, 1990, 'long_term');
  await volume('JZ-2005-0001', customerOne, 2005, 'short_term');
  await volume('JZ-2016-0001', customerOne, 2016, 'short_term');
  await volume('JZ-1980-0001', customerOne, 1980, 'permanent');
  const lent = await volume('JZ-2004-0001', customerOne, 2004, 'short_term');
  await db.prisma.volume.update({ where: { id: lent }, data: { state: 'on_loan' } });
  await volume('JZ-2003-0001', customerTwo, 2003, 'short_term');
  return { db };
}

async function decide(
  db: TestDb,
  user: string,
  requestCode: string,
  at: Date,
  decision: 'approve' | 'reject' = 'approve',
) {
  const open = await db.prisma.approvalStep.findFirstOrThrow({
    where: { request: { code: requestCode }, state: 'open' },
  });
  return decideStep(ctx(db.prisma, user, at), {
    stepId: open.id,
    decision,
    ...(decision === 'reject' && { comment: '仍有价值' }),
  });
}

const states = async (db: TestDb) =>
  Object.fromEntries((await db.prisma.volume.findMany({ orderBy: { code: 'asc' } })).map((v) => [v.code, v.state]));

describe('destroying expired volumes (ARCH-29, INFO-25)', () => {
  it('ARCH-29: listed and held, appraised jointly by two people, approved by the director, held six months, destroyed under a supervisor', async () => {
    const { db } = await archive();
    const overview = await destructionOverview(ctx(db.prisma, 'UARCH', DEC_2));
    expect(overview.expired.map((v) => v.code)).toEqual(['JZ-1990-0001', 'JZ-2003-0001', 'JZ-2005-0001']);
    // Only an expired volume of the department, in its box, is listed.
    for (const code of ['JZ-2004-0001', 'JZ-1980-0001', 'JZ-2016-0001', 'JZ-2003-0001'])
      expect(
        await refusal(proposeDestruction(ctx(db.prisma, 'UARCH', DEC_2), { department: '销售一部', codes: [code] })),
      ).toBe('destruction_volume_not_eligible');
    expect(
      await refusal(proposeDestruction(ctx(db.prisma, 'USALES1', DEC_2), { department: '销售一部', codes: [] })),
    ).toBe('not_allowed');

    const proposed = await proposeDestruction(ctx(db.prisma, 'UARCH', DEC_2), { department: '销售一部', codes: [] });
    expect(proposed.batch).toBe('XH-2026-0001');
    expect(proposed.volumes).toEqual(['JZ-1990-0001', 'JZ-2005-0001']);
    expect(proposed.request.steps.map((s) => [s.roles, s.mode])).toEqual([
      [['service_manager', 'dept_head'], 'all'],
      [['director'], 'any'],
    ]);
    // The joint step goes to the service manager and the originating department's head (not 销售二部's).
    expect(proposed.approvers.sort()).toEqual(['UHEAD1', 'UMGR']);
    expect((await states(db))['JZ-1990-0001']).toBe('held');
    // The whole batch, for its appraisers (here the originating head) and the archive's overseers only.
    expect(
      (await showDestruction(ctx(db.prisma, 'UHEAD1', DEC_2), proposed.batch)).items.map((i) => i.volumeCode),
    ).toEqual(['JZ-1990-0001', 'JZ-2005-0001']);
    expect(await refusal(showDestruction(ctx(db.prisma, 'UHEAD2', DEC_2), proposed.batch))).toBe(
      'destruction_not_found',
    );
    expect(await refusal(showDestruction(ctx(db.prisma, 'USALES1', DEC_2), 'XH-2026-0999'))).toBe(
      'destruction_not_found',
    );

    await decide(db, 'UMGR', proposed.request.code, DEC_2);
    expect(await refusal(decide(db, 'UMGR', proposed.request.code, DEC_2))).toBe('step_already_decided');
    expect(await refusal(decide(db, 'UHEAD2', proposed.request.code, DEC_2))).toBe('not_allowed');
    expect(await refusal(decide(db, 'UDIR', proposed.request.code, DEC_2))).toBe('not_allowed');
    await decide(db, 'UHEAD1', proposed.request.code, DEC_2);
    const approved = await decide(db, 'UDIR', proposed.request.code, DEC_2);
    // Approved 2026-12-02: held through 2027-06-01, destroyed from 2027-06-02 (company calendar).
    expect(approved.created).toEqual({ kind: 'destruction_approved', holdUntil: '2027-06-01' });

    // The hold is never shorter than the regulation's six months, and a later change does not move this batch's.
    expect(await refusal(setConfigValue(ctx(db.prisma, 'UADMIN', DEC_2), 'destruction_hold_months', 1))).toBe(
      'config_out_of_range',
    );
    await setConfigValue(ctx(db.prisma, 'UADMIN', DEC_2), 'destruction_hold_months', 12);
    const schedule = (user: string, at: string, supervisor = 'USUPER') =>
      scheduleDestruction(ctx(db.prisma, user, sh(at)), { code: 'XH-2026-0001', supervisor, place: '公司碎纸室' });
    expect(await refusal(schedule('UARCH', '2027-06-01T23:59:00'))).toBe('destruction_held');
    expect(await refusal(schedule('UARCH', '2027-06-02T00:01:00', 'UARCH'))).toBe('destruction_supervisor_proposer');
    expect(await refusal(schedule('UARCH', '2027-06-02T00:01:00', 'UNOBODY'))).toBe('person_without_role');
    await schedule('UARCH', '2027-06-02T00:01:00');

    expect(await refusal(confirmDestruction(ctx(db.prisma, 'UARCH', sh('2027-06-02T10:00:00')), 'XH-2026-0001'))).toBe(
      'not_allowed',
    );
    const destroyed = await confirmDestruction(ctx(db.prisma, 'USUPER', sh('2027-06-02T10:00:00')), 'XH-2026-0001');
    expect(await refusal(confirmDestruction(ctx(db.prisma, 'USUPER', sh('2027-06-02T10:05:00')), 'XH-2026-0001'))).toBe(
      'destruction_state',
    );
    expect(destroyed.approvals.map((a) => [a.roles, a.by])).toEqual([
      [['service_manager'], 'UMGR'],
      [['dept_head'], 'UHEAD1'],
      [['director'], 'UDIR'],
    ]);
    // The volumes' records stay, marked destroyed; the others are untouched.
    expect(await states(db)).toMatchObject({
      'JZ-1990-0001': 'destroyed',
      'JZ-2005-0001': 'destroyed',
      'JZ-2004-0001': 'on_loan',
      'JZ-2003-0001': 'in_box',
    });
    const audited = await db.prisma.auditEvent.findMany({
      where: { subjectType: 'destruction' },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => [e.action, e.actor])).toEqual([
      ['destruction.proposed', 'UARCH'],
      // Those who may not read the batch, asking for it, are refused on the record.
      ['access.denied', 'UHEAD2'],
      ['access.denied', 'USALES1'],
      ['destruction.approved', 'UDIR'],
      ['destruction.scheduled', 'UARCH'],
      // Someone else trying to confirm is refused, on the record.
      ['access.denied', 'UARCH'],
      ['destruction.confirmed', 'USUPER'],
    ]);

    // The destruction register, cell by cell.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await destructionRegisterXlsx('zh-CN', destroyed, TIME_ZONE)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).values).toEqual([undefined, zh('destruction.register_title'), 'XH-2026-0001']);
    const rows = sheet?.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.find((r) => r[1] === zh('destruction.col.place'))?.[2]).toBe('公司碎纸室');
    expect(rows.find((r) => r[1] === 'JZ-1990-0001')?.slice(1)).toEqual([
      'JZ-1990-0001',
      destroyed.items[0]?.customerCode,
      1990,
      zh('retention.long_term'),
      zh('level.restricted'),
      0,
      0,
    ]);
  });

  it('ARCH-29: a rejected batch puts its volumes back; the monthly review counts what waits', async () => {
    const { db } = await archive();
    const proposed = await proposeDestruction(ctx(db.prisma, 'UARCH', DEC_2), { department: '销售二部', codes: [] });
    expect((await states(db))['JZ-2003-0001']).toBe('held');
    expect(await retentionReview(db.prisma, DEC_2, TIME_ZONE)).toEqual({ expired: 2, ready: [] });
    await decide(db, 'UHEAD2', proposed.request.code, DEC_2, 'reject');
    expect((await states(db))['JZ-2003-0001']).toBe('in_box');
    expect((await db.prisma.destructionBatch.findUniqueOrThrow({ where: { code: proposed.batch } })).state).toBe(
      'rejected',
    );
    expect(await retentionReview(db.prisma, DEC_2, TIME_ZONE)).toEqual({ expired: 3, ready: [] });
  });
});

describe('an insider probing destruction (ARCH-29, SEC-3)', () => {
  it('SEC-3, INFO-22: a 绝密 volume goes in a batch of its own, named by its custodian, approved by the GM alone, destroyed under another custodian', async () => {
    const { db } = await archive();
    await givePerson(db.prisma, 'UCUST', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'UCUST2', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'UARCH2', ['archivist'], '客户服务部');
    await givePerson(db.prisma, 'UGM', ['general_manager']);
    const secret = await createCustomer(ctx(db.prisma, 'USUPER'), {
      ...validCustomer({ name: '绝密销毁客户', secrecyLevel: 'top_secret', ownerSlackUserId: 'USALES1' }),
      custodianSlackUserIds: ['UCUST', 'UCUST2'],
    });
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: secret.code } });
    const box = await db.prisma.location.findFirstOrThrow();
    const keeper = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UCUST' } });
    await insertVolume(db.prisma, {
      code: 'JZ-2001-0009',
      customer,
      boxId: box.id,
      responsibleId: keeper.id,
      year: 2001,
      retention: 'short_term',
      level: 'top_secret',
    });
    // Other archivists never see it; its custodian does, but an ordinary batch never takes it.
    expect((await destructionOverview(ctx(db.prisma, 'UARCH', DEC_2))).expired.map((v) => v.code)).not.toContain(
      'JZ-2001-0009',
    );
    expect((await destructionOverview(ctx(db.prisma, 'UCUST', DEC_2))).expired.map((v) => v.code)).toContain(
      'JZ-2001-0009',
    );
    const ordinary = await proposeDestruction(ctx(db.prisma, 'UCUST', DEC_2), { department: '销售一部', codes: [] });
    expect(ordinary.volumes).not.toContain('JZ-2001-0009');
    expect(
      await refusal(
        proposeDestruction(ctx(db.prisma, 'UCUST', DEC_2), {
          department: '销售二部',
          codes: ['JZ-2003-0001', 'JZ-2001-0009'],
        }),
      ),
    ).toBe('destruction_volume_not_eligible');
    const own = await proposeDestruction(ctx(db.prisma, 'UCUST', DEC_2), {
      department: '销售一部',
      codes: ['JZ-2001-0009'],
    });
    expect(own.request.steps.map((s) => s.roles)).toEqual([['general_manager']]);
    expect(own.approvers).toEqual(['UGM']);
    await decide(db, 'UGM', own.request.code, DEC_2);
    const after = sh('2027-06-02T09:00:00');
    // Someone who may not know of its volume does not even find the batch.
    expect((await destructionOverview(ctx(db.prisma, 'UARCH', after))).batches.map((b) => b.code)).not.toContain(
      own.batch,
    );
    expect(
      await refusal(
        scheduleDestruction(ctx(db.prisma, 'UARCH', after), { code: own.batch, supervisor: 'UCUST2', place: '保密室' }),
      ),
    ).toBe('destruction_not_found');
    const schedule = (supervisor: string) =>
      scheduleDestruction(ctx(db.prisma, 'UCUST', after), { code: own.batch, supervisor, place: '保密室' });
    // The supervisor reads every volume of the batch: an ordinary archivist does not.
    expect(await refusal(schedule('UARCH2'))).toBe('destruction_supervisor_proposer');
    await schedule('UCUST2');
    const destroyed = await confirmDestruction(ctx(db.prisma, 'UCUST2', after), own.batch);
    expect(destroyed.items.map((i) => i.volumeCode)).toEqual(['JZ-2001-0009']);
  });

  it('ARCH-29: the appraiser is not also the director; the supervisor oversees the archive and took no other part; a volume changed since the appraisal is not destroyed', async () => {
    const { db } = await archive();
    await givePerson(db.prisma, 'UMGRDIR', ['service_manager', 'director'], '客户服务部');
    await givePerson(db.prisma, 'UARCH2', ['archivist'], '客户服务部');
    const proposed = await proposeDestruction(ctx(db.prisma, 'UARCH', DEC_2), { department: '销售一部', codes: [] });
    await decide(db, 'UMGRDIR', proposed.request.code, DEC_2);
    await decide(db, 'UHEAD1', proposed.request.code, DEC_2);
    expect(await refusal(decide(db, 'UMGRDIR', proposed.request.code, DEC_2))).toBe('decider_not_distinct');
    await decide(db, 'UDIR', proposed.request.code, DEC_2);
    const after = sh('2027-06-02T09:00:00');
    const schedule = (user: string, supervisor: string) =>
      scheduleDestruction(ctx(db.prisma, user, after), { code: proposed.batch, supervisor, place: '碎纸室' });
    // Not the scheduler, not an appraiser, not someone outside the archive's oversight.
    expect(await refusal(schedule('UARCH2', 'UARCH2'))).toBe('destruction_supervisor_proposer');
    expect(await refusal(schedule('UARCH2', 'UHEAD1'))).toBe('destruction_supervisor_proposer');
    expect(await refusal(schedule('UARCH2', 'USALES2'))).toBe('destruction_supervisor_proposer');
    await schedule('UARCH2', 'USUPER');
    // Named once: nobody re-points it to themselves afterwards.
    expect(await refusal(schedule('UARCH', 'UARCH'))).toBe('destruction_state');
    // A document slipped into a held volume behind the bot: the batch is no longer what was appraised.
    const held = await db.prisma.volume.findUniqueOrThrow({ where: { code: 'JZ-1990-0001' } });
    const sales = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UARCH' } });
    await db.prisma.document.create({
      data: {
        code: 'WJ-2026-0999',
        customerId: held.customerId,
        volumeId: held.id,
        type: 'basic_info',
        title: '后补资料',
        formedOn: new Date('1990-05-01T00:00:00Z'),
        nature: 'single',
        copies: 1,
        pages: 2,
        form: 'original',
        language: 'zh',
        carrier: 'paper',
        secrecyLevel: 'restricted',
        retention: 'permanent',
        position: 1,
        firstPage: 1,
        lastPage: 2,
        filingYear: 1990,
        filedById: sales.id,
        filedAt: after,
      },
    });
    expect(await refusal(confirmDestruction(ctx(db.prisma, 'USUPER', after), proposed.batch))).toBe(
      'destruction_changed',
    );
    expect((await states(db))['JZ-1990-0001']).toBe('held');
  });
});
