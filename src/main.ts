/**
 * Composition root: config → database (migrated) → Slack app → handlers → jobs, and a
 * graceful stop on SIGTERM/SIGINT. The only module that knows every part.
 *
 * The database (the embedded server is a child process) starts first, and the Slack app's
 * modules load while it comes up: only what opening the database needs is imported
 * statically (bench/README.md, startup).
 */

import { loadAuditKey, witnessFile } from './audit-witnesses.js';
import { ConfigError, loadConfig, requireSlack } from './config.js';
import { openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrate.js';
import { useAuditKey } from './domain/audit/audit-key.js';
import { createLogger } from './logger.js';

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

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  const slack = requireSlack(config);
  if (!slack.ok) fail(`missing Slack credentials: ${slack.missing.join(', ')}.\n${MANIFEST_HELP}`, 2);

  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  // Signals are handled from here on, also while starting: what has started is stopped in
  // reverse order, so a SIGTERM during startup never leaves the embedded server behind.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  let stopSignal: string | undefined;
  let started = false;
  const closeAll = async (): Promise<never> => {
    for (const { name, close } of closers.reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error, part: name }, 'error while stopping'));
    }
    logger.info('stopped');
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    if (stopSignal) {
      // A second signal: stop now. The exit hook still stops the embedded server (fast shutdown).
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopSignal = signal;
    logger.info({ signal }, 'stopping: finishing in-flight work');
    // While starting, the startup sequence notices at its next step and stops what it has.
    if (started) void closeAll();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));

  const startedAt = Date.now();
  // The audit chain's key lives outside the database (SEC-16); the chain cannot be written without it.
  try {
    useAuditKey(loadAuditKey(config));
  } catch (error) {
    fail(`cannot load the audit key (AUDIT_KEY or ${config.dataDir}/audit.key): ${(error as Error).message}`);
  }
  const opening = openDatabase({
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
    dataDir: config.dataDir,
    command: 'npm start (bot)',
    onEvent: (message, fields) => logger.info(fields ?? {}, message),
  });
  opening.catch(() => {}); // handled below, after the modules have loaded
  const [{ createSlackApp, SlackStartupError }, { bootstrapAdmins }, { startScheduler }, { notifierOf }] =
    await Promise.all([
      import('./app.js'),
      import('./domain/people/bootstrap-admins.js'),
      import('./jobs/scheduler.js'),
      import('./jobs/web-api-notifier.js'),
    ]);
  let database: Awaited<typeof opening>;
  try {
    database = await opening;
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof MigrationError) fail(error.message);
    fail(`cannot open the database: ${(error as Error).message}`);
  }
  closers.push({ name: 'database', close: () => database.close() });
  if (stopSignal) return void (await closeAll());
  logger.info(
    { database: database.kind, applied: database.migration.applied, ms: Date.now() - startedAt },
    'database ready',
  );
  const promoted = await bootstrapAdmins(database.prisma, config.adminUserIds, new Date());
  if (promoted.length) logger.info({ promoted }, 'admins from ADMIN_USER_IDS');

  const deps = {
    db: database.prisma,
    clock: () => new Date(),
    timeZone: config.timeZone,
    defaultLocale: config.defaultLocale,
    logger,
  };
  let slackApp: Awaited<ReturnType<typeof createSlackApp>>;
  try {
    slackApp = await createSlackApp({ slack: slack.slack, port: config.port, host: config.host, deps, logger });
  } catch (error) {
    await database.close();
    if (error instanceof SlackStartupError) fail(error.message);
    throw error;
  }
  await slackApp.start();
  closers.push({ name: 'slack', close: () => slackApp.stop() });
  if (stopSignal) return void (await closeAll());
  const scheduler = startScheduler({
    db: database.prisma,
    logger,
    witnesses: witnessFile(config.dataDir),
    timeZone: config.timeZone,
    defaultLocale: config.defaultLocale,
    notifier: notifierOf(slackApp.app.client),
  });
  closers.push({ name: 'scheduler', close: () => scheduler.stop() });
  started = true;
  logger.info(
    slackApp.mode === 'http'
      ? { mode: 'http', url: `http://${config.host}:${config.port}/slack/events` }
      : { mode: 'socket' },
    'Custodian is running',
  );
  if (stopSignal) await closeAll();
}

main().catch((error: unknown) => fail(`failed to start: ${(error as Error).message}`));
