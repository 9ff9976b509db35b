import type { Locale } from '../../generated/prisma/client.js';
import type { UseCaseContext } from '../context.js';
import { runUseCase } from '../use-case.js';

/** A person chooses the language the bot answers them in. */
export async function setLocale(ctx: UseCaseContext, locale: Locale): Promise<void> {
  await runUseCase(ctx, async ({ tx, me, audit }) => {
    if (me.locale === locale) return;
    await tx.person.update({ where: { id: me.id }, data: { locale } });
    await audit({
      action: 'person.locale_set',
      subjectType: 'person',
      subjectId: me.slackUserId,
      details: { before: me.locale, after: locale },
    });
  });
}
