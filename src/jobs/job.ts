import type { WitnessStore } from '../audit-witnesses.js';
import type { UiLocale } from '../blocks/i18n/index.js';
import type { Db } from '../domain/context.js';
import type { Logger } from '../logger.js';

/** How a job posts to Slack; the composition root gives it the app's Web API client. */
export interface Notifier {
  post(channel: string, message: { text: string; threadTs?: string }): Promise<void>;
  /** A file (a chart) shared in a channel with a comment. */
  upload(channel: string, file: { filename: string; bytes: Buffer; title: string; comment: string }): Promise<void>;
}

export interface JobDeps {
  db: Db;
  logger: Logger;
  timeZone: string;
  defaultLocale: UiLocale;
  /** Absent when a job runs from the CLI without Slack: posts are then skipped and counted. */
  notifier?: Notifier;
  /** Where the audit chain's witnesses are kept outside the database (DATA_DIR). */
  witnesses?: WitnessStore;
}

/** A scheduled job: one file each, its schedule a constant that documents it. */
export interface Job {
  name: string;
  /** A cron expression in the company time zone. */
  schedule: string;
  run(deps: JobDeps, now: Date): Promise<Record<string, unknown>>;
}

/**
 * What went wrong, as a few plain fields rather than the Web API error object (which wraps
 * the HTTP client's own error, request and all): nothing near the token reaches the log.
 */
export function failureFields(error: unknown): { error: string; code?: string; slackError?: string } {
  const e = error as { message?: string; code?: string; data?: { error?: string } };
  return {
    error: String(e.message ?? error),
    ...(typeof e.code === 'string' && { code: e.code }),
    ...(typeof e.data?.error === 'string' && { slackError: e.data.error }),
  };
}
