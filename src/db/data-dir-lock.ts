/**
 * One process at a time owns DATA_DIR and the embedded PostgreSQL server it starts there:
 * a second bot, or the CLI while the bot runs, is refused with the holder's name rather
 * than stopping or sharing a server another process manages. The lock is a file created
 * exclusively; a lock left by a process that no longer runs on this host is taken over
 * (and the server that process left behind is then stopped, see embedded-postgres.ts).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database is in use by process ${holder.pid} on ${holder.hostname} ` +
        `(${holder.command}, since ${holder.startedAt}). Stop that process first, or point ` +
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

/** Takes the lock or throws DataDirLockedError naming the holder. Returns the release function. */
export function acquireDataDirLock(lockPath: string, command: string): () => void {
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      return () => {
        if (readHolder(lockPath)?.pid === me.pid) rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      const isStale = holder !== undefined && holder.hostname === me.hostname && !isAlive(holder.pid);
      if (holder && !isStale) throw new DataDirLockedError(lockPath, holder);
      // Stale (its process is gone) or unreadable (a crash mid-write): take it over once.
      rmSync(lockPath, { force: true });
    }
  }
  const holder = readHolder(lockPath);
  throw new DataDirLockedError(lockPath, holder ?? { pid: -1, hostname: '?', command: '?', startedAt: '?' });
}
