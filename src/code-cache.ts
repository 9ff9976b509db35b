/**
 * Runs a CommonJS bundle through V8 with a code cache beside it, so that a start does not
 * parse and compile the bot's JavaScript again (bench/README.md, startup: ≈ 400 → ≈ 280 ms
 * on an existing DATA_DIR). Node 20 has no compile cache of its own (`module.enableCompileCache`
 * came in 22.1), so this is the CommonJS loader's wrapper done by hand with `vm.Script`.
 *
 * The cache holds V8's bytecode for every function compiled until the bot said it had
 * started (`BootInfo.started`): it is written then, once, when there was none or V8 rejected
 * the one there (another V8, other flags, a damaged header). V8 checks the cache against the
 * source's length and its own version and flags, not its contents (no checksum in this Node):
 * the file name carries the build's id, so a rebuilt bundle never meets an old cache, and the
 * file is only ever replaced whole (written aside, then renamed). A cache that cannot be written (a read-only
 * install) costs only speed: the bot starts as it would without one.
 */

import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** What the loader tells the bundle it runs, on `globalThis.custodianBoot`. */
export interface BootInfo {
  /** The code cache at this start: used, none yet, or rejected by V8 (then rewritten). */
  codeCache: 'used' | 'none' | 'rejected';
  /** The bot calls this once it is running: the cache is written then, if it is to be. */
  started(): void;
}

/** The loader's `BootInfo` as the bundle sees it (absent when the bot runs without the loader, e.g. under tsx). */
export function bootInfo(): BootInfo | undefined {
  return (globalThis as { custodianBoot?: BootInfo }).custodianBoot;
}

/**
 * Compiles `bundle` (a CommonJS file) with the code cache `cacheFile` when V8 accepts it, and
 * runs it as a CommonJS module would run. Returns the `BootInfo` the bundle also finds on
 * `globalThis.custodianBoot`.
 */
export function runWithCodeCache(bundle: string, cacheFile: string): BootInfo {
  // ASCII only (scripts/build.mjs makes it so): Latin-1 reads it as UTF-8 would, three times faster.
  const source = readFileSync(bundle, 'latin1');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // None yet.
  }
  // The wrapper CommonJS puts around a module, so the bundle sees require, module and __filename.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData && { cachedData }),
  });
  const codeCache = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  let written = codeCache === 'used';
  const boot: BootInfo = {
    codeCache,
    started() {
      if (written) return;
      written = true;
      writeAtomically(cacheFile, script.createCachedData());
    },
  };
  (globalThis as { custodianBoot?: BootInfo }).custodianBoot = boot;
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return boot;
}

/** Another process may write the same cache at the same time: each writes its own file, then renames it into place. */
function writeAtomically(file: string, data: Buffer): void {
  // Unique even across machines sharing dist/ (two containers may both be pid 1).
  const scratch = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(scratch, data, { flag: 'wx' });
    renameSync(scratch, file);
  } catch {
    try {
      rmSync(scratch, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}
