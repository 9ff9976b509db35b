/**
 * DB-11: the customer registers (客户名册、客户等级分类表、客户地址分类表、区域分析) as the
 * asker may have them, `/kh register [order|grade|address|region]`.
 *
 * Visibility is exactly `/kh export`'s (`searchVisibleCustomers` with `via: 'export'`):
 *
 * - only customers the asker may read appear; one they may merely know of, or not even that
 *   (绝密 outside its custodians and the GM), never does (SEC-3);
 * - a classified customer is written out in full only under the asker's approved, unexpired
 *   copy permission at its level (INFO-23, SEC-8; the GM and the deputy GM need none),
 *   otherwise as a masked row: its code and level;
 * - the export is audited (`customer.register_exported` with the kind, the rows and how many
 *   are masked), and so is every classified customer written out (`customer.exported`, SEC-16).
 *
 * Unlike `/kh export` the register is whole: it is not cut at `export_max_rows`.
 *
 * Decisions where the regulation is silent:
 *
 * - Acquisition order is the order of the codes, compared as (year, number), so that
 *   KH-2026-10000 follows KH-2026-9999.
 * - In the grade and address registers a masked row is listed last, after the ungraded
 *   customers and those without a region, by code: placing it in a group would give away the
 *   grade or region the asker has no copy of.
 * - The regional analysis sums only the customers written out in full: a masked customer's
 *   sales, grade or mere presence in a region never reach a line (an aggregate leaks too).
 *   Those customers count as exported (their figures are in the file).
 * - Its sales are those of the last twelve complete months, company calendar (the month in
 *   progress is not complete), summed in fen as bigint — never a float.
 */
