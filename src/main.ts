/**
 * Composition root: config → database (migrated) → Slack app → handlers → jobs, and a
 * graceful stop on SIGTERM/SIGINT. The only module that knows every part.
 *
 * The embedded database server (a child process) is spawned first, before any large module
 * has loaded, and comes up while the configuration's, the logger's and the Slack app's
 * modules load: only the modules that start it are imported statically (bench/README.md,
 * startup). The configuration is still checked before anything else is used; a bad one
 * stops the server again.
 */

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { bootInfo } from './code-cache.js';
import type { Config } from './config.js';
import { type Database, type OpenDatabaseOptions, openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrate.js';
import type { JobDeps } from './jobs/job.js';
import type { Logger } from './logger.js';

const MANIFEST_HELP = `
To create the Slack app: open https://api.slack.com/apps → Create New App → From a manifest,
paste manifest.yml from this repository, install the app to your workspace, then set:
  SLACK_BOT_TOKEN       OAuth & Permissions → Bot User OAuth Token (xoxb-…)
  SLACK_APP_TOKEN       Basic Information → App-Level Tokens, scope connections:write (xapp-…), for Socket Mode
  SLACK_SIGNING_SECRET  Basic Information → Signing Secret, for HTTP mode instead of Socket Mode
See README.md "Create the Slack app".`;

function fail(message: string, code = 1): never {
  process.stderr.write(`custodian: ${message}\n`);
  process.exit(code);
}

/** The environment variable as loadConfig reads it: trimmed, an empty one unset. */
function env(name: string): string | undefined {
  return process.env[name]?.trim() || undefined;
}

async function main(): Promise<void> {
  // Signals are handled from here on, also while starting: what has started is stopped in
  // reverse order, so a SIGTERM during startup never leaves the embedded server behind.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  let logger: Logger | undefined;
  let stopSignal: string | undefined;
  let started = false;
  const closeAll = async (): Promise<never> => {
    for (const { name, close } of closers.reverse()) {
      await close().catch((error: unknown) => logger?.error({ err: error, part: name }, 'error while stopping'));
    }
    logger?.info('stopped');
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    if (stopSignal) {
      // A second signal: stop now. The exit hook still stops the embedded server (fast shutdown).
      logger?.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopSignal = signal;
    logger?.info({ signal }, 'stopping: finishing in-flight work');
    // While starting, the startup sequence notices at its next step and stops what it has.
    if (started) void closeAll();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));

  const startedAt = Date.now();
  // The embedded server's events are logged once the logger exists.
  const events: [string, Record<string, unknown> | undefined][] = [];
  const onEvent: NonNullable<OpenDatabaseOptions['onEvent']> = (message, fields) =>
    logger ? logger.info(fields ?? {}, message) : events.push([message, fields]);
  const open = (config: Pick<Config, 'databaseUrl' | 'dataDir'>) => {
    const opening = openDatabase({
      ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
      dataDir: config.dataDir,
      command: 'npm start (bot)',
      onEvent,
    });
    opening.catch(() => {}); // handled below, after the modules have loaded
    return opening;
  };
  // The embedded default with Slack credentials present (what loadConfig and requireSlack
  // will accept, as far as the database is concerned): the server starts now. Anything else
  // (DATABASE_URL, or a start that is about to be refused) waits for the configuration.
  const early =
    !env('DATABASE_URL') && env('SLACK_BOT_TOKEN') && (env('SLACK_SIGNING_SECRET') || env('SLACK_APP_TOKEN'))
      ? open({ dataDir: env('DATA_DIR') ?? './data' })
      : undefined;
  /** Stops what the early start started (the server, DATA_DIR's lock), then exits. */
  const refuse = async (message: string, code = 1): Promise<never> => {
    await early?.then((database) => database.close()).catch(() => {});
    process.stderr.write(`custodian: ${message}\n`);
    process.exit(code);
  };

  const [
    { ConfigError, hasSlackCredentials, loadConfig, requireSlack },
    { createLogger },
    { loadAuditKey, witnessFile },
    { useAuditKey },
  ] = await Promise.all([
    import('./config.js'),
    import('./logger.js'),
    import('./audit-witnesses.js'),
    import('./domain/audit/audit-key.js'),
  ]);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return refuse(error.message, 2);
    throw error;
  }
  // No Slack credentials at all: the local workspace in the browser (src/local/), never when
  // any credential is set. A partial set is a real workspace half configured: say what is missing.
  const local = !hasSlackCredentials(config);
  const askedForLocal = process.argv.includes('--local');
  if (askedForLocal && !local) {
    return refuse(
      'the local workspace is never started while Slack credentials are set (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN): unset them to try Custodian locally.',
      2,
    );
  }
  const localHost = env('HOST') ?? '127.0.0.1';
  if (local && config.databaseUrl && !askedForLocal) {
    return refuse(
      'no Slack credentials are set (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) while DATABASE_URL points at a database: set them, or run `npm run local` to open the local workspace on that database anyway.',
      2,
    );
  }
  if (local) {
    const { assertLoopback, LocalWorkspaceError } = await import('./local/server.js');
    try {
      assertLoopback(localHost);
    } catch (error) {
      if (error instanceof LocalWorkspaceError) return refuse(error.message, 2);
      throw error;
    }
  }
  const slack = local ? undefined : requireSlack(config);
  if (slack && !slack.ok) return refuse(`missing Slack credentials: ${slack.missing.join(', ')}.\n${MANIFEST_HELP}`, 2);

  const log = createLogger(config.logLevel);
  logger = log;
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  for (const [message, fields] of events.splice(0)) log.info(fields ?? {}, message);
  if (stopSignal) log.info({ signal: stopSignal }, 'stopping: finishing in-flight work');

  // The audit chain's key lives outside the database (SEC-16); the chain cannot be written without it.
  try {
    useAuditKey(loadAuditKey(config));
  } catch (error) {
    return refuse(`cannot load the audit key (AUDIT_KEY or ${config.dataDir}/audit.key): ${(error as Error).message}`);
  }
  const opening = early ?? open(config);
  const [{ createSlackApp, SlackStartupError }, { bootstrapAdmins }, { startScheduler, JOBS, runJob }, { notifierOf }] =
    await Promise.all([
      import('./app.js'),
      import('./domain/people/bootstrap-admins.js'),
      import('./jobs/scheduler.js'),
      import('./jobs/web-api-notifier.js'),
    ]);
  let database: Database;
  try {
    database = await opening;
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof MigrationError) return refuse(error.message);
    return refuse(`cannot open the database: ${(error as Error).message}`);
  }
  closers.push({ name: 'database', close: () => database.close() });
  if (stopSignal) return void (await closeAll());
  log.info(
    { database: database.kind, applied: database.migration.applied, ms: Date.now() - startedAt },
    'database ready',
  );
  const promoted = await bootstrapAdmins(database.prisma, config.adminUserIds, new Date());
  if (promoted.length) log.info({ promoted }, 'admins from ADMIN_USER_IDS');

  const deps = {
    db: database.prisma,
    clock: () => new Date(),
    timeZone: config.timeZone,
    defaultLocale: config.defaultLocale,
    logger: log,
  };
  let jobDeps: JobDeps | undefined;
  // The local workspace plays Slack: the bot gets its Web API URL and credentials made up for
  // this run, and listens on a free loopback port that only the workspace knows.
  const workspace = local
    ? await startWorkspace(database, config, { host: localHost, askedFor: askedForLocal }, log, (name, at) => {
        const job = JOBS.find((j) => j.name === name);
        if (!job || !jobDeps) throw new Error(`no job ${name}`);
        return runJob(jobDeps, job, at);
      }).catch((error: unknown) => error as Error)
    : undefined;
  if (workspace instanceof Error) {
    await database.close();
    return workspace.name === 'LocalWorkspaceError'
      ? refuse(workspace.message, 2)
      : refuse(`cannot start the local workspace on ${localHost}:${config.port}: ${workspace.message}`);
  }
  if (workspace) closers.push({ name: 'local workspace', close: () => workspace.server.close() });
  const slackConfig = workspace ? workspace.slack : slack?.ok ? slack.slack : undefined;
  if (!slackConfig) return refuse('no Slack configuration');
  let slackApp: Awaited<ReturnType<typeof createSlackApp>>;
  try {
    slackApp = await createSlackApp({
      slack: slackConfig,
      port: workspace ? 0 : config.port,
      host: workspace ? '127.0.0.1' : config.host,
      deps,
      logger: log,
    });
  } catch (error) {
    await database.close();
    if (error instanceof SlackStartupError) return refuse(error.message);
    throw error;
  }
  const listening = await slackApp.start();
  closers.push({ name: 'slack', close: () => slackApp.stop() });
  if (stopSignal) return void (await closeAll());
  jobDeps = {
    db: database.prisma,
    logger: log,
    witnesses: witnessFile(config.dataDir),
    timeZone: config.timeZone,
    defaultLocale: config.defaultLocale,
    notifier: notifierOf(slackApp.app.client),
  };
  const scheduler = startScheduler(jobDeps);
  closers.push({ name: 'scheduler', close: () => scheduler.stop() });
  started = true;
  if (workspace) {
    const port = (listening?.address() as AddressInfo | null)?.port;
    workspace.connect({
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: slackConfig.signingSecret ?? '',
    });
    log.info({ mode: 'local', url: workspace.server.url, seeded: workspace.seeded }, 'Custodian is running');
    process.stdout.write(`\nCustodian's local workspace: ${workspace.server.url}\n\n`);
  } else {
    log.info(
      {
        ...(slackApp.mode === 'http'
          ? { mode: 'http', url: `http://${config.host}:${config.port}/slack/events` }
          : { mode: 'socket' }),
        ms: Date.now() - startedAt,
        codeCache: bootInfo()?.codeCache,
      },
      'Custodian is running',
    );
  }
  // What ran until now is what the next start needs compiled: the code cache is written now.
  bootInfo()?.started();
  if (stopSignal) await closeAll();
}

