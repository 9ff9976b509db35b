/**
 * DATA_DIR's owner lock (src/db/data-dir-lock.ts): one process owns the directory and the
 * embedded server in it; a lock left behind is taken over, a live one is not, and
 * processes racing for a stale lock end with exactly one owner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../../src/db/data-dir-lock.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'custodian-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const holder = (pid: number) => JSON.stringify({ pid, hostname: hostname(), command: 'earlier', startedAt: 'then' });

describe('DATA_DIR lock', () => {
  it('a lock naming our own pid (an earlier run of this container) is taken over', () => {
    const lock = path.join(dir, 'own.lock');
    writeFileSync(lock, holder(process.pid));
    const release = acquireDataDirLock(lock, 'test');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    release();
  });

  it('a lock held by a live process is refused, naming it; a dead one is taken over', () => {
    const lock = path.join(dir, 'live.lock');
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(lock, holder(sleeper.pid ?? 0));
      expect(() => acquireDataDirLock(lock, 'test')).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(lock, 'test')).toThrow(`in use by process ${sleeper.pid}`);
    } finally {
      sleeper.kill('SIGKILL');
    }
    writeFileSync(lock, holder(999_999_999));
    acquireDataDirLock(lock, 'test')();
  });

  it('eight processes racing for a stale lock: exactly one owns it', async () => {
    const script = `
      import { acquireDataDirLock } from ${JSON.stringify(path.join(ROOT, 'src/db/data-dir-lock.ts'))};
      try { acquireDataDirLock(process.argv[1], 'racer'); process.stdout.write('won'); setTimeout(() => {}, 1500); }
      catch { process.stdout.write('lost'); }`;
    for (let round = 0; round < 3; round++) {
      const lock = path.join(dir, `race-${round}.lock`);
      writeFileSync(lock, holder(999_999_999));
      const racers: ChildProcess[] = Array.from({ length: 8 }, () =>
        spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, lock], { cwd: ROOT }),
      );
      const results = await Promise.all(
        racers.map(
          (racer) =>
            new Promise<string>((resolve) => {
              let out = '';
              racer.stdout?.on('data', (chunk: Buffer) => {
                out += chunk.toString();
                if (out === 'won' || out === 'lost') resolve(out);
              });
              racer.on('exit', () => resolve(out));
            }),
        ),
      );
      for (const racer of racers) racer.kill('SIGKILL');
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
    }
  }, 60_000);
});
