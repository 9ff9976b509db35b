/**
 * What each role may do with customers and people, as one table an auditor can read.
 * Visibility of a single customer by secrecy level is decided in ./visibility.ts.
 */
import { hasAnyRole, ROLES, type Role } from '../people/roles.js';

export const CAPABILITIES = {
  /** INFO-4: sales (客户开发专员) register new customers with the information specialist. */
  createCustomer: ['sales', 'service', 'archivist', 'supervisor', 'service_manager'],
  /** INFO-17: nobody without a role in the bot views customer information. */
  searchCustomers: ROLES,
  /** DB-3, ARCH-30: archivists keep records current; the owner updates their own customer. */
  editAnyCustomer: ['archivist', 'supervisor', 'service_manager'],
  /** Roles, departments and channels are set by admins. */
  assignRoles: ['admin'],
  /**
   * SEC-6, SEC-7, INFO-22: supervisor and above set a level other than 秘密/机密 (公开 needs
   * a decision that nothing is secret, 绝密 names its custodians), change levels by hand.
   */
  manageSecrecy: ['supervisor', 'service_manager', 'director', 'general_manager'],
  /** A customer changes hands by a handover decided above the salespeople, never by an edit to oneself. */
  handOverCustomers: ['supervisor', 'service_manager', 'director', 'general_manager'],
  /** SEC-8: those who approve copies of classified material export it without a copy request. */
  copyClassified: ['general_manager', 'deputy_gm'],
  /** ARCH-3, ARCH-6: archivists vet and file documents, keep the locations, take returns. */
  manageArchive: ['archivist', 'supervisor'],
  /** INFO-19, ARCH-28: the loan register, read by the archivist and above (a borrower sees their own). */
  readLoanRegister: ['archivist', 'supervisor', 'service_manager', 'director', 'general_manager'],
  /**
   * STAT-3, STAT-4, INFO-5: the information staff hold the official figures: customer service and
   * the archivists import sales and grade; the supervisor (STAT-5) and the service manager too.
   */
  manageFigures: ['service', 'archivist', 'supervisor', 'service_manager'],
  /** STAT-5: sales figures (totals, the regional analysis) are read by them and by the director and GM. */
  readFigures: ['service', 'archivist', 'supervisor', 'service_manager', 'director', 'general_manager'],
  /** SEC-16: supervisor and above read who saw what. */
  readAuditTrail: ['supervisor', 'service_manager', 'director', 'general_manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(roles: readonly Role[], capability: Capability): boolean {
  return hasAnyRole(roles, CAPABILITIES[capability]);
}

export const SUBCOMMANDS = [
  'help',
  'whoami',
  'lang',
  'new',
  'find',
  'show',
  'edit',
  'export',
  'request',
  'incident',
  'audit',
  'custodian',
  'file',
  'where',
  'sheet',
  'location',
  'shelve',
  'loans',
  'return',
  'reconcile',
  'import',
  'grade',
  'route',
  'register',
  'report',
  'submissions',
  'received',
  'inspection',
  'destruction',
  'matter',
  'archive',
  'handover',
  'role',
  'config',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** Subcommands everyone may use, role or not. */
const OPEN_SUBCOMMANDS = ['help', 'whoami', 'lang'] as const;
export type RestrictedSubcommand = Exclude<Subcommand, (typeof OPEN_SUBCOMMANDS)[number]>;

/** Who may use each other `/kh` subcommand (what `/kh help` lists). */
const SUBCOMMAND_ACCESS: Record<RestrictedSubcommand, (roles: readonly Role[]) => boolean> = {
  new: (roles) => can(roles, 'createCustomer'),
  find: (roles) => can(roles, 'searchCustomers'),
  show: (roles) => can(roles, 'searchCustomers'),
  // Owners edit their own customers; archivists and above edit any.
  edit: (roles) => can(roles, 'createCustomer') || can(roles, 'editAnyCustomer'),
  export: (roles) => can(roles, 'searchCustomers'),
  request: (roles) => can(roles, 'searchCustomers'),
  // INFO-27: anyone who finds a leak reports it, role or not.
  incident: () => true,
  audit: (roles) => can(roles, 'readAuditTrail'),
  custodian: (roles) => can(roles, 'manageSecrecy'),
  file: (roles) => can(roles, 'manageArchive'),
  // Visibility decides what each answer holds.
  where: (roles) => can(roles, 'searchCustomers'),
  sheet: (roles) => can(roles, 'searchCustomers'),
  location: (roles) => can(roles, 'manageArchive'),
  shelve: (roles) => can(roles, 'manageArchive'),
  // A borrower sees their own loans; the archivist and above the register.
  loans: (roles) => can(roles, 'searchCustomers'),
  return: (roles) => can(roles, 'manageArchive'),
  reconcile: (roles) => can(roles, 'manageArchive'),
  import: (roles) => can(roles, 'manageFigures'),
  grade: (roles) => can(roles, 'manageFigures'),
  // DB-9: anyone with a role reads a route within what they may see; the owner or the
  // archivists and above move a customer in it.
  route: (roles) => can(roles, 'searchCustomers'),
  // DB-11: anyone with a role exports the registers of what they may read (copies under INFO-23, SEC-8).
  register: (roles) => can(roles, 'searchCustomers'),
  // STAT-5: the answer follows REPORT_ACCESS (statistics/report-policy.ts) and a department's grants.
  report: (roles) => can(roles, 'searchCustomers'),
  // ARCH-5: anyone with a role sees what departments owe; admins change the table (checked in the domain).
  submissions: (roles) => can(roles, 'searchCustomers'),
  received: (roles) => can(roles, 'manageArchive'),
  // INFO-14: the archivists inspect; those who read the loan register read inspections; admins set the security list.
  inspection: (roles) => can(roles, 'manageArchive') || can(roles, 'readLoanRegister') || can(roles, 'assignRoles'),
  // ARCH-29: the archivists propose and schedule; those who read the loan register see the batches; an
  // appraiser (a department head) reads the batch they decide. The domain decides each.
  destruction: (roles) => can(roles, 'manageArchive') || can(roles, 'readLoanRegister') || roles.includes('dept_head'),
  // ARCH-26: every department reports major matters with the customers it may read.
  matter: (roles) => can(roles, 'searchCustomers'),
  // ARCH-25: those who keep or oversee the archive read its statistics (counts only).
  archive: (roles) => can(roles, 'manageArchive') || can(roles, 'readLoanRegister'),
  // STAT-12, STAT-13, STAT-14: supervisor and above or the leaving person's head start one; its two people see it (the domain decides).
  handover: (roles) => can(roles, 'searchCustomers'),
  role: (roles) => can(roles, 'assignRoles'),
  config: (roles) => can(roles, 'assignRoles'),
};

function isOpen(subcommand: Subcommand): subcommand is (typeof OPEN_SUBCOMMANDS)[number] {
  return (OPEN_SUBCOMMANDS as readonly Subcommand[]).includes(subcommand);
}

/** The subcommand if a person with these roles may not use it (the router asks before running it). */
export function refusedSubcommand(roles: readonly Role[], subcommand: Subcommand): RestrictedSubcommand | undefined {
  return isOpen(subcommand) || SUBCOMMAND_ACCESS[subcommand](roles) ? undefined : subcommand;
}

/** The `/kh` subcommands a person with these roles may use. */
export function availableSubcommands(roles: readonly Role[]): Subcommand[] {
  return SUBCOMMANDS.filter((sub) => refusedSubcommand(roles, sub) === undefined);
}
