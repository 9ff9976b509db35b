/**
 * A volume's two sheets rendered (src/blocks/volume-sheet.ts): the contents list and the
 * remarks sheet in Slack (escaped, capped) and in the .xlsx workbook (plain, every line,
 * formulas neutralised), read back cell by cell with exceljs.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/blocks/i18n/index.js';
import { MAX_SLACK_LINES, volumeSheetBlocks, volumeSheetText, volumeSheetXlsx } from '../../src/blocks/volume-sheet.js';
import type { ContentsLine, VolumeSheet } from '../../src/domain/archive/volume-sheet.js';
import { zh } from '../helpers/copy.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/","open me")';
const LOUD_REMARK = 'see *bold* <!channel>';

const line = (overrides: Partial<ContentsLine> & Pick<ContentsLine, 'position'>): ContentsLine => ({
  reference: `WJ-2026-${String(overrides.position).padStart(4, '0')}`,
  title: `Document ${overrides.position}`,
  formedOn: '2026-01-05',
  firstPage: 1,
  lastPage: 1,
  copies: 1,
  form: 'original',
  level: 'unclassified',
  remarks: null,
  ...overrides,
});

/** A confidential volume of three documents: one page, a copy with loud remarks, a confidential one. */
function fullSheet(): VolumeSheet {
  return {
    volume: {
      code: 'JZ-2026-0007',
      year: 2026,
      customerCode: 'KH-2026-0003',
      customerName: 'Acme & <Sons>',
      level: 'confidential',
      retention: 'long_term',
      boxPath: 'Room1/A/3/<12>',
    },
    contents: [
      line({ position: 1, title: 'Basic information', formedOn: '2026-01-05', firstPage: 1, lastPage: 1 }),
      line({
        position: 2,
        title: HYPERLINK,
        formedOn: '2026-02-10',
        firstPage: 2,
        lastPage: 4,
        form: 'copy',
        remarks: LOUD_REMARK,
      }),
      line({
        position: 3,
        title: 'Credit evaluation',
        formedOn: '2026-03-01',
        firstPage: 5,
        lastPage: 9,
        level: 'confidential',
        remarks: 'keep apart',
      }),
    ],
    remarks: {
      documents: 3,
      pages: 9,
      originals: 2,
      copies: 1,
      notes: '+1 page torn <!here>',
      responsible: 'U0ARCHIVIST',
      date: '2026-03-02',
    },
  };
}

