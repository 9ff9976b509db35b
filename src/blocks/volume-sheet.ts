/**
 * A volume's two sheets (ARCH-17, ARCH-18, ARCH-20): the contents list (卷内目录) in front and
 * the remarks sheet (备考表) at the back, in Slack and as an .xlsx workbook. Slack shows at most
 * MAX_SLACK_LINES documents; the workbook always has every one.
 */
import type { types } from '@slack/bolt';
import type { ContentsLine, VolumeSheet } from '../domain/archive/volume-sheet.js';
import { escapeMrkdwn, t, type UiLocale } from './i18n/index.js';
import { levelLabel, levelMarker } from './labels.js';
import { formulaSafe, LIMITS, mrkdwn, section } from './text.js';

/** Documents listed in Slack before the rest is left to the workbook. */
export const MAX_SLACK_LINES = 50;

const COLUMNS = ['number', 'reference', 'title', 'date', 'pages', 'remarks'] as const;

/** 12–14 in Slack (an en dash), 12-14 in the workbook; one page is just its number. */
function pagesText(line: ContentsLine, dash: string): string {
  return line.firstPage === line.lastPage ? String(line.firstPage) : `${line.firstPage}${dash}${line.lastPage}`;
}

/** The remarks column: the document's level marker (INFO-22) before its own remarks. */
function remarksText(locale: UiLocale, line: ContentsLine, render: (text: string) => string): string {
  return `${levelMarker(locale, line.level)}${render(line.remarks ?? '')}`.trim();
}

/** The volume code with its level marker (INFO-22): 【机密】JZ-2026-0001. */
const markedCode = (locale: UiLocale, sheet: VolumeSheet) =>
  `${levelMarker(locale, sheet.volume.level)}${sheet.volume.code}`;

function contentsTitle(locale: UiLocale, sheet: VolumeSheet, customerName: string): string {
  return t(locale, 'sheet.contents_title', {
    volume: markedCode(locale, sheet),
    year: sheet.volume.year,
    customer: `${sheet.volume.customerCode} ${customerName}`,
  });
}

function metaText(locale: UiLocale, sheet: VolumeSheet, box: string): string {
  return t(locale, 'sheet.meta', {
    level: levelLabel(locale, sheet.volume.level),
    retention: t(locale, `retention.${sheet.volume.retention}`),
    box,
  });
}

/** The notification text (what a phone shows): the contents title, user text escaped. */
export function volumeSheetText(locale: UiLocale, sheet: VolumeSheet): string {
  return contentsTitle(locale, sheet, escapeMrkdwn(sheet.volume.customerName));
}

/** Lines packed into as few sections as Slack's 3000 characters allow (a longer line is clipped). */
function sections(lines: readonly string[]): types.SectionBlock[] {
  const blocks: types.SectionBlock[] = [];
  let current = '';
  for (const line of lines) {
    const joined = current ? `${current}\n${line}` : line;
    if (current && [...joined].length > LIMITS.sectionText) {
      blocks.push(section(current));
      current = line;
    } else current = joined;
  }
  if (current) blocks.push(section(current));
  return blocks;
}

function slackLine(locale: UiLocale, line: ContentsLine): string {
  return [
    String(line.position),
    line.reference,
    escapeMrkdwn(line.title),
    line.formedOn,
    pagesText(line, '–'),
    remarksText(locale, line, escapeMrkdwn),
  ]
    .filter((cell) => cell !== '')
    .join(' · ');
}

/** The contents list, then the remarks sheet (filled even for an empty volume, ARCH-18). */
export function volumeSheetBlocks(locale: UiLocale, sheet: VolumeSheet): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    section(volumeSheetText(locale, sheet)),
    { type: 'context', elements: [mrkdwn(metaText(locale, sheet, escapeMrkdwn(sheet.volume.boxPath)))] },
  ];
  if (sheet.contents.length === 0) blocks.push(section(t(locale, 'sheet.empty')));
  else {
    const shown = sheet.contents.slice(0, MAX_SLACK_LINES);
    const more = sheet.contents.length - shown.length;
    blocks.push(
      ...sections([
        `*${COLUMNS.map((column) => t(locale, `sheet.col.${column}`)).join(' · ')}*`,
        ...shown.map((line) => slackLine(locale, line)),
        // Interim wording: a `sheet.more` message pointing at the workbook would say it better.
        ...(more > 0 ? [t(locale, 'sheet.more', { count: more })] : []),
      ]),
    );
  }
  const { remarks } = sheet;
  blocks.push(
    { type: 'divider' },
    ...sections([
      t(locale, 'sheet.remarks_title'),
      t(locale, 'sheet.remarks.counts', {
        documents: remarks.documents,
        pages: remarks.pages,
        originals: remarks.originals,
        copies: remarks.copies,
      }),
      t(locale, 'sheet.remarks.notes', {
        notes: remarks.notes.trim() ? escapeMrkdwn(remarks.notes) : t(locale, 'generic.none'),
      }),
      t(locale, 'sheet.remarks.responsible', { user: remarks.responsible }),
      t(locale, 'sheet.remarks.date', { date: remarks.date }),
    ]),
  );
  return blocks;
}

