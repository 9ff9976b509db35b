import type { LoanState, Prisma } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy, levelsHiddenFrom, type SecrecyLevel, type Viewer } from '../access/visibility.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import type { PersonProfile } from '../people/person.js';
import { daysBetween, dbDateFromLocalDate, formatLocalDate, localDateFromDbDate, localDateOf } from '../time.js';
import { runUseCase } from '../use-case.js';

export const LOAN_FILTERS = ['open', 'overdue', 'returned', 'all'] as const;
export type LoanFilter = (typeof LOAN_FILTERS)[number];
export const LOANS_PAGE = 20;

/** A line of the loan register: codes and levels, never a customer's name. */
export interface LoanLine {
  code: string;
  volumeCode: string;
  level: SecrecyLevel;
  borrower: string;
  state: LoanState;
  outAt: Date | null;
  /** YYYY-MM-DD, once signed for. */
  dueOn: string | null;
  returnedAt: Date | null;
  /** Days past the due date of a loan still out; 0 when not overdue. */
  daysOverdue: number;
}

export interface LoanRegister {
  /** The whole register (archivist and above) or the person's own loans. */
  scope: 'all' | 'own';
  filter: LoanFilter;
  lines: LoanLine[];
  total: number;
  page: number;
  pages: number;
}

const LINE_SELECT = {
  code: true,
  state: true,
  outAt: true,
  dueOn: true,
  returnedAt: true,
  volume: { select: { code: true, secrecyLevel: true, secrecyUntil: true } },
  borrower: { select: { slackUserId: true } },
} as const;

type Row = Prisma.LoanGetPayload<{ select: typeof LINE_SELECT }>;

function toLine(row: Row, now: Date, timeZone: string): LoanLine {
  const today = localDateOf(now, timeZone);
  const due = row.dueOn ? localDateFromDbDate(row.dueOn) : null;
  return {
    code: row.code,
    volumeCode: row.volume.code,
    level: effectiveSecrecy(row.volume, now),
    borrower: row.borrower.slackUserId,
    state: row.state,
    outAt: row.outAt,
    dueOn: due ? formatLocalDate(due) : null,
    returnedAt: row.returnedAt,
    daysOverdue: due && row.state === 'open' ? Math.max(0, daysBetween(due, today)) : 0,
  };
}

/**
 * SEC-3, INFO-22: loans of volumes the reader may not know of are left out of every list and
 * count: a volume (or its customer) at a level hidden from them, unless they are its custodian.
 */
function knowable(viewer: Viewer, now: Date): Prisma.LoanWhereInput {
  const hidden = levelsHiddenFrom(viewer, now);
  if (hidden.length === 0) return {};
  const secretNow = (extra: object) => ({
    secrecyLevel: { in: hidden },
    OR: [{ secrecyUntil: null }, { secrecyUntil: { gt: now } }],
    ...extra,
  });
  const notCustodian = { customerId: { notIn: [...viewer.custodianOf] } };
  return {
    volume: {
      NOT: {
        OR: [secretNow(notCustodian), { customer: secretNow({ id: { notIn: [...viewer.custodianOf] } }) }],
      },
    },
  };
}

function whereFor(filter: LoanFilter, todayDb: Date): Prisma.LoanWhereInput {
  switch (filter) {
    case 'open':
      return { state: { in: ['approved', 'open'] } };
    case 'overdue':
      return { state: 'open', dueOn: { lt: todayDb } };
    case 'returned':
      return { state: 'returned' };
    default:
      return {};
  }
}

/**
 * `/kh loans` (INFO-19, INFO-20, ARCH-28): the loan register, a page at a time. The archivist
 * and above read all of it; anyone else their own loans. Open loans come by due date, returned
 * ones newest first.
 */
export function listLoans(ctx: UseCaseContext, input: { filter: LoanFilter; page: number }): Promise<LoanRegister> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me }) => {
    const scope = can(me.roles, 'readLoanRegister') ? 'all' : 'own';
    const todayDb = dbDateFromLocalDate(localDateOf(now, timeZone));
    const viewer = await loadViewer(tx, me, now);
    const where: Prisma.LoanWhereInput = {
      AND: [whereFor(input.filter, todayDb), knowable(viewer, now), scope === 'own' ? { borrowerId: me.id } : {}],
    };
    const total = await tx.loan.count({ where });
    const pages = Math.max(1, Math.ceil(total / LOANS_PAGE));
    const page = Math.min(Math.max(1, input.page), pages);
    const rows = await tx.loan.findMany({
      where,
      select: LINE_SELECT,
      orderBy:
        input.filter === 'returned'
          ? [{ returnedAt: 'desc' }, { id: 'desc' }]
          : [{ state: 'asc' }, { dueOn: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      skip: (page - 1) * LOANS_PAGE,
      take: LOANS_PAGE,
    });
    return { scope, filter: input.filter, lines: rows.map((r) => toLine(r, now, timeZone)), total, page, pages };
  });
}

export interface HomeLoans {
  /** The person's own loans not yet returned. */
  mine: LoanLine[];
  /** For the archivist and above: loans out and overdue (at most a page), and how many in all. */
  register: { open: number; overdue: LoanLine[]; overdueTotal: number } | null;
}

/** App Home: the borrower's loans and due dates; for the archivist, open and overdue loans. */
export async function homeLoans(
  db: Db | Tx,
  person: Pick<PersonProfile, 'id' | 'roles'>,
  now: Date,
  timeZone: string,
): Promise<HomeLoans> {
  const todayDb = dbDateFromLocalDate(localDateOf(now, timeZone));
  const mine = await db.loan.findMany({
    where: { borrowerId: person.id, state: { in: ['approved', 'open'] } },
    select: LINE_SELECT,
    orderBy: [{ dueOn: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: LOANS_PAGE,
  });
  let register: HomeLoans['register'] = null;
  if (can(person.roles, 'readLoanRegister')) {
    const visible = knowable(await loadViewer(db, person, now), now);
    const overdueWhere: Prisma.LoanWhereInput = { AND: [{ state: 'open', dueOn: { lt: todayDb } }, visible] };
    const open = await db.loan.count({ where: { AND: [{ state: { in: ['approved', 'open'] } }, visible] } });
    const overdueTotal = await db.loan.count({ where: overdueWhere });
    const overdue = await db.loan.findMany({
      where: overdueWhere,
      select: LINE_SELECT,
      orderBy: [{ dueOn: 'asc' }, { id: 'asc' }],
      take: 10,
    });
    register = { open, overdue: overdue.map((r) => toLine(r, now, timeZone)), overdueTotal };
  }
  return { mine: mine.map((r) => toLine(r, now, timeZone)), register };
}
