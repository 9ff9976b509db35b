/**
 * What each role may do with customers and people, as one table an auditor can read.
 * Visibility of a single customer by secrecy level is decided in ./visibility.ts.
 */
import { hasAnyRole, type Role } from '../people/roles.js';

export const CAPABILITIES = {
  /** INFO-4: sales (客户开发专员) register new customers with the information specialist. */
  createCustomer: ['sales', 'service', 'archivist', 'supervisor', 'service_manager'],
  /** INFO-17: nobody without a role in the bot views customer information. */
  searchCustomers: [
    'sales',
    'service',
    'archivist',
    'supervisor',
    'service_manager',
    'director',
    'general_manager',
    'deputy_gm',
    'dept_head',
    'finance',
    'it_security',
  ],
  /** DB-3, ARCH-30: archivists keep records current; the owner updates their own customer. */
  editAnyCustomer: ['archivist', 'supervisor', 'service_manager'],
  /** Roles and departments are assigned by admins. */
  assignRoles: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(roles: readonly Role[], capability: Capability): boolean {
  return hasAnyRole(roles, CAPABILITIES[capability]);
}
