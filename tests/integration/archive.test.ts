/**
 * The physical archive on a real database: filing into annual volumes (ARCH-6, ARCH-7,
 * ARCH-12, ARCH-13, ARCH-14, ARCH-15, ARCH-16), the storage-location index (INFO-6, INFO-7, INFO-22), where things are, moving
 * volumes, reconciliation (INFO-15, ARCH-21) and the volume sheets' data (ARCH-17, ARCH-18).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawDocumentInput } from '../../src/domain/archive/document-input.js';
import { fileDocument } from '../../src/domain/archive/file-document.js';
import { locate } from '../../src/domain/archive/locate.js';
import { addLocation, listLocations } from '../../src/domain/archive/locations.js';
import { reconcileArchive } from '../../src/domain/archive/reconcile-archive.js';
import { shelveVolume } from '../../src/domain/archive/shelve-volume.js';
import { getVolumeSheet } from '../../src/domain/archive/volume-sheet.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'UKEEPER', ['archivist'], '客户服务部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UGM', ['general_manager'], '总经理办公室');
});
afterAll(() => db.close());

let serial = 0;
/** A customer of USALES1's no other test uses; a 绝密 one has the archivist UKEEPER as its custodian (INFO-22). */
async function newCustomer(level: 'restricted' | 'confidential' | 'top_secret' = 'restricted') {
  const n = ++serial;
  const created = await createCustomer(ctx(db.prisma, level === 'top_secret' ? 'USUPER' : 'USALES1'), {
    ...validCustomer({
      name: `档案测试客户${n}号`,
      phone: `0571-${String(86000000 + n)}`,
      secrecyLevel: level,
      ownerSlackUserId: 'USALES1',
    }),
    custodianSlackUserIds: level === 'top_secret' ? ['UKEEPER'] : [],
  });
  return created.code;
}

/** Boxes of the test's own (an ordinary and a classified one), so no test takes another's. */
async function newBoxes() {
  const n = ++serial;
  const plain = `测试库房${n}/A柜/1层/1盒`;
  const secret = `测试库房${n}/B柜/1层/1盒`;
  await addLocation(ctx(db.prisma, 'UARCH'), { path: plain, classified: false });
  await addLocation(ctx(db.prisma, 'UARCH'), { path: secret, classified: true });
  // Spare empty boxes for the volumes the rules open by themselves (the first free box is taken).
  for (const spare of [2, 3])
    await addLocation(ctx(db.prisma, 'UARCH'), { path: `测试库房${n}/A柜/1层/${spare}盒`, classified: false });
  return { plain, secret };
}

const doc = (overrides: Partial<RawDocumentInput> = {}): RawDocumentInput => ({
  type: 'basic_info',
  title: '客户基本资料表',
  formedOn: '2026-11-20',
  copies: '1',
  pages: '3',
  form: 'original',
  carrier: 'paper',
  retention: 'long_term',
  vetted: true,
  ...overrides,
});

const file = (user: string, customerCode: string, overrides: Partial<RawDocumentInput> = {}) =>
  fileDocument(ctx(db.prisma, user), { ...doc(overrides), customerCode });

