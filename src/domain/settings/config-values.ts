/**
 * Values the regulations leave open (REQUIREMENTS.md: "configuration with a sensible
 * default, never a hard-coded constant"), kept in the settings table as `config.<key>` and
 * changed by admins with `/kh config set <key> <value>`. A missing or unreadable value is
 * its default.
 */
import { can } from '../access/capabilities.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';

export const CONFIG_VALUES = {
  /** SEC-7: the secrecy period the customer form offers, in years. */
  secrecy_default_years: { default: 3, min: 1, max: 30 },
  /** SEC-6: the shortest secrecy period someone below supervisor may register, in days. */
  secrecy_min_days: { default: 365, min: 1, max: 3650 },
  /** SEC-16: how far back a leak report lists who saw each customer, in days. */
  incident_view_window_days: { default: 90, min: 1, max: 3650 },
  /** DB-11: the most rows one register export carries. */
  export_max_rows: { default: 2000, min: 1, max: 20000 },
  /** Approvers are reminded after this many working hours. */
  remind_after_working_hours: { default: 24, min: 1, max: 720 },
  /** Requesters are told after this many days of waiting on one step. */
  escalate_after_days: { default: 3, min: 1, max: 90 },
  /** INFO-27: leak reports one person may file in an hour (a flood is refused, audited). */
  incident_reports_per_hour: { default: 5, min: 1, max: 100 },
  /** INFO-19: the longest loan of archive material, in days. */
  loan_max_days: { default: 3, min: 1, max: 30 },
  /** DB-8: the share of customers graded A, in percent (by the last three months' average). */
  grade_a_percent: { default: 20, min: 0, max: 100 },
  /** DB-8: the share graded B after the A customers, in percent. */
  grade_b_percent: { default: 30, min: 0, max: 100 },
  /** DB-8: grade by amounts instead when both are set: the average (yuan) for A, and for B; 0 = by shares. */
  grade_a_min_yuan: { default: 0, min: 0, max: 1_000_000_000 },
  grade_b_min_yuan: { default: 0, min: 0, max: 1_000_000_000 },
  /** STAT-18: a statistics report is due by this day of the month after its period (later is late). */
  report_due_day: { default: 10, min: 1, max: 28 },
  /** ARCH-5: a month's material is due by this day of the next month. */
  submission_due_day: { default: 5, min: 1, max: 28 },
  /** INFO-14, INFO-16: the archivists are told an inspection is due this many days before its last day. */
  inspection_notice_days: { default: 7, min: 1, max: 60 },
  /** ARCH-17, ARCH-29: how many years a long-term (长期) and a short-term (短期) volume is kept after its year. */
  retention_long_years: { default: 30, min: 1, max: 100 },
  retention_short_years: { default: 10, min: 1, max: 100 },
  /** ARCH-29: how long an approved batch is held apart before it is destroyed, in months (the regulation's six at least). */
  destruction_hold_months: { default: 6, min: 6, max: 60 },
} as const;

export type ConfigKey = keyof typeof CONFIG_VALUES;
export type ConfigValues = Record<ConfigKey, number>;

const CONFIG_KEYS = Object.keys(CONFIG_VALUES) as ConfigKey[];
const settingKey = (key: ConfigKey) => `config.${key}`;

export function isConfigKey(text: string): text is ConfigKey {
  return Object.hasOwn(CONFIG_VALUES, text);
}

/** Every value, stored or default, in one query. */
export async function readConfig(db: Db | Tx): Promise<ConfigValues> {
  const rows = await db.setting.findMany({ where: { key: { in: CONFIG_KEYS.map(settingKey) } } });
  const stored = new Map(rows.map((row) => [row.key, Number(row.value)]));
  return Object.fromEntries(
    CONFIG_KEYS.map((key) => {
      const { default: fallback, min, max } = CONFIG_VALUES[key];
      const value = stored.get(settingKey(key));
      return [key, value !== undefined && Number.isInteger(value) && value >= min && value <= max ? value : fallback];
    }),
  ) as ConfigValues;
}

/** The values as a use case or handler reads them. */
export function configValues(ctx: Pick<UseCaseContext, 'db'>): Promise<ConfigValues> {
  return readConfig(ctx.db);
}

/** Admins set a value (whole numbers within its range); audited like every setting. */
export function setConfigValue(ctx: UseCaseContext, key: ConfigKey, value: number): Promise<ConfigValues> {
  return runUseCase(ctx, async ({ tx, now, actor, me, audit, refuse }) => {
    if (!can(me.roles, 'assignRoles')) {
      return refuse(
        new DomainError('not_allowed', { action: 'config' }),
        denied('setting', settingKey(key), 'setting.change'),
      );
    }
    const { min, max } = CONFIG_VALUES[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DomainError('config_out_of_range', { key, min, max });
    }
    const before = (await readConfig(tx))[key];
    await tx.setting.upsert({
      where: { key: settingKey(key) },
      create: { key: settingKey(key), value: String(value), updatedAt: now, updatedBy: actor.slackUserId },
      update: { value: String(value), updatedAt: now, updatedBy: actor.slackUserId },
    });
    await audit({
      action: 'setting.changed',
      subjectType: 'setting',
      subjectId: settingKey(key),
      details: { before, after: value },
    });
    return readConfig(tx);
  });
}
