/**
 * Inspections as pure rules (INFO-14, INFO-16, ARCH-21, ARCH-22, ARCH-23, ARCH-24, INFO-8, INFO-15): when each is due,
 * what its checklist holds, and the findings as the inspector writes them. No database, no clock.
 */
import type { FindingAction, InspectionKind } from '../../generated/prisma/client.js';
import { addDays, clampedDay, compareLocalDates, type LocalDate } from '../time.js';

/** How many days after an event (fire, theft, loss, damage, doubt) its inspection is due. */
export const EVENT_INSPECTION_DAYS = 3;

/** ARCH-23: the store's environment (doors and windows, damp, mould, pests, the fire and damp equipment). */
export const ENVIRONMENT_ITEMS = ['doors_windows', 'no_damp', 'no_mould', 'no_pests', 'equipment'] as const;
/** ARCH-21 the four no's, ARCH-23 damage, INFO-8 media and writing material, INFO-15 records match the shelves. */
export const MATERIAL_ITEMS = [
  'not_scattered',
  'not_disordered',
  'not_lost',
  'not_damaged',
  'media_writing',
  'records_match',
] as const;
export type ChecklistItem = (typeof ENVIRONMENT_ITEMS)[number] | (typeof MATERIAL_ITEMS)[number];

/** ARCH-24 (the regulation's article 24): the store's security rules, the default of the configurable list. */
export const DEFAULT_SECURITY_ITEMS = [
  '库房备有必要的防火、防潮器材',
  '设专人负责客户档案的保存，存档设备齐备',
  '库房、档案柜清洁，未存放无关物品',
  '未将档案材料带到公共场合',
  '离开时关灯关窗、锁门',
  '无关人员未进入库房',
  '库房内无人吸烟',
] as const;

export type ChecklistGroup = 'environment' | 'material' | 'security';

/** The groups an inspection of this kind checks: a monthly environment check only the environment. */
export function checklistGroups(kind: InspectionKind): ChecklistGroup[] {
  return kind === 'environment' ? ['environment'] : ['environment', 'material', 'security'];
}

/** The half-year a day falls in (2026-H1, 2026-H2) and its last day: a full inspection's period (INFO-14). */
export function halfYearOf(today: LocalDate): { period: string; dueOn: LocalDate } {
  const second = today.month > 6;
  return {
    period: `${today.year}-H${second ? 2 : 1}`,
    dueOn: second ? { year: today.year, month: 12, day: 31 } : { year: today.year, month: 6, day: 30 },
  };
}

/** The month a day falls in and its last day: an environment check's period (INFO-16). */
export function monthOf(today: LocalDate): { period: string; dueOn: LocalDate } {
  return {
    period: `${today.year}-${String(today.month).padStart(2, '0')}`,
    dueOn: clampedDay(today.year, today.month, 31),
  };
}

export type InspectionStage = 'none' | 'due' | 'overdue';

/** Due: from `noticeDays` before its last day; overdue: from the day after. */
export function inspectionStage(today: LocalDate, dueOn: LocalDate, noticeDays: number): InspectionStage {
  if (compareLocalDates(today, dueOn) > 0) return 'overdue';
  return compareLocalDates(today, addDays(dueOn, -noticeDays)) >= 0 ? 'due' : 'none';
}

const ACTIONS: Record<string, FindingAction> = {
  repair: 'repair',
  修补: 'repair',
  修复: 'repair',
  rebox: 'rebox',
  换盒: 'rebox',
  move: 'move',
  移位: 'move',
  移动: 'move',
  other: 'other',
  其他: 'other',
};

export interface FindingInput {
  subject: string;
  problem: string;
  action: FindingAction;
}

export type FindingProblem = { line: number; reason: 'format' | 'action' | 'too_long' };

/**
 * Findings as the form's text: one per line, `subject; problem; action` (`;`, `；` or `|`), the
 * subject a volume code or a location path, the action repair/修补, rebox/换盒, move/移位 or other/其他.
 * Blank lines are skipped. At most 50 findings.
 */
export function parseFindings(text: string): {
  findings: (FindingInput & { line: number })[];
  problems: FindingProblem[];
} {
  const findings: (FindingInput & { line: number })[] = [];
  const problems: FindingProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const parts = line.split(/[;；|]/).map((part) => part.trim());
    const [subject, problem, actionText] = parts;
    if (parts.length !== 3 || !subject || !problem || !actionText) {
      problems.push({ line: index + 1, reason: 'format' });
      return;
    }
    const action = ACTIONS[actionText.toLowerCase()];
    if (!action) problems.push({ line: index + 1, reason: 'action' });
    else if (subject.length > 200 || problem.length > 500) problems.push({ line: index + 1, reason: 'too_long' });
    else findings.push({ subject, problem, action, line: index + 1 });
  });
  if (findings.length > 50) problems.push({ line: 51, reason: 'too_long' });
  return { findings, problems };
}