describe('filing (ARCH-6, ARCH-7, ARCH-14, ARCH-15, ARCH-16)', () => {
  it('ARCH-7, ARCH-16: documents of one year share an annual volume, in order, pages numbered on; another year gets its own', async () => {
    const customer = await newCustomer();
    const { plain } = await newBoxes();
    const first = await file('UARCH', customer, { box: plain, pages: '3', formedOn: '2026-03-01' });
    expect(first.volume).toMatchObject({ year: 2026, created: true, boxPath: plain });
    expect(first.volume.code).toMatch(/^JZ-2026-\d{4}$/);
    expect(first.document).toMatchObject({ position: 1, firstPage: 1, lastPage: 3 });
    const second = await file('UARCH', customer, {
      title: '销售合同',
      type: 'sales_contract',
      pages: '5',
      formedOn: '2026-06-01',
    });
    expect(second.volume).toMatchObject({ code: first.volume.code, created: false, documents: 2 });
    expect(second.document).toMatchObject({ position: 2, firstPage: 4, lastPage: 8 });
    // ARCH-15: formed earlier goes first, and everything after it is renumbered.
    const earlier = await file('UARCH', customer, {
      title: '信用评估',
      type: 'credit_evaluation',
      pages: '2',
      formedOn: '2026-01-15',
    });
    expect(earlier.document).toMatchObject({ position: 1, firstPage: 1, lastPage: 2 });
    const sheet = await getVolumeSheet(ctx(db.prisma, 'UARCH'), first.volume.code);
    expect(sheet.contents.map((l) => [l.title, l.firstPage, l.lastPage])).toEqual([
      ['信用评估', 1, 2],
      ['客户基本资料表', 3, 5],
      ['销售合同', 6, 10],
    ]);
    // ARCH-14: different years are not mixed.
    const older = await file('UARCH', customer, { formedOn: '2025-12-31', box: undefined });
    expect(older.volume.year).toBe(2025);
    expect(older.volume.code).toMatch(/^JZ-2025-/);
  });

  it('ARCH-14, ARCH-12, ARCH-15: a reply pulls its cross-year request into the reply’s year, and goes before it', async () => {
    const customer = await newCustomer();
    const { plain } = await newBoxes();
    const request = await file('UARCH', customer, { title: '请示', formedOn: '2025-12-20', box: plain });
    expect(request.volume.year).toBe(2025);
    const reply = await file('UARCH', customer, {
      title: '批复',
      formedOn: '2026-01-05',
      relatedCode: request.document.code,
      relation: 'reply',
    });
    expect(reply.volume.year).toBe(2026);
    expect(reply.moved).toEqual([request.document.code]);
    const sheet = await getVolumeSheet(ctx(db.prisma, 'UARCH'), reply.volume.code);
    expect(sheet.contents.map((l) => l.title)).toEqual(['批复', '请示']);
    // The emptied 2025 volume is gone; nothing refers to it.
    expect(await db.prisma.volume.findUnique({ where: { code: request.volume.code } })).toBeNull();
  });

  it('ARCH-14: a multi-year plan is filed under its first year, a summary under its last', async () => {
    const customer = await newCustomer();
    await newBoxes();
    const plan = await file('UARCH', customer, {
      nature: 'plan',
      coversFrom: '2024',
      coversTo: '2026',
      formedOn: '2026-02-01',
    });
    expect(plan.volume.year).toBe(2024);
    const summary = await file('UARCH', customer, {
      nature: 'summary',
      coversFrom: '2023',
      coversTo: '2025',
      formedOn: '2026-02-01',
    });
    expect(summary.volume.year).toBe(2025);
  });

  it('ARCH-13, INFO-22: a top-secret document forms a volume of its own, only in a box marked for classified material', async () => {
    const customer = await newCustomer('top_secret');
    const { plain, secret } = await newBoxes();
    await expect(file('UKEEPER', customer, { box: plain })).rejects.toBeDomainError('location_not_classified', {
      path: plain,
      level: 'top_secret',
    });
    const filed = await file('UKEEPER', customer, { box: secret });
    const volume = await db.prisma.volume.findUniqueOrThrow({ where: { code: filed.volume.code } });
    expect(volume).toMatchObject({ topSecret: true, secrecyLevel: 'top_secret' });
    // ARCH-13: a closely related ordinary document may join it.
    const attachment = await file('UKEEPER', customer, {
      secrecyLevel: 'unclassified',
      relatedCode: filed.document.code,
      relation: 'attachment',
    });
    expect(attachment.volume.code).toBe(filed.volume.code);
    expect(attachment.document.position).toBe(2);
  });

  it('SEC-3: a filer must be allowed to read what they file; a customer they may not see is not found', async () => {
    const confidential = await newCustomer('confidential');
    const topSecret = await newCustomer('top_secret');
    const { secret } = await newBoxes();
    // The archivist does not read 机密 (visibility policy): the supervisor files it.
    await expect(file('UARCH', confidential)).rejects.toBeDomainError('customer_hidden');
    await expect(file('UARCH', topSecret)).rejects.toBeDomainError('customer_not_found', { code: topSecret });
    await expect(file('UARCH', 'KH-2026-9999')).rejects.toBeDomainError('customer_not_found', { code: 'KH-2026-9999' });
    const filed = await file('USUPER', confidential, { box: secret });
    expect(filed.volume.boxPath).toBe(secret);
    // ARCH-3: only archivists (and the supervisor) file.
    const own = await newCustomer();
    await expect(file('USALES1', own)).rejects.toBeDomainError('not_allowed', { action: 'file' });
    const refusals = await db.prisma.auditEvent.count({
      where: { action: 'access.denied', subjectId: own, actor: 'USALES1' },
    });
    expect(refusals).toBe(1);
  });

  it('SEC-3: a related document the filer may not read is answered like an unknown one, and audited alike', async () => {
    const customer = await newCustomer();
    const { secret } = await newBoxes();
    const confidential = await file('USUPER', customer, { secrecyLevel: 'confidential', box: secret });
    await expect(
      file('UARCH', customer, { relatedCode: confidential.document.code, relation: 'attachment' }),
    ).rejects.toBeDomainError('document_not_found', { code: confidential.document.code });
    await expect(
      file('UARCH', customer, { relatedCode: 'WJ-2026-9999', relation: 'attachment' }),
    ).rejects.toBeDomainError('document_not_found', { code: 'WJ-2026-9999' });
    const audited = await db.prisma.auditEvent.count({
      where: {
        actor: 'UARCH',
        action: 'document.view_refused',
        subjectId: { in: [confidential.document.code, 'WJ-2026-9999'] },
      },
    });
    expect(audited).toBe(2);
  });

  it('bad input changes nothing: a document formed tomorrow, missing vetting, a related document of another customer', async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    await newBoxes();
    const before = await db.prisma.document.count();
    await expect(file('UARCH', customer, { formedOn: '2026-11-29' })).rejects.toBeDomainError('invalid_form', {
      fields: 'formedOn',
    });
    await expect(file('UARCH', customer, { vetted: false })).rejects.toBeDomainError('invalid_form', {
      fields: 'vetted',
    });
    const elsewhere = await file('UARCH', other);
    await expect(
      file('UARCH', customer, { relatedCode: elsewhere.document.code, relation: 'attachment' }),
    ).rejects.toBeDomainError('document_not_found', { code: elsewhere.document.code });
    expect(await db.prisma.document.count()).toBe(before + 1);
  });
});