/**
 * The local workspace (src/local/): the demo company in the ledger, and the page with its
 * Slack-like Web API on loopback. Returns the Slack configuration the bot is to use.
 */
async function startWorkspace(
  database: Database,
  config: Config,
  { host, askedFor }: { host: string; askedFor: boolean },
  log: Logger,
  runOneJob: (name: string, at: Date) => Promise<unknown>,
) {
  const [{ prepareDemoCompany }, { startLocalServer }, { Workspace }, { JOBS }] = await Promise.all([
    import('./local/demo-company.js'),
    import('./local/server.js'),
    import('./local/workspace.js'),
    import('./jobs/scheduler.js'),
  ]);
  const company = await prepareDemoCompany(database.prisma, { now: new Date(), timeZone: config.timeZone, askedFor });
  const workspace = new Workspace({ botUserId: 'U0CUSTODIAN', people: company.people, channels: company.channels });
  const botToken = `xoxb-local-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  let link: { eventsUrl: string; signingSecret: string } | undefined;
  const server = await startLocalServer({
    workspace,
    host,
    port: config.port,
    botToken,
    bot: () => link,
    jobs: {
      names: JOBS.map((job) => job.name),
      run: async (name, at) => ({ ...((await runOneJob(name, at)) as Record<string, unknown>) }),
    },
    onError: (error, where) => log.error({ err: error, where }, 'local workspace request failed'),
  });
  return {
    server,
    seeded: company.seeded,
    slack: { botToken, signingSecret, apiUrl: server.apiUrl },
    connect(bot: { eventsUrl: string; signingSecret: string }) {
      link = bot;
    },
  };
}

main().catch((error: unknown) => fail(`failed to start: ${(error as Error).message}`));
