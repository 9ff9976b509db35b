/**
 * The monthly sales sheet (销售额表, DB-10, STAT-4) read from an upload: .csv (UTF-8, with or
 * without a BOM, RFC 4180 quoting) or .xlsx (its first worksheet), one row per customer and
 * month. Every row is checked and either all rows come back or every problem does, in row
 * order: nothing is half-accepted. Whether a customer exists is the database use case's
 * question, not this one's. Pure: no database, no Slack, no logging.
 *
 * Money is integer fen (bigint) from the text as written; the one place a float is met is a
 * numeric .xlsx cell (see amountFromNumber).
 */
import { parseCode } from '../codes.js';

/** One checked row. */
export interface SalesRow {
  /** 1-based row number in the sheet (the header is row 1) */
  row: number;
  code: string;
  /** YYYY-MM */
  month: string;
  /** integer fen (1/100 yuan), never a float */
  amountFen: bigint;
}

export type SheetProblem =
  | { row: null; column: null; reason: 'not_a_spreadsheet' }
  | { row: null; column: null; reason: 'empty' }
  | { row: 1; column: 'code' | 'month' | 'amount'; reason: 'missing_column' }
  | { row: number; column: 'code'; reason: 'not_a_code' }
  | { row: number; column: 'month'; reason: 'invalid_month' | 'future_month' }
  | { row: number; column: 'amount'; reason: 'invalid_amount' | 'negative_amount' }
  | { row: number; column: null; reason: 'duplicate_row'; firstRow: number }
  | { row: null; column: null; reason: 'too_many_rows'; max: number };

export type SheetResult = { ok: true; rows: SalesRow[] } | { ok: false; problems: SheetProblem[] };

/** Data rows (blank ones not counted) a sheet may hold; a larger one is refused whole. */
export const SALES_SHEET_MAX_ROWS = 200_000;

type Column = 'code' | 'month' | 'amount';

/** Accepted headers, compared trimmed and in lower case. */
const HEADERS: Record<Column, readonly string[]> = {
  code: ['客户编号', 'code'],
  month: ['月份', 'month'],
  amount: ['销售额', 'amount'],
};

/**
 * The largest amount in yuan, exclusive: SalesFigure.amount is DECIMAL(16,2), so at most 14
 * digits before the point. A larger figure is refused here as invalid_amount rather than
 * failing the whole import in the database.
 */
const MAX_INTEGER_DIGITS = 14;
const MAX_YUAN = 10 ** MAX_INTEGER_DIGITS;

/** A cell as read: CSV cells are text; an .xlsx cell may also be a number or a date (null when empty). */
export type Cell = string | number | Date | null;

interface RawRow {
  row: number;
  cells: Cell[];
}

/** The sheet's rows in order with their numbers in the sheet, the header (row 1) first. */
type Rows = Iterable<RawRow>;

/**
 * Reads and checks an uploaded sales sheet. The kind is decided by the bytes: a zip is read as
 * .xlsx, valid UTF-8 text as .csv, whatever the name says (the name is not consulted, so a
 * CSV saved as "sales.xlsx" is still read).
 *
 * `today` is the company-calendar date: a month after the current one is in the future (the
 * current month is allowed: figures to date).
 */
export async function readSalesSheet(
  file: { name: string; bytes: Uint8Array },
  today: { year: number; month: number },
): Promise<SheetResult> {
  const table = await readTable(file, HEADERS, SALES_SHEET_MAX_ROWS);
  if (!table.ok) return table;
  return checkRows(table.rows, today);
}

/** A problem of the file as a whole or of its header, the same for every sheet the bot reads. */
export type TableProblem<C extends string> =
  | { row: null; column: null; reason: 'not_a_spreadsheet' }
  | { row: null; column: null; reason: 'empty' }
  | { row: 1; column: C; reason: 'missing_column' }
  | { row: null; column: null; reason: 'too_many_rows'; max: number };

/** A data row of a table: its number in the sheet and its cell under each column. */
export interface TableRow<C extends string> {
  row: number;
  cell(column: C): Cell;
}

/**
 * Reads an uploaded table (.xlsx or .csv, decided by the bytes) with the given columns (each
 * by its accepted headers, trimmed and in lower case, in any order, other columns ignored):
 * the data rows, blank ones skipped, or the problem of the file or its header. Shared by every
 * sheet the bot imports; each checks its own rows.
 */
