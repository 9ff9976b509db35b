/**
 * The uploaded sales sheet (DB-10, STAT-4; src/domain/statistics/sales-sheet.ts): .csv and
 * .xlsx read into rows of integer fen, every problem of every row reported at once, nothing
 * half-accepted. The .xlsx files are built here with exceljs.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_INFLATED_BYTES,
  readSalesSheet,
  SALES_SHEET_MAX_ROWS,
  type SheetProblem,
  salesTemplateCsv,
  zipInflatedSize,
} from '../../src/domain/statistics/sales-sheet.js';

/** The company calendar's current month in these tests: November 2026. */
const TODAY = { year: 2026, month: 11 };

const csv = (text: string, name = 'sales.csv') => ({ name, bytes: new TextEncoder().encode(text) });
const read = (text: string, today = TODAY) => readSalesSheet(csv(text), today);
const lines = (...rows: string[]) => `${rows.join('\r\n')}\r\n`;
const HEADER_ZH = '客户编号,月份,销售额';

async function problemsOf(text: string, today = TODAY): Promise<SheetProblem[]> {
  const result = await read(text, today);
  if (result.ok) throw new Error(`expected problems, read ${result.rows.length} rows`);
  return result.problems;
}

/** An .xlsx whose first worksheet holds these rows (row 1 first; `undefined` rows stay empty). */
async function xlsx(rows: (ExcelJS.CellValue[] | undefined)[], name = 'sales.xlsx') {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('销售额');
  rows.forEach((values, index) => {
    if (values) sheet.getRow(index + 1).values = values;
  });
  // A second worksheet is never read.
  workbook.addWorksheet('其他').addRow(['客户编号', '月份', '销售额']);
  const buffer = await workbook.xlsx.writeBuffer();
  return { name, bytes: new Uint8Array(buffer as unknown as ArrayBuffer) };
}

