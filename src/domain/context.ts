import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Who is acting: a Slack user, or the bot itself (jobs, bootstrap). */
export interface Actor {
  slackUserId: string;
}

export const SYSTEM_ACTOR: Actor = { slackUserId: 'system' };

/** What every use case receives: the database, the clock, the acting user, the company time zone. */
export interface UseCaseContext {
  db: Db;
  now: Date;
  actor: Actor;
  timeZone: string;
}
