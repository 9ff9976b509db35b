import type { types } from '@slack/bolt';
import { availableSubcommands } from '../domain/access/capabilities.js';
import type { HomeApprovals } from '../domain/approvals/home-approvals.js';
import type { HomeSummary } from '../domain/customers/home-summary.js';
import type { HomeLoans } from '../domain/loans/list-loans.js';
import type { PersonProfile } from '../domain/people/person.js';
import { ROLES } from '../domain/people/roles.js';
import { formatLocalDateTime } from '../domain/time.js';
import { requestSubject } from './approvals.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { levelLabel, levelMarker, roleLabel, rolesText } from './labels.js';
import { homeLoansBlocks } from './loans.js';
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
    department: person.department ? escapeMrkdwn(person.department) : t(locale, 'generic.none'),
    locale: locale === 'en' ? 'English' : '中文',
  });
}

export function roleUsageText(locale: UiLocale): string {
  return t(locale, 'usage.role', {
    roles: listOf(
      locale,
      ROLES.map((role) => `\`${role}\` ${roleLabel(locale, role)}`),
    ),
  });
}

export function homeView(
  locale: UiLocale,
  person: PersonProfile,
  summary: HomeSummary,
  approvals: HomeApprovals,
  timeZone: string,
  loans: HomeLoans = { mine: [], register: null },
): types.HomeView {
  const when = (date: Date) => formatLocalDateTime(date, timeZone);
  const waiting =
    approvals.waitingForMe.length === 0
      ? t(locale, 'home.waiting_none')
      : approvals.waitingForMe
          .map(
            (r) =>
              `• *${r.code}* ${t(locale, `request.kind.${r.kind}`)} · ${requestSubject(locale, r)} · <@${r.requester}> · ${when(r.openedAt)}`,
          )
          .join('\n');
  const mine =
    approvals.myRequests.length === 0
      ? t(locale, 'home.my_requests_none')
      : approvals.myRequests
          .map(
            (r) =>
              `• *${r.code}* ${t(locale, `request.kind.${r.kind}`)} · ${requestSubject(locale, r)} · ${t(locale, `request.state.${r.state}`)}`,
          )
          .join('\n');
  const customers =
    summary.customers.length === 0
      ? t(locale, 'home.customers_none')
      : summary.customers
          .map((c) =>
            c.visible
              ? `• *${c.code}* ${levelMarker(locale, c.level)}${escapeMrkdwn(c.name)}`
              : `• *${c.code}* ${t(locale, 'level.masked', { level: levelLabel(locale, c.level) })}`,
          )
          .join('\n');
  const grants =
    summary.grants.length === 0
      ? t(locale, 'home.grants_none')
      : summary.grants
          .map(
            (g) =>
              `• ${t(locale, 'home.grant_line', { code: g.code, until: formatLocalDateTime(g.expiresAt, timeZone) })}`,
          )
          .join('\n');
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: t(locale, 'home.title') } },
      section(t(locale, 'home.intro', { user: person.slackUserId })),
      section(helpText(locale, person)),
      { type: 'divider' },
      section(`${t(locale, 'home.waiting')}\n${waiting}`),
      section(`${t(locale, 'home.my_requests')}\n${mine}`),
      section(`${t(locale, 'home.customers')} (${summary.totalCustomers})\n${customers}`),
      section(`${t(locale, 'home.grants')}\n${grants}`),
      ...homeLoansBlocks(locale, loans),
      { type: 'divider' },
      section(whoamiText(locale, person)),
    ],
  };
}
