/**
 * Whom to tell is a rule, so the domain decides it and returns destinations; a handler or a
 * job only renders the message and sends it there.
 */

/** A place a message goes: a person's DM (their user id) or a channel, in a thread when `threadTs` is set. */
export interface Destination {
  channel: string;
  threadTs?: string;
}
