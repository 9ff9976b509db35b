import type { LoanState, Prisma, VolumeState } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, type SecrecyLevel, type Viewer, visibilityOf } from '../access/visibility.js';
import { type CodeKind, parseAnyCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { formatLocalDate, localDateFromDbDate } from '../time.js';
import { denied, runUseCase, type Scope } from '../use-case.js';
import { type ArchiveCustomer, CUSTOMER_FOR_ARCHIVE, itemVisibility } from './archive-visibility.js';

/** Where a volume is: its box and state for someone who may read it; its code and level otherwise. */
export interface VolumePlace {
  code: string;
  year: number;
  level: SecrecyLevel;
  topSecret: boolean;
  /** Only the code, level and year may be shown (the person may ask for a loan). */
  masked: boolean;
  state: VolumeState | null;
  boxPath: string | null;
  documents: number | null;
  loan: { code: string; borrower: string; dueOn: string | null } | null;
}

export type Located =
  | { kind: 'customer'; customer: { code: string; name: string | null; level: SecrecyLevel }; volumes: VolumePlace[] }
  | { kind: 'volume'; customerCode: string; volume: VolumePlace }
  | {
      kind: 'document';
      document: {
        code: string;
        title: string;
        level: SecrecyLevel;
        position: number;
        firstPage: number;
        lastPage: number;
      };
      volume: VolumePlace;
    };

export const WHERE_KINDS = ['customer', 'volume', 'document'] as const satisfies readonly CodeKind[];

const VOLUME_INCLUDE = {
  customer: { select: CUSTOMER_FOR_ARCHIVE },
  box: { select: { path: true } },
  _count: { select: { documents: true } },
  loans: {
    where: { state: { in: ['approved', 'open'] as LoanState[] } },
    select: { code: true, dueOn: true, borrower: { select: { slackUserId: true } } },
    take: 1,
  },
} satisfies Prisma.VolumeInclude;

/**
 * `/kh where <customer|volume|document code>` (INFO-6: the storage-location index, searchable)
 * answered from the index within the asker's visibility: a code they may not know of is
 * answered exactly like an unknown one (and audited alike); one they may know of but not
 * read shows its code and level only (INFO-22).
 */
export function locate(ctx: UseCaseContext, text: string): Promise<Located> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, me, refuse } = scope;
    const parsed = parseAnyCode(WHERE_KINDS, text);
    const code = parsed?.code ?? text.trim().slice(0, 20);
    if (!can(me.roles, 'searchCustomers'))
      return refuse(new DomainError('not_allowed', { action: 'where' }), denied('archive', code, 'archive.where'));
    const viewer = await loadViewer(tx, me, now);
    const notFound = (kind: 'customer' | 'volume' | 'document') =>
      refuse(
        kind === 'customer'
          ? new DomainError('customer_not_found', { code })
          : new DomainError(kind === 'volume' ? 'volume_not_found' : 'document_not_found', { code }),
        { action: `${kind}.view_refused`, subjectType: kind, subjectId: code, details: { via: 'where' } },
      );
    if (!parsed) return notFound('volume');

    if (parsed.kind === 'customer') {
      const customer = await tx.customer.findUnique({ where: { code }, select: CUSTOMER_FOR_ARCHIVE });
      const seen = customer ? visibilityOf(viewer, customer, now) : 'hidden';
      if (!customer || seen === 'hidden') return notFound('customer');
      const volumes = await tx.volume.findMany({
        where: { customerId: customer.id },
        include: VOLUME_INCLUDE,
        orderBy: [{ year: 'desc' }, { topSecret: 'asc' }],
      });
      const places = volumes
        .map((volume) => placeOf(viewer, volume, now))
        .filter((place): place is VolumePlace => place !== null);
      const level = effectiveSecrecy(customer, now);
      if (seen === 'visible') await scope.revealed([{ code: customer.code, level }], 'where');
      return {
        kind: 'customer',
        customer: { code: customer.code, name: seen === 'visible' ? customer.name : null, level },
        volumes: places,
      };
    }

    if (parsed.kind === 'volume') {
      const volume = await tx.volume.findUnique({ where: { code }, include: VOLUME_INCLUDE });
      const place = volume ? placeOf(viewer, volume, now) : null;
      if (!volume || !place) return notFound('volume');
      await revealedVolume(scope, volume.customer, place);
      return { kind: 'volume', customerCode: volume.customer.code, volume: place };
    }

    const document = await tx.document.findUnique({
      where: { code },
      include: { volume: { include: VOLUME_INCLUDE } },
    });
    const seen = document ? itemVisibility(viewer, document.volume.customer, document, now) : 'hidden';
    const place = document ? placeOf(viewer, document.volume, now) : null;
    if (!document || !place || seen === 'hidden') return notFound('document');
    const level = effectiveSecrecy(document, now);
    if (seen !== 'visible') {
      return refuse(new DomainError('document_not_found', { code }), {
        action: 'document.view_refused',
        subjectType: 'document',
        subjectId: code,
        details: { via: 'where', level },
      });
    }
    await revealedVolume(scope, document.volume.customer, place);
    return {
      kind: 'document',
      document: {
        code: document.code,
        title: document.title,
        level,
        position: document.position,
        firstPage: document.firstPage,
        lastPage: document.lastPage,
      },
      volume: place,
    };
  });
}

type VolumeRow = {
  code: string;
  year: number;
  topSecret: boolean;
  state: VolumeState;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
  customer: ArchiveCustomer;
  box: { path: string };
  _count: { documents: number };
  loans: { code: string; dueOn: Date | null; borrower: { slackUserId: string } }[];
};

function placeOf(viewer: Viewer, volume: VolumeRow, now: Date): VolumePlace | null {
  const seen = itemVisibility(viewer, volume.customer, volume, now);
  if (seen === 'hidden') return null;
  const level = effectiveSecrecy(volume, now);
  const masked = seen !== 'visible';
  const loan = volume.loans[0];
  return {
    code: volume.code,
    year: volume.year,
    level,
    topSecret: volume.topSecret,
    masked,
    state: masked ? null : volume.state,
    boxPath: masked ? null : volume.box.path,
    documents: masked ? null : volume._count.documents,
    loan:
      masked || !loan
        ? null
        : {
            code: loan.code,
            borrower: loan.borrower.slackUserId,
            dueOn: loan.dueOn ? formatLocalDate(localDateFromDbDate(loan.dueOn)) : null,
          },
  };
}

/** SEC-16: reading where a classified volume is kept is a view of its customer's archive. */
async function revealedVolume(scope: Scope, customer: ArchiveCustomer, place: VolumePlace): Promise<void> {
  if (!place.masked)
    await scope.revealed([{ code: customer.code, level: place.level }], 'where', { volume: place.code });
}
