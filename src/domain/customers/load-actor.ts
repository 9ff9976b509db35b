import type { Db, Tx, UseCaseContext } from '../context.js';
import { findOrRegisterPerson } from '../people/ensure-person.js';
import type { PersonProfile } from '../people/person.js';

/** The acting person inside a transaction (registered on first contact). */
export function loadActor(tx: Tx | Db, ctx: UseCaseContext): Promise<PersonProfile> {
  return findOrRegisterPerson(tx as Tx, {
    slackUserId: ctx.actor.slackUserId,
    now: ctx.now,
    registeredBy: ctx.actor.slackUserId,
  });
}
