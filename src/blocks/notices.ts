import type { NoticeAbout } from '../domain/destination.js';
import { escapeMrkdwn, listOf, t, type UiLocale } from './i18n/index.js';
import { roleLabel } from './labels.js';

/** A notice the domain asked to be sent, in the recipients' language. */
export function noticeText(locale: UiLocale, about: NoticeAbout): string {
  switch (about.kind) {
    case 'duplicate_probe':
      return t(locale, `notice.duplicate_probe.${about.field}`, { user: about.by, code: about.code });
    case 'role_proposed':
      return t(locale, 'notice.role_proposed', { user: about.user, role: roleLabel(locale, about.role), by: about.by });
    case 'incident_withheld_codes':
      return t(locale, 'notice.incident_withheld_codes', {
        code: about.incident,
        codes: listOf(locale, about.codes.map(escapeMrkdwn)),
      });
  }
}
