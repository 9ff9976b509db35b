/**
 * The customer registers as .xlsx (src/blocks/registers-xlsx.ts, DB-11), read back cell by
 * cell with exceljs: the worksheet and header from the catalogue, a masked row with its code
 * and level only (INFO-23, SEC-8), amounts as numbers in yuan from fen, formulas neutralised.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/blocks/i18n/index.js';
import { registerXlsx, yuanCell } from '../../src/blocks/registers-xlsx.js';
import type { Register, RegisterRow } from '../../src/domain/statistics/registers.js';
import { zh } from '../helpers/copy.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/","open me")';

async function open(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

const visible = (overrides: Partial<Extract<RegisterRow, { visibility: 'visible' }>>): RegisterRow => ({
  visibility: 'visible',
  code: 'KH-2026-0001',
  name: '杭州甲公司',
  level: 'unclassified',
  grade: 'A',
  region: '华东',
  address: '杭州市文一路1号',
  phone: '0571-86000001',
  ownerSlackUserId: 'USALES1',
  registeredOn: '2026-03-01',
  ...overrides,
});

describe('the registers as .xlsx (DB-11)', () => {
  it('DB-11, INFO-23, SEC-8: the register: title and header from the catalogue, a full row, a masked row, formulas neutralised', async () => {
    const register: Register = {
      kind: 'order',
      masked: 1,
      rows: [
        visible({}),
        { visibility: 'masked', code: 'KH-2026-0002', level: 'confidential' },
        visible({
          code: 'KH-2026-0003',
          name: HYPERLINK,
          grade: null,
          region: null,
          address: '+1 Main St',
          phone: '@x',
        }),
      ],
    };
    const workbook = await open(await registerXlsx('zh-CN', register));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([zh('register.title.order')]);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(values(sheet, 1)).toEqual([
      zh('register.col.code'),
      zh('register.col.name'),
      zh('register.col.level'),
      zh('register.col.grade'),
      zh('register.col.region'),
      zh('register.col.address'),
      zh('register.col.phone'),
      zh('register.col.owner'),
      zh('register.col.created'),
    ]);
    expect(values(sheet, 2)).toEqual([
      'KH-2026-0001',
      '杭州甲公司',
      zh('level.unclassified'),
      'A',
      '华东',
      '杭州市文一路1号',
      '0571-86000001',
      'USALES1',
      '2026-03-01',
    ]);
    // The masked row: its code, the masked text with its level, the level; nothing else.
    expect(values(sheet, 3)).toEqual([
      'KH-2026-0002',
      zh('register.masked', { level: zh('level.confidential') }),
      zh('level.confidential'),
    ]);
    expect(values(sheet, 4)).toEqual([
      'KH-2026-0003',
      `'${HYPERLINK}`,
      zh('level.unclassified'),
      zh('register.none'),
      zh('register.none'),
      "'+1 Main St",
      "'@x",
      'USALES1',
      '2026-03-01',
    ]);
    // No cell is a formula.
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      });
    });
    expect(sheet.rowCount).toBe(4);
  });

  it('DB-11: the regional analysis: amounts as numbers with two decimals from fen, the grade mix as counts', async () => {
    const register: Register = {
      kind: 'region',
      months: ['2025-11', '2025-12', '2026-01', '2026-10'],
      masked: 0,
      regions: [
        { region: '华东', customers: 3, salesFen: 100_010_031n, grades: { A: 1, B: 1, C: 0, none: 1 } },
        { region: '=SUM(A1)', customers: 1, salesFen: 10n, grades: { A: 0, B: 0, C: 1, none: 0 } },
        { region: null, customers: 1, salesFen: 0n, grades: { A: 0, B: 0, C: 0, none: 1 } },
      ],
    };
    const workbook = await open(await registerXlsx('zh-CN', register));
    const sheet = workbook.getWorksheet(zh('register.title.region')) as ExcelJS.Worksheet;
    const share = zh('register.col.share');
    expect(values(sheet, 1)).toEqual([
      zh('register.col.region'),
      zh('register.col.customers'),
      `${zh('register.col.sales')} 2025-11 – 2026-10`,
      `${share} A`,
      `${share} B`,
      `${share} C`,
      `${share} ${zh('register.none')}`,
    ]);
    expect(values(sheet, 2)).toEqual(['华东', 3, 1_000_100.31, 1, 1, 0, 1]);
    expect(values(sheet, 3)).toEqual(["'=SUM(A1)", 1, 0.1, 0, 0, 1, 0]);
    expect(values(sheet, 4)).toEqual([zh('register.none'), 1, 0, 0, 0, 0, 1]);
    const amount = sheet.getRow(2).getCell(3);
    expect(amount.type).toBe(ExcelJS.ValueType.Number);
    expect(amount.numFmt).toBe('#,##0.00');
  });

  it('DB-10: fen become yuan exactly; beyond 2^53 fen the amount is exact text', () => {
    expect(yuanCell(123_456n)).toBe(1234.56);
    expect(yuanCell(-5n)).toBe(-0.05);
    expect(yuanCell(BigInt(Number.MAX_SAFE_INTEGER))).toBe(90_071_992_547_409.91);
    expect(yuanCell(BigInt(Number.MAX_SAFE_INTEGER) + 2n)).toBe('90071992547409.93');
  });

  it('DB-11: English headers and titles come from the English catalogue', async () => {
    const workbook = await open(await registerXlsx('en', { kind: 'grade', masked: 0, rows: [] }));
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe(t('en', 'register.title.grade'));
    expect(values(sheet, 1)[0]).toBe(t('en', 'register.col.code'));
    expect(t('en', 'register.col.code')).not.toBe(zh('register.col.code'));
  });
});
