import type { DocumentForm, RetentionClass } from '../../generated/prisma/enums.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, type SecrecyLevel } from '../access/visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { formatLocalDate, localDateFromDbDate, localDateOf } from '../time.js';
import { runUseCase } from '../use-case.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from './archive-visibility.js';

/** A line of the contents list (卷内目录, ARCH-17): number, reference, title, date, pages, remarks. */
export interface ContentsLine {
  position: number;
  /** The document's code serves as its reference (文号). */
  reference: string;
  title: string;
  /** YYYY-MM-DD. */
  formedOn: string;
  firstPage: number;
  lastPage: number;
  copies: number;
  form: DocumentForm;
  level: SecrecyLevel;
  remarks: string | null;
}

/** A volume's two sheets: the contents list in front and the remarks sheet at the back (ARCH-17, ARCH-18, ARCH-20). */
export interface VolumeSheet {
  volume: {
    code: string;
    year: number;
    customerCode: string;
    customerName: string;
    level: SecrecyLevel;
    retention: RetentionClass;
    boxPath: string;
  };
  contents: ContentsLine[];
  /** 备考表: counts, notes, the responsible person and the date, filled even when the volume is empty. */
  remarks: {
    documents: number;
    pages: number;
    originals: number;
    copies: number;
    notes: string;
    responsible: string;
    /** YYYY-MM-DD: the last change to the volume. */
    date: string;
  };
}

/** `/kh sheet <volume>`: only for someone who may read the volume; every classified one shown is recorded (SEC-16). */
export function getVolumeSheet(ctx: UseCaseContext, code: string): Promise<VolumeSheet> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, refuse, revealed }) => {
    const viewer = await loadViewer(tx, me, now);
    const volume = await tx.volume.findUnique({
      where: { code },
      include: {
        customer: { select: CUSTOMER_FOR_ARCHIVE },
        box: { select: { path: true } },
        responsible: { select: { slackUserId: true } },
        documents: { orderBy: { position: 'asc' } },
      },
    });
    const seen = volume ? itemVisibility(viewer, volume.customer, volume, now) : 'hidden';
    if (!volume || seen === 'hidden') {
      return refuse(new DomainError('volume_not_found', { code }), {
        action: 'volume.view_refused',
        subjectType: 'volume',
        subjectId: code,
        details: { via: 'sheet' },
      });
    }
    const level = effectiveSecrecy(volume, now);
    if (seen !== 'visible') {
      return refuse(new DomainError('volume_hidden', { code, level }), {
        action: 'volume.view_refused',
        subjectType: 'volume',
        subjectId: code,
        details: { via: 'sheet', level },
      });
    }
    await revealed([{ code: volume.customer.code, level }], 'sheet', { volume: volume.code });
    const docs = volume.documents;
    return {
      volume: {
        code: volume.code,
        year: volume.year,
        customerCode: volume.customer.code,
        customerName: volume.customer.name,
        level,
        retention: volume.retention,
        boxPath: volume.box.path,
      },
      contents: docs.map((d) => ({
        position: d.position,
        reference: d.code,
        title: d.title,
        formedOn: formatLocalDate(localDateFromDbDate(d.formedOn)),
        firstPage: d.firstPage,
        lastPage: d.lastPage,
        copies: d.copies,
        form: d.form,
        level: effectiveSecrecy(d, now),
        remarks: d.remarks,
      })),
      remarks: {
        documents: docs.length,
        pages: docs.reduce((sum, d) => sum + d.pages, 0),
        originals: docs.filter((d) => d.form === 'original').length,
        copies: docs.filter((d) => d.form === 'copy').length,
        notes: volume.remarks,
        responsible: volume.responsible.slackUserId,
        date: formatLocalDate(localDateOf(volume.updatedAt, timeZone)),
      },
    };
  });
}
