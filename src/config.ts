/**
 * The environment, parsed once (DESIGN.md "Public contract"). An empty variable counts as unset.
 */
import { z } from 'zod';
import type { UiLocale } from './blocks/i18n/index.js';

export type { UiLocale };

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url({ error: 'must be a URL such as http://127.0.0.1:4000/api/' }).optional()),
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: 'must be a port number' })
      .transform(Number)
      .refine((port) => port <= 65535, { error: 'must be at most 65535' })
      .optional(),
  ),
  HOST: optionalText,
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must start with postgres:// or postgresql://' })
      .optional(),
  ),
  DATA_DIR: optionalText,
  AUDIT_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64,}$/, { error: 'must be at least 64 hex digits (32 bytes)' })
      .optional(),
  ),
  TZ_COMPANY: optionalText.pipe(
    z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Shanghai' }).optional(),
  ),
  DEFAULT_LOCALE: optionalText.pipe(z.enum(['zh-CN', 'en']).optional()),
  ADMIN_USER_IDS: optionalText,
  LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

export interface Config {
  slack: Partial<SlackConfig>;
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  /** Hex; unset: DATA_DIR/audit.key, made on first start. */
  auditKey?: string;
  timeZone: string;
  defaultLocale: UiLocale;
  adminUserIds: string[];
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    slack: {
      ...(e.SLACK_BOT_TOKEN && { botToken: e.SLACK_BOT_TOKEN }),
      ...(e.SLACK_SIGNING_SECRET && { signingSecret: e.SLACK_SIGNING_SECRET }),
      ...(e.SLACK_APP_TOKEN && { appToken: e.SLACK_APP_TOKEN }),
      ...(e.SLACK_API_URL && { apiUrl: e.SLACK_API_URL }),
    },
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    ...(e.DATABASE_URL && { databaseUrl: e.DATABASE_URL }),
    dataDir: e.DATA_DIR ?? './data',
    ...(e.AUDIT_KEY && { auditKey: e.AUDIT_KEY }),
    timeZone: e.TZ_COMPANY ?? 'Asia/Shanghai',
    defaultLocale: e.DEFAULT_LOCALE ?? 'zh-CN',
    adminUserIds: (e.ADMIN_USER_IDS ?? '')
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

/** Whether any Slack credential is set: then the bot is for a real workspace, never the local one. */
export function hasSlackCredentials(config: Config): boolean {
  const { botToken, signingSecret, appToken } = config.slack;
  return Boolean(botToken || signingSecret || appToken);
}

/**
 * The Slack credentials the bot needs to start, or the names of the missing variables.
 * Socket Mode needs the bot and app tokens; HTTP mode the bot token and signing secret.
 */
export function requireSlack(config: Config): { ok: true; slack: SlackConfig } | { ok: false; missing: string[] } {
  const { botToken, signingSecret, appToken } = config.slack;
  const missing: string[] = [];
  if (!botToken) missing.push('SLACK_BOT_TOKEN');
  if (!appToken && !signingSecret) missing.push('SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
  if (missing.length > 0 || !botToken) return { ok: false, missing };
  return { ok: true, slack: { ...config.slack, botToken } };
}