export async function readTable<C extends string>(
  file: { bytes: Uint8Array },
  headers: Record<C, readonly string[]>,
  maxRows: number,
): Promise<{ ok: true; rows: TableRow<C>[] } | { ok: false; problems: TableProblem<C>[] }> {
  const raw = isZip(file.bytes) ? await xlsxRows(file.bytes) : csvRows(file.bytes);
  if (!raw) return { ok: false, problems: [{ row: null, column: null, reason: 'not_a_spreadsheet' }] };
  try {
    return tableRows(raw, headers, maxRows);
  } catch (error) {
    if (error instanceof MalformedCsv)
      return { ok: false, problems: [{ row: null, column: null, reason: 'not_a_spreadsheet' }] };
    throw error;
  }
}

function tableRows<C extends string>(
  rows: Rows,
  headers: Record<C, readonly string[]>,
  maxRows: number,
): { ok: true; rows: TableRow<C>[] } | { ok: false; problems: TableProblem<C>[] } {
  const columns = Object.keys(headers) as C[];
  const empty = { ok: false as const, problems: [{ row: null, column: null, reason: 'empty' as const }] };
  const iterator = rows[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return empty;
  // The header is row 1 of the sheet. If that row is blank, the sheet is empty when every other
  // row is blank too, and has no header otherwise (every column is missing).
  const header = first.value.row === 1 && !isBlank(first.value.cells) ? first.value : undefined;
  if (!header) {
    const dataSeen = first.value.row !== 1 && !isBlank(first.value.cells);
    if (!dataSeen && restIsBlank(iterator)) return empty;
    return { ok: false, problems: columns.map((column) => ({ row: 1, column, reason: 'missing_column' }) as const) };
  }
  const found: Partial<Record<C, number>> = {};
  header.cells.forEach((cell, index) => {
    const text = typeof cell === 'string' ? cell.trim().toLowerCase() : '';
    for (const column of columns) {
      if (found[column] === undefined && headers[column].includes(text)) found[column] = index;
    }
  });
  const missing = columns.filter((column) => found[column] === undefined);
  if (missing.length > 0)
    return { ok: false, problems: missing.map((column) => ({ row: 1, column, reason: 'missing_column' }) as const) };
  const data: TableRow<C>[] = [];
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    const { row, cells } = next.value;
    if (isBlank(cells)) continue;
    if (data.length >= maxRows)
      return { ok: false, problems: [{ row: null, column: null, reason: 'too_many_rows', max: maxRows }] };
    data.push({ row, cell: (column) => cells[found[column] ?? -1] ?? null });
  }
  if (data.length === 0) return empty;
  return { ok: true, rows: data };
}

