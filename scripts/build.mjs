// Bundles the bot (src/main.ts) and the CLI (src/cli.ts) with their dependencies into
// dist/ as plain JavaScript, so `npm start` loads a few large files instead of compiling
// TypeScript or resolving hundreds of small modules at every start (bench/README.md,
// startup). Lazily imported parts (Prisma's query compiler) stay separate chunks, loaded
// when first used. Type-checking is `npm run typecheck`'s job: this only strips types.
// `--if-stale` rebuilds only when a file under src/ is newer than the last build.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });
}

if (process.argv.includes('--if-stale')) {
  let builtAt = 0;
  try {
    builtAt = statSync(stamp).mtimeMs;
  } catch {}
  const inputs = [src, ...walk(src), path.join(root, 'package-lock.json')];
  if (builtAt > Math.max(...inputs.map((file) => statSync(file).mtimeMs))) process.exit(0);
}

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [path.join(src, 'main.ts'), path.join(src, 'cli.ts')],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // CommonJS dependencies bundled into ES modules still call require().
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  // A native addon (a .node file from the npm registry): loaded from node_modules when a chart
  // is first drawn, never bundled.
  external: ['@resvg/resvg-js'],
});
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log(`bundled src/main.ts and src/cli.ts into dist/ in ${Date.now() - started} ms`);