describe('sales sheet as CSV (DB-10, STAT-4)', () => {
  it('DB-10: reads a valid sheet with the Chinese headers into rows of integer fen', async () => {
    const result = await read(
      lines(
        HEADER_ZH,
        'KH-2026-0001,2026-09,12345.67',
        'kh-2026-2,2026/10,¥800',
        'KH-2025-0417,2026-1,"1,234.5"',
        'KH-2026-0003,2026-11,0',
      ),
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { row: 2, code: 'KH-2026-0001', month: '2026-09', amountFen: 1234567n },
        { row: 3, code: 'KH-2026-0002', month: '2026-10', amountFen: 80000n },
        { row: 4, code: 'KH-2025-0417', month: '2026-01', amountFen: 123450n },
        { row: 5, code: 'KH-2026-0003', month: '2026-11', amountFen: 0n },
      ],
    });
    if (result.ok) for (const row of result.rows) expect(typeof row.amountFen).toBe('bigint');
  });

  it('DB-10: English headers in another order, any case and spacing, extra columns ignored, with a BOM', async () => {
    const result = await read(
      `\uFEFF${lines(' Amount ,Note,MONTH,region, code', '99.9,first,2026-03,East,KH-2026-0009', '"1,000,000",,2026-04,,KH-2026-0009')}`,
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { row: 2, code: 'KH-2026-0009', month: '2026-03', amountFen: 9990n },
        { row: 3, code: 'KH-2026-0009', month: '2026-04', amountFen: 100000000n },
      ],
    });
  });

  it('DB-10: RFC 4180 quotes: commas, doubled quotes and line breaks inside a field; rows numbered as a spreadsheet shows them', async () => {
    const result = await read(
      [
        '客户编号,销售额,月份,备注',
        '"KH-2026-0001","1,234.50",2026-05,"a ""quoted"", remark"',
        'KH-2026-0002,"¥ 2,000",2026-05,"two',
        'lines"',
        'KH-2026-0003,"￥3.1",2026-05,',
      ].join('\n'),
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { row: 2, code: 'KH-2026-0001', month: '2026-05', amountFen: 123450n },
        { row: 3, code: 'KH-2026-0002', month: '2026-05', amountFen: 200000n },
        { row: 4, code: 'KH-2026-0003', month: '2026-05', amountFen: 310n },
      ],
    });
  });

  it('DB-10: reads a file as Excel saves it (BOM, CRLF, quoted remarks, a blank row)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../fixtures/sales/excel-export.csv', import.meta.url)));
    expect(await readSalesSheet({ name: 'excel-export.csv', bytes }, TODAY)).toEqual({
      ok: true,
      rows: [
        { row: 2, code: 'KH-2026-0001', month: '2026-09', amountFen: 1234567n },
        { row: 3, code: 'KH-2026-0002', month: '2026-10', amountFen: 80000n },
        { row: 5, code: 'KH-2026-0003', month: '2026-11', amountFen: 50n },
      ],
    });
  });

  it('DB-10: each problem kind names its row and column', async () => {
    const cases: [string, SheetProblem][] = [
      ['KH2026-0001,2026-01,1', { row: 2, column: 'code', reason: 'not_a_code' }],
      ['SQ-2026-0001,2026-01,1', { row: 2, column: 'code', reason: 'not_a_code' }],
      [',2026-01,1', { row: 2, column: 'code', reason: 'not_a_code' }],
      ['KH-2026-0001,2026-13,1', { row: 2, column: 'month', reason: 'invalid_month' }],
      ['KH-2026-0001,2026-00,1', { row: 2, column: 'month', reason: 'invalid_month' }],
      ['KH-2026-0001,2026-01-15,1', { row: 2, column: 'month', reason: 'invalid_month' }],
      ['KH-2026-0001,Jan 2026,1', { row: 2, column: 'month', reason: 'invalid_month' }],
      ['KH-2026-0001,,1', { row: 2, column: 'month', reason: 'invalid_month' }],
      ['KH-2026-0001,2026-12,1', { row: 2, column: 'month', reason: 'future_month' }],
      ['KH-2026-0001,2026-01,1.234', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      ['KH-2026-0001,2026-01,lots', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      ['KH-2026-0001,2026-01,', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      ['KH-2026-0001,2026-01,"1,23,4"', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      ['KH-2026-0001,2026-01,1e3', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      ['KH-2026-0001,2026-01,$5', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      // SalesFigure.amount is DECIMAL(16,2): at most 14 digits of yuan.
      ['KH-2026-0001,2026-01,100000000000000', { row: 2, column: 'amount', reason: 'invalid_amount' }],
      ['KH-2026-0001,2026-01,-5', { row: 2, column: 'amount', reason: 'negative_amount' }],
      ['KH-2026-0001,2026-01,¥-5.50', { row: 2, column: 'amount', reason: 'negative_amount' }],
      ['KH-2026-0001,2026-01,"-1,000"', { row: 2, column: 'amount', reason: 'negative_amount' }],
    ];
    for (const [row, problem] of cases) {
      expect(await problemsOf(lines(HEADER_ZH, row)), row).toEqual([problem]);
    }
    // The largest figure the column holds is accepted; minus zero is zero.
    expect(await read(lines(HEADER_ZH, 'KH-2026-0001,2026-01,99999999999999.99', 'KH-2026-0002,2026-01,-0'))).toEqual({
      ok: true,
      rows: [
        { row: 2, code: 'KH-2026-0001', month: '2026-01', amountFen: 9999999999999999n },
        { row: 3, code: 'KH-2026-0002', month: '2026-01', amountFen: 0n },
      ],
    });
  });

  it('STAT-4: every problem of every row is reported at once, in row order, and no row is accepted', async () => {
    const problems = await problemsOf(
      lines(
        HEADER_ZH,
        'KH-2026-0001,2026-01,100',
        'nobody,2027-01,-1',
        'KH-2026-0002,2026-02,12.345',
        'KH-2026-0003,2026-03,300',
        'kh-2026-1,2026-1,5',
        'KH-2026-0004,2026-99,abc',
      ),
    );
    expect(problems).toEqual([
      { row: 3, column: 'code', reason: 'not_a_code' },
      { row: 3, column: 'month', reason: 'future_month' },
      { row: 3, column: 'amount', reason: 'negative_amount' },
      { row: 4, column: 'amount', reason: 'invalid_amount' },
      { row: 6, column: null, reason: 'duplicate_row', firstRow: 2 },
      { row: 7, column: 'month', reason: 'invalid_month' },
      { row: 7, column: 'amount', reason: 'invalid_amount' },
    ]);
  });

  it('DB-10: the same customer and month twice is a duplicate on each later row, however they are written', async () => {
    const problems = await problemsOf(
      lines(
        HEADER_ZH,
        'KH-2026-0001,2026-03,1',
        'KH-2026-0001,2026-04,1',
        'kh-2026-1,2026/3,2',
        'KH-2026-0002,2026-03,1',
        'KH-2026-0001,2026-3,3',
      ),
    );
    expect(problems).toEqual([
      { row: 4, column: null, reason: 'duplicate_row', firstRow: 2 },
      { row: 6, column: null, reason: 'duplicate_row', firstRow: 2 },
    ]);
  });

  it('DB-10: the current month is allowed (figures to date), a later one is in the future, across a year end', async () => {
    const sheet = lines(HEADER_ZH, 'KH-2026-0001,2026-12,1', 'KH-2026-0001,2027-01,1');
    expect(await read(sheet, { year: 2026, month: 12 })).toMatchObject({ ok: false, problems: [{ row: 3 }] });
    expect(await problemsOf(sheet, { year: 2026, month: 12 })).toEqual([
      { row: 3, column: 'month', reason: 'future_month' },
    ]);
    expect(await problemsOf(sheet, { year: 2026, month: 11 })).toEqual([
      { row: 2, column: 'month', reason: 'future_month' },
      { row: 3, column: 'month', reason: 'future_month' },
    ]);
    expect((await read(sheet, { year: 2027, month: 1 })).ok).toBe(true);
  });

  it('STAT-4: blank lines (every cell empty) are skipped but keep the row numbers', async () => {
    const result = await read(
      ['客户编号,月份,销售额', '', 'KH-2026-0001,2026-01,1', ',,', ' , ,  ', 'KH-2026-0002,2026-01,2', '', ''].join(
        '\n',
      ),
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { row: 3, code: 'KH-2026-0001', month: '2026-01', amountFen: 100n },
        { row: 6, code: 'KH-2026-0002', month: '2026-01', amountFen: 200n },
      ],
    });
  });

  it('DB-10: a header without a column, or no header at all, is a missing column on row 1', async () => {
    expect(await problemsOf(lines('客户编号,月份,金额', 'KH-2026-0001,2026-01,1'))).toEqual([
      { row: 1, column: 'amount', reason: 'missing_column' },
    ]);
    expect(await problemsOf(lines('KH-2026-0001,2026-01,1', 'KH-2026-0002,2026-01,1'))).toEqual([
      { row: 1, column: 'code', reason: 'missing_column' },
      { row: 1, column: 'month', reason: 'missing_column' },
      { row: 1, column: 'amount', reason: 'missing_column' },
    ]);
    expect(await problemsOf(lines('', HEADER_ZH, 'KH-2026-0001,2026-01,1'))).toHaveLength(3);
  });

  it('STAT-4: a header and no data rows, or nothing at all, is empty', async () => {
    const empty = [{ row: null, column: null, reason: 'empty' }];
    expect(await problemsOf(HEADER_ZH)).toEqual(empty);
    expect(await problemsOf(lines(HEADER_ZH, ',,', '', ' '))).toEqual(empty);
    expect(await problemsOf('\uFEFF客户编号,月份,销售额\r\n')).toEqual(empty);
    expect(await problemsOf('')).toEqual(empty);
    expect(await problemsOf('\uFEFF')).toEqual(empty);
    expect(await problemsOf('\n\n')).toEqual(empty);
  });

  it('DB-10: bytes that are not UTF-8 text, or not readable as CSV, are not a spreadsheet, whatever the name', async () => {
    const notASheet = { ok: false, problems: [{ row: null, column: null, reason: 'not_a_spreadsheet' }] };
    // Random-looking binary: invalid UTF-8 (0xff, 0xfe never occur in UTF-8).
    const binary = Uint8Array.from([0xff, 0xfe, 0x00, 0x13, 0x9a, 0xc4, 0x7f, 0x80, 0x81, 0xe0, 0x01, 0x42]);
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const legacyXls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const gbk = Uint8Array.from([0xbf, 0xcd, 0xbb, 0xa7, 0xb1, 0xe0, 0xba, 0xc5]); // 客户编号 in GBK
    const zipNotWorkbook = new TextEncoder().encode('PK\u0003\u0004 but not a zip at all');
    const nulText = new TextEncoder().encode(`${HEADER_ZH}\nKH-2026-0001,2026-01,1\u0000\n`);
    for (const [name, bytes] of [
      ['sales.csv', binary],
      ['sales.csv', png],
      ['sales.png', png],
      ['sales.xls', legacyXls],
      ['sales.csv', gbk],
      ['sales.xlsx', zipNotWorkbook],
      ['sales.csv', nulText],
    ] as const) {
      expect(await readSalesSheet({ name, bytes }, TODAY), name).toEqual(notASheet);
    }
    // A quote never closed would swallow the rest of the file.
    expect(await read(lines(HEADER_ZH, 'KH-2026-0001,2026-01,"1', 'KH-2026-0002,2026-01,2'))).toEqual(notASheet);
    // The bytes decide, not the name: CSV text named .xlsx is read as CSV.
    expect(await readSalesSheet(csv(lines(HEADER_ZH, 'KH-2026-0001,2026-01,1'), 'sales.xlsx'), TODAY)).toMatchObject({
      ok: true,
    });
  });

  it(`STAT-4: at most ${SALES_SHEET_MAX_ROWS} data rows; one more and the sheet is refused whole`, async () => {
    const rows = Array.from({ length: SALES_SHEET_MAX_ROWS }, (_, i) => `KH-2026-${i + 1},2026-01,1`).join('\r\n');
    const full = await read(lines(HEADER_ZH, rows, ',,'));
    expect(full.ok && full.rows.length).toBe(SALES_SHEET_MAX_ROWS);
    expect(full.ok && full.rows.at(-1)).toEqual({
      row: 200_001,
      code: 'KH-2026-200000',
      month: '2026-01',
      amountFen: 100n,
    });
    expect(await problemsOf(lines(HEADER_ZH, rows, 'KH-2025-0001,2026-01,-1'))).toEqual([
      { row: null, column: null, reason: 'too_many_rows', max: SALES_SHEET_MAX_ROWS },
    ]);
  });
});

describe('sales sheet as XLSX (DB-10, STAT-4)', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('DB-10: numeric amounts become exact fen (1234.5 → 123450n, 0.1+0.2 → 30n); date cells and text codes are read', async () => {
    const file = await xlsx([
      ['客户编号', '月份', '销售额', '备注'],
      ['kh-2026-1', new Date(Date.UTC(2026, 0, 1)), 1234.5, 'lower-case code, a date cell'],
      ['KH-2026-0002', '2026-02', 0.1 + 0.2, 'float noise'],
      undefined,
      [{ richText: [{ text: 'KH-2026-' }, { text: '0003' }] }, '2026/3', { formula: '1000+0.25', result: 1000.25 }],
      ['KH-2026-0004', '2026-4', '¥1,000'],
      ['KH-2026-0005', '2026-04', 1.1 * 3],
      ['KH-2026-0006', '2026-04', 12345678901234.5],
      ['', null, ''],
    ]);
    expect(0.1 + 0.2).toBe(0.30000000000000004);
    expect(await readSalesSheet(file, TODAY)).toEqual({
      ok: true,
      rows: [
        { row: 2, code: 'KH-2026-0001', month: '2026-01', amountFen: 123450n },
        { row: 3, code: 'KH-2026-0002', month: '2026-02', amountFen: 30n },
        { row: 5, code: 'KH-2026-0003', month: '2026-03', amountFen: 100025n },
        { row: 6, code: 'KH-2026-0004', month: '2026-04', amountFen: 100000n },
        { row: 7, code: 'KH-2026-0005', month: '2026-04', amountFen: 330n },
        { row: 8, code: 'KH-2026-0006', month: '2026-04', amountFen: 1234567890123450n },
      ],
    });
  });

  it('DB-10: a date cell gives the month as written, whatever the server time zone', async () => {
    const file = await xlsx([
      ['code', 'month', 'amount'],
      ['KH-2026-0001', new Date(Date.UTC(2026, 1, 1)), 1],
      ['KH-2026-0002', new Date(Date.UTC(2026, 2, 31, 23, 30)), 1],
    ]);
    for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'UTC']) {
      process.env.TZ = tz;
      const result = await readSalesSheet(file, TODAY);
      expect(result.ok && result.rows.map((r) => r.month), tz).toEqual(['2026-02', '2026-03']);
    }
  });

  it('STAT-4: problems of numeric, date and text cells, all at once', async () => {
    const file = await xlsx([
      ['销售额', '客户编号', '月份'],
      [1.005, 'KH-2026-0001', '2026-01'],
      [-3, 20260001, 202601],
      ['1.999', 'KH-2026-0002', new Date(Date.UTC(2026, 11, 1))],
      [true, 'KH-2026-0003', '2026-01'],
      [{ error: '#N/A' }, 'KH-2026-0001', new Date(Date.UTC(2026, 0, 1))],
    ]);
    expect(await readSalesSheet(file, TODAY)).toEqual({
      ok: false,
      problems: [
        // 1.005 is stored as 1.00499999…: a third decimal, refused rather than rounded to 1.00.
        { row: 2, column: 'amount', reason: 'invalid_amount' },
        { row: 3, column: 'code', reason: 'not_a_code' },
        { row: 3, column: 'month', reason: 'invalid_month' },
        { row: 3, column: 'amount', reason: 'negative_amount' },
        { row: 4, column: 'month', reason: 'future_month' },
        { row: 4, column: 'amount', reason: 'invalid_amount' },
        { row: 5, column: 'amount', reason: 'invalid_amount' },
        { row: 6, column: 'amount', reason: 'invalid_amount' },
        { row: 6, column: null, reason: 'duplicate_row', firstRow: 2 },
      ],
    });
  });

  it('DB-10: a wrong header is a missing column; a header alone is empty', async () => {
    expect(
      await readSalesSheet(
        await xlsx([
          ['客户', '月份', 'sales'],
          ['KH-2026-0001', '2026-01', 1],
        ]),
        TODAY,
      ),
    ).toEqual({
      ok: false,
      problems: [
        { row: 1, column: 'code', reason: 'missing_column' },
        { row: 1, column: 'amount', reason: 'missing_column' },
      ],
    });
    expect(await readSalesSheet(await xlsx([['客户编号', '月份', '销售额']]), TODAY)).toEqual({
      ok: false,
      problems: [{ row: null, column: null, reason: 'empty' }],
    });
    expect(await readSalesSheet(await xlsx([]), TODAY)).toEqual({
      ok: false,
      problems: [{ row: null, column: null, reason: 'empty' }],
    });
  });

  it('DB-10: the bytes decide, not the name: a workbook named .csv is read as a workbook', async () => {
    const file = await xlsx(
      [
        ['客户编号', '月份', '销售额'],
        ['KH-2026-0001', '2026-01', 1],
      ],
      'sales.csv',
    );
    expect(await readSalesSheet(file, TODAY)).toEqual({
      ok: true,
      rows: [{ row: 2, code: 'KH-2026-0001', month: '2026-01', amountFen: 100n }],
    });
  });
});