import type { Grade, SecrecyLevel } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import type { UseCaseContext } from '../context.js';
import { type FoundCustomer, searchVisibleCustomers } from '../customers/find-customers.js';
import { DomainError } from '../errors.js';
import { formatLocalDate, localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';

export const REGISTER_KINDS = ['order', 'grade', 'address', 'region'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

export function isRegisterKind(text: string): text is RegisterKind {
  return (REGISTER_KINDS as readonly string[]).includes(text);
}

/** Months of sales in the regional analysis. */
export const REGION_MONTHS = 12;

/** More rows than any ledger holds: the whole register, with no cap (DB-11). */
const WHOLE_REGISTER = 2_000_000_000;

export type RegisterRow =
  | {
      visibility: 'visible';
      code: string;
      name: string;
      level: SecrecyLevel;
      grade: Grade | null;
      region: string | null;
      address: string;
      phone: string;
      ownerSlackUserId: string;
      /** The day it was registered, company calendar (YYYY-MM-DD). */
      registeredOn: string;
    }
  | {
      /** Readable, but classified and without a copy permission (INFO-23, SEC-8): code and level only. */
      visibility: 'masked';
      code: string;
      level: SecrecyLevel;
    };

export interface RegionLine {
  /** Null: the customers without a region. */
  region: string | null;
  customers: number;
  /** Sales of the analysed months, in fen. */
  salesFen: bigint;
  grades: Record<Grade | 'none', number>;
}

export type Register =
  | {
      kind: 'order' | 'grade' | 'address';
      rows: RegisterRow[];
      /** How many rows are masked. */
      masked: number;
    }
  | {
      kind: 'region';
      /** The complete months summed (YYYY-MM, oldest first). */
      months: string[];
      regions: RegionLine[];
      /** Customers left out because they would be masked: none of their figures is in a line. */
      masked: number;
    };

/** The number of lines a register has: rows, or regions. */
export function registerLines(register: Register): number {
  return register.kind === 'region' ? register.regions.length : register.rows.length;
}

/**
 * The `count` complete months before `today` (YYYY-MM, oldest first), the way
 * `lastThreeCompleteMonths` (./grading-rules.ts) counts: months from year 0 make the year
 * boundary plain integer arithmetic. 2026-11-28, 12 → 2025-11 … 2026-10.
 */
export function lastCompleteMonths(today: { year: number; month: number }, count: number): string[] {
  const index = today.year * 12 + (today.month - 1);
  const monthAt = (i: number): string =>
    `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
  return Array.from({ length: count }, (_, k) => monthAt(index - count + k));
}

/** KH-2026-0042 → [2026, 42]; acquisition order compares these numerically. */
function codeKey(code: string): [number, number] {
  const match = /-(\d{4})-(\d+)$/.exec(code);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function byCode(a: { code: string }, b: { code: string }): number {
  const [ya, na] = codeKey(a.code);
  const [yb, nb] = codeKey(b.code);
  return ya - yb || na - nb || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Plain code-point order (the database's C collation), nulls last. */
function textOrder(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

const GRADE_ORDER: Record<Grade | 'none', number> = { A: 0, B: 1, C: 2, none: 3 };

type Visible = Extract<RegisterRow, { visibility: 'visible' }>;

/** Full rows by `compare`, then the masked rows by code. */
function arrange(rows: readonly RegisterRow[], compare: (a: Visible, b: Visible) => number): RegisterRow[] {
  const visible = rows.filter((row): row is Visible => row.visibility === 'visible');
  const masked = rows.filter((row) => row.visibility === 'masked');
  return [...visible.sort((a, b) => compare(a, b) || byCode(a, b)), ...masked.sort(byCode)];
}

function rowOf(item: FoundCustomer, timeZone: string): RegisterRow {
  if (item.visibility === 'masked') return { visibility: 'masked', code: item.code, level: item.level };
  return {
    visibility: 'visible',
    code: item.code,
    name: item.name,
    level: item.level,
    grade: item.grade,
    region: item.region,
    address: item.address,
    phone: item.phone,
    ownerSlackUserId: item.ownerSlackUserId,
    registeredOn: formatLocalDate(localDateOf(item.createdAt, timeZone)),
  };
}

/** `/kh register [kind]`: one of the four registers, whole, as the asker may have it (DB-11). */
export function buildRegister(ctx: UseCaseContext, kind: RegisterKind): Promise<Register> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, timeZone, me } = scope;
    // STAT-5: sales figures (the regional analysis) are the information staff's; the lists of
    // customers are anyone's with a role, within what they may read.
    if (!can(me.roles, kind === 'region' ? 'readFigures' : 'searchCustomers'))
      return scope.refuse(
        new DomainError('not_allowed', { action: 'register' }),
        denied('customer', null, 'customer.register', { kind }),
      );
    // The export's own filter, masking and SEC-16 records (every classified row written out).
    const { items } = await searchVisibleCustomers(scope, {
      query: '',
      offset: 0,
      limit: WHOLE_REGISTER,
      via: 'export',
    });
    const rows = items.map((item) => rowOf(item, timeZone));
    const masked = rows.filter((row) => row.visibility === 'masked').length;

    let register: Register;
    if (kind === 'region') {
      const months = lastCompleteMonths(localDateOf(now, timeZone), REGION_MONTHS);
      const [first = '', last = ''] = [months[0], months.at(-1)];
      const full = rows.filter((row): row is Visible => row.visibility === 'visible');
      // Sales of the customers written out in full only: a masked one's never reach a total.
      const sales = await tx.$queryRaw<{ code: string; fen: string }[]>`
        SELECT c.code, (sum(f.amount) * 100)::bigint::text AS fen
          FROM "SalesFigure" f JOIN "Customer" c ON c.id = f."customerId"
         WHERE f.month >= ${first} AND f.month <= ${last}
           AND c.code = ANY(${full.map((row) => row.code)}::text[])
         GROUP BY c.code`;
      const fenOf = new Map(sales.map((s) => [s.code, BigInt(s.fen)]));
      const lines = new Map<string | null, RegionLine>();
      for (const row of full) {
        let line = lines.get(row.region);
        if (!line) {
          line = { region: row.region, customers: 0, salesFen: 0n, grades: { A: 0, B: 0, C: 0, none: 0 } };
          lines.set(row.region, line);
        }
        line.customers++;
        line.salesFen += fenOf.get(row.code) ?? 0n;
        line.grades[row.grade ?? 'none']++;
      }
      const regions = [...lines.values()].sort((a, b) => textOrder(a.region, b.region));
      register = { kind, months, regions, masked };
    } else {
      const ordered =
        kind === 'grade'
          ? arrange(rows, (a, b) => GRADE_ORDER[a.grade ?? 'none'] - GRADE_ORDER[b.grade ?? 'none'])
          : kind === 'address'
            ? arrange(rows, (a, b) => textOrder(a.region, b.region) || textOrder(a.address, b.address))
            : [...rows].sort(byCode);
      register = { kind, rows: ordered, masked };
    }

    // The export itself is on the record, whatever it holds (each classified row is too).
    await scope.audit({
      action: 'customer.register_exported',
      subjectType: 'export',
      subjectId: null,
      details: { kind, rows: registerLines(register), masked },
    });
    return register;
  });
}
