/**
 * Approval chains as data (DESIGN.md "Policy as data"), readable by an auditor. A chain is
 * a list of steps in order; each step is decided by any one person holding one of its
 * roles. `dept_head` means the head of the requester's own department (INFO-18: the
 * requesting department's head stamps and signs). Extra steps depend on the secrecy level.
 *
 * To change a chain, edit this table: the tests in tests/unit/approval-policy.test.ts spell
 * out the defaults, and the README lists them.
 */
import type { RequestKind } from '../../generated/prisma/client.js';
import type { SecrecyLevel } from '../access/visibility.js';
import type { Role } from '../people/roles.js';

export type { RequestKind };

/** What a person asks for with `/kh request` (a custodian is proposed with `/kh custodian`). */
export const REQUEST_KINDS = ['view', 'copy', 'provide'] as const satisfies readonly RequestKind[];

export interface StepRule {
  /** The roles that decide the step. */
  roles: readonly Role[];
  /** 'any' (default): one holder of any of the roles decides; 'all': one holder of each must approve. */
  mode?: 'any' | 'all';
  /** The customer's named custodians (INFO-22) decide it as well as the roles ('any' steps only). */
  custodians?: boolean;
}

type ChainRule = (level: SecrecyLevel) => StepRule[];

const isClassified = (level: SecrecyLevel) => level !== 'unclassified';

export const APPROVAL_POLICY: Record<RequestKind, ChainRule> = {
  /** INFO-18, ARCH-27: department head → archivist; + service manager for 机密/绝密; + GM for 绝密. */
  view: (level) => [
    { roles: ['dept_head'] },
    { roles: ['archivist'] },
    ...(level === 'confidential' || level === 'top_secret' ? [{ roles: ['service_manager'] as Role[] }] : []),
    ...(level === 'top_secret' ? [{ roles: ['general_manager'] as Role[] }] : []),
  ],
  /** INFO-23: GM or supervisor; SEC-8: classified material needs the GM or a deputy GM. */
  copy: (level) => [
    { roles: isClassified(level) ? ['general_manager', 'deputy_gm'] : ['general_manager', 'supervisor'] },
  ],
  /** INFO-24 and SEC-10: supervisor → service manager → general manager. */
  provide: () => [{ roles: ['supervisor'] }, { roles: ['service_manager'] }, { roles: ['general_manager'] }],
  /**
   * INFO-19, ARCH-28: a loan is asked for like a view (INFO-18): department head → archivist (the
   * information specialist), with the same extra steps for a classified volume.
   */
  loan: (level) => APPROVAL_POLICY.view(level),
  /** INFO-22: a custodian sees the customer at any level; the general manager decides who. */
  custodian: () => [{ roles: ['general_manager'] }],
  /** INFO-13: the supervisor and then the service manager review and sign before a report is released. */
  report_release: () => [{ roles: ['supervisor'] }, { roles: ['service_manager'] }],
  /** INFO-11, STAT-11: a released report's figure is changed by a slip the general manager approves. */
  report_correction: () => [{ roles: ['general_manager'] }],
  /** INFO-10 (and STAT-6 for an outside unit): the service manager reviews, the general manager approves. */
  report_access: () => [{ roles: ['service_manager'] }, { roles: ['general_manager'] }],
  /** STAT-9: outdated statistics: the supervisor, the service manager and the general manager each approve. */
  report_destruction: () => [{ roles: ['supervisor'] }, { roles: ['service_manager'] }, { roles: ['general_manager'] }],
  /**
   * ARCH-29: the service manager and the originating department's head appraise jointly (both),
   * then the customer director approves.
   */
  destruction: (level) =>
    // SEC-3, INFO-22: a batch of 绝密 volumes is for the general manager alone (its appraisers may not know of it).
    level === 'top_secret'
      ? [{ roles: ['general_manager'] }]
      : [{ roles: ['service_manager', 'dept_head'], mode: 'all' }, { roles: ['director'] }],
};

/** Requests about statistics reports: no customer, no secrecy level of their own (report-policy.ts). */
export const REPORT_REQUEST_KINDS = [
  'report_release',
  'report_correction',
  'report_access',
  'report_destruction',
] as const satisfies readonly RequestKind[];

export function isReportRequest(kind: RequestKind): kind is (typeof REPORT_REQUEST_KINDS)[number] {
  return (REPORT_REQUEST_KINDS as readonly RequestKind[]).includes(kind);
}

/**
 * Requests whose steps must each be decided by a different person (INFO-13: the supervisor and
 * the service manager both sign, so one person holding both roles signs once; INFO-10 and
 * INFO-11 likewise name two offices; ARCH-29's joint appraisal and the director's approval are
 * three people). Other chains let one person holding two roles decide two
 * steps: a department head who is also the service manager signs as both, as the office does.
 */
export const DISTINCT_DECIDERS: readonly RequestKind[] = [...REPORT_REQUEST_KINDS, 'destruction'];

/**
 * The level a report request is filed at: statistics are business secrets (STAT-5, STAT-20),
 * kept like 秘密 material. It only labels the request; who reads a report is REPORT_ACCESS.
 */
export const REPORT_REQUEST_LEVEL: SecrecyLevel = 'restricted';

export function approvalChain(kind: RequestKind, level: SecrecyLevel): StepRule[] {
  return APPROVAL_POLICY[kind](level);
}

/** The general manager sees every customer, so decides first whether a hidden code is real. */
const SCREENING: StepRule = { roles: ['general_manager'], custodians: true };

/**
 * SEC-3: a request for a code the requester cannot see (绝密, or no customer at all) is
 * screened first by the general manager or the customer's custodians, who see whether it exists; a real one then goes
 * through the rest of its level's chain, an unknown one is rejected there as unknown.
 */
export function screeningChain(kind: RequestKind, level: SecrecyLevel | null): StepRule[] {
  if (level === null) return [SCREENING];
  // The whole chain follows: screening (possibly by a custodian) never stands in for its steps.
  return [SCREENING, ...approvalChain(kind, level)];
}

/** How long an approved view grant lasts unless the requester asks for less (INFO-18). */
export const DEFAULT_GRANT_DAYS = 7;
export const MAX_GRANT_DAYS = 30;

// When approvers are reminded and requesters told: configuration (settings/config-values.ts).