function emptySheet(): VolumeSheet {
  return {
    volume: {
      code: 'JZ-2026-0008',
      year: 2026,
      customerCode: 'KH-2026-0004',
      customerName: 'Empty Ltd',
      level: 'unclassified',
      retention: 'short_term',
      boxPath: 'Room1/A/3/13',
    },
    contents: [],
    remarks: { documents: 0, pages: 0, originals: 0, copies: 0, notes: '', responsible: 'U0EMPTY', date: '2026-01-02' },
  };
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

function worksheets(workbook: ExcelJS.Workbook): [ExcelJS.Worksheet, ExcelJS.Worksheet] {
  const [contents, remarks] = workbook.worksheets;
  if (!contents || !remarks) throw new Error(`expected two worksheets, found ${workbook.worksheets.length}`);
  return [contents, remarks];
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number, columns = 6) =>
  Array.from({ length: columns }, (_, i) => sheet.getCell(row, i + 1).value);

const HEADER = ['number', 'reference', 'title', 'date', 'pages', 'remarks'] as const;
const CLASSIFIED = ['restricted', 'confidential', 'top_secret'] as const;
const marker = (level: (typeof CLASSIFIED)[number]) => zh('level.marker', { level: zh(`level.${level}`) });

/** Every text a block list shows, for assertions on what reaches Slack. */
const slackText = (blocks: unknown) => JSON.stringify(blocks);

describe('volume sheet workbook (.xlsx)', () => {
  it('ARCH-17, ARCH-20: two worksheets, the contents list in front and the remarks sheet behind', async () => {
    const workbook = await load(await volumeSheetXlsx('zh-CN', fullSheet()));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      zh('sheet.sheet_contents'),
      zh('sheet.sheet_remarks'),
    ]);
  });

  it('ARCH-17, INFO-22: the title rows name the volume, year, customer, level, retention and box in plain text', async () => {
    const [contents] = worksheets(await load(await volumeSheetXlsx('zh-CN', fullSheet())));
    const title = contents.getCell('A1').text;
    for (const part of ['JZ-2026-0007', '2026', 'KH-2026-0003 Acme & <Sons>', marker('confidential')])
      expect(title).toContain(part);
    expect(title).not.toMatch(/[*]|&amp;|&lt;/);
    expect(contents.getCell('A2').text).toBe(
      zh('sheet.meta', {
        level: zh('level.confidential'),
        retention: zh('retention.long_term'),
        box: 'Room1/A/3/<12>',
      }),
    );
  });

  it('ARCH-17: the header row has the six columns and each document a row (number, text date, text pages)', async () => {
    const [contents] = worksheets(await load(await volumeSheetXlsx('zh-CN', fullSheet())));
    expect(rowValues(contents, 3)).toEqual(HEADER.map((column) => zh(`sheet.col.${column}`)));
    expect(rowValues(contents, 4)).toEqual([1, 'WJ-2026-0001', 'Basic information', '2026-01-05', '1', '']);
    expect(rowValues(contents, 5)).toEqual([2, 'WJ-2026-0002', `'${HYPERLINK}`, '2026-02-10', '2-4', LOUD_REMARK]);
    expect(rowValues(contents, 6)).toEqual([
      3,
      'WJ-2026-0003',
      'Credit evaluation',
      '2026-03-01',
      '5-9',
      `${marker('confidential')}keep apart`,
    ]);
    expect(contents.getCell('A4').type).toBe(ExcelJS.ValueType.Number);
    for (const cell of ['D4', 'E4', 'E5']) expect(contents.getCell(cell).type).toBe(ExcelJS.ValueType.String);
    expect(contents.rowCount).toBe(6);
  });

  it('ARCH-17: a title or note starting with = + - @ is text, never a formula (no mrkdwn escaping either)', async () => {
    const [contents, remarks] = worksheets(await load(await volumeSheetXlsx('zh-CN', fullSheet())));
    const title = contents.getCell('C5');
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.formula).toBeUndefined();
    expect(title.value).toBe(`'${HYPERLINK}`);
    expect(contents.getCell('F5').value).toBe(LOUD_REMARK);
    expect(remarks.getCell('B3').value).toBe("'+1 page torn <!here>");
  });

  it('ARCH-18: the remarks sheet has the counts, notes, responsible person and date', async () => {
    const [, remarks] = worksheets(await load(await volumeSheetXlsx('zh-CN', fullSheet())));
    expect(remarks.getCell('A1').text).toContain('JZ-2026-0007');
    expect(remarks.getCell('A2').value).toBe(
      zh('sheet.remarks.counts', { documents: 3, pages: 9, originals: 2, copies: 1 }),
    );
    expect([remarks.getCell('A3').text, remarks.getCell('A4').text, remarks.getCell('A5').text]).toEqual([
      zh('sheet.label.notes'),
      zh('sheet.label.responsible'),
      zh('sheet.label.date'),
    ]);
    expect(remarks.getCell('B4').value).toBe('U0ARCHIVIST');
    expect(remarks.getCell('B5').value).toBe('2026-03-02');
  });

  it('ARCH-18: an empty volume still has its header and a filled remarks sheet (counts 0, responsible, date)', async () => {
    const [contents, remarks] = worksheets(await load(await volumeSheetXlsx('zh-CN', emptySheet())));
    expect(rowValues(contents, 3)).toEqual(HEADER.map((column) => zh(`sheet.col.${column}`)));
    expect(contents.rowCount).toBe(3);
    expect(remarks.getCell('A2').value).toBe(
      zh('sheet.remarks.counts', { documents: 0, pages: 0, originals: 0, copies: 0 }),
    );
    expect(remarks.getCell('B3').text).toBe('');
    expect(remarks.getCell('A4').text).not.toBe('');
    expect(remarks.getCell('B4').value).toBe('U0EMPTY');
    expect(remarks.getCell('B5').value).toBe('2026-01-02');
    expect(remarks.getCell('A1').text).not.toContain(marker('restricted'));
  });
});

