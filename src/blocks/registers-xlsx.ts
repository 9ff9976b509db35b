/**
 * The customer registers (DB-11) as an .xlsx workbook: one worksheet titled by the register,
 * a header row from the catalogue, one line per customer (or per region), plain text with
 * formulas neutralised. A masked row carries the code and its level only (INFO-23, SEC-8).
 */

import { fenToYuan } from '../domain/statistics/grading-rules.js';
import type { Register, RegisterKind, RegisterRow } from '../domain/statistics/registers.js';
import { t, type UiLocale } from './i18n/index.js';
import { levelLabel } from './labels.js';
import { formulaSafe } from './text.js';

const LIST_COLUMNS = [
  { key: 'code', width: 16 },
  { key: 'name', width: 36 },
  { key: 'level', width: 8 },
  { key: 'grade', width: 8 },
  { key: 'region', width: 14 },
  { key: 'address', width: 40 },
  { key: 'phone', width: 18 },
  { key: 'owner', width: 14 },
  { key: 'created', width: 12 },
] as const;

const MIX = ['A', 'B', 'C', 'none'] as const;

/** Two decimals with thousands separators: the yuan of the analysis. */
const YUAN_FORMAT = '#,##0.00';

/**
 * Yuan as a spreadsheet number from fen (a bigint, never a float until here). Number(fen) is
 * exact up to 2^53 fen (about 90 trillion yuan) and one division by 100 of an exact integer
 * gives the double nearest to the exact amount, so the two decimals shown are exactly the
 * fen. Beyond that (never in practice) the amount is written as exact text instead.
 */
export function yuanCell(fen: bigint): number | string {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return fen <= safe && fen >= -safe ? Number(fen) / 100 : fenToYuan(fen);
}

export function registerTitle(locale: UiLocale, kind: RegisterKind): string {
  return t(locale, `register.title.${kind}`);
}

function listRow(locale: UiLocale, row: RegisterRow): (string | number)[] {
  const level = levelLabel(locale, row.level);
  if (row.visibility === 'masked') return [row.code, t(locale, 'register.masked', { level }), level];
  const none = t(locale, 'register.none');
  return [
    row.code,
    formulaSafe(row.name),
    level,
    row.grade ?? none,
    row.region === null ? none : formulaSafe(row.region),
    formulaSafe(row.address),
    formulaSafe(row.phone),
    formulaSafe(row.ownerSlackUserId),
    row.registeredOn,
  ];
}

/** One of the four registers as an .xlsx workbook (exceljs, loaded on first use). */
export async function registerXlsx(locale: UiLocale, register: Register): Promise<Buffer> {
  // Loaded on first use so that the bot's start does not load exceljs (a chunk of its own in dist/).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Custodian';
  const sheet = workbook.addWorksheet(registerTitle(locale, register.kind));

  if (register.kind === 'region') {
    const share = t(locale, 'register.col.share');
    const none = t(locale, 'register.none');
    const months = `${register.months[0] ?? ''} – ${register.months.at(-1) ?? ''}`;
    sheet.columns = [
      { key: 'region', width: 16 },
      { key: 'customers', width: 10 },
      { key: 'sales', width: 20, style: { numFmt: YUAN_FORMAT } },
      ...MIX.map((grade) => ({ key: `grade_${grade}`, width: 14 })),
    ];
    const header = sheet.addRow([
      t(locale, 'register.col.region'),
      t(locale, 'register.col.customers'),
      `${t(locale, 'register.col.sales')} ${months}`,
      ...MIX.map((grade) => `${share} ${grade === 'none' ? none : grade}`),
    ]);
    header.font = { bold: true };
    for (const line of register.regions) {
      sheet.addRow([
        line.region === null ? none : formulaSafe(line.region),
        line.customers,
        yuanCell(line.salesFen),
        ...MIX.map((grade) => line.grades[grade]),
      ]);
    }
  } else {
    sheet.columns = LIST_COLUMNS.map(({ key, width }) => ({
      key,
      width,
      ...(key === 'created' || key === 'phone' ? { style: { numFmt: '@' } } : {}),
    }));
    const header = sheet.addRow(LIST_COLUMNS.map(({ key }) => t(locale, `register.col.${key}`)));
    header.font = { bold: true };
    for (const row of register.rows) sheet.addRow(listRow(locale, row));
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columnCount } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
