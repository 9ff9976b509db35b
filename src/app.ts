/**
 * Builds the Bolt app: Socket Mode when an app token is configured, HTTP (Events API at
 * /slack/events) otherwise. Knows nothing of the database beyond handing HandlerDeps on.
 */
import type { Server } from 'node:http';
import { App, LogLevel, webApi } from '@slack/bolt';
import type { SlackConfig } from './config.js';
import { type HandlerDeps, registerHandlers } from './handlers/index.js';
import { boltLogger, type Logger } from './logger.js';

export interface SlackApp {
  app: App;
  mode: 'socket' | 'http';
  /** Starts listening; in HTTP mode resolves with the server (port 0 picks a free port). */
  start(): Promise<Server | undefined>;
  /** Stops taking new requests and waits (up to `graceMs`) for those in flight to finish. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when no listener is running (tests use it as a completion signal). */
  idle(): Promise<void>;
}

export interface SlackAppOptions {
  slack: SlackConfig;
  port: number;
  host: string;
  deps: HandlerDeps;
  logger: Logger;
  /** Web API retries; tests use 0 so a failing fake answers at once. */
  retries?: number;
}

export class SlackStartupError extends Error {}

/**
 * Checks the bot token once with a short timeout so that a wrong token or an unreachable
 * Slack is reported clearly at startup instead of being retried for half an hour.
 */
async function identifyBot(slack: SlackConfig): Promise<{ botId: string; botUserId: string }> {
  const client = new webApi.WebClient(slack.botToken, {
    ...(slack.apiUrl && { slackApiUrl: slack.apiUrl }),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logLevel: LogLevel.ERROR,
  });
  try {
    const auth = await client.auth.test();
    if (!auth.user_id) throw new SlackStartupError('auth.test returned no bot user id');
    return { botId: auth.bot_id ?? '', botUserId: auth.user_id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    throw new SlackStartupError(
      code
        ? `Slack refused the bot token (${code}). Check SLACK_BOT_TOKEN.`
        : `Could not reach the Slack Web API at ${slack.apiUrl ?? 'https://slack.com/api/'}: ${(error as Error).message}`,
    );
  }
}

export async function createSlackApp(options: SlackAppOptions): Promise<SlackApp> {
  const { slack, logger } = options;
  const { botId, botUserId } = await identifyBot(slack);
  const socketMode = Boolean(slack.appToken);
  const clientOptions = {
    ...(slack.apiUrl && { slackApiUrl: slack.apiUrl }),
    ...(options.retries !== undefined && { retryConfig: { retries: options.retries } }),
  };
  const app = new App({
    token: slack.botToken,
    botId,
    botUserId,
    tokenVerificationEnabled: false,
    ...(socketMode
      ? // The Socket Mode client opens its connection (apps.connections.open) with its own
        // Web API client, configured through installerOptions: SLACK_API_URL must reach it too.
        { socketMode: true, appToken: slack.appToken, installerOptions: { clientOptions } }
      : { signingSecret: slack.signingSecret ?? '' }),
    logger: boltLogger(logger),
    clientOptions,
  });

  let inFlight = 0;
  let waiters: (() => void)[] = [];
  app.use(async ({ next }) => {
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
      if (inFlight === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    }
  });
  const idle = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));

  registerHandlers(app, options.deps);
  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });

  return {
    app,
    mode: socketMode ? 'socket' : 'http',
    async start() {
      if (socketMode) {
        await app.start();
        return undefined;
      }
      return (await app.start({ port: options.port, host: options.host })) as Server;
    },
    async stop(graceMs = 10_000) {
      await app.stop();
      await Promise.race([idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
    idle,
  };
}
