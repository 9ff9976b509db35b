import type { Locale } from '../../generated/prisma/client.js';
import type { Role } from './roles.js';

/** A person as the rest of the domain sees them. */
export interface PersonProfile {
  id: number;
  slackUserId: string;
  displayName: string | null;
  roles: Role[];
  department: string | null;
  departmentId: number | null;
  /** Null: the workspace default (DEFAULT_LOCALE). */
  locale: Locale | null;
}

export const PERSON_PROFILE_SELECT = {
  id: true,
  slackUserId: true,
  displayName: true,
  roles: true,
  locale: true,
  departmentId: true,
  department: { select: { name: true } },
} as const;

export function toProfile(row: {
  id: number;
  slackUserId: string;
  displayName: string | null;
  roles: Role[];
  locale: Locale | null;
  departmentId: number | null;
  department: { name: string } | null;
}): PersonProfile {
  return {
    id: row.id,
    slackUserId: row.slackUserId,
    displayName: row.displayName,
    roles: row.roles,
    department: row.department?.name ?? null,
    departmentId: row.departmentId,
    locale: row.locale,
  };
}

/** Slack user ids: U… or W… (Enterprise Grid), upper-case letters and digits. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;