describe('storage locations (INFO-6, INFO-7, INFO-22)', () => {
  it('INFO-7: a path adds its missing levels in order; a mark for classified material passes down', async () => {
    const n = ++serial;
    const added = await addLocation(ctx(db.prisma, 'UARCH'), { path: `索引库${n}/甲柜/2层/5盒`, classified: false });
    expect(added).toMatchObject({ kind: 'box', classified: false });
    expect(added.created).toEqual([`索引库${n}`, `索引库${n}/甲柜`, `索引库${n}/甲柜/2层`]);
    await addLocation(ctx(db.prisma, 'UARCH'), { path: `索引库${n}/乙柜`, classified: true });
    const inner = await addLocation(ctx(db.prisma, 'UARCH'), { path: `索引库${n}/乙柜/1层/1盒`, classified: false });
    expect(inner.classified).toBe(true);
    await addLocation(ctx(db.prisma, 'UARCH'), { path: `索引库${n}/甲柜/1层/1盒`, classified: false });
    const list = await listLocations(ctx(db.prisma, 'UARCH'), { under: `索引库${n}`, page: 1 });
    // Left to right, top to bottom: in the order added within each level.
    expect(list.lines.map((l) => l.path)).toEqual([
      `索引库${n}`,
      `索引库${n}/甲柜`,
      `索引库${n}/甲柜/2层`,
      `索引库${n}/甲柜/2层/5盒`,
      `索引库${n}/甲柜/1层`,
      `索引库${n}/甲柜/1层/1盒`,
      `索引库${n}/乙柜`,
      `索引库${n}/乙柜/1层`,
      `索引库${n}/乙柜/1层/1盒`,
    ]);
    await expect(
      addLocation(ctx(db.prisma, 'UARCH'), { path: `索引库${n}/甲柜`, classified: false }),
    ).rejects.toBeDomainError('location_exists');
    await expect(
      addLocation(ctx(db.prisma, 'UARCH'), { path: 'a/b/c/d/e', classified: false }),
    ).rejects.toBeDomainError('location_path_invalid');
    await expect(addLocation(ctx(db.prisma, 'USALES1'), { path: 'x', classified: false })).rejects.toBeDomainError(
      'not_allowed',
      { action: 'location' },
    );
  });

  it('INFO-22: a 机密 volume moves only to a box marked for classified material', async () => {
    const customer = await newCustomer('confidential');
    const { plain, secret } = await newBoxes();
    const filed = await file('USUPER', customer, { box: secret });
    await expect(
      shelveVolume(ctx(db.prisma, 'USUPER'), { volumeCode: filed.volume.code, boxPath: plain }),
    ).rejects.toBeDomainError('location_not_classified', { path: plain, level: 'confidential' });
    const n = ++serial;
    const other = `测试库房${n}/C柜/1层/1盒`;
    await addLocation(ctx(db.prisma, 'UARCH'), { path: other, classified: true });
    const moved = await shelveVolume(ctx(db.prisma, 'USUPER'), { volumeCode: filed.volume.code, boxPath: other });
    expect(moved).toEqual({ volumeCode: filed.volume.code, from: secret, to: other });
  });
});

