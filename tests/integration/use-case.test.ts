/**
 * The use-case kernel (src/domain/use-case.ts): one transaction per use case, refusals that
 * stay on the record although the use case's own writes roll back, and SEC-16's "who saw
 * what" recorded by revealed(). Also the two use cases that refused without a record before
 * the kernel: `/kh config channel` and `/kh audit`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryViews } from '../../src/domain/audit/query-views.js';
import { DomainError } from '../../src/domain/errors.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import { denied, runUseCase } from '../../src/domain/use-case.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW } from '../helpers/fixtures.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES', ['sales'], '销售一部');
});
afterAll(async () => {
  await db.close();
});

const eventsOf = (actor: string, action: string) => db.prisma.auditEvent.findMany({ where: { actor, action } });

describe('runUseCase', () => {
  it('SEC-16: a refusal is recorded and committed while everything else the use case wrote rolls back', async () => {
    const attempt = runUseCase(ctx(db.prisma, 'USALES'), async ({ tx, refuse }) => {
      await tx.department.create({ data: { name: '半途部门' } });
      return refuse(new DomainError('not_allowed', { action: 'config' }), denied('thing', 'T-1', 'thing.close'));
    });
    await expect(attempt).rejects.toBeDomainError('not_allowed', { action: 'config' });
    expect(await db.prisma.department.findUnique({ where: { name: '半途部门' } })).toBeNull();
    const event = (await eventsOf('USALES', 'access.denied')).find((e) => e.subjectId === 'T-1');
    expect(event).toMatchObject({ subjectType: 'thing', subjectId: 'T-1', details: { attempted: 'thing.close' } });
    expect(event?.at).toEqual(NOW);
  });

  it('a first contact that is refused still registers the person, once', async () => {
    const attempt = runUseCase(ctx(db.prisma, 'UNEWCOMER'), async ({ refuse }) =>
      refuse(new DomainError('not_allowed', { action: 'config' }), denied('thing', null, 'thing.open')),
    );
    await expect(attempt).rejects.toBeDomainError('not_allowed');
    expect(await db.prisma.person.count({ where: { slackUserId: 'UNEWCOMER' } })).toBe(1);
    expect(await eventsOf('UNEWCOMER', 'person.registered')).toHaveLength(1);
  });

  it('a DomainError thrown without refuse rolls back and records nothing (bad input is not an attempt)', async () => {
    const attempt = runUseCase(ctx(db.prisma, 'USALES'), async ({ tx, audit }) => {
      await audit({ action: 'thing.opened', subjectType: 'thing', subjectId: 'T-2' });
      await tx.department.create({ data: { name: '另一个半途部门' } });
      throw new DomainError('invalid_input', { reason: 'query_length', max: 1 });
    });
    await expect(attempt).rejects.toBeDomainError('invalid_input');
    expect(await eventsOf('USALES', 'thing.opened')).toEqual([]);
    expect(await db.prisma.department.findUnique({ where: { name: '另一个半途部门' } })).toBeNull();
  });

  it('SEC-16: revealed() records each classified customer shown, as a view or an export; unclassified ones are not views', async () => {
    await runUseCase(ctx(db.prisma, 'USALES'), async ({ revealed }) => {
      await revealed(
        [
          { code: 'KH-2026-0101', level: 'restricted' },
          { code: 'KH-2026-0102', level: 'unclassified' },
        ],
        'find',
        { query: 'demo' },
      );
      await revealed([{ code: 'KH-2026-0103', level: 'confidential' }], 'export');
    });
    const viewed = await eventsOf('USALES', 'customer.viewed');
    expect(viewed.map((e) => [e.subjectId, e.details])).toEqual([
      ['KH-2026-0101', { level: 'restricted', via: 'find', query: 'demo' }],
    ]);
    const exported = await eventsOf('USALES', 'customer.exported');
    expect(exported.map((e) => e.subjectId)).toEqual(['KH-2026-0103']);
  });
});

describe('refusals that are now on the record', () => {
  it('SEC-16: /kh config channel by someone who is not an admin is refused and recorded; nothing changes', async () => {
    await expect(setChannel(ctx(db.prisma, 'USALES'), 'gm_office', 'C0GMOFFICE')).rejects.toBeDomainError(
      'not_allowed',
    );
    expect(await db.prisma.setting.count()).toBe(0);
    const events = await eventsOf('USALES', 'access.denied');
    expect(events.some((e) => e.subjectType === 'setting' && e.subjectId === 'channel.gm_office')).toBe(true);
  });

  it('SEC-16: /kh audit by someone below supervisor is refused and recorded', async () => {
    const from = new Date(NOW.getTime() - 86_400_000);
    await expect(
      queryViews(ctx(db.prisma, 'USALES'), { by: 'customer', code: 'KH-2026-0101', from, to: NOW }),
    ).rejects.toBeDomainError('not_allowed');
    const events = await eventsOf('USALES', 'access.denied');
    expect(events.some((e) => e.subjectType === 'customer' && e.subjectId === 'KH-2026-0101')).toBe(true);
  });
});
