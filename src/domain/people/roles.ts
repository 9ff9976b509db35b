import { Role } from '../../generated/prisma/enums.js';

export type { Role };

/**
 * Every role of REQUIREMENTS.md "Roles", in the order people read them: the schema's enum
 * (prisma/schema.prisma lists them in that order), never retyped.
 */
export const ROLES: readonly Role[] = Object.values(Role);

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** Roles that only make sense with a department (the head signs for their own department). */
export const DEPARTMENT_ROLES: readonly Role[] = ['dept_head'];

export function hasAnyRole(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return roles.some((role) => wanted.includes(role));
}
