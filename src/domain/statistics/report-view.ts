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
  /** Released: whether the stored content still hashes to what was released. */
  intact: boolean | null;
  /** INFO-13: who signed (approved) the release, in chain order. */
  signatures: { roles: Role[]; by: string; at: Date }[];
  corrections: ReportCorrectionView[];
}

/** STAT-19: the hash of what a report says, taken at release and checked whenever it is shown. */
export function reportContentHash(report: {
  code: string;
  period: ReportPeriod;
  periodKey: string;
  figures: unknown;
  explanation: unknown;
}): string {
  const content = canonicalJson({
    code: report.code,
    period: report.period,
    periodKey: report.periodKey,
    figures: report.figures,
    explanation: report.explanation,
  });
  return createHash('sha256').update(content).digest('hex');
}

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
  return {
    id: row.id,
    code: row.code,
    period: row.period,
    periodKey: row.periodKey,
    state: row.state,
    figures: readFigures(row.figures),
    explanation: row.explanation as ReportExplanation,
    compiledBy: row.compiledBy,
    compiledAt: row.compiledAt,
    dueOn: formatLocalDate(localDateFromDbDate(row.dueOn)),
    releasedAt: row.releasedAt,
    late: row.late,
    intact: row.contentHash === null ? null : row.contentHash === reportContentHash(row),
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
