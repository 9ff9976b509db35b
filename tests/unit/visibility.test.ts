import { describe, expect, it } from 'vitest';
import { availableSubcommands } from '../../src/domain/access/capabilities.js';
import { effectiveSecrecy, type Viewer, type Visibility, visibilityOf } from '../../src/domain/access/visibility.js';
import { ROLES, type Role } from '../../src/domain/people/roles.js';

const NOW = new Date('2026-11-28T02:00:00Z');
const viewer = (personId: number, roles: Role[], extra: Partial<Viewer> = {}): Viewer => ({
  personId,
  roles,
  grantedCustomerIds: new Set(),
  custodianOf: new Set(),
  ...extra,
});
const FUTURE = new Date('2030-01-01T00:00:00Z');
const OWNER_ID = 1;
const OTHER_ID = 2;

/** REQUIREMENTS.md "Secrecy levels": who sees what without a request (non-owner). */
const EXPECTED: Record<'restricted' | 'confidential' | 'top_secret', Role[]> = {
  restricted: ['archivist', 'supervisor', 'service_manager', 'director', 'general_manager'],
  confidential: ['supervisor', 'service_manager', 'director', 'general_manager'],
  top_secret: ['general_manager'],
};

describe('visibility by secrecy level (SEC-5, SEC-6, INFO-17, INFO-22)', () => {
  for (const role of ROLES) {
    for (const level of ['restricted', 'confidential', 'top_secret'] as const) {
      const expected: Visibility = EXPECTED[level].includes(role)
        ? 'visible'
        : level === 'top_secret'
          ? 'hidden'
          : 'masked';
      it(`SEC-5: ${role} sees another person's ${level} customer as ${expected}`, () => {
        const subject = { id: 7, ownerId: OWNER_ID, secrecyLevel: level, secrecyUntil: FUTURE };
        expect(visibilityOf(viewer(OTHER_ID, [role]), subject, NOW)).toBe(expected);
      });
    }
    it(`INFO-17: ${role} sees unclassified customers`, () => {
      const subject = { id: 7, ownerId: OWNER_ID, secrecyLevel: 'unclassified' as const, secrecyUntil: null };
      expect(visibilityOf(viewer(OTHER_ID, [role]), subject, NOW)).toBe('visible');
    });
  }

  it('SEC-5: the owning salesperson sees their restricted and confidential customers, not top secret', () => {
    const owner = viewer(OWNER_ID, ['sales']);
    expect(
      visibilityOf(owner, { id: 7, ownerId: OWNER_ID, secrecyLevel: 'restricted', secrecyUntil: FUTURE }, NOW),
    ).toBe('visible');
    expect(
      visibilityOf(owner, { id: 7, ownerId: OWNER_ID, secrecyLevel: 'confidential', secrecyUntil: FUTURE }, NOW),
    ).toBe('visible');
    expect(
      visibilityOf(owner, { id: 7, ownerId: OWNER_ID, secrecyLevel: 'top_secret', secrecyUntil: FUTURE }, NOW),
    ).toBe('hidden');
  });

  it('INFO-17: a person without any role sees nothing, not even unclassified customers', () => {
    const subject = { id: 7, ownerId: OWNER_ID, secrecyLevel: 'unclassified' as const, secrecyUntil: null };
    expect(visibilityOf(viewer(OTHER_ID, []), subject, NOW)).toBe('hidden');
  });

  it('SEC-7: an ended secrecy period counts as unclassified from its end instant on', () => {
    const until = new Date('2026-11-28T16:00:00Z');
    expect(effectiveSecrecy({ secrecyLevel: 'top_secret', secrecyUntil: until }, new Date(until.getTime() - 1))).toBe(
      'top_secret',
    );
    expect(effectiveSecrecy({ secrecyLevel: 'top_secret', secrecyUntil: until }, until)).toBe('unclassified');
  });
});

describe('/kh help lists what each role may use', () => {
  it.each([
    [[], ['help', 'whoami', 'lang', 'incident']],
    // Everyone with a role: where things are, volume sheets (visibility decides), their own loans.
    [
      ['sales'],
      [
        'help',
        'whoami',
        'lang',
        'new',
        'find',
        'show',
        'edit',
        'export',
        'request',
        'incident',
        'where',
        'sheet',
        'loans',
        'route',
        'register',
        'report',
        'submissions',
        'matter',
        'handover',
      ],
    ],
    [
      ['finance'],
      [
        'help',
        'whoami',
        'lang',
        'find',
        'show',
        'export',
        'request',
        'incident',
        'where',
        'sheet',
        'loans',
        'route',
        'register',
        'report',
        'submissions',
        'matter',
        'handover',
      ],
    ],
    [
      ['admin'],
      [
        'help',
        'whoami',
        'lang',
        'find',
        'show',
        'export',
        'request',
        'incident',
        'where',
        'sheet',
        'loans',
        'route',
        'register',
        'report',
        'submissions',
        'inspection',
        'matter',
        'handover',
        'role',
        'config',
      ],
    ],
    // ARCH-3: archivists (and the supervisor) file, keep the locations, take returns, reconcile.
    [
      ['supervisor'],
      [
        'help',
        'whoami',
        'lang',
        'new',
        'find',
        'show',
        'edit',
        'export',
        'request',
        'incident',
        'audit',
        'custodian',
        'file',
        'where',
        'sheet',
        'location',
        'shelve',
        'loans',
        'return',
        'reconcile',
        // STAT-5: the supervisor holds the statistics: imports figures, grades.
        'import',
        'grade',
        'route',
        'register',
        'report',
        'submissions',
        'received',
        'inspection',
        'destruction',
        'matter',
        'archive',
        'handover',
      ],
    ],
  ] as [Role[], string[]][])('roles %o → %o', (roles, expected) => {
    expect(availableSubcommands(roles)).toEqual(expected);
  });
});
