/**
 * The embedded database as the bot opens it: PGlite in its own worker thread behind a
 * message-passing driver adapter. Prisma must see the same results, errors and transaction
 * semantics as with the in-process adapter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { isUniqueViolation } from '../../src/domain/prisma-errors.js';

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'custodian-thread-'));
  db = await openDatabase({ dataDir: dir, command: 'test' });
}, 60_000);
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PGlite in a worker thread', () => {
  it('migrates on open and answers queries, including enum arrays and raw SQL', async () => {
    expect(db.migration.applied.length).toBeGreaterThan(0);
    await db.prisma.person.create({ data: { slackUserId: 'U1', roles: ['dept_head', 'sales'] } });
    expect(
      (await db.prisma.person.findMany({ where: { roles: { hasSome: ['sales'] } } })).map((p) => p.slackUserId),
    ).toEqual(['U1']);
    const rows = await db.prisma.$queryRaw<{ n: number }[]>`SELECT 41 + 1 AS n`;
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('a unique violation still reaches the domain as P2002', async () => {
    const error = await db.prisma.person.create({ data: { slackUserId: 'U1' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('a failing interactive transaction rolls back; concurrent transactions both commit', async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.person.create({ data: { slackUserId: 'U2' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.prisma.person.count({ where: { slackUserId: 'U2' } })).toBe(0);
    await Promise.all(
      ['U3', 'U4', 'U5'].map((id) => db.prisma.$transaction((tx) => tx.person.create({ data: { slackUserId: id } }))),
    );
    expect(await db.prisma.person.count()).toBe(4);
  });
});
