import type { AnyDomainError } from '../domain/errors.js';
import { escapeMrkdwn, listOf, t, tDynamic, type UiLocale } from './i18n/index.js';
import { levelLabel, roleLabel } from './labels.js';

/** A domain error in the user's language: its parameters rendered, then its message. */
export function domainErrorText(locale: UiLocale, error: AnyDomainError): string {
  // Parameters often echo what the person typed (a code, a role, a key): escaped, all of them.
  const params = Object.entries(renderedParams(locale, error)).map(([key, value]) => [
    key,
    typeof value === 'string' ? escapeMrkdwn(value) : value,
  ]);
  return tDynamic(locale, `error.${error.code}`, Object.fromEntries(params));
}

function renderedParams(locale: UiLocale, error: AnyDomainError): Record<string, string | number> {
  switch (error.code) {
    case 'not_allowed':
      return { action: t(locale, `action.${error.params.action}`) };
    case 'customer_hidden':
      return { ...error.params, level: levelLabel(locale, error.params.level) };
    case 'volume_hidden':
    case 'location_not_classified':
    case 'no_free_box':
      return { ...error.params, level: levelLabel(locale, error.params.level) };
    case 'volume_unavailable':
      return { ...error.params, state: t(locale, `volume.state.${error.params.state}`) };
    case 'loan_closed':
      return { ...error.params, state: t(locale, `loan.state.${error.params.state}`) };
    case 'request_closed':
      return { ...error.params, state: t(locale, `request.state.${error.params.state}`) };
    case 'destruction_state':
      return { ...error.params, state: t(locale, `destruction.state.${error.params.state}`) };
    case 'incident_unknown_customers':
      return { codes: listOf(locale, error.params.codes) };
    case 'request_no_approvers':
      return {
        roles: listOf(
          locale,
          error.params.roles.map((role) => roleLabel(locale, role)),
          'or',
        ),
      };
    case 'incident_transition':
      return { ...error.params, status: t(locale, `incident.status.${error.params.status}`) };
    default:
      return error.params;
  }
}

export function genericErrorText(locale: UiLocale, ref: string): string {
  return t(locale, 'generic.error', { ref });
}
