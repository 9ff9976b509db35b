/** ARCH-25: the archive's statistics as a message and as a workbook (the same lines). */
import type { ArchiveStatistics } from '../domain/custody/archive-statistics.js';
import { t, type UiLocale } from './i18n/index.js';

type Line = { label: string; value: number };
type StatKey =
  | 'in_box'
  | 'on_loan'
  | 'held'
  | 'destroyed'
  | 'documents'
  | 'customers'
  | 'documents_filed'
  | 'submissions_received'
  | 'submissions_late'
  | 'volumes_opened'
  | 'inspections_done'
  | 'findings'
  | 'findings_closed'
  | 'findings_open'
  | 'loans_lent'
  | 'loans_returned'
  | 'loans_overdue'
  | 'views_approved'
  | 'batches_destroyed'
  | 'volumes_destroyed'
  | 'boxes'
  | 'classified_boxes'
  | 'archivists';

/** The statistics as labelled lines by section, in the order of ARCH-25. */
function sections(locale: UiLocale, s: ArchiveStatistics): { title: string; lines: Line[] }[] {
  const line = (key: `archive.stat.${StatKey}`, value: number): Line => ({ label: t(locale, key), value });
  return [
    {
      title: t(locale, 'archive.section.quantity'),
      lines: [
        line('archive.stat.in_box', s.quantity.volumes.in_box),
        line('archive.stat.on_loan', s.quantity.volumes.on_loan),
        line('archive.stat.held', s.quantity.volumes.held),
        line('archive.stat.destroyed', s.quantity.volumes.destroyed),
        line('archive.stat.documents', s.quantity.documents),
        line('archive.stat.customers', s.quantity.customers),
      ],
    },
    {
      title: t(locale, 'archive.section.collection'),
      lines: [
        line('archive.stat.documents_filed', s.collection.documentsFiled),
        line('archive.stat.submissions_received', s.collection.submissionsReceived),
        line('archive.stat.submissions_late', s.collection.submissionsLate),
        line('archive.stat.volumes_opened', s.organisation.volumesOpened),
      ],
    },
    {
      title: t(locale, 'archive.section.custody'),
      lines: [
        line('archive.stat.inspections_done', s.custody.inspectionsDone),
        line('archive.stat.findings', s.custody.findings),
        line('archive.stat.findings_closed', s.custody.findingsClosed),
        line('archive.stat.findings_open', s.custody.findingsOpen),
      ],
    },
    {
      title: t(locale, 'archive.section.use'),
      lines: [
        line('archive.stat.loans_lent', s.use.loansLent),
        line('archive.stat.loans_returned', s.use.loansReturned),
        line('archive.stat.loans_overdue', s.use.loansOverdueNow),
        line('archive.stat.views_approved', s.use.viewsApproved),
        line('archive.stat.batches_destroyed', s.destruction.batchesDestroyed),
        line('archive.stat.volumes_destroyed', s.destruction.volumesDestroyed),
      ],
    },
    {
      title: t(locale, 'archive.section.equipment'),
      lines: [
        line('archive.stat.boxes', s.equipment.boxes),
        line('archive.stat.classified_boxes', s.equipment.classifiedBoxes),
        line('archive.stat.archivists', s.staff.archivists),
      ],
    },
  ];
}

const titleOf = (locale: UiLocale, s: ArchiveStatistics) =>
  t(locale, s.partial ? 'archive.title_partial' : 'archive.title', { period: s.period.key });

export function archiveStatisticsText(locale: UiLocale, s: ArchiveStatistics): string {
  return [
    titleOf(locale, s),
    ...sections(locale, s).flatMap((section) => [
      `*${section.title}*`,
      ...section.lines.map((l) => t(locale, 'archive.line', { label: l.label, value: l.value })),
    ]),
  ].join('\n');
}

export async function archiveStatisticsXlsx(locale: UiLocale, s: ArchiveStatistics): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Custodian';
  const sheet = workbook.addWorksheet(t(locale, 'archive.sheet'));
  sheet.columns = [{ width: 28 }, { width: 12 }];
  sheet.addRow([titleOf(locale, s).replace(/\*/g, '')]).font = { bold: true };
  for (const section of sections(locale, s)) {
    sheet.addRow([section.title]).font = { bold: true };
    for (const l of section.lines) sheet.addRow([l.label, l.value]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
