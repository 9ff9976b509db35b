/**
 * INFO-19, ARCH-28: loans of the physical archive are due back on their last day. The daily
 * sweep tells the borrower the day before (`due_tomorrow`), the borrower and every archivist
 * on the first day overdue (`overdue`), and from the second day the borrower's department
 * heads too (`escalated`). Each alert is claimed once per loan and stage in `LoanAlert`
 * (its primary key), so restarts, reruns and replicas never send one twice.
 *
 * Returns plain data: whom to tell and about which loan (codes, levels, dates, Slack ids),
 * never a customer's name; the job words and sends it.
 */
import type { LoanAlertStage, Locale } from '../../generated/prisma/client.js';
import { CHANNEL_AUDIENCE, effectiveSecrecy, levelsHiddenFrom, type SecrecyLevel } from '../access/visibility.js';
import type { Db } from '../context.js';
import { addDays, dbDateFromLocalDate, formatLocalDate, localDateOf } from '../time.js';

export type { LoanAlertStage };

/** As what a recipient is told: the job picks the message by it. */
export type LoanAlertRole = 'borrower' | 'archivist' | 'dept_head';

export interface LoanAlertRecipient {
  slackUserId: string;
  as: LoanAlertRole;
  /** Their chosen language, if any. */
  locale: Locale | null;
}

export interface ClaimedLoanAlert {
  stage: LoanAlertStage;
  loanCode: string;
  volumeCode: string;
  /** The volume's level in force now (an ended secrecy period counts as declassified). */
  level: SecrecyLevel;
  /** The last day the volume may be out, YYYY-MM-DD (company calendar). */
  dueOn: string;
  /** Days past the due date today: -1 the day before, 0 on the day, 1 the first day overdue. */
  daysOverdue: number;
  borrower: string;
  /** Whom this alert tells, each person once per loan and sweep. */
  recipients: LoanAlertRecipient[];
}

/** A line of the alerts channel's listing: codes and levels only. */
export interface OverdueListing {
  loanCode: string;
  volumeCode: string;
  level: SecrecyLevel;
  borrower: string;
  dueOn: string;
  daysOverdue: number;
}

export interface OverdueSweep {
  /** The company-calendar day of the sweep, YYYY-MM-DD. */
  today: string;
  /** Alerts claimed by this sweep, by due date then loan code (overdue before escalated). */
  alerts: ClaimedLoanAlert[];
  /** Open loans overdue now, whether alerted in this sweep or before. */
  overdueTotal: number;
  /**
   * Loans that became overdue or escalated in this sweep, one line each, for the alerts
   * channel: anyone reads a channel, so a level hidden from anyone holding a role (绝密) is
   * left out here (its borrower, archivists and head are still told directly).
   */
  channel: OverdueListing[];
  /** Newly overdue or escalated loans left out of `channel` for their level. */
  withheldFromChannel: number;
}

interface ClaimedRow {
  stage: LoanAlertStage;
  loanCode: string;
  volumeCode: string;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
  dueOn: string;
  daysOverdue: number;
  borrower: string;
  borrowerLocale: Locale | null;
  departmentId: number | null;
}

/** Serialises sweeps across replicas (the audit chain's lock is 72_707_370). */
const SWEEP_LOCK_KEY = 72_707_371;

const STAGE_ORDER: Record<LoanAlertStage, number> = { due_tomorrow: 0, overdue: 1, escalated: 2 };

/**
 * Claims, in one transaction, every alert due at `now` for open loans (the volume signed
 * for and not yet returned): one set-based INSERT … ON CONFLICT DO NOTHING RETURNING, joined
 * to the loan, its volume and its borrower in the same statement, then one query for the
 * archivists and the borrowers' department heads. A missed firing catches up: a loan first
 * seen two days overdue claims `overdue` and `escalated` at once (its borrower told once).
 *
 * `dryRun` computes the same answer and rolls the claims back (a run with nobody to send
 * the messages must not use them up).
 */
