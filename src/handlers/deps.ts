import type { UiLocale } from '../blocks/i18n/index.js';
import type { Db, UseCaseContext } from '../domain/context.js';
import { ensurePerson } from '../domain/people/ensure-person.js';
import type { PersonProfile } from '../domain/people/person.js';
import type { Logger } from '../logger.js';

/** What handlers need from the composition root. */
export interface HandlerDeps {
  db: Db;
  clock: () => Date;
  timeZone: string;
  defaultLocale: UiLocale;
  logger: Logger;
}

/** One request's view of the world: the use-case context, who is asking, their language. */
export interface Session {
  ctx: UseCaseContext;
  person: PersonProfile;
  locale: UiLocale;
}

export async function beginSession(deps: HandlerDeps, slackUserId: string): Promise<Session> {
  const now = deps.clock();
  const person = await ensurePerson(deps.db, { slackUserId, now });
  return {
    ctx: { db: deps.db, now, actor: { slackUserId }, timeZone: deps.timeZone },
    person,
    locale: localeOf(person, deps.defaultLocale),
  };
}

export function localeOf(person: Pick<PersonProfile, 'locale'>, fallback: UiLocale): UiLocale {
  if (person.locale === 'en') return 'en';
  if (person.locale === 'zh_CN') return 'zh-CN';
  return fallback;
}
