import type { Db } from '../domain/context.js';
import type { Logger } from '../logger.js';

export interface JobDeps {
  db: Db;
  logger: Logger;
  timeZone: string;
}

/** A scheduled job: one file each, its schedule a constant that documents it. */
export interface Job {
  name: string;
  /** A cron expression in the company time zone. */
  schedule: string;
  run(deps: JobDeps, now: Date): Promise<Record<string, unknown>>;
}
