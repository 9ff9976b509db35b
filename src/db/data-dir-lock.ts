/**
 * One process at a time owns DATA_DIR and the embedded PostgreSQL server it starts there:
 * a second bot, or the CLI while the bot runs, is refused with the holder's name rather
 * than stopping or sharing a server another process manages. The lock is a file created
 * exclusively; a lock left by a process that no longer runs on this host is taken over
 * (and the server that process left behind is then stopped, see embedded-postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  bootId?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database is in use by process ${holder.pid} on ${holder.hostname} ` +
        `(${holder.command}, since ${holder.startedAt}). Stop that process first (if it no longer runs, delete the lock file), or point ` +
        `DATABASE_URL at PostgreSQL to run several processes. Lock file: ${lockPath}`,
    );
  }
}

/** Whether a process with this pid runs (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** The kernel's boot id: a lock written before the machine last booted is stale, whatever its pid. */
function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isStale(holder: LockHolder, me: LockHolder): boolean {
  if (holder.bootId && me.bootId && holder.bootId !== me.bootId) return true;
  if (holder.hostname !== me.hostname) return false;
  // Our own pid or our parent's: an earlier run of this container or service, not a live holder.
  return holder.pid === process.pid || holder.pid === process.ppid || !isAlive(holder.pid);
}

/** Takes the lock or throws DataDirLockedError naming the holder. Returns the release function. */
export function acquireDataDirLock(lockPath: string, command: string): () => void {
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command,
    startedAt: new Date().toISOString(),
    ...(bootId() && { bootId: bootId() }),
  };
  // Written whole to a private file, then linked into place: the lock never exists half
  // written, and link() fails if another process holds it.
  const draft = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, JSON.stringify(me), { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(draft, lockPath);
        return () => {
          if (readHolder(lockPath)?.pid === me.pid) rmSync(lockPath, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(lockPath);
        if (holder && !isStale(holder, me)) throw new DataDirLockedError(lockPath, holder);
        // Stale: move it aside atomically, and give it back if it turns out to be another
        // process's fresh lock that replaced the stale one meanwhile.
        const aside = `${lockPath}.stale.${process.pid}`;
        try {
          renameSync(lockPath, aside);
        } catch {
          continue;
        }
        const moved = readHolder(aside);
        if (moved && holder && moved.pid !== holder.pid) {
          try {
            linkSync(aside, lockPath);
          } catch {
            // Someone else holds it now; the next attempt reads them.
          }
        }
        rmSync(aside, { force: true });
      }
    }
  } finally {
    rmSync(draft, { force: true });
  }
  const holder = readHolder(lockPath);
  throw new DataDirLockedError(lockPath, holder ?? { pid: -1, hostname: '?', command: '?', startedAt: '?' });
}
