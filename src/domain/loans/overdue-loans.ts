/**
 * INFO-19, ARCH-28: loans of the physical archive are due back on their last day. The daily
 * sweep tells the borrower the day before (`due_tomorrow`), the borrower and every archivist
 * on the first day overdue (`overdue`), and from the second day the borrower's department
 * heads too (`escalated`). A volume archivists may not know of (绝密) goes to its customer's
 * custodians instead, and its escalation to those who see every level (INFO-22, SEC-3).
 * Each loan's latest stage told is kept in `LoanAlert` (one row per loan; stages only move
 * on), so restarts, reruns and replicas never send one twice.
 *
 * Returns plain data: whom to tell and about which loan (codes, levels, dates, Slack ids),
 * never a customer's name; the job words and sends it.
 */
import type { LoanAlertStage, Locale } from '../../generated/prisma/client.js';
import {
  CHANNEL_AUDIENCE,
  effectiveSecrecy,
  levelsHiddenFrom,
  type SecrecyLevel,
  VISIBILITY_POLICY,
  type Viewer,
} from '../access/visibility.js';
import type { Db } from '../context.js';
import { addDays, dbDateFromLocalDate, formatLocalDate, localDateOf } from '../time.js';

export type { LoanAlertStage };

/** As what a recipient is told: the job picks the message by it. */
export type LoanAlertRole = 'borrower' | 'archivist' | 'dept_head';

