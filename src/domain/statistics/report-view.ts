/**
 * A statistics report as people read it: its figures as compiled, its text, who signed it
 * (INFO-13), its correction slips with the original figure beside the corrected one (STAT-11,
 * INFO-11), whether it was late (STAT-18) and whether its content still matches the hash taken
 * at release (STAT-19: tampering is evident). Plain data; blocks render it.
 */
import { createHash } from 'node:crypto';
import type { ReportPeriod, ReportState, RequestState } from '../../generated/prisma/client.js';
import { canonicalJson } from '../audit/hash.js';
import type { Tx } from '../context.js';
import type { Role } from '../people/roles.js';
import { formatLocalDate, localDateFromDbDate } from '../time.js';
import { type ReportFigures, readFigures } from './report-figures.js';
import type { ReportExplanation } from './report-input.js';

export interface ReportCorrectionView {
  /** The request (SQ-…) that carries the slip to the general manager. */
  requestCode: string;
  item: string;
  originalFen: bigint;
  correctedFen: bigint;
  reason: string;
  createdBy: string;
  createdAt: Date;
  state: RequestState;
  appliedAt: Date | null;
}

export interface ReportView {
  id: number;
  code: string;
  period: ReportPeriod;
  periodKey: string;
  state: ReportState;
  figures: ReportFigures;
  explanation: ReportExplanation;
  compiledBy: string;
  compiledAt: Date;
  /** YYYY-MM-DD, company calendar. */
  dueOn: string;
  releasedAt: Date | null;
  late: boolean;
  /**
   * Released: whether the stored report (figures, text, due day, release time, lateness) still
   * hashes to what the `report.released` audit event recorded, and each applied slip still reads
   * as its `report.corrected` event did. The audit trail is append-only and keyed (SEC-16), so a
   * row changed behind the bot — even with its hash column rewritten — shows (STAT-19).
   */
  intact: boolean | null;
  /** INFO-13: who signed (approved) the release, in chain order. */
  signatures: { roles: Role[]; by: string; at: Date }[];
  corrections: ReportCorrectionView[];
}

/** The slip that decides a figure now: of those approved for it, the last approved (not the last filed). */
export function appliedCorrection(
  corrections: readonly ReportCorrectionView[],
  item: string,
): ReportCorrectionView | undefined {
  let latest: ReportCorrectionView | undefined;
  for (const c of corrections) {
    if (c.item !== item || c.appliedAt === null) continue;
    if (!latest?.appliedAt || c.appliedAt.getTime() >= latest.appliedAt.getTime()) latest = c;
  }
  return latest;
}

/** STAT-19: the hash of what a released report says, taken at release and checked whenever it is shown. */
export function reportContentHash(report: {
  code: string;
  period: ReportPeriod;
  periodKey: string;
  figures: unknown;
  explanation: unknown;
  dueOn: Date;
  releasedAt: Date | null;
  late: boolean;
}): string {
  const content = canonicalJson({
    code: report.code,
    period: report.period,
    periodKey: report.periodKey,
    figures: report.figures,
    explanation: report.explanation,
    dueOn: report.dueOn.toISOString().slice(0, 10),
    releasedAt: report.releasedAt?.toISOString() ?? null,
    late: report.late,
  });
  return createHash('sha256').update(content).digest('hex');
}

/** A destroyed report's figures: none (STAT-9). */
const NO_FIGURES: ReportFigures = {
  months: [],
  previousMonths: [],
  total: {
    key: 'total',
    group: 'total',
    label: null,
    customers: 0,
    contributors: 0,
    actualFen: 0n,
    previousFen: 0n,
    targetFen: null,
  },
  departments: [],
  regions: [],
  grades: [],
};

export async function loadReportView(tx: Tx, where: { code: string } | { id: number }): Promise<ReportView | null> {
  const row = await tx.report.findUnique({
    where,
    include: {
      corrections: { orderBy: { id: 'asc' }, include: { request: { select: { code: true, state: true } } } },
      requests: {
        where: { kind: 'report_release', state: 'approved' },
        orderBy: { id: 'desc' },
        take: 1,
        include: { steps: { where: { state: 'approved' }, orderBy: { position: 'asc' } } },
      },
    },
  });
  if (!row) return null;
  const release = row.requests[0];
  const intact = row.state === 'released' ? await matchesAuditTrail(tx, row) : null;
  return {
    id: row.id,
    code: row.code,
    period: row.period,
    periodKey: row.periodKey,
    state: row.state,
    figures: row.state === 'destroyed' ? NO_FIGURES : readFigures(row.figures),
    explanation: row.state === 'destroyed' ? {} : (row.explanation as ReportExplanation),
    compiledBy: row.compiledBy,
    compiledAt: row.compiledAt,
    dueOn: formatLocalDate(localDateFromDbDate(row.dueOn)),
    releasedAt: row.releasedAt,
    late: row.late,
    intact,
    signatures: (release?.steps ?? []).flatMap((step) =>
      step.decidedBy && step.decidedAt ? [{ roles: step.roles, by: step.decidedBy, at: step.decidedAt }] : [],
    ),
    corrections: row.corrections.map((c) => ({
      requestCode: c.request.code,
      item: c.item,
      originalFen: BigInt(c.original.mul(100).toFixed(0)),
      correctedFen: BigInt(c.corrected.mul(100).toFixed(0)),
      reason: c.reason,
      createdBy: c.createdBy,
      createdAt: c.createdAt,
      state: c.request.state,
      appliedAt: c.appliedAt,
    })),
  };
}

/** STAT-19: the released report and its applied slips against what the audit trail recorded. */
async function matchesAuditTrail(
  tx: Tx,
  row: Parameters<typeof reportContentHash>[0] & {
    corrections: {
      appliedAt: Date | null;
      item: string;
      original: { toFixed(d: number): string };
      corrected: { toFixed(d: number): string };
      request: { code: string };
    }[];
  },
): Promise<boolean> {
  const events = await tx.auditEvent.findMany({
    where: { subjectType: 'report', subjectId: row.code, action: { in: ['report.released', 'report.corrected'] } },
    select: { action: true, details: true },
    orderBy: { id: 'asc' },
  });
  const released = events.filter((e) => e.action === 'report.released').at(-1)?.details as
    | { contentHash?: string }
    | undefined;
  if (released?.contentHash !== reportContentHash(row)) return false;
  return row.corrections
    .filter((c) => c.appliedAt !== null)
    .every((c) =>
      events.some((e) => {
        const d = e.details as { request?: string; item?: string; original?: string; corrected?: string };
        return (
          e.action === 'report.corrected' &&
          d.request === c.request.code &&
          d.item === c.item &&
          d.original === c.original.toFixed(2) &&
          d.corrected === c.corrected.toFixed(2)
        );
      }),
    );
}
