/**
 * The bot and the CLI as real processes, started with `package.json`'s own command lines
 * (without npm, so that the pid is the bot's own), and the DATA_DIRs they run on.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** `node <flags> <file>` of an npm script. */
export function scriptArgs(name: 'start' | 'cli'): string[] {
  const [command, ...args] = (scripts[name] ?? '').split(/\s+/);
  if (command !== 'node') throw new Error(`npm ${name} no longer runs node directly: ${scripts[name]}`);
  return args;
}

/** What `prestart` does: build dist/ if src/ changed since the last build. */
export function buildIfStale(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT });
}

export interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs an npm script's command in a minimal environment (nothing of this process's Slack or database settings). */
export function run(script: 'start' | 'cli', args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [...scriptArgs(script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForOutput(proc: Run, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Pids of the PostgreSQL postmasters running on `dataDir`'s cluster. A child the postmaster
 * has just forked carries the same command line until it renames itself, so a process whose
 * parent is also in the list is a child, not a second server.
 */
export function serverProcesses(dataDir: string): number[] {
  const cluster = path.join(dataDir, 'postgres');
  const matching = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv[0]?.endsWith('/postgres') === true && argv.includes(cluster);
      } catch {
        return false;
      }
    })
    .map(Number);
  return matching.filter((pid) => !matching.includes(parentOf(pid)));
}

function parentOf(pid: number): number {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

const dataDirs: string[] = [];

/** A new DATA_DIR, removed (with any server left in it) by removeDataDirs. */
export function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'custodian-process-'));
  // As root the server runs as `postgres`, which must pass through the directory.
  chmodSync(dir, 0o755);
  dataDirs.push(dir);
  return dir;
}

export function removeDataDirs(): void {
  for (const dir of dataDirs.splice(0)) {
    for (const pid of serverProcesses(dir)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export const randomPort = () => 30_000 + Math.floor(Math.random() * 20_000);
