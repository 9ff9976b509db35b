import type { DomainError } from '../domain/errors.js';
import { t, type UiLocale } from './i18n/index.js';
import { levelLabel } from './labels.js';

/** A domain error in the user's language. */
export function domainErrorText(locale: UiLocale, error: DomainError): string {
  const params: Record<string, string | number> = { ...error.params };
  if (
    typeof params.action === 'string' &&
    [
      'new',
      'find',
      'show',
      'edit',
      'role',
      'secrecy',
      'audit',
      'custodian',
      'config',
      'export',
      'incident',
      'request',
      'approve',
    ].includes(params.action)
  ) {
    params.action = t(locale, `action.${params.action as 'new'}`);
  }
  if (typeof params.level === 'string') params.level = levelLabel(locale, params.level as 'restricted');
  if (error.code === 'request_closed' && typeof params.state === 'string') {
    params.state = t(locale, `request.state.${params.state as 'approved'}`);
  }
  if (error.code === 'incident_transition' && typeof params.status === 'string') {
    params.status = t(locale, `incident.status.${params.status as 'closed'}`);
  }
  return t(locale, `error.${error.code}`, params);
}

export function genericErrorText(locale: UiLocale, ref: string): string {
  return t(locale, 'generic.error', { ref });
}
