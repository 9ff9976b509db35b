// Bundles the bot (src/main.ts) and the CLI (src/cli.ts) with their dependencies into
// dist/ as plain JavaScript, so `npm start` loads one file, with V8's code cache, instead of
// compiling TypeScript or resolving hundreds of small modules at every start (bench/README.md,
// startup). dist/main.js (src/start.ts) is what `npm start` runs; it runs dist/bot.cjs.
// Type-checking is `npm run typecheck`'s job: this only strips types.
// `--if-stale` rebuilds only when a file under src/ is newer than the last build.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');

/**
 * Prisma's query compiler (WebAssembly, 4.5 MB as base64 text) is imported by the generated
 * client when the first query runs: in the bot's bundle it is required from node_modules, as
 * its CommonJS build, instead of being read with the bundle at every start.
 */
const prismaQueryCompilerFromNodeModules = {
  name: 'prisma-query-compiler-from-node-modules',
  setup(build) {
    build.onResolve({ filter: /^@prisma\/client\/runtime\/query_compiler_.*\.mjs$/ }, (args) => ({
      path: args.path.replace(/\.mjs$/, '.js'),
      external: true,
    }));
  },
};

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
  const inputs = [src, ...walk(src), path.join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
  if (builtAt > Math.max(...inputs.map((file) => statSync(file).mtimeMs))) process.exit(0);
}

/**
 * Two edits to dependencies' code in the bot's bundle, each saving work at every start in HTTP
 * mode (bench/README.md, startup). The build fails when the text to edit is not found (a new
 * version of the package): look again at whether the edit is still needed.
 * - pg asks whether it runs in a Cloudflare Worker by building a `Response`; on Node 20 (no
 *   `navigator`) that loads Node's whole fetch implementation. The bot runs on Node.
 * - Bolt loads Socket Mode's client (and with it a second copy of undici) with its receiver,
 *   even when the app uses HTTP: it is now required when a Socket Mode receiver is made.
 */
const EDITS = [
  {
    file: /node_modules\/pg\/lib\/stream\.js$/,
    from: 'if (isCloudflareRuntime()) {',
    to: 'if (false /* Node.js: see scripts/build.mjs */) {',
  },
  {
    file: /node_modules\/@slack\/bolt\/dist\/receivers\/SocketModeReceiver\.js$/,
    from: 'const socket_mode_1 = require("@slack/socket-mode");',
    to: 'const socket_mode_1 = { get SocketModeClient() { return require("@slack/socket-mode").SocketModeClient; } };',
  },
];
const editDependencies = {
  name: 'edit-dependencies',
  setup(build) {
    const seen = new Set();
    for (const edit of EDITS) {
      build.onLoad({ filter: edit.file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(edit.from)) throw new Error(`${args.path} no longer holds: ${edit.from}`);
        seen.add(edit);
        return { contents: text.replace(edit.from, edit.to), loader: 'js' };
      });
    }
    build.onEnd((result) => {
      const missing = EDITS.filter((edit) => !seen.has(edit));
      if (result.errors.length === 0 && missing.length > 0) {
        throw new Error(`the bundle no longer includes ${missing.map((edit) => edit.file).join(', ')}`);
      }
    });
  },
};

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };
await Promise.all([
  // The bot: one CommonJS file, run by dist/main.js through V8 with a code cache
  // (src/code-cache.ts). Dynamic imports become require() calls of the bundled modules, which
  // still evaluate only when first used. What is large and needed only later (charts,
  // spreadsheets, pinyin, Prisma's query compiler) stays in node_modules, required from
  // there when first used, so the bundle read at every start stays small.
  build({
    ...common,
    entryPoints: [path.join(src, 'main.ts')],
    outfile: path.join(dist, 'bot.cjs'),
    format: 'cjs',
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__custodian_import_meta_url' },
    banner: { js: "const __custodian_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    external: ['@resvg/resvg-js', 'echarts', 'exceljs', 'pinyin-pro'],
    plugins: [prismaQueryCompilerFromNodeModules, editDependencies],
  }),
  // What `npm start` runs: loads dist/bot.cjs with the code cache.
  build({
    ...common,
    entryPoints: { main: path.join(src, 'start.ts') },
    outdir: dist,
    format: 'esm',
    define: { CUSTODIAN_BUILD_ID: JSON.stringify(randomBytes(6).toString('hex')) },
  }),
  // The CLI: ES modules, its lazily imported parts in their own chunks.
  build({
    ...common,
    entryPoints: [path.join(src, 'cli.ts')],
    outdir: dist,
    splitting: true,
    format: 'esm',
    // CommonJS dependencies bundled into ES modules still call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // A native addon (a .node file from the npm registry): loaded from node_modules when a
    // chart is first drawn, never bundled.
    external: ['@resvg/resvg-js'],
  }),
]);
// The loader reads the bot's bundle as Latin-1, three times faster than UTF-8 (src/code-cache.ts):
// esbuild escapes what is not ASCII in code, and what it leaves (in comments) is escaped here.
const bot = path.join(dist, 'bot.cjs');
writeFileSync(
  bot,
  readFileSync(bot, 'utf8').replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log(`bundled src/main.ts (with src/start.ts) and src/cli.ts into dist/ in ${Date.now() - started} ms`);