describe('where things are (INFO-6, SEC-3)', () => {
  it('INFO-6: the archivist reads the box; a salesperson who may not read the customer sees code and level only', async () => {
    const customer = await newCustomer();
    const { plain } = await newBoxes();
    const filed = await file('UARCH', customer, { box: plain });
    const full = await locate(ctx(db.prisma, 'UARCH'), filed.volume.code);
    expect(full).toMatchObject({
      kind: 'volume',
      volume: { boxPath: plain, state: 'in_box', masked: false, documents: 1 },
    });
    const masked = await locate(ctx(db.prisma, 'USALES2'), customer);
    expect(masked).toMatchObject({ kind: 'customer', customer: { name: null, level: 'restricted' } });
    expect(masked.kind === 'customer' && masked.volumes).toEqual([
      expect.objectContaining({ code: filed.volume.code, masked: true, boxPath: null, state: null }),
    ]);
    const byDocument = await locate(ctx(db.prisma, 'USALES1'), filed.document.code.toLowerCase());
    expect(byDocument).toMatchObject({ kind: 'document', volume: { code: filed.volume.code, boxPath: plain } });
  });

  it('SEC-3: a top-secret volume is answered exactly like an unknown code, both audited alike', async () => {
    const customer = await newCustomer('top_secret');
    const { secret } = await newBoxes();
    const filed = await file('UKEEPER', customer, { box: secret });
    await expect(locate(ctx(db.prisma, 'UARCH'), filed.volume.code)).rejects.toBeDomainError('volume_not_found', {
      code: filed.volume.code,
    });
    await expect(locate(ctx(db.prisma, 'UARCH'), 'JZ-2026-9999')).rejects.toBeDomainError('volume_not_found', {
      code: 'JZ-2026-9999',
    });
    await expect(locate(ctx(db.prisma, 'UARCH'), customer)).rejects.toBeDomainError('customer_not_found');
    await expect(getVolumeSheet(ctx(db.prisma, 'UARCH'), filed.volume.code)).rejects.toBeDomainError(
      'volume_not_found',
    );
    // Nor does the index count it in its box (a count is an answer too).
    const room = secret.split('/')[0] ?? '';
    const boxes = await listLocations(ctx(db.prisma, 'UARCH'), { under: room, page: 1 });
    expect(boxes.lines.find((l) => l.path === secret)?.volumes).toBe(0);
    const keeper = await listLocations(ctx(db.prisma, 'UKEEPER'), { under: room, page: 1 });
    expect(keeper.lines.find((l) => l.path === secret)?.volumes).toBe(1);
    const audited = await db.prisma.auditEvent.findMany({
      where: { actor: 'UARCH', action: 'volume.view_refused', subjectId: { in: [filed.volume.code, 'JZ-2026-9999'] } },
      select: { details: true },
    });
    expect(audited).toHaveLength(3);
  });
});