describe('sales sheet template (STAT-4)', () => {
  it('STAT-4: the template is CSV with a BOM and the Chinese headers, and reads back as a valid sheet', async () => {
    const template = salesTemplateCsv();
    expect(template.startsWith('\uFEFF客户编号,月份,销售额\r\n')).toBe(true);
    const result = await readSalesSheet(csv(template, 'template.csv'), TODAY);
    expect(result.ok).toBe(true);
    expect(result.ok && result.rows).toHaveLength(1);
  });
});

describe('uploads that would exhaust memory (DB-10)', () => {
  it('DB-10: a workbook whose zip claims to inflate beyond 100 MB is not read at all', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('sales').addRows([
      ['客户编号', '月份', '销售额'],
      ['KH-2026-0001', '2026-01', 1],
    ]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const inflated = zipInflatedSize(bytes);
    expect(inflated).toBeGreaterThan(0);
    expect(inflated).toBeLessThan(MAX_INFLATED_BYTES);
    // The same workbook with one entry's size in the central directory raised to 2 GB.
    const bomb = bytes.slice();
    const view = new DataView(bomb.buffer);
    let entry = -1;
    for (let i = bomb.length - 22; i >= 0; i -= 1) {
      if (view.getUint32(i, true) === 0x06054b50) {
        entry = view.getUint32(i + 16, true);
        break;
      }
    }
    view.setUint32(entry + 24, 2_000_000_000, true);
    expect(zipInflatedSize(bomb)).toBeGreaterThan(MAX_INFLATED_BYTES);
    const result = await readSalesSheet({ name: 'bomb.xlsx', bytes: bomb }, { year: 2026, month: 12 });
    expect(result).toEqual({ ok: false, problems: [{ row: null, column: null, reason: 'not_a_spreadsheet' }] });
  });
});
