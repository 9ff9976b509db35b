import type { SecrecyLevel } from '../domain/access/visibility.js';
import type { CustomerKind, SpecialCategory } from '../domain/customers/customer-fields.js';
import type { Role } from '../domain/people/roles.js';
import { listOf, t, type UiLocale } from './i18n/index.js';

export const roleLabel = (locale: UiLocale, role: Role) => t(locale, `role.${role}`);
export const levelLabel = (locale: UiLocale, level: SecrecyLevel) => t(locale, `level.${level}`);
export const kindLabel = (locale: UiLocale, kind: CustomerKind) => t(locale, `kind.${kind}`);
export const specialLabel = (locale: UiLocale, category: SpecialCategory) => t(locale, `special.${category}`);

/** 【机密】 before a classified name, nothing for unclassified (INFO-22). */
export function levelMarker(locale: UiLocale, level: SecrecyLevel): string {
  return level === 'unclassified' ? '' : t(locale, 'level.marker', { level: levelLabel(locale, level) });
}

export function rolesText(locale: UiLocale, roles: readonly Role[]): string {
  return roles.length
    ? listOf(
        locale,
        roles.map((role) => `${roleLabel(locale, role)} (\`${role}\`)`),
      )
    : t(locale, 'generic.none');
}
