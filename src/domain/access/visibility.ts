/**
 * Who sees a customer (REQUIREMENTS.md "Secrecy levels", SEC-3, SEC-4, SEC-5, SEC-6, SEC-7, INFO-17, INFO-22).
 * This is the one place that decides; every read path asks it — search, the card, the
 * edit form, App Home, exports and channel posts by jobs.
 */
import type { SecrecyLevel } from '../../generated/prisma/client.js';
import { hasAnyRole, type Role } from '../people/roles.js';

export type { SecrecyLevel };

export const SECRECY_LEVELS: readonly SecrecyLevel[] = ['unclassified', 'restricted', 'confidential', 'top_secret'];

export interface LevelRule {
  /** The owning salesperson sees it. */
  owner: boolean;
  /** Named custodians of the customer (专人管理) see it. */
  custodians: boolean;
  /** Roles that see it without a request; 'any_role' = anyone holding a role. */
  roles: readonly Role[] | 'any_role';
}

/**
 * Default policy. `unclassified` is open to anyone holding a role (INFO-17 still keeps out
 * people without one). Top secret is for named custodians and the general manager only.
 * Anyone else sees a classified customer only through an active access grant (INFO-18).
 */
export const VISIBILITY_POLICY: Record<SecrecyLevel, LevelRule> = {
  unclassified: { owner: true, custodians: true, roles: 'any_role' },
  restricted: {
    owner: true,
    custodians: true,
    roles: ['archivist', 'supervisor', 'service_manager', 'director', 'general_manager'],
  },
  confidential: {
    owner: true,
    custodians: true,
    roles: ['supervisor', 'service_manager', 'director', 'general_manager'],
  },
  top_secret: { owner: false, custodians: true, roles: ['general_manager'] },
};

/** SEC-7: the level a classified item drops to when its period ends (自行解密). */
export const DECLASSIFY_TO: Record<Exclude<SecrecyLevel, 'unclassified'>, SecrecyLevel> = {
  restricted: 'unclassified',
  confidential: 'unclassified',
  top_secret: 'unclassified',
};

export interface Viewer {
  personId: number;
  roles: readonly Role[];
  /** Customers this person holds an active access grant for. */
  grantedCustomerIds: ReadonlySet<number>;
  /** Customers this person is a named custodian of. */
  custodianOf: ReadonlySet<number>;
}

export interface SecretSubject {
  id: number;
  ownerId: number;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
}

/** How high a level is: a grant approved at one level covers it and those below, not those above. */
export function levelRank(level: SecrecyLevel): number {
  return SECRECY_LEVELS.indexOf(level);
}

/** SEC-7: a secrecy period that has ended declassifies the item by itself. */
export function effectiveSecrecy(
  subject: Pick<SecretSubject, 'secrecyLevel' | 'secrecyUntil'>,
  now: Date,
): SecrecyLevel {
  if (subject.secrecyLevel !== 'unclassified' && subject.secrecyUntil && subject.secrecyUntil <= now) {
    return DECLASSIFY_TO[subject.secrecyLevel];
  }
  return subject.secrecyLevel;
}

export type Visibility = 'visible' | 'masked' | 'hidden';

/**
 * `visible`: the viewer may read the record. `masked`: they may learn it exists (its code and
 * level, to request access) but nothing else. `hidden`: not even that (top secret).
 */
export function visibilityOf(viewer: Viewer, subject: SecretSubject, now: Date): Visibility {
  const level = effectiveSecrecy(subject, now);
  const rule = VISIBILITY_POLICY[level];
  if (viewer.grantedCustomerIds.has(subject.id)) return 'visible';
  if (rule.custodians && viewer.custodianOf.has(subject.id)) return 'visible';
  if (viewer.roles.length === 0) return 'hidden';
  if (rule.owner && subject.ownerId === viewer.personId) return 'visible';
  if (rule.roles === 'any_role' || hasAnyRole(viewer.roles, rule.roles)) return 'visible';
  return level === 'top_secret' ? 'hidden' : 'masked';
}

/**
 * Levels this viewer may not even learn exist unless a grant or custodianship says
 * otherwise (for the search's SQL filter). Derived from visibilityOf so they never disagree.
 */
export function levelsHiddenFrom(viewer: Viewer, now: Date): SecrecyLevel[] {
  const bare: Viewer = { ...viewer, grantedCustomerIds: new Set(), custodianOf: new Set() };
  return SECRECY_LEVELS.filter(
    (level) =>
      visibilityOf(bare, { id: -1, ownerId: viewer.personId, secrecyLevel: level, secrecyUntil: null }, now) ===
      'hidden',
  );
}

/**
 * The search's SQL filter, derived from visibilityOf so the two never disagree: the levels
 * this viewer reads through their roles alone, the levels they read as the owner, and the
 * levels they may not even learn exist. Grants and custodianships open single customers on
 * top of these (`Viewer.grantedCustomerIds`, `Viewer.custodianOf`).
 */
export function levelFilterOf(
  viewer: Viewer,
  now: Date,
): { readable: SecrecyLevel[]; readableAsOwner: SecrecyLevel[]; hidden: SecrecyLevel[] } {
  const bare: Viewer = { ...viewer, grantedCustomerIds: new Set(), custodianOf: new Set() };
  const as = (level: SecrecyLevel, owned: boolean) =>
    visibilityOf(
      bare,
      { id: -1, ownerId: owned ? viewer.personId : viewer.personId - 1, secrecyLevel: level, secrecyUntil: null },
      now,
    );
  return {
    readable: SECRECY_LEVELS.filter((level) => as(level, false) === 'visible'),
    readableAsOwner: SECRECY_LEVELS.filter((level) => as(level, true) === 'visible'),
    hidden: levelsHiddenFrom(viewer, now),
  };
}

/** A channel's audience is anyone: jobs post only what anyone holding a role may see. */
export const CHANNEL_AUDIENCE: Viewer = {
  personId: -1,
  roles: ['service'],
  grantedCustomerIds: new Set(),
  custodianOf: new Set(),
};
