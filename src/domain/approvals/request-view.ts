import type { ReportPeriod, RequestKind, RequestState, StepMode, StepState } from '../../generated/prisma/client.js';
import { effectiveSecrecy, type SecrecyLevel } from '../access/visibility.js';
import type { Tx } from '../context.js';
import type { Destination } from '../destination.js';
import { loanLevel } from '../loans/loan-level.js';
import type { Role } from '../people/roles.js';
import { type FigureGroup, figureGroupOf } from '../statistics/report-figures.js';

/** A request as its messages show it: no customer name, only code and level. */
export interface RequestSummary {
  id: number;
  code: string;
  kind: RequestKind;
  state: RequestState;
  customerCode: string;
  /** False: the code matches no customer (only the general manager screening it is shown this). */
  customerKnown: boolean;
  level: SecrecyLevel;
  requesterSlackUserId: string;
  purpose: string;
  reason: string;
  requesterProfile: string;
  externalReference: string | null;
  recipient: string | null;
  grantDays: number;
  createdAt: Date;
  /** A custodian request: the person to be named. */
  custodian: string | null;
  /** A loan request (INFO-19): the volume, what and how many, the days from receipt; the loan once approved. */
  loan: { volumeCode: string; material: string; copies: number; days: number; loanCode: string | null } | null;
  /**
   * A report request: the report (release, correction) or the series asked for (access), and for
   * a correction the figure and the amounts (the slip the general manager approves).
   */
  report: {
    code: string | null;
    period: ReportPeriod;
    periodKey: string | null;
    /** The figure by its key, its group and its name when filed (null: the total, or "none"). */
    correction: { item: string; group: FigureGroup; label: string | null; original: string; corrected: string } | null;
  } | null;
  /** A destruction batch (ARCH-29): its department and volumes, by code and level (never a customer's name). */
  destruction: {
    code: string;
    department: string;
    volumes: { volumeCode: string; customerCode: string; level: SecrecyLevel; year: number; retention: string }[];
  } | null;
  /**
   * Filed for a code the requester could not see (screened by the GM or custodians): the
   * requester hears only the outcome, never how far it got (that would say the code is real).
   */
  screened: boolean;
  /** Where the requester is told of decisions (domain data: the handler only sends there). */
  requesterThread: Destination;
  steps: {
    id: number;
    position: number;
    roles: Role[];
    mode: StepMode;
    /** In an 'all' step: who approved for which role so far. */
    approvals: { role: Role; decidedBy: string; decidedAt: Date }[];
    state: StepState;
    decidedBy: string | null;
    decidedAt: Date | null;
    comment: string | null;
  }[];
}

/**
 * The requester hears of their request in the thread under the message that confirmed it;
 * before that message exists (or if it could not be posted), in their DM.
 */
export function requesterThread(request: {
  requesterSlackUserId: string;
  threadChannel: string | null;
  threadTs: string | null;
}): Destination {
  return request.threadChannel && request.threadTs
    ? { channel: request.threadChannel, threadTs: request.threadTs }
    : { channel: request.requesterSlackUserId };
}

export const REQUEST_INCLUDE = {
  customer: { select: { code: true, secrecyLevel: true, secrecyUntil: true } },
  requester: { select: { slackUserId: true } },
  target: { select: { slackUserId: true } },
  volume: { select: { code: true, secrecyLevel: true, secrecyUntil: true } },
  loan: { select: { code: true } },
  report: { select: { code: true, period: true, periodKey: true } },
  correction: { select: { item: true, label: true, original: true, corrected: true } },
  destruction: {
    select: {
      code: true,
      department: { select: { name: true } },
      items: {
        select: { volumeCode: true, customerCode: true, secrecyLevel: true, year: true, retention: true },
        orderBy: { id: 'asc' as const },
      },
    },
  },
  steps: { orderBy: { position: 'asc' as const }, include: { approvals: { orderBy: { id: 'asc' as const } } } },
} as const;

type Loaded = NonNullable<Awaited<ReturnType<typeof loadRequestRow>>>;

export function loadRequestRow(tx: Tx, where: { id: number } | { code: string }) {
  return tx.request.findUnique({ where, include: REQUEST_INCLUDE });
}

/** The request as its messages show it, with the customer's level in force `now` (SEC-7). */
export function toSummary(row: Loaded, now: Date): RequestSummary {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    state: row.state,
    customerCode: row.customerCode,
    customerKnown: row.customer !== null,
    // A loan is of a volume: its level is the volume's (a top-secret volume of a 秘密 customer is 绝密).
    level:
      row.volume && row.customer
        ? loanLevel(row.volume, row.customer, now)
        : row.customer
          ? effectiveSecrecy(row.customer, now)
          : row.level,
    requesterSlackUserId: row.requester.slackUserId,
    purpose: row.purpose,
    reason: row.reason,
    requesterProfile: row.requesterProfile,
    externalReference: row.externalReference,
    recipient: row.recipient,
    grantDays: row.grantDays,
    createdAt: row.createdAt,
    custodian: row.target?.slackUserId ?? null,
    loan: row.volume
      ? {
          volumeCode: row.volume.code,
          material: row.loanMaterial ?? '',
          copies: row.loanCopies ?? 1,
          days: row.loanDays ?? 0,
          loanCode: row.loan?.code ?? null,
        }
      : null,
    report: row.report
      ? {
          code: row.report.code,
          period: row.report.period,
          periodKey: row.report.periodKey,
          correction: row.correction
            ? {
                item: row.correction.item,
                group: figureGroupOf(row.correction.item),
                label: row.correction.label,
                original: row.correction.original.toFixed(2),
                corrected: row.correction.corrected.toFixed(2),
              }
            : null,
        }
      : row.reportPeriod
        ? { code: null, period: row.reportPeriod, periodKey: null, correction: null }
        : null,
    destruction: row.destruction
      ? {
          code: row.destruction.code,
          department: row.destruction.department.name,
          volumes: row.destruction.items.map((i) => ({
            volumeCode: i.volumeCode,
            customerCode: i.customerCode,
            level: i.secrecyLevel,
            year: i.year,
            retention: i.retention,
          })),
        }
      : null,
    screened: row.steps[0]?.custodians ?? false,
    requesterThread: requesterThread({ ...row, requesterSlackUserId: row.requester.slackUserId }),
    steps: row.steps.map((s) => ({
      id: s.id,
      position: s.position,
      roles: s.roles,
      mode: s.mode,
      approvals: s.approvals.map((a) => ({ role: a.role, decidedBy: a.decidedBy, decidedAt: a.decidedAt })),
      state: s.state,
      decidedBy: s.decidedBy,
      decidedAt: s.decidedAt,
      comment: s.comment,
    })),
  };
}