describe('volume sheet in Slack', () => {
  it('ARCH-17, INFO-22: user text is escaped, pages read first–last, the classified volume and document are marked', () => {
    const blocks = volumeSheetBlocks('zh-CN', fullSheet());
    const text = slackText(blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('<Sons>');
    expect(text).not.toContain('<12>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&lt;!here&gt;');
    expect(text).toContain('Acme &amp; &lt;Sons&gt;');
    expect(text).toContain('Room1/A/3/&lt;12&gt;');
    expect(text).toContain(`${marker('confidential')}JZ-2026-0007`);
    expect(text).toContain(`5–9 · ${marker('confidential')}keep apart`);
    expect(text).toContain('2–4');
    expect(text).toContain('1 · WJ-2026-0001 · Basic information · 2026-01-05 · 1\\n');
    for (const column of HEADER) expect(text).toContain(zh(`sheet.col.${column}`));
    expect(text).toContain(zh('sheet.remarks.responsible', { user: 'U0ARCHIVIST' }));
    expect(text).toContain(zh('sheet.remarks.counts', { documents: 3, pages: 9, originals: 2, copies: 1 }));
    expect(volumeSheetText('zh-CN', fullSheet())).toContain('Acme &amp; &lt;Sons&gt;');
  });

  it('ARCH-18: an empty volume says so and its remarks sheet is still filled, with no marker when unclassified', () => {
    const text = slackText(volumeSheetBlocks('zh-CN', emptySheet()));
    expect(text).toContain(zh('sheet.empty'));
    expect(text).toContain(zh('sheet.remarks.counts', { documents: 0, pages: 0, originals: 0, copies: 0 }));
    expect(text).toContain(zh('sheet.remarks.notes', { notes: zh('generic.none') }));
    expect(text).toContain(zh('sheet.remarks.responsible', { user: 'U0EMPTY' }));
    expect(text).toContain(zh('sheet.remarks.date', { date: '2026-01-02' }));
    for (const level of CLASSIFIED) expect(text).not.toContain(marker(level));
  });

  it('ARCH-17: a long volume shows the first lines in Slack within section limits, and every line in the workbook', async () => {
    const total = MAX_SLACK_LINES + 70;
    const sheet = fullSheet();
    sheet.contents = Array.from({ length: total }, (_, i) =>
      line({ position: i + 1, title: `${'&'.repeat(150)} ${i + 1}`, firstPage: i + 1, lastPage: i + 1 }),
    );
    const blocks = volumeSheetBlocks('zh-CN', sheet);
    const sections = blocks.filter((block) => block.type === 'section');
    for (const block of sections) expect([...(block.text?.text ?? '')].length).toBeLessThanOrEqual(3000);
    const text = slackText(blocks);
    expect(text).toContain(` ${MAX_SLACK_LINES} · `);
    expect(text).not.toContain(` ${MAX_SLACK_LINES + 1} · `);
    expect(text).toContain(zh('sheet.more', { count: total - MAX_SLACK_LINES }));
    expect(text.split('…')).toHaveLength(2); // the note's own ellipsis: no line was clipped

    const [contents] = worksheets(await load(await volumeSheetXlsx('zh-CN', sheet)));
    expect(contents.rowCount).toBe(3 + total);
    expect(contents.getCell(3 + total, 1).value).toBe(total);
  });

  it('ARCH-17, ARCH-18 (en): both sheets in English, in Slack and in the workbook', async () => {
    const text = slackText(volumeSheetBlocks('en', fullSheet()));
    expect(text).toContain(t('en', 'sheet.remarks.counts', { documents: 3, pages: 9, originals: 2, copies: 1 }));
    expect(text).toContain(`${t('en', 'level.marker', { level: t('en', 'level.confidential') })}JZ-2026-0007`);
    const workbook = await load(await volumeSheetXlsx('en', emptySheet()));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      t('en', 'sheet.sheet_contents'),
      t('en', 'sheet.sheet_remarks'),
    ]);
    const [contents, remarks] = worksheets(workbook);
    expect(rowValues(contents, 3)).toEqual(HEADER.map((column) => t('en', `sheet.col.${column}`)));
    expect(remarks.getCell('A5').text).toBe(t('en', 'sheet.label.date'));
    expect(remarks.getCell('B4').value).toBe('U0EMPTY');
  });
});
