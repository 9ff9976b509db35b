import type { types } from '@slack/bolt';
import { availableSubcommands } from '../domain/access/capabilities.js';
import type { PersonProfile } from '../domain/people/person.js';
import { ROLES } from '../domain/people/roles.js';
import { t, type UiLocale } from './i18n/index.js';
import { roleLabel, rolesText } from './labels.js';
import { section } from './text.js';

export function helpText(locale: UiLocale, person: PersonProfile): string {
  const lines = [
    t(locale, 'help.title'),
    ...availableSubcommands(person.roles).map((sub) => `• ${t(locale, `help.${sub}`)}`),
  ];
  if (person.roles.length === 0) lines.push('', t(locale, 'help.no_role'));
  return lines.join('\n');
}

export function helpBlocks(locale: UiLocale, person: PersonProfile): types.KnownBlock[] {
  return [section(helpText(locale, person))];
}

export function whoamiText(locale: UiLocale, person: PersonProfile): string {
  return t(locale, 'whoami.text', {
    user: person.slackUserId,
    roles: rolesText(locale, person.roles),
    department: person.department ?? t(locale, 'generic.none'),
    locale: locale === 'en' ? 'English' : '中文',
  });
}

export function roleUsageText(locale: UiLocale): string {
  return t(locale, 'usage.role', { roles: ROLES.map((role) => `\`${role}\` ${roleLabel(locale, role)}`).join(', ') });
}

export function homeView(locale: UiLocale, person: PersonProfile): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: t(locale, 'home.title') } },
      section(t(locale, 'home.intro', { user: person.slackUserId })),
      section(helpText(locale, person)),
      { type: 'divider' },
      section(whoamiText(locale, person)),
    ],
  };
}
