/**
 * Rows of the loan register inserted directly (a box, a volume, its approved loan request and
 * the loan), for tests of what reads the register: the overdue-loans job, the CLI posting it.
 */
import type { LoanState, PrismaClient, SecrecyLevel } from '../../src/generated/prisma/client.js';

const CREATED = new Date('2026-11-20T02:00:00Z');

export async function insertBox(db: PrismaClient, label = '12盒'): Promise<number> {
  const box = await db.location.create({
    data: { kind: 'box', label, position: 12, path: `档案室1/A柜/3层/${label}`, sortKey: '001', createdAt: CREATED },
  });
  return box.id;
}

export interface LoanRow {
  /** Numbers the codes: JZ-2026-000n, SQ-2026-000n, JY-2026-000n (and the volume's year). */
  n: number;
  customer: { id: number; code: string };
  boxId: number;
  /** Person ids. */
  borrowerId: number;
  responsibleId: number;
  /** YYYY-MM-DD, the last day; null before the borrower signs for it. */
  dueOn: string | null;
  state?: LoanState;
  level?: SecrecyLevel;
}

/** A lent volume: returns the loan's and the volume's codes. */
export async function insertLoan(db: PrismaClient, row: LoanRow): Promise<{ code: string; volume: string }> {
  const { n, customer, boxId, borrowerId, responsibleId, dueOn, state = 'open', level = 'restricted' } = row;
  const number = String(n).padStart(4, '0');
  const volume = await db.volume.create({
    data: {
      code: `JZ-2026-${number}`,
      customerId: customer.id,
      year: 2000 + n,
      topSecret: level === 'top_secret',
      secrecyLevel: level,
      secrecyUntil: level === 'unclassified' ? null : new Date('2030-01-01T00:00:00Z'),
      retention: 'long_term',
      boxId,
      state: state === 'returned' ? 'in_box' : 'on_loan',
      responsibleId,
      createdAt: CREATED,
      updatedAt: CREATED,
    },
  });
  const request = await db.request.create({
    data: {
      code: `SQ-2026-${number}`,
      kind: 'loan',
      customerId: customer.id,
      customerCode: customer.code,
      requesterId: borrowerId,
      level,
      purpose: '核对合同',
      reason: '客户来访',
      requesterProfile: '销售一部',
      volumeId: volume.id,
      loanMaterial: '销售合同',
      loanCopies: 1,
      loanDays: 3,
      state: 'approved',
      createdAt: CREATED,
      decidedAt: CREATED,
    },
  });
  const code = `JY-2026-${number}`;
  await db.loan.create({
    data: {
      code,
      volumeId: volume.id,
      requestId: request.id,
      borrowerId,
      material: '销售合同',
      copies: 1,
      reason: '客户来访',
      days: 3,
      state,
      approvedAt: CREATED,
      outAt: state === 'approved' ? null : CREATED,
      dueOn: dueOn === null ? null : new Date(`${dueOn}T00:00:00Z`),
      returnedAt: state === 'returned' ? CREATED : null,
    },
  });
  return { code, volume: volume.code };
}

/** A volume in its box (no loan): for destruction and inspections. */
export async function insertVolume(
  db: PrismaClient,
  row: {
    code: string;
    customer: { id: number };
    boxId: number;
    responsibleId: number;
    year: number;
    retention: 'permanent' | 'long_term' | 'short_term';
    level?: SecrecyLevel;
  },
): Promise<number> {
  const level = row.level ?? 'restricted';
  const volume = await db.volume.create({
    data: {
      code: row.code,
      customerId: row.customer.id,
      year: row.year,
      topSecret: level === 'top_secret',
      secrecyLevel: level,
      secrecyUntil: level === 'unclassified' ? null : new Date('2030-01-01T00:00:00Z'),
      retention: row.retention,
      boxId: row.boxId,
      responsibleId: row.responsibleId,
      createdAt: CREATED,
      updatedAt: CREATED,
    },
  });
  return volume.id;
}
