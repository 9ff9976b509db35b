/**
 * Who sees a customer without a request (REQUIREMENTS.md "Secrecy levels", SEC-3..7,
 * INFO-17, INFO-22). This is the one place that decides; every read path asks it.
 */
import type { SecrecyLevel } from '../../generated/prisma/client.js';
import { hasAnyRole, type Role } from '../people/roles.js';

export type { SecrecyLevel };

export const SECRECY_LEVELS: readonly SecrecyLevel[] = ['unclassified', 'restricted', 'confidential', 'top_secret'];

/**
 * Default policy: besides the owning salesperson (`owner`), the roles that see each level.
 * `unclassified` is open to anyone holding a role (INFO-17 still keeps out people without one).
 * Top secret is for named custodians (专人管理) and the general manager only.
 */
export const VISIBILITY_POLICY: Record<SecrecyLevel, { owner: boolean; roles: readonly Role[] | 'any_role' }> = {
  unclassified: { owner: true, roles: 'any_role' },
  restricted: {
    owner: true,
    roles: ['archivist', 'supervisor', 'service_manager', 'director', 'general_manager'],
  },
  confidential: { owner: true, roles: ['supervisor', 'service_manager', 'director', 'general_manager'] },
  top_secret: { owner: false, roles: ['general_manager'] },
};

export interface Viewer {
  personId: number;
  roles: readonly Role[];
}

export interface SecretSubject {
  ownerId: number;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
}

/** SEC-7: a secrecy period that has ended declassifies the item by itself (自行解密). */
export function effectiveSecrecy(
  subject: Pick<SecretSubject, 'secrecyLevel' | 'secrecyUntil'>,
  now: Date,
): SecrecyLevel {
  if (subject.secrecyLevel !== 'unclassified' && subject.secrecyUntil && subject.secrecyUntil <= now) {
    return 'unclassified';
  }
  return subject.secrecyLevel;
}

export type Visibility = 'visible' | 'masked' | 'hidden';

/**
 * `visible`: the viewer may read the record. `masked`: they may learn it exists (its code and
 * level, to request access) but nothing else. `hidden`: not even that (top secret).
 */
export function visibilityOf(viewer: Viewer, subject: SecretSubject, now: Date): Visibility {
  if (viewer.roles.length === 0) return 'hidden';
  const level = effectiveSecrecy(subject, now);
  const rule = VISIBILITY_POLICY[level];
  if (rule.owner && subject.ownerId === viewer.personId) return 'visible';
  if (rule.roles === 'any_role' || hasAnyRole(viewer.roles, rule.roles)) return 'visible';
  return level === 'top_secret' ? 'hidden' : 'masked';
}
