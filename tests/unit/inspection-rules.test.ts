/** INFO-14, INFO-16, ARCH-21, ARCH-22, ARCH-23, ARCH-24 as pure rules: periods, due days, stages, the checklist, findings as written. */
import { describe, expect, it } from 'vitest';
import {
  checklistGroups,
  halfYearOf,
  inspectionStage,
  monthOf,
  parseFindings,
} from '../../src/domain/custody/inspection-rules.js';

const day = (text: string) => {
  const [year, month, d] = text.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 0, day: d ?? 0 };
};

describe('INFO-14, INFO-16: periods and due days', () => {
  it.each([
    ['2026-01-01', '2026-H1', '2026-06-30'],
    ['2026-06-30', '2026-H1', '2026-06-30'],
    ['2026-07-01', '2026-H2', '2026-12-31'],
  ])('%s falls in %s, due %s', (today, period, due) => {
    expect(halfYearOf(day(today))).toEqual({ period, dueOn: day(due) });
  });

  it.each([
    ['2026-02-03', '2026-02', '2026-02-28'],
    ['2028-02-03', '2028-02', '2028-02-29'],
    ['2026-04-30', '2026-04', '2026-04-30'],
  ])('%s: the month %s, due %s', (today, period, due) => {
    expect(monthOf(day(today))).toEqual({ period, dueOn: day(due) });
  });

  it.each([
    ['2026-06-22', 'none'],
    ['2026-06-23', 'due'],
    ['2026-06-30', 'due'],
    ['2026-07-01', 'overdue'],
  ])('due 2026-06-30 with 7 days’ notice, on %s: %s', (today, stage) => {
    expect(inspectionStage(day(today), day('2026-06-30'), 7)).toBe(stage);
  });

  it('INFO-16: a monthly check looks at the store only; a full or an event inspection at everything (ARCH-21, ARCH-24)', () => {
    expect(checklistGroups('environment')).toEqual(['environment']);
    expect(checklistGroups('full')).toEqual(['environment', 'material', 'security']);
    expect(checklistGroups('event')).toEqual(['environment', 'material', 'security']);
  });
});

describe('INFO-15: findings as the inspector writes them', () => {
  it('one per line, `;` `；` or `|`, actions in Chinese or English, blank lines skipped', () => {
    expect(
      parseFindings('JZ-2026-0001；第3页霉斑；修补\n\n档案室1/A柜 | 门锁松动 | other\nJZ-2026-0002; 盒破; rebox'),
    ).toEqual({
      findings: [
        { subject: 'JZ-2026-0001', problem: '第3页霉斑', action: 'repair', line: 1 },
        { subject: '档案室1/A柜', problem: '门锁松动', action: 'other', line: 3 },
        { subject: 'JZ-2026-0002', problem: '盒破', action: 'rebox', line: 4 },
      ],
      problems: [],
    });
  });

  it('a line not in three parts, or with an unknown action, is a problem on its line', () => {
    expect(parseFindings('只写了一句\nJZ-2026-0001；霉斑；烧掉\nJZ-2026-0001；；修补').problems).toEqual([
      { line: 1, reason: 'format' },
      { line: 2, reason: 'action' },
      { line: 3, reason: 'format' },
    ]);
  });
});