export async function sweepOverdueLoans(
  db: Db,
  now: Date,
  timeZone: string,
  options: { dryRun?: boolean } = {},
): Promise<OverdueSweep> {
  const todayDate = localDateOf(now, timeZone);
  const today = formatLocalDate(todayDate);
  const tomorrow = formatLocalDate(addDays(todayDate, 1));
  const yesterday = formatLocalDate(addDays(todayDate, -1));
  let sweep: OverdueSweep | undefined;
  try {
    await db.$transaction(
      async (tx) => {
        // Sweeps take turns (a replica, the CLI): the second finds everything claimed, and two
        // inserts of the same keys in different orders can never deadlock.
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SWEEP_LOCK_KEY})`);
        const rows = await tx.$queryRaw<ClaimedRow[]>`
          WITH due AS (
            SELECT id, 'due_tomorrow'::"LoanAlertStage" AS stage FROM "Loan"
             WHERE state = 'open' AND "dueOn" BETWEEN ${today}::date AND ${tomorrow}::date
            UNION ALL
            SELECT id, 'overdue'::"LoanAlertStage" FROM "Loan"
             WHERE state = 'open' AND "dueOn" < ${today}::date
            UNION ALL
            SELECT id, 'escalated'::"LoanAlertStage" FROM "Loan"
             WHERE state = 'open' AND "dueOn" < ${yesterday}::date
          ), claimed AS (
            INSERT INTO "LoanAlert" ("loanId", stage, "sentAt")
            SELECT id, stage, ${now}::timestamptz FROM due
            ON CONFLICT DO NOTHING
            RETURNING "loanId", stage
          )
          SELECT c.stage::text AS stage, l.code AS "loanCode", v.code AS "volumeCode",
                 v."secrecyLevel"::text AS "secrecyLevel", v."secrecyUntil",
                 to_char(l."dueOn", 'YYYY-MM-DD') AS "dueOn", (${today}::date - l."dueOn") AS "daysOverdue",
                 p."slackUserId" AS borrower, p.locale::text AS "borrowerLocale", p."departmentId"
            FROM claimed c
            JOIN "Loan" l ON l.id = c."loanId"
            JOIN "Volume" v ON v.id = l."volumeId"
            JOIN "Person" p ON p.id = l."borrowerId"`;
        rows.sort(
          (a, b) =>
            a.dueOn.localeCompare(b.dueOn) ||
            a.loanCode.localeCompare(b.loanCode) ||
            STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage],
        );
        const overdueTotal = await tx.loan.count({
          where: { state: 'open', dueOn: { lt: dbDateFromLocalDate(todayDate) } },
        });
        const departments = [
          ...new Set(rows.flatMap((r) => (r.stage === 'escalated' && r.departmentId !== null ? [r.departmentId] : []))),
        ];
        const staff = rows.some((r) => r.stage !== 'due_tomorrow')
          ? await tx.person.findMany({
              where: {
                OR: [
                  { roles: { has: 'archivist' } },
                  ...(departments.length > 0
                    ? [{ roles: { has: 'dept_head' as const }, departmentId: { in: departments } }]
                    : []),
                ],
              },
              select: { slackUserId: true, locale: true, roles: true, departmentId: true },
              orderBy: { slackUserId: 'asc' },
            })
          : [];
        sweep = assemble(rows, staff, { today, overdueTotal, now });
        if (options.dryRun) throw new DryRunRollback();
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  if (!sweep) throw new Error('the overdue sweep produced no result');
  return sweep;
}

class DryRunRollback extends Error {}

interface Staff {
  slackUserId: string;
  locale: Locale | null;
  roles: string[];
  departmentId: number | null;
}

function assemble(
  rows: readonly ClaimedRow[],
  staff: readonly Staff[],
  { today, overdueTotal, now }: { today: string; overdueTotal: number; now: Date },
): OverdueSweep {
  const archivists = staff.filter((p) => p.roles.includes('archivist'));
  const headsOf = new Map<number, Staff[]>();
  for (const person of staff) {
    if (!person.roles.includes('dept_head') || person.departmentId === null) continue;
    headsOf.set(person.departmentId, [...(headsOf.get(person.departmentId) ?? []), person]);
  }
  const hidden = new Set(levelsHiddenFrom(CHANNEL_AUDIENCE, now));
  const alerts: ClaimedLoanAlert[] = [];
  const channel: OverdueListing[] = [];
  let withheldFromChannel = 0;
  // Everyone told about a loan in this sweep: a loan claiming two stages at once tells each person once.
  const told = new Map<string, Set<string>>();
  const listed = new Set<string>();
  for (const row of rows) {
    const level = effectiveSecrecy(row, now);
    const seen = told.get(row.loanCode) ?? new Set<string>();
    told.set(row.loanCode, seen);
    const recipients: LoanAlertRecipient[] = [];
    const tell = (slackUserId: string, as: LoanAlertRole, locale: Locale | null) => {
      if (seen.has(slackUserId)) return;
      seen.add(slackUserId);
      recipients.push({ slackUserId, as, locale });
    };
    tell(row.borrower, 'borrower', row.borrowerLocale);
    if (row.stage === 'overdue') for (const a of archivists) tell(a.slackUserId, 'archivist', a.locale);
    if (row.stage === 'escalated' && row.departmentId !== null) {
      for (const head of headsOf.get(row.departmentId) ?? []) tell(head.slackUserId, 'dept_head', head.locale);
    }
    alerts.push({
      stage: row.stage,
      loanCode: row.loanCode,
      volumeCode: row.volumeCode,
      level,
      dueOn: row.dueOn,
      daysOverdue: Number(row.daysOverdue),
      borrower: row.borrower,
      recipients,
    });
    if (row.stage !== 'due_tomorrow' && !listed.has(row.loanCode)) {
      listed.add(row.loanCode);
      if (hidden.has(level)) withheldFromChannel++;
      else {
        channel.push({
          loanCode: row.loanCode,
          volumeCode: row.volumeCode,
          level,
          borrower: row.borrower,
          dueOn: row.dueOn,
          daysOverdue: Number(row.daysOverdue),
        });
      }
    }
  }
  return { today, alerts, overdueTotal, channel, withheldFromChannel };
}
