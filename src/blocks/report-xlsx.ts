/**
 * A statistics report as an .xlsx workbook (INFO-12: the same format for every period): a
 * sheet of figures — one line per total, department, region and grade, with the actual
 * figure as released, the corrected one beside it when a slip applies (STAT-11: the original
 * stays visible), target and plan completion, the period before and the customers — and a
 * sheet of the text (explanation or analysis), signatures and slips.
 */
import { fenToYuan } from '../domain/statistics/grading-rules.js';
import { planCompletion } from '../domain/statistics/plan-completion.js';
import { figureLines } from '../domain/statistics/report-figures.js';
import { explanationFields } from '../domain/statistics/report-input.js';
import { appliedCorrection, type ReportView } from '../domain/statistics/report-view.js';
import { formatLocalDateTime } from '../domain/time.js';
import { t, type UiLocale } from './i18n/index.js';
import { roleLabel } from './labels.js';
import { yuanCell } from './registers-xlsx.js';
import { lineName, periodLabel } from './reports.js';
import { formulaSafe } from './text.js';

const YUAN_FORMAT = '#,##0.00';
const COLUMNS = [
  'group',
  'item',
  'actual',
  'corrected',
  'target',
  'completion',
  'previous',
  'customers',
  'slip',
] as const;

const GROUP_OF = {
  total: 'report.xlsx.total',
  department: 'report.group.departments',
  region: 'report.group.regions',
  grade: 'report.group.grades',
} as const;

export async function reportXlsx(locale: UiLocale, report: ReportView, timeZone: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Custodian';
  const title = `${report.code} ${periodLabel(locale, report)}`;
  const figures = workbook.addWorksheet(t(locale, 'report.xlsx.item'));
  figures.columns = COLUMNS.map((key) => ({
    key,
    width: key === 'item' ? 24 : key === 'group' || key === 'customers' ? 12 : 18,
    ...(['actual', 'corrected', 'target', 'previous'].includes(key) && { style: { numFmt: YUAN_FORMAT } }),
  }));
  figures.addRow([title]).font = { bold: true };
  figures.addRow(COLUMNS.map((key) => t(locale, `report.xlsx.${key}`))).font = { bold: true };
  for (const line of figureLines(report.figures)) {
    const slip = appliedCorrection(report.corrections, line.key);
    const actual = slip?.correctedFen ?? line.actualFen;
    const completion = line.targetFen === null ? null : planCompletion(actual, line.targetFen);
    figures.addRow([
      t(locale, GROUP_OF[line.group]),
      formulaSafe(lineName(locale, line)),
      yuanCell(line.actualFen),
      slip ? yuanCell(slip.correctedFen) : null,
      line.targetFen === null ? null : yuanCell(line.targetFen),
      completion === null ? null : Number(completion),
      yuanCell(line.previousFen),
      // Counts only for the whole: a line's count would say how many customers a region holds (SEC-3).
      line.group === 'total' ? line.customers : null,
      slip?.requestCode ?? null,
    ]);
  }
  figures.views = [{ state: 'frozen', ySplit: 2 }];

  const text = workbook.addWorksheet(t(locale, 'report.field.text'));
  text.columns = [{ width: 18 }, { width: 100 }];
  text.addRow([title]).font = { bold: true };
  text.addRow([t(locale, `report.state.${report.state}`), report.late ? t(locale, 'report.late') : '']);
  for (const field of explanationFields(report.period)) {
    const row = text.addRow([t(locale, `report.field.${field}`), formulaSafe(report.explanation[field] ?? '')]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  for (const s of report.signatures)
    text.addRow([
      s.roles.map((r) => roleLabel(locale, r)).join(' / '),
      `${s.by} ${formatLocalDateTime(s.at, timeZone)}`,
    ]);
  for (const c of report.corrections)
    text.addRow([
      c.requestCode,
      formulaSafe(
        `${c.item}: ${fenToYuan(c.originalFen)} → ${fenToYuan(c.correctedFen)} (${t(locale, `request.state.${c.state}`)}) ${c.reason}`,
      ),
    ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
