import { escapeMrkdwn, t, type UiLocale } from './i18n/index.js';

/** At most this many customers are named in one channel post; the rest are counted. */
export const DECLASSIFY_POST_LIMIT = 50;

/** SEC-7: the archive channel's post naming the customers whose period ended (names escaped: a channel reads them). */
export function declassifyPostText(locale: UiLocale, customers: readonly { code: string; name: string }[]): string {
  const lines = customers.slice(0, DECLASSIFY_POST_LIMIT).map((c) => `• *${c.code}* ${escapeMrkdwn(c.name)}`);
  if (customers.length > DECLASSIFY_POST_LIMIT) lines.push(`… +${customers.length - DECLASSIFY_POST_LIMIT}`);
  return t(locale, 'declassify.post', { lines: lines.join('\n') });
}