describe('volume sheets and reconciliation (ARCH-17, ARCH-18, INFO-15, ARCH-21)', () => {
  it('ARCH-18: the remarks sheet carries counts, the responsible person and the date; a classified view is recorded', async () => {
    const customer = await newCustomer();
    const { plain } = await newBoxes();
    const filed = await file('UARCH', customer, { box: plain, pages: '4', copies: '2', form: 'copy' });
    const sheet = await getVolumeSheet(ctx(db.prisma, 'USUPER'), filed.volume.code);
    expect(sheet.remarks).toMatchObject({
      documents: 1,
      pages: 4,
      originals: 0,
      copies: 1,
      responsible: 'UARCH',
      date: '2026-11-28',
    });
    expect(sheet.volume).toMatchObject({
      customerCode: customer,
      level: 'restricted',
      retention: 'long_term',
      boxPath: plain,
    });
    const viewed = await db.prisma.auditEvent.count({
      where: { actor: 'USUPER', action: 'customer.viewed', subjectId: customer },
    });
    expect(viewed).toBe(1);
    await expect(getVolumeSheet(ctx(db.prisma, 'USALES2'), filed.volume.code)).rejects.toBeDomainError(
      'volume_hidden',
      {
        code: filed.volume.code,
        level: 'restricted',
      },
    );
  });

  it('INFO-15: every volume is in its box or on a loan; a volume marked lent without a loan is a finding', async () => {
    const own = await createTestDb();
    try {
      await givePerson(own.prisma, 'USALES1', ['sales'], '销售一部');
      await givePerson(own.prisma, 'UARCH', ['archivist'], '客户服务部');
      const customer = await createCustomer(ctx(own.prisma, 'USALES1'), validCustomer({ name: '核对客户' }));
      await addLocation(ctx(own.prisma, 'UARCH'), { path: '库/柜/架/盒', classified: false });
      const filed = await fileDocument(ctx(own.prisma, 'UARCH'), { ...doc(), customerCode: customer.code });
      expect(await reconcileArchive(ctx(own.prisma, 'UARCH'))).toMatchObject({ volumes: 1, inBox: 1, findings: [] });
      await own.prisma.volume.update({ where: { code: filed.volume.code }, data: { state: 'on_loan' } });
      const result = await reconcileArchive(ctx(own.prisma, 'UARCH'));
      expect(result.findings).toEqual([
        {
          kind: 'on_loan_without_loan',
          volumeCode: filed.volume.code,
          level: 'restricted',
          loanCode: null,
          boxPath: '库/柜/架/盒',
        },
      ]);
      await expect(reconcileArchive(ctx(own.prisma, 'USALES1'))).rejects.toBeDomainError('not_allowed', {
        action: 'reconcile',
      });
    } finally {
      await own.close();
    }
  });
});
