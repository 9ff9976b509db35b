import { describe, expect, it } from 'vitest';
import { mayDecide } from '../../src/domain/approvals/approvers.js';
import { approvalChain } from '../../src/domain/approvals/policy.js';

const chain = (
  kind: 'view' | 'copy' | 'provide',
  level: 'unclassified' | 'restricted' | 'confidential' | 'top_secret',
) => approvalChain(kind, level).map((step) => [...step.roles]);

describe('approval chains (DESIGN.md "Policy as data")', () => {
  it.each([
    ['unclassified', [['dept_head'], ['archivist']]],
    ['restricted', [['dept_head'], ['archivist']]],
    ['confidential', [['dept_head'], ['archivist'], ['service_manager']]],
    ['top_secret', [['dept_head'], ['archivist'], ['service_manager'], ['general_manager']]],
  ] as const)('INFO-18 ARCH-27: a view of a %s customer: %j', (level, expected) => {
    expect(chain('view', level)).toEqual(expected);
  });

  it.each([
    ['unclassified', [['general_manager', 'supervisor']]],
    ['restricted', [['general_manager', 'deputy_gm']]],
    ['confidential', [['general_manager', 'deputy_gm']]],
    ['top_secret', [['general_manager', 'deputy_gm']]],
  ] as const)('INFO-23 SEC-8: a copy of a %s customer: %j', (level, expected) => {
    expect(chain('copy', level)).toEqual(expected);
  });

  it.each(['unclassified', 'restricted', 'confidential', 'top_secret'] as const)(
    'INFO-24 SEC-10: a provision (%s) goes supervisor → service manager → general manager',
    (level) => {
      expect(chain('provide', level)).toEqual([['supervisor'], ['service_manager'], ['general_manager']]);
    },
  );
});

describe('report chains (DESIGN.md "Policy as data")', () => {
  const reportChain = (kind: 'report_release' | 'report_correction' | 'report_access' | 'report_destruction') =>
    approvalChain(kind, 'restricted').map((step) => [...step.roles]);
  it('INFO-13: a report is released once the supervisor and then the service manager sign', () => {
    expect(reportChain('report_release')).toEqual([['supervisor'], ['service_manager']]);
  });
  it('INFO-11: a correction slip to a released report is approved by the general manager', () => {
    expect(reportChain('report_correction')).toEqual([['general_manager']]);
  });
  it('INFO-10: another department’s request for the periodic reports: service manager → general manager', () => {
    expect(reportChain('report_access')).toEqual([['service_manager'], ['general_manager']]);
  });
  it('STAT-9: outdated statistics are destroyed after the supervisor, the service manager and the GM each approve', () => {
    expect(reportChain('report_destruction')).toEqual([['supervisor'], ['service_manager'], ['general_manager']]);
  });
  it('ARCH-29: a destruction batch: service manager and the originating head jointly, then the director', () => {
    expect(approvalChain('destruction', 'restricted')).toEqual([
      { roles: ['service_manager', 'dept_head'], mode: 'all' },
      { roles: ['director'] },
    ]);
    // SEC-3, INFO-22: a batch of 绝密 volumes is for the general manager alone.
    expect(approvalChain('destruction', 'top_secret')).toEqual([{ roles: ['general_manager'] }]);
  });
});

describe('who may decide a step (checked at click time)', () => {
  const request = { requesterId: 1, departmentId: 10 };
  it('INFO-18: a department head decides only for their own department', () => {
    expect(mayDecide({ id: 2, roles: ['dept_head'], departmentId: 10 }, { roles: ['dept_head'] }, request)).toBe(true);
    expect(mayDecide({ id: 3, roles: ['dept_head'], departmentId: 11 }, { roles: ['dept_head'] }, request)).toBe(false);
    expect(mayDecide({ id: 3, roles: ['dept_head'], departmentId: null }, { roles: ['dept_head'] }, request)).toBe(
      false,
    );
  });

  it('any one of the step’s roles decides; others may not', () => {
    const step = { roles: ['general_manager', 'deputy_gm'] as const };
    expect(mayDecide({ id: 4, roles: ['deputy_gm'], departmentId: null }, { roles: [...step.roles] }, request)).toBe(
      true,
    );
    expect(mayDecide({ id: 5, roles: ['supervisor'], departmentId: null }, { roles: [...step.roles] }, request)).toBe(
      false,
    );
  });

  it('a person never approves their own request', () => {
    expect(
      mayDecide(
        { id: 1, roles: ['general_manager', 'dept_head'], departmentId: 10 },
        { roles: ['general_manager'] },
        request,
      ),
    ).toBe(false);
  });
});
