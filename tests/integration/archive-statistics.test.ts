/**
 * ARCH-25 on a real database: the archive's statistics for a period — holdings now, and what was
 * collected, inspected, lent and destroyed within it (company calendar) — as counts, for those
 * who keep or oversee the archive, and the same lines in the .xlsx.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { archiveStatisticsXlsx } from '../../src/blocks/archive-statistics.js';
import { archiveStatistics } from '../../src/domain/custody/archive-statistics.js';
import { completeInspection, listInspections } from '../../src/domain/custody/inspections.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { zh } from '../helpers/copy.js';
import { createTestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';
import { insertBox, insertLoan, insertVolume } from '../helpers/loan-rows.js';

const sh = (local: string) => new Date(`${local}+08:00`);

describe('archive statistics (ARCH-25)', () => {
  it('ARCH-25: holdings now, the period’s collection, custody and use, as counts; refused to a salesperson', async () => {
    const db = await createTestDb();
    onTestFinished(() => db.close());
    await givePerson(db.prisma, 'USALES', ['sales'], '销售一部');
    await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
    const boxId = await insertBox(db.prisma);
    const archivist = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'UARCH' } });
    const sales = await db.prisma.person.findUniqueOrThrow({ where: { slackUserId: 'USALES' } });
    const created = await createCustomer(ctx(db.prisma, 'USALES'), validCustomer({ name: '统计档案客户' }));
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: created.code } });
    await insertVolume(db.prisma, {
      code: 'JZ-2020-0001',
      customer,
      boxId,
      responsibleId: archivist.id,
      year: 2020,
      retention: 'permanent',
    });
    // A loan out since 2026-11 (insertLoan's volume is on loan), due 2026-11-20: overdue now.
    await insertLoan(db.prisma, {
      n: 7,
      customer: { id: customer.id, code: customer.code },
      boxId,
      borrowerId: sales.id,
      responsibleId: archivist.id,
      dueOn: '2026-11-20',
    });
    await db.prisma.loan.updateMany({ data: { outAt: sh('2026-11-17T10:00:00') } });
    const list = await listInspections(ctx(db.prisma, 'UARCH', sh('2026-11-10T10:00:00')));
    const monthly = list.open.find((i) => i.kind === 'environment');
    await completeInspection(ctx(db.prisma, 'UARCH', sh('2026-11-25T10:00:00')), {
      code: monthly?.code ?? '',
      passed: [],
      temperature: '',
      humidity: '',
      findings: '档案室1/A柜/3层/12盒；受潮；换盒',
      notes: '',
    });

    expect(
      await archiveStatistics(ctx(db.prisma, 'USALES', sh('2026-12-02T10:00:00')), null).catch((e) => e.code),
    ).toBe('not_allowed');
    const stats = await archiveStatistics(ctx(db.prisma, 'UARCH', sh('2026-12-02T10:00:00')), null);
    expect(stats.period.key).toBe('2026-11');
    expect(stats.partial).toBe(false);
    expect(stats.quantity.volumes).toEqual({ in_box: 1, on_loan: 1, held: 0, destroyed: 0 });
    expect(stats.custody).toEqual({ inspectionsDone: 1, findings: 1, findingsClosed: 0, findingsOpen: 1 });
    expect(stats.use).toMatchObject({ loansLent: 1, loansReturned: 0, loansOverdueNow: 1 });
    expect(stats.equipment).toEqual({ boxes: 1, classifiedBoxes: 0 });
    expect(stats.staff).toEqual({ archivists: 1 });
    // December has barely begun: nothing in it yet, and it says so.
    const december = await archiveStatistics(ctx(db.prisma, 'UARCH', sh('2026-12-02T10:00:00')), '2026-12');
    expect(december).toMatchObject({ partial: true, custody: { inspectionsDone: 0 }, use: { loansLent: 0 } });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await archiveStatisticsXlsx('zh-CN', stats)) as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]?.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.find((r) => r[1] === zh('archive.stat.loans_overdue'))?.[2]).toBe(1);
    expect(rows.find((r) => r[1] === zh('archive.stat.on_loan'))?.[2]).toBe(1);
  });
});
