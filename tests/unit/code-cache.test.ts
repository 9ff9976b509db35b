/**
 * The loader `npm start` runs the bot's bundle with (src/code-cache.ts): a V8 code cache is
 * written once the bundle says it has started, used at the next run, and replaced when V8
 * rejects it; the bundle runs as a CommonJS module either way.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootInfo, runWithCodeCache } from '../../src/code-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete (globalThis as { codeCacheProbe?: unknown }).codeCacheProbe;
});

/** A small CommonJS bundle that records what it saw in `globalThis.codeCacheProbe`. */
function bundle(extra = ''): { file: string; cache: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
  dirs.push(dir);
  const file = path.join(dir, 'bot.cjs');
  writeFileSync(
    file,
    `const path = require('node:path');
function square(n) { return n * n; }
globalThis.codeCacheProbe = { square: square(7), base: path.basename(__filename), dir: __dirname, exportsIsModule: exports === module.exports };
${extra}
`,
  );
  return { file, cache: path.join(dir, 'bot.v8cache') };
}

const probe = () => (globalThis as { codeCacheProbe?: Record<string, unknown> }).codeCacheProbe;

describe('runWithCodeCache', () => {
  it('runs the bundle as CommonJS, writes the cache once it has started, and uses it at the next run', () => {
    const { file, cache } = bundle();
    const first = runWithCodeCache(file, cache);
    expect(first.codeCache).toBe('none');
    expect(bootInfo()).toBe(first);
    expect(probe()).toEqual({ square: 49, base: 'bot.cjs', dir: path.dirname(file), exportsIsModule: true });
    expect(readdirSync(path.dirname(file))).not.toContain('bot.v8cache');
    first.started();
    expect(statSync(cache).size).toBeGreaterThan(0);

    const second = runWithCodeCache(file, cache);
    expect(second.codeCache).toBe('used');
    expect(probe()).toMatchObject({ square: 49 });
    // An accepted cache is left as it is.
    const before = readFileSync(cache);
    second.started();
    expect(readFileSync(cache).equals(before)).toBe(true);
    // No scratch file is left behind.
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['bot.cjs', 'bot.v8cache']);
  });

  it('a damaged cache, or one made from other source, is rejected by V8 and replaced; the bundle still runs', () => {
    const { file, cache } = bundle();
    writeFileSync(cache, Buffer.from('not a code cache at all, just some bytes'));
    const damaged = runWithCodeCache(file, cache);
    expect(damaged.codeCache).toBe('rejected');
    expect(probe()).toMatchObject({ square: 49 });
    damaged.started();
    expect(runWithCodeCache(file, cache).codeCache).toBe('used');

    // V8 checks the source's length (the build's id in the file name covers the rest): a
    // longer bundle does not get the old cache.
    writeFileSync(file, `${readFileSync(file, 'utf8')}globalThis.codeCacheProbe.changed = true;\n`);
    const changed = runWithCodeCache(file, cache);
    expect(changed.codeCache).toBe('rejected');
    expect(probe()).toMatchObject({ square: 49, changed: true });
  });

  it('a cache that cannot be written costs only speed: started() does not throw and the next run has none', () => {
    const { file } = bundle();
    const cache = path.join(path.dirname(file), 'missing-directory', 'bot.v8cache');
    const boot = runWithCodeCache(file, cache);
    expect(() => boot.started()).not.toThrow();
    expect(runWithCodeCache(file, cache).codeCache).toBe('none');
  });

  it('an error thrown by the bundle reaches the caller, as a module that fails to load would', () => {
    const { file, cache } = bundle("throw new Error('bundle failed');");
    expect(() => runWithCodeCache(file, cache)).toThrow('bundle failed');
  });
});