/** The contents title without the catalogue's mrkdwn bold (*卷内目录* → 卷内目录), the name filled in after. */
function plainContentsTitle(locale: UiLocale, sheet: VolumeSheet): string {
  const slot = '\u0000';
  return contentsTitle(locale, sheet, slot)
    .replace(/^\*([^*]*)\*/, '$1')
    .replace(slot, () => sheet.volume.customerName);
}

/** The two sheets as an .xlsx workbook: every document, plain text (no mrkdwn), formulas neutralised. */
export async function volumeSheetXlsx(locale: UiLocale, sheet: VolumeSheet): Promise<Buffer> {
  // Loaded on first use so that the bot's start does not load exceljs (a chunk of its own in dist/).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Custodian';

  const contents = workbook.addWorksheet(t(locale, 'sheet.sheet_contents'));
  contents.columns = [
    { key: 'number', width: 8 },
    { key: 'reference', width: 18 },
    { key: 'title', width: 48, style: { alignment: { wrapText: true, vertical: 'top' } } },
    { key: 'date', width: 12, style: { numFmt: '@' } },
    { key: 'pages', width: 10, style: { numFmt: '@' } },
    { key: 'remarks', width: 36, style: { alignment: { wrapText: true, vertical: 'top' } } },
  ];
  const title = contents.addRow([formulaSafe(plainContentsTitle(locale, sheet))]);
  title.font = { bold: true, size: 14 };
  contents.mergeCells(title.number, 1, title.number, COLUMNS.length);
  const meta = contents.addRow([formulaSafe(metaText(locale, sheet, sheet.volume.boxPath))]);
  contents.mergeCells(meta.number, 1, meta.number, COLUMNS.length);
  const header = contents.addRow(COLUMNS.map((column) => t(locale, `sheet.col.${column}`)));
  header.font = { bold: true };
  for (const line of sheet.contents) {
    contents.addRow([
      line.position,
      formulaSafe(line.reference),
      formulaSafe(line.title),
      line.formedOn,
      pagesText(line, '-'),
      formulaSafe(remarksText(locale, line, (text) => text)),
    ]);
  }
  contents.views = [{ state: 'frozen', ySplit: header.number }];
  // Printed for the volume's cover (ARCH-20): A4 across, as wide as the page, the title and header on every page.
  contents.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `1:${header.number}`,
  };

  const back = workbook.addWorksheet(t(locale, 'sheet.sheet_remarks'));
  back.columns = [
    { key: 'label', width: 16, style: { alignment: { vertical: 'top' } } },
    { key: 'value', width: 64, style: { alignment: { wrapText: true, vertical: 'top' } } },
  ];
  const { remarks } = sheet;
  const backTitle = back.addRow([`${t(locale, 'sheet.sheet_remarks')} ${markedCode(locale, sheet)}`]);
  backTitle.font = { bold: true, size: 14 };
  back.mergeCells(backTitle.number, 1, backTitle.number, 2);
  const counts = back.addRow([
    t(locale, 'sheet.remarks.counts', {
      documents: remarks.documents,
      pages: remarks.pages,
      originals: remarks.originals,
      copies: remarks.copies,
    }),
  ]);
  counts.alignment = { wrapText: true };
  back.mergeCells(counts.number, 1, counts.number, 2);
  back.addRow([t(locale, 'sheet.label.notes'), formulaSafe(remarks.notes)]);
  back.addRow([t(locale, 'sheet.label.responsible'), formulaSafe(remarks.responsible)]);
  back.addRow([t(locale, 'sheet.label.date'), remarks.date]);
  back.pageSetup = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
