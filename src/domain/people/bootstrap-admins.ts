import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { Db } from '../context.js';
import { SYSTEM_ACTOR } from '../context.js';
import { findOrRegisterPerson } from './ensure-person.js';

/**
 * Makes sure every id in ADMIN_USER_IDS holds the admin role, so a new workspace has
 * someone who can assign roles. Removing an id from the variable does not revoke anything.
 * Returns the ids that were promoted now.
 */
export async function bootstrapAdmins(db: Db, slackUserIds: readonly string[], now: Date): Promise<string[]> {
  const promoted: string[] = [];
  for (const slackUserId of slackUserIds) {
    await db.$transaction(async (tx) => {
      const person = await findOrRegisterPerson(tx, { slackUserId, now, registeredBy: SYSTEM_ACTOR.slackUserId });
      if (person.roles.includes('admin')) return;
      await tx.person.update({ where: { id: person.id }, data: { roles: [...person.roles, 'admin'] } });
      await appendAuditEvent(tx, {
        at: now,
        actor: SYSTEM_ACTOR.slackUserId,
        action: 'person.role_assigned',
        subjectType: 'person',
        subjectId: slackUserId,
        details: { role: 'admin', source: 'ADMIN_USER_IDS' },
      });
      promoted.push(slackUserId);
    });
  }
  return promoted;
}