/** The template offered for download: the Chinese header row and one example row, CSV with a UTF-8 BOM. */
export function salesTemplateCsv(): string {
  const lines = [
    [HEADERS.code[0], HEADERS.month[0], HEADERS.amount[0]],
    ['KH-2026-0001', '2026-01', '12345.67'],
  ];
  return `\uFEFF${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Checking

function checkRows(rows: readonly TableRow<Column>[], today: { year: number; month: number }): SheetResult {
  const problems: SheetProblem[] = [];
  const result: SalesRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cell } of rows) {
    const code = readCode(cell('code'));
    if (code === undefined) problems.push({ row, column: 'code', reason: 'not_a_code' });

    const month = readMonth(cell('month'));
    if (month === undefined) problems.push({ row, column: 'month', reason: 'invalid_month' });
    else if (isFutureMonth(month, today)) problems.push({ row, column: 'month', reason: 'future_month' });
    const monthText = month && monthKey(month);

    const amount = readAmount(cell('amount'));
    if (amount === 'invalid') problems.push({ row, column: 'amount', reason: 'invalid_amount' });
    else if (amount === 'negative') problems.push({ row, column: 'amount', reason: 'negative_amount' });

    if (code !== undefined && monthText !== undefined) {
      const key = `${code} ${monthText}`;
      const firstRow = firstRowOf.get(key);
      if (firstRow === undefined) firstRowOf.set(key, row);
      else problems.push({ row, column: null, reason: 'duplicate_row', firstRow });
    }

    if (problems.length === 0 && code !== undefined && monthText !== undefined && typeof amount === 'bigint') {
      result.push({ row, code, month: monthText, amountFen: amount });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rows: result };
}

/** A month after the current one (company calendar). */
export function isFutureMonth(month: { year: number; month: number }, today: { year: number; month: number }): boolean {
  return month.year * 12 + (month.month - 1) > today.year * 12 + (today.month - 1);
}

/** YYYY-MM. */
export function monthKey(month: { year: number; month: number }): string {
  return `${month.year}-${String(month.month).padStart(2, '0')}`;
}

function restIsBlank(iterator: Iterator<RawRow>): boolean {
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    if (!isBlank(next.value.cells)) return false;
  }
  return true;
}

function isBlank(cells: readonly Cell[]): boolean {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

function readCode(cell: Cell): string | undefined {
  return typeof cell === 'string' ? parseCode('customer', cell) : undefined;
}

/** YYYY-MM, YYYY/MM, YYYY-M (or YYYY/M); an .xlsx date cell by its year and month as written. */
export function readMonth(cell: Cell): { year: number; month: number } | undefined {
  let year: number;
  let month: number;
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return undefined;
    // exceljs turns a date cell's serial number into a Date in UTC: its UTC fields are what the
    // sheet shows, whatever the server's time zone.
    year = cell.getUTCFullYear();
    month = cell.getUTCMonth() + 1;
  } else if (typeof cell === 'string') {
    const match = /^(\d{4})[-/](\d{1,2})$/.exec(cell.trim());
    if (!match) return undefined;
    year = Number(match[1]);
    month = Number(match[2]);
  } else {
    return undefined;
  }
  if (year < 1 || year > 9999 || month < 1 || month > 12) return undefined;
  return { year, month };
}

export type Amount = bigint | 'invalid' | 'negative';

/** An amount in yuan as integer fen, or why it is not one. */
export function readAmount(cell: Cell): Amount {
  if (typeof cell === 'number') return amountFromNumber(cell);
  if (typeof cell === 'string') return amountFromText(cell);
  return 'invalid';
}

/**
 * An amount as text: digits with at most two decimals, optionally grouped by `,` in threes
 * (1,234,567.89), optionally after ¥ or ￥; a leading `-` (before or after the currency sign) makes
 * it negative. Never through a float: the digits become fen directly.
 */
function amountFromText(text: string): Amount {
  const match = /^(-?)\s*[¥￥]?\s*(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return 'invalid';
  const [, minusBefore = '', minusAfter = '', whole = '', decimals = ''] = match;
  if (minusBefore && minusAfter) return 'invalid';
  const digits = whole.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_INTEGER_DIGITS) return 'invalid';
  const fen = BigInt(digits) * 100n + BigInt(decimals.padEnd(2, '0'));
  if ((minusBefore || minusAfter) && fen > 0n) return 'negative';
  return fen;
}

/**
 * A numeric .xlsx cell. The file holds a binary double, so 0.1+0.2 arrives as
 * 0.30000000000000004 and 1.005 as 1.00499999999999989…; multiplying by 100 and rounding would
 * carry that noise into money, and String(n) can give "1e+21" or 17 digits.
 *
 * - Whether the figure has more than two decimals is judged on the value Excel itself shows:
 *   15 significant digits (toPrecision(15)), which drops the binary noise (0.300000000000000)
 *   but keeps a real third decimal (1.00500000000000 → refused, not silently rounded to 1.00).
 * - The fen then come from `toFixed(2)`: the double rounded to two decimals as a decimal
 *   string ("1234.50", "0.30"), parsed as digits like CSV text, never multiplied as a float.
 *
 * Below 10^14 yuan (the column's range, checked first) toPrecision(15) is never exponential
 * for figures ≥ 1e-6; smaller ones are a third decimal anyway.
 */
function amountFromNumber(value: number): Amount {
  if (!Number.isFinite(value)) return 'invalid';
  const magnitude = Math.abs(value);
  if (magnitude >= MAX_YUAN) return 'invalid';
  if (magnitude !== 0) {
    const shown = magnitude.toPrecision(15);
    if (/e/i.test(shown)) return 'invalid';
    const decimals = (shown.split('.')[1] ?? '').replace(/0+$/, '');
    if (decimals.length > 2) return 'invalid';
  }
  if (value < 0) return 'negative';
  const fixed = magnitude.toFixed(2);
  const [, whole = '', decimals = ''] = /^(\d+)\.(\d{2})$/.exec(fixed) ?? [];
  // 99999999999999.995 is under the limit but rounds up to it.
  if (!whole || whole.length > MAX_INTEGER_DIGITS) return 'invalid';
  return BigInt(whole) * 100n + BigInt(decimals);
}

// ---------------------------------------------------------------------------------------------
// CSV

class MalformedCsv extends Error {}

/** Text that is not UTF-8, or holds control characters other than tab, line feed and carriage return, is not a sheet. */
function csvRows(bytes: Uint8Array): Rows | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for binary content on purpose
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return undefined;
  return parseCsv(text);
}

/**
 * RFC 4180 records, numbered as a spreadsheet shows them (a quoted line break stays inside its
 * record; a blank line still counts as a row). Lines end in CRLF, LF or CR; a final line ending
 * makes no extra record. Lenient where Excel is (a stray quote inside an unquoted field is kept
 * as text, text after a closing quote is appended), but a quote never closed would swallow the
 * rest of the file, so it makes the file unreadable (MalformedCsv).
 */
function* parseCsv(text: string): Generator<RawRow> {
  const length = text.length;
  let index = 0;
  let row = 0;
  while (index < length) {
    const cells: Cell[] = [];
    let field = '';
    row += 1;
    for (;;) {
      if (text[index] === '"') {
        // A quoted field: up to the closing quote, "" standing for one quote.
        index += 1;
        for (;;) {
          const close = text.indexOf('"', index);
          if (close === -1) throw new MalformedCsv();
          field += text.slice(index, close);
          index = close + 1;
          if (text[index] === '"') {
            field += '"';
            index += 1;
          } else break;
        }
      }
      // Unquoted text (or what follows a closing quote) up to the next comma or line end.
      let end = index;
      while (end < length) {
        const char = text[end];
        if (char === ',' || char === '\n' || char === '\r') break;
        end += 1;
      }
      field += text.slice(index, end);
      index = end;
      cells.push(field);
      field = '';
      const char = text[index];
      if (char === ',') {
        index += 1;
        continue;
      }
      if (char === '\r') index += text[index + 1] === '\n' ? 2 : 1;
      else if (char === '\n') index += 1;
      break;
    }
    yield { row, cells };
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The first worksheet's rows, or undefined when exceljs cannot open the zip as a workbook with a sheet. */
/**
 * What a zip holds once inflated, from its central directory; undefined when it cannot be read
 * (or is ZIP64). A small upload that inflates to gigabytes must never reach exceljs, which
 * inflates the whole sheet in memory.
 */
export function zipInflatedSize(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i -= 1) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n += 1) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) return undefined;
    total += size;
    offset +=
      46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return total;
}

/** The most an uploaded workbook may inflate to (a sheet of 200,000 rows is ~30 MB of XML). */
export const MAX_INFLATED_BYTES = 100 * 1024 * 1024;

async function xlsxRows(bytes: Uint8Array): Promise<Rows | undefined> {
  const inflated = zipInflatedSize(bytes);
  if (inflated === undefined || inflated > MAX_INFLATED_BYTES) return undefined;
  // Loaded on first use so that the bot's start does not load exceljs (a chunk of its own in dist/).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    return undefined;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return undefined;
  const rows: RawRow[] = [];
  // Only rows that hold something, in order, with their own numbers: the header is row 1 only
  // if the sheet's first row holds it.
  sheet.eachRow((sheetRow, number) => {
    const cells: Cell[] = [];
    sheetRow.eachCell({ includeEmpty: false }, (cell, column) => {
      cells[column - 1] = cellValue(cell.value);
    });
    for (let i = 0; i < cells.length; i += 1) cells[i] ??= null;
    rows.push({ row: number, cells });
  });
  return rows;
}

/** An exceljs cell value as text, a number or a date: formulas by their cached result, rich text and links by their text. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    if ('result' in value) return cellValue(value.result);
    if ('formula' in value || 'sharedFormula' in value) return null;
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText
        .map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
    }
    if ('text' in value) return cellValue(value.text);
    // An error value (#N/A…) is text that no column accepts.
    if ('error' in value && typeof value.error === 'string') return value.error;
  }
  return null;
}