export interface LoanAlertRecipient {
  readonly slackUserId: string;
  readonly as: LoanAlertRole;
  /** Their chosen language, if any. */
  readonly locale: Locale | null;
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
  recipients: readonly LoanAlertRecipient[];
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
   * left out here (its borrower is told directly, and instead of the archivists and the head,
   * who may not know of it either, its customer's custodians and those who see every level).
   */
  channel: OverdueListing[];
  /** Newly overdue or escalated loans left out of `channel` for their level. */
  withheldFromChannel: number;
}

/**
 * A loan with the stages this sweep claimed for it, as the statement returns it: one JSON
 * array per loan, its fields in this order (an array, not an object: half the bytes).
 */
type ClaimedLoan = [
  stages: LoanAlertStage[],
  loanCode: string,
  volumeCode: string,
  secrecyLevel: SecrecyLevel,
  /** ISO 8601. */
  secrecyUntil: string | null,
  /** YYYY-MM-DD. */
  dueOn: string,
  daysOverdue: number,
  borrower: string,
  borrowerLocale: Locale | null,
  departmentId: number | null,
  customerId: number,
];

/** Serialises sweeps across replicas (the audit chain's lock is 72_707_370). */
const SWEEP_LOCK_KEY = 72_707_371;

/** In the order a loan reaches them. */
const STAGES: readonly LoanAlertStage[] = ['due_tomorrow', 'overdue', 'escalated'];

/**
 * Claims, in one transaction, every alert due at `now` for open loans (the volume signed
 * for and not yet returned): one set-based INSERT … ON CONFLICT DO UPDATE (only onwards) RETURNING, joined
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
        // A day that claims tens of thousands of alerts (the first sweep over a full register)
        // sorts them in memory rather than on disk; for this transaction only.
        await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
        // The claim and the loans it claimed for, in one statement. The rows come back as one
        // JSON value, an array per loan (ClaimedLoan): the driver would parse 100,000 rows field
        // by field several times slower than JSON.parse (bench/README.md, overdue sweep).
        const [result] = await tx.$queryRaw<[{ loans: string }]>`
          WITH due AS (
            SELECT id,
                   (CASE WHEN "dueOn" < ${yesterday}::date THEN 'escalated'
                         WHEN "dueOn" < ${today}::date THEN 'overdue'
                         ELSE 'due_tomorrow' END)::"LoanAlertStage" AS stage
              FROM "Loan"
             WHERE state = 'open' AND "dueOn" <= ${tomorrow}::date
          ), fresh AS (
            -- Loans past the stage last told (most of an ordinary day's candidates are not).
            SELECT d.id, d.stage, a.stage AS was
              FROM due d LEFT JOIN "LoanAlert" a ON a."loanId" = d.id
             WHERE a.stage IS NULL OR a.stage < d.stage
          ), claimed AS (
            -- The stage only moves on, so the row's key and this condition decide a race.
            INSERT INTO "LoanAlert" ("loanId", stage, "sentAt")
            SELECT id, stage, ${now}::timestamptz FROM fresh
            ON CONFLICT ("loanId") DO UPDATE SET stage = EXCLUDED.stage, "sentAt" = EXCLUDED."sentAt"
             WHERE "LoanAlert".stage < EXCLUDED.stage
            RETURNING "loanId", stage
          )
          SELECT coalesce(json_agg(loan), '[]')::text AS loans FROM (
            SELECT json_build_array(
                     -- The stages told now: the day before alone; overdue, and escalated after it
                     -- (both at once for a loan first seen two days late).
                     CASE WHEN c.stage = 'due_tomorrow' THEN json_build_array('due_tomorrow')
                          WHEN c.stage = 'overdue' THEN json_build_array('overdue')
                          WHEN f.was = 'overdue' THEN json_build_array('escalated')
                          ELSE json_build_array('overdue', 'escalated') END,
                     l.code, v.code, v."secrecyLevel", v."secrecyUntil",
                     to_char(l."dueOn", 'YYYY-MM-DD'), ${today}::date - l."dueOn",
                     p."slackUserId", p.locale, p."departmentId", v."customerId") AS loan
              FROM claimed c
              JOIN fresh f ON f.id = c."loanId"
              JOIN "Loan" l ON l.id = c."loanId"
              JOIN "Volume" v ON v.id = l."volumeId"
              JOIN "Person" p ON p.id = l."borrowerId"
          ) per_loan`;
        const loans = JSON.parse(result.loans) as ClaimedLoan[];
        // By due date, then code: the longest overdue first.
        loans.sort((a, b) => (a[5] < b[5] ? -1 : a[5] > b[5] ? 1 : a[1] < b[1] ? -1 : 1));
        const overdueTotal = await tx.loan.count({
          where: { state: 'open', dueOn: { lt: dbDateFromLocalDate(todayDate) } },
        });
        const departments = new Set<number>();
        for (const [stages, , , , , , , , , departmentId] of loans) {
          if (departmentId !== null && stages.includes('escalated')) departments.add(departmentId);
        }
        const staff = loans.some(([stages]) => stages.some((stage) => stage !== 'due_tomorrow'))
          ? await tx.person.findMany({
              where: {
                OR: [
                  { roles: { has: 'archivist' } },
                  ...(departments.size > 0
                    ? [{ roles: { has: 'dept_head' as const }, departmentId: { in: [...departments] } }]
                    : []),
                  // Who is told instead when the volume is above what archivists and heads may know of.
                  { roles: { hasSome: [...SEE_EVERY_LEVEL] } },
                ],
              },
              select: { slackUserId: true, locale: true, roles: true, departmentId: true },
              orderBy: { slackUserId: 'asc' },
            })
          : [];
        // INFO-22: a volume archivists may not know of is the concern of its customer's custodians.
        const hiddenCustomers = [
          ...new Set(
            loans
              .filter(
                ([stages, , , level, until]) => stages.includes('overdue') && hiddenFromArchivists(level, until, now),
              )
              .map((loan) => loan[10]),
          ),
        ];
        const custodians =
          hiddenCustomers.length > 0
            ? await tx.customerCustodian.findMany({
                where: { customerId: { in: hiddenCustomers } },
                select: { customerId: true, person: { select: { slackUserId: true, locale: true } } },
                orderBy: { person: { slackUserId: 'asc' } },
              })
            : [];
        sweep = assemble(loans, staff, custodians, { today, overdueTotal, now });
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

/** The roles that see every level (the general manager, by the default policy). */
const SEE_EVERY_LEVEL = (() => {
  const top = VISIBILITY_POLICY.top_secret.roles;
  return top === 'any_role' ? [] : top;
})();

const ARCHIVIST: Viewer = { personId: -1, roles: ['archivist'], grantedCustomerIds: new Set(), custodianOf: new Set() };
const DEPT_HEAD: Viewer = { personId: -1, roles: ['dept_head'], grantedCustomerIds: new Set(), custodianOf: new Set() };

function hiddenFrom(viewer: Viewer, level: SecrecyLevel, until: string | null, now: Date): boolean {
  const effective = effectiveSecrecy(
    { secrecyLevel: level, secrecyUntil: until === null ? null : new Date(until) },
    now,
  );
  return levelsHiddenFrom(viewer, now).includes(effective);
}
const hiddenFromArchivists = (level: SecrecyLevel, until: string | null, now: Date) =>
  hiddenFrom(ARCHIVIST, level, until, now);

interface Custodian {
  customerId: number;
  person: { slackUserId: string; locale: Locale | null };
}

function assemble(
  loans: readonly ClaimedLoan[],
  staff: readonly Staff[],
  custodians: readonly Custodian[],
  { today, overdueTotal, now }: { today: string; overdueTotal: number; now: Date },
): OverdueSweep {
  // One recipient object per person, shared by every alert that tells them.
  const recipient = (p: Staff, as: LoanAlertRole): LoanAlertRecipient => ({
    slackUserId: p.slackUserId,
    as,
    locale: p.locale,
  });
  const archivists = staff.filter((p) => p.roles.includes('archivist')).map((p) => recipient(p, 'archivist'));
  const seeEverything = staff
    .filter((p) => p.roles.some((role) => (SEE_EVERY_LEVEL as readonly string[]).includes(role)))
    .map((p) => recipient(p, 'archivist'));
  const custodiansOf = new Map<number, LoanAlertRecipient[]>();
  for (const c of custodians) {
    const list = custodiansOf.get(c.customerId) ?? [];
    list.push({ slackUserId: c.person.slackUserId, as: 'archivist', locale: c.person.locale });
    custodiansOf.set(c.customerId, list);
  }
  const headsOf = new Map<number, LoanAlertRecipient[]>();
  for (const person of staff) {
    if (!person.roles.includes('dept_head') || person.departmentId === null) continue;
    headsOf.set(person.departmentId, [...(headsOf.get(person.departmentId) ?? []), recipient(person, 'dept_head')]);
  }
  const hidden = new Set(levelsHiddenFrom(CHANNEL_AUDIENCE, now));
  const alerts: ClaimedLoanAlert[] = [];
  const channel: OverdueListing[] = [];
  let withheldFromChannel = 0;
  for (const loan of loans) {
    const [stages, loanCode, volumeCode, secrecyLevel, secrecyUntil, dueOn, daysOverdue, borrower, borrowerLocale] =
      loan;
    const departmentId = loan[9];
    const level = effectiveSecrecy(
      { secrecyLevel, secrecyUntil: secrecyUntil === null ? null : new Date(secrecyUntil) },
      now,
    );
    const facts = { loanCode, volumeCode, level, dueOn, daysOverdue, borrower };
    // A loan claiming two stages at once (a missed day) tells each person once: the borrower
    // in the first, an archivist who is also a head as an archivist.
    const told = new Set<string>([borrower]);
    let first = true;
    for (const stage of STAGES) {
      if (!stages.includes(stage)) continue;
      const recipients: LoanAlertRecipient[] = first
        ? [{ slackUserId: borrower, as: 'borrower', locale: borrowerLocale }]
        : [];
      first = false;
      // A volume hidden from archivists goes to its customer's custodians (INFO-22), one hidden
      // from department heads to those who see every level: never a code they may not know of.
      const others =
        stage === 'overdue'
          ? hiddenFrom(ARCHIVIST, secrecyLevel, secrecyUntil, now)
            ? custodiansOf.get(loan[10])
            : archivists
          : stage === 'escalated'
            ? hiddenFrom(DEPT_HEAD, secrecyLevel, secrecyUntil, now)
              ? seeEverything
              : departmentId !== null
                ? headsOf.get(departmentId)
                : undefined
            : undefined;
      for (const other of others ?? []) {
        if (told.has(other.slackUserId)) continue;
        told.add(other.slackUserId);
        recipients.push(other);
      }
      alerts.push({ stage, ...facts, recipients });
    }
    if (stages.some((stage) => stage !== 'due_tomorrow')) {
      if (hidden.has(level)) withheldFromChannel++;
      else channel.push(facts);
    }
  }
  return { today, alerts, overdueTotal, channel, withheldFromChannel };
}
