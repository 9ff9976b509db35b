import type { Role } from '../../generated/prisma/client.js';

export type { Role };

/** Every role of REQUIREMENTS.md "Roles", in the order people read them. */
export const ROLES: readonly Role[] = [
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
  'admin',
];

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** Roles that only make sense with a department (the head signs for their own department). */
export const DEPARTMENT_ROLES: readonly Role[] = ['dept_head'];

export function hasAnyRole(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return roles.some((role) => wanted.includes(role));
}
