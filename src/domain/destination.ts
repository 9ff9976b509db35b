import type { Role } from '../generated/prisma/enums.js';

/**
 * Whom to tell is a rule, so the domain decides it and returns destinations; a handler or a
 * job only renders the message and sends it there.
 */

/** A place a message goes: a person's DM (their user id) or a channel, in a thread when `threadTs` is set. */
export interface Destination {
  channel: string;
  threadTs?: string;
}

/**
 * Something a use case asks to be told to people other than the one acting. The domain says
 * to whom and about what; the blocks word it in the recipients' language.
 */
export type NoticeAbout =
  | {
      /** Someone tried to register (or rename to) a customer that exists but is closed to them. */
      kind: 'duplicate_probe';
      code: string;
      field: 'name' | 'creditCode';
      by: string;
    }
  | {
      /** An admin proposed a role under dual control; another admin confirms it. */
      kind: 'role_proposed';
      user: string;
      role: Role;
      by: string;
    }
  | {
      /** A leak report named codes withheld from its recipients: 绝密 ones and ones matching nothing. */
      kind: 'incident_withheld_codes';
      incident: string;
      codes: string[];
    };

export interface Notice {
  to: Destination[];
  about: NoticeAbout;
}
