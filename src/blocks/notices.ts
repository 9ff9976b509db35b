import type { NoticeAbout } from '../domain/destination.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';

/** A notice the domain asked to be sent, in the recipients' language. */
export function noticeText(locale: UiLocale, about: NoticeAbout): string {
  switch (about.kind) {
    case 'duplicate_probe':
      return t(locale, `notice.duplicate_probe.${about.field}`, { user: about.by, code: about.code });
    case 'incident_unknown_codes':
      return t(locale, 'notice.incident_unknown_codes', {
        code: about.incident,
        codes: listOf(locale, about.codes.map(escapeMrkdwn)),
      });
  }
}
