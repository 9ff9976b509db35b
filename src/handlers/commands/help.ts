import { helpBlocks, helpText, whoamiText } from '../../blocks/help.js';
import { t } from '../../blocks/i18n/index.js';
import { setLocale } from '../../domain/people/set-locale.js';
import type { CommandContext } from './command-context.js';

export async function help({ session, reply }: CommandContext): Promise<void> {
  await reply({ text: helpText(session.locale, session.person), blocks: helpBlocks(session.locale, session.person) });
}

export async function whoami({ session, reply }: CommandContext): Promise<void> {
  await reply({ text: whoamiText(session.locale, session.person) });
}

const LOCALES = { zh: 'zh_CN', 'zh-cn': 'zh_CN', cn: 'zh_CN', 中文: 'zh_CN', en: 'en', english: 'en' } as const;

export async function lang({ session, args, reply }: CommandContext): Promise<void> {
  const locale = LOCALES[args.toLowerCase() as keyof typeof LOCALES];
  if (!locale) {
    await reply({ text: t(session.locale, 'usage.lang') });
    return;
  }
  await setLocale(session.ctx, locale);
  await reply({ text: t(locale === 'en' ? 'en' : 'zh-CN', 'lang.set') });
}
