/**
 * The main thread's side of the embedded database: a Prisma driver adapter whose every call
 * is a message to the PGlite worker (src/db/pglite-worker.ts). Results and driver errors
 * cross the thread boundary by structured clone; DriverAdapterErrors are rebuilt so Prisma
 * still maps them to its error codes (P2002 …).
 */
import { Worker } from 'node:worker_threads';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import type { MigrateResult } from './migrate.js';
import type { WorkerReady, WorkerRequest, WorkerResponse } from './pglite-worker.js';

export interface PgliteThread {
  factory: SqlDriverAdapterFactory;
  migration: MigrateResult;
  close(): Promise<void>;
}

export async function startPgliteThread(dataDir: string): Promise<PgliteThread> {
  // The worker is TypeScript: its entry registers tsx first, like `node --import tsx` does for the bot.
  const worker = new Worker(new URL('./pglite-worker-entry.mjs', import.meta.url), { workerData: { dataDir } });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  let failure: Error | undefined;

  const ready = await new Promise<WorkerReady>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!ready.ready) {
    await worker.terminate();
    throw new Error(ready.message);
  }
  worker.on('message', (response: WorkerResponse) => {
    const call = pending.get(response.id);
    if (!call) return;
    pending.delete(response.id);
    if (response.ok) call.resolve(response.result);
    else {
      const { name, message, cause } = response.error;
      call.reject(
        name === 'DriverAdapterError'
          ? new DriverAdapterError(cause as never)
          : Object.assign(new Error(message), { name }),
      );
    }
  });
  worker.on('error', (error) => {
    failure = error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });

  const call = <T>(op: WorkerRequest['op'], arg?: unknown, txId?: number): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, arg, ...(txId !== undefined && { txId }) } satisfies WorkerRequest);
    });
  };

  const info = { provider: 'postgres' as const, adapterName: 'pglite-worker' };

  const transaction = (id: number, options: TransactionOptions): Transaction => ({
    ...info,
    options,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>('queryRaw', query, id),
    executeRaw: (query: SqlQuery) => call<number>('executeRaw', query, id),
    commit: () => call<void>('commit', undefined, id),
    rollback: () => call<void>('rollback', undefined, id),
  });

  const adapter: SqlDriverAdapter = {
    ...info,
    queryRaw: (query) => call<SqlResultSet>('queryRaw', query),
    executeRaw: (query) => call<number>('executeRaw', query),
    executeScript: (script) => call<void>('executeScript', script),
    async startTransaction(isolationLevel?: IsolationLevel) {
      const { id, options } = await call<{ id: number; options: TransactionOptions }>(
        'startTransaction',
        isolationLevel,
      );
      return transaction(id, options);
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };

  return {
    factory: { ...info, connect: async () => adapter },
    migration: { applied: ready.applied, alreadyApplied: ready.alreadyApplied },
    async close() {
      await call<void>('close').catch(() => {});
      await worker.terminate();
    },
  };
}
