/**
 * Prisma's schema engine, run from its WebAssembly build against in-memory PGlite.
 *
 * The native engine (what `prisma migrate` uses) is downloaded at run time and cannot be
 * fetched here, so migration SQL is generated and checked with the wasm build instead:
 * `diffMigrationsToSchema()` replays prisma/migrations on a throwaway PGlite and diffs the
 * result against prisma/schema.prisma. It returns the SQL of the next migration, or an
 * empty string when they agree. Development and test tooling only: the bot applies
 * migrations with src/db/migrate.ts and never loads this module.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.js';

type EngineModule = typeof import('@prisma/schema-engine-wasm');

/** The slice of the WebAssembly global used here (Node's types for it need lib "DOM"). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let enginePromise: Promise<EngineModule> | undefined;

/** Node 20 cannot `import` a .wasm file: instantiate it by hand, as the package's own loader would. */
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindings = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    const module = new wasmApi.Module(bytes);
    const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
    return bindings;
  })();
  return enginePromise;
}

/** pglite-prisma-adapter's executeScript does not await `exec()`, so its errors vanish. */
function withAwaitedScripts(adapter: SqlDriverAdapter, client: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await client.exec(script);
  };
  return adapter;
}

/** An in-memory PGlite with the extensions the migrations create (pg_trgm for search). */
function newPGlite(): PGlite {
  return new PGlite({ extensions: { pg_trgm } });
}

function pgliteFactory(main: PGlite, shadows: PGlite[]): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: 'pglite-in-memory',
    async connect() {
      return withAwaitedScripts(await new PrismaPGlite(main).connect(), main);
    },
    async connectToShadowDb() {
      const shadow = newPGlite();
      shadows.push(shadow);
      return withAwaitedScripts(await new PrismaPGlite(shadow).connect(), shadow);
    },
  };
}

export async function readMigrationList(baseDir = MIGRATIONS_DIR) {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(path.join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockContent = await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(
    () => 'provider = "postgresql"\n',
  );
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** SQL that would bring the migrations up to prisma/schema.prisma; '' when there is no drift. */
export async function diffMigrationsToSchema(): Promise<string> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const main = newPGlite();
  const shadows: PGlite[] = [];
  const factory = bindMigrationAwareSqlAdapterFactory(pgliteFactory(main, shadows));
  const engine = await SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => {}, factory);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationList()) },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = (result.stdout ?? '').trim();
    return sql === '-- This is an empty migration.' ? '' : sql;
  } catch (error) {
    throw explainEngineError(error, factory);
  } finally {
    engine.free();
    await Promise.all([main, ...shadows].map((db) => db.close()));
  }
}

/** Adapter errors reach us as "External error id#N"; the original is in the factory's registry. */
function explainEngineError(error: unknown, factory: ReturnType<typeof bindMigrationAwareSqlAdapterFactory>): Error {
  const message = error instanceof Error ? error.message : String(error);
  const match = /External error id#(\d+)/.exec(message);
  if (match?.[1]) {
    const original = factory.errorRegistry.consumeError(Number(match[1]));
    if (original) return new Error(`${message}: ${JSON.stringify(original.error)}`);
  }
  return error instanceof Error ? error : new Error(message);
}
