/**
 * The embedded database's own thread. PGlite executes queries as WebAssembly on the thread
 * that owns it; on the bot's main thread every query would hold up every other request's
 * ack. Here it runs in a worker thread, behind pglite-prisma-adapter, and answers the
 * messages of src/db/pglite-thread.ts (one message per adapter call).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgliteRunner } from './client.js';
import { migrate } from './migrate.js';

export interface WorkerRequest {
  id: number;
  op: 'queryRaw' | 'executeRaw' | 'executeScript' | 'startTransaction' | 'commit' | 'rollback' | 'close';
  txId?: number;
  arg?: unknown;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; cause?: unknown } };

export type WorkerReady =
  | { ready: true; applied: string[]; alreadyApplied: number }
  | { ready: false; message: string };

const port = parentPort;
if (!port) throw new Error('pglite-worker must run in a worker thread');

const { dataDir } = workerData as { dataDir: string };

async function start(): Promise<{ client: PGlite; adapter: SqlDriverAdapter }> {
  const client = await PGlite.create(dataDir);
  const migration = await migrate(pgliteRunner(client));
  // PGlite learns the database's array types when it starts; new ones need a refresh.
  if (migration.applied.length > 0) await client.refreshArrayTypes();
  port?.postMessage({ ready: true, ...migration } satisfies WorkerReady);
  return { client, adapter: await new PrismaPGlite(client).connect() };
}

start().then(
  ({ client, adapter }) => {
    const transactions = new Map<number, Transaction>();
    let nextTransaction = 1;
    const target = (txId: number | undefined) => {
      if (txId === undefined) return adapter;
      const tx = transactions.get(txId);
      if (!tx) throw new Error(`no open transaction ${txId}`);
      return tx;
    };
    port.on('message', async (request: WorkerRequest) => {
      try {
        let result: unknown;
        switch (request.op) {
          case 'queryRaw':
            result = await target(request.txId).queryRaw(request.arg as never);
            break;
          case 'executeRaw':
            result = await target(request.txId).executeRaw(request.arg as never);
            break;
          case 'executeScript':
            // The adapter's executeScript does not await exec(): errors would vanish.
            await client.exec(request.arg as string);
            break;
          case 'startTransaction': {
            const tx = await adapter.startTransaction(request.arg as never);
            const id = nextTransaction++;
            transactions.set(id, tx);
            result = { id, options: tx.options };
            break;
          }
          case 'commit':
          case 'rollback': {
            const tx = target(request.txId) as Transaction;
            transactions.delete(request.txId ?? -1);
            await (request.op === 'commit' ? tx.commit() : tx.rollback());
            break;
          }
          case 'close':
            await client.close();
            break;
        }
        port.postMessage({ id: request.id, ok: true, result } satisfies WorkerResponse);
      } catch (error) {
        const e = error as Error & { cause?: unknown };
        port.postMessage({
          id: request.id,
          ok: false,
          error: { name: e.name, message: e.message, cause: e.name === 'DriverAdapterError' ? e.cause : undefined },
        } satisfies WorkerResponse);
      }
    });
  },
  (error: unknown) => {
    port.postMessage({ ready: false, message: (error as Error).message } satisfies WorkerReady);
  },
);
