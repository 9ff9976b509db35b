import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { Db, Tx } from '../context.js';
import { isUniqueViolation } from '../prisma-errors.js';
import { PERSON_PROFILE_SELECT, type PersonProfile, toProfile } from './person.js';

/**
 * The person behind a Slack user id, registered (without roles) on first contact.
 * Called on every request, so the common case is a single indexed read.
 */
export async function ensurePerson(
  db: Db,
  input: { slackUserId: string; displayName?: string | undefined; now: Date; registeredBy?: string },
): Promise<PersonProfile> {
  const existing = await db.person.findUnique({
    where: { slackUserId: input.slackUserId },
    select: PERSON_PROFILE_SELECT,
  });
  if (existing) return toProfile(existing);
  try {
    return await db.$transaction((tx) => registerPerson(tx, input));
  } catch (error) {
    // Two requests from a new user at once: the other one registered them.
    if (!isUniqueViolation(error)) throw error;
    const row = await db.person.findUniqueOrThrow({
      where: { slackUserId: input.slackUserId },
      select: PERSON_PROFILE_SELECT,
    });
    return toProfile(row);
  }
}

/** Registers a person inside an open transaction (also used when a command names a new user). */
export async function registerPerson(
  tx: Tx,
  input: { slackUserId: string; displayName?: string | undefined; now: Date; registeredBy?: string },
): Promise<PersonProfile> {
  const row = await tx.person.create({
    data: { slackUserId: input.slackUserId, displayName: input.displayName ?? null },
    select: PERSON_PROFILE_SELECT,
  });
  await appendAuditEvent(tx, {
    at: input.now,
    actor: input.registeredBy ?? input.slackUserId,
    action: 'person.registered',
    subjectType: 'person',
    subjectId: input.slackUserId,
  });
  return toProfile(row);
}

export async function findOrRegisterPerson(
  tx: Tx,
  input: { slackUserId: string; now: Date; registeredBy: string },
): Promise<PersonProfile> {
  const existing = await tx.person.findUnique({
    where: { slackUserId: input.slackUserId },
    select: PERSON_PROFILE_SELECT,
  });
  return existing ? toProfile(existing) : registerPerson(tx, input);
}
