/** A handover's checklist (STAT-12, STAT-13, STAT-14) in Slack, with the confirm button for its two people. */
import type { types } from '@slack/bolt';
import type { HandoverChecklist } from '../domain/custody/handover.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { ACTION } from './ids.js';
import { clip, LIMITS, plain, section } from './text.js';

/** Codes listed per item; the rest counted. */
const CODES_SHOWN = 20;

const codes = (locale: UiLocale, list: readonly string[]) =>
  list.length === 0
    ? t(locale, 'handover.none')
    : `${list.length}：${list.slice(0, CODES_SHOWN).join('、')}${list.length > CODES_SHOWN ? ' …' : ''}`;

export function handoverText(locale: UiLocale, h: HandoverChecklist): string {
  const lines = [
    t(locale, 'handover.title', {
      code: h.code,
      from: h.from,
      to: h.to,
      state: t(locale, `handover.state.${h.state}`),
    }),
    t(locale, 'handover.moves'),
    t(locale, 'handover.item.customers', { list: codes(locale, h.customers) }),
    t(locale, 'handover.item.submissions', {
      list: h.submissions.length
        ? listOf(
            locale,
            h.submissions.map(
              (s) => `${escapeMrkdwn(s.department)} ${t(locale, `document.type.${s.material as 'basic_info'}`)}`,
            ),
          )
        : t(locale, 'handover.none'),
    }),
    t(locale, 'handover.item.volumes', { list: codes(locale, h.volumes) }),
    t(locale, 'handover.ends'),
    t(locale, 'handover.item.requests', { list: codes(locale, h.pendingRequests) }),
    t(locale, 'handover.item.grants', { count: h.grants }),
    t(locale, 'handover.listed'),
    t(locale, 'handover.item.drafts', { list: codes(locale, h.reportDrafts) }),
    t(locale, 'handover.item.materials', {
      // Clipped on its own: a long list never hides what blocks the handover below it.
      list: h.materials ? escapeMrkdwn(clip(h.materials, 600)) : t(locale, 'handover.none'),
    }),
  ];
  if (h.openLoans.length || h.soleCustodianships.length)
    lines.push(
      t(locale, 'handover.blocking', {
        loans: codes(locale, h.openLoans),
        custodianships: codes(locale, h.soleCustodianships),
      }),
    );
  lines.push(
    t(locale, 'handover.confirmations', {
      from: h.fromConfirmed ? t(locale, 'handover.confirmed') : t(locale, 'handover.waiting'),
      to: h.toConfirmed ? t(locale, 'handover.confirmed') : t(locale, 'handover.waiting'),
    }),
  );
  return clip(lines.join('\n'), LIMITS.sectionText);
}

/** The checklist with the confirm button while it is open. */
export function handoverBlocks(locale: UiLocale, h: HandoverChecklist): types.KnownBlock[] {
  return [
    section(handoverText(locale, h)),
    ...(h.state === 'open'
      ? [
          {
            type: 'actions' as const,
            elements: [
              {
                type: 'button' as const,
                style: 'primary' as const,
                action_id: ACTION.confirmHandover,
                text: plain(t(locale, 'handover.confirm'), 75),
                value: h.code,
              },
            ],
          },
        ]
      : []),
  ];
}
