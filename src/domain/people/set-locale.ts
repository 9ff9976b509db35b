import type { Locale } from '../../generated/prisma/client.js';
import { appendAuditEvent } from '../audit/append-audit-event.js';
import type { UseCaseContext } from '../context.js';
import { findOrRegisterPerson } from './ensure-person.js';

/** A person chooses the language the bot answers them in. */
export async function setLocale(ctx: UseCaseContext, locale: Locale): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const me = await findOrRegisterPerson(tx, {
      slackUserId: ctx.actor.slackUserId,
      now: ctx.now,
      registeredBy: ctx.actor.slackUserId,
    });
    if (me.locale === locale) return;
    await tx.person.update({ where: { id: me.id }, data: { locale } });
    await appendAuditEvent(tx, {
      at: ctx.now,
      actor: ctx.actor.slackUserId,
      action: 'person.locale_set',
      subjectType: 'person',
      subjectId: me.slackUserId,
      details: { before: me.locale, after: locale },
    });
  });
}
