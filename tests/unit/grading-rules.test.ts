import { describe, expect, it } from 'vitest';
import {
  type CustomerSales,
  DEFAULT_GRADING,
  fenToYuan,
  type Grade,
  type GradingPolicy,
  gradeCustomers,
  lastThreeCompleteMonths,
} from '../../src/domain/statistics/grading-rules.js';
import { type LocalDate, localDateOf } from '../../src/domain/time.js';

/** A customer with the given monthly figures in fen (fewer than three: the rest are missing). */
const sales = (customerId: number, ...months: bigint[]): CustomerSales => ({ customerId, months });

/** Customers with one month each, ids 1, 2, … in the order of the sums given. */
const withSums = (...sums: bigint[]): CustomerSales[] => sums.map((sum, i) => sales(i + 1, sum));

/** The result as [customerId, rank, grade] rows, in output order. */
const rows = (customers: readonly CustomerSales[], policy?: GradingPolicy): [number, number, Grade][] =>
  gradeCustomers(customers, policy).map((g) => [g.customerId, g.rank, g.grade]);

const byAmount = (aMinFen: bigint, bMinFen: bigint): GradingPolicy => ({ mode: 'amount', aMinFen, bMinFen });

describe('DB-8 gradeCustomers, share policy (default top 20% A, next 30% B)', () => {
  const cases: { title: string; customers: CustomerSales[]; expected: [number, number, Grade][] }[] = [
    {
      title: 'DB-8: the default split on 10 customers is 2 A, 3 B, 5 C',
      // Listed out of order: the output is ranked by the sum, highest first.
      customers: [
        sales(7, 40_000n),
        sales(3, 80_000n),
        sales(10, 10_000n),
        sales(1, 100_000n),
        sales(5, 60_000n),
        sales(9, 20_000n),
        sales(2, 90_000n),
        sales(6, 50_000n),
        sales(8, 30_000n),
        sales(4, 70_000n),
      ],
      expected: [
        [1, 1, 'A'],
        [2, 2, 'A'],
        [3, 3, 'B'],
        [4, 4, 'B'],
        [5, 5, 'B'],
        [6, 6, 'C'],
        [7, 7, 'C'],
        [8, 8, 'C'],
        [9, 9, 'C'],
        [10, 10, 'C'],
      ],
    },
    {
      title: 'DB-8: ties share a rank and the better grade (a tie across the A/B cut is all A, across B/C all B)',
      // Cuts for 10: A = positions 1–2, B = 3–5. Positions 2–3 tie across the A/B cut,
      // positions 5–6 across the B/C cut.
      customers: withSums(900n, 800n, 800n, 700n, 600n, 600n, 500n, 400n, 300n, 200n),
      expected: [
        [1, 1, 'A'],
        [2, 2, 'A'],
        [3, 2, 'A'],
        [4, 4, 'B'],
        [5, 5, 'B'],
        [6, 5, 'B'],
        [7, 7, 'C'],
        [8, 8, 'C'],
        [9, 9, 'C'],
        [10, 10, 'C'],
      ],
    },
    {
      title: 'DB-8: ties are ordered by customerId',
      customers: [sales(30, 500n), sales(10, 900n), sales(20, 500n), sales(5, 500n)],
      // Cuts for 4: A = position 1, B = positions 1–2.
      expected: [
        [10, 1, 'A'],
        [5, 2, 'B'],
        [20, 2, 'B'],
        [30, 2, 'B'],
      ],
    },
    {
      title: 'DB-8: all equal share rank 1 and are all A',
      customers: withSums(12_345n, 12_345n, 12_345n, 12_345n, 12_345n),
      expected: [
        [1, 1, 'A'],
        [2, 1, 'A'],
        [3, 1, 'A'],
        [4, 1, 'A'],
        [5, 1, 'A'],
      ],
    },
    {
      title: 'DB-8: zero sales are always C, even within the A and B cuts',
      // Cuts for 4: A = position 1, B = positions 1–2; the zeros tie at rank 2.
      customers: withSums(5_000n, 0n, 0n, 0n),
      expected: [
        [1, 1, 'A'],
        [2, 2, 'C'],
        [3, 2, 'C'],
        [4, 2, 'C'],
      ],
    },
    {
      title: 'DB-8: all without sales are all C',
      customers: [sales(1), sales(2, 0n, 0n, 0n), sales(3, 0n)],
      expected: [
        [1, 1, 'C'],
        [2, 1, 'C'],
        [3, 1, 'C'],
      ],
    },
    {
      title: 'DB-8: a negative sum (returns exceeding sales) is C and ranks last',
      customers: [sales(1, -500n, 200n), sales(2, 100n)],
      // Cuts for 2: A = position 1, B = positions 1–1.
      expected: [
        [2, 1, 'A'],
        [1, 2, 'C'],
      ],
    },
    { title: 'DB-8: n = 0 gives no grades', customers: [], expected: [] },
    { title: 'DB-8: n = 1 is A (the A cut is ceil(0.2) = 1)', customers: withSums(1n), expected: [[1, 1, 'A']] },
    {
      title: 'DB-8: n = 3 is one each (A cut ceil(0.6) = 1, B cut ceil(1.5) = 2)',
      customers: withSums(300n, 200n, 100n),
      expected: [
        [1, 1, 'A'],
        [2, 2, 'B'],
        [3, 3, 'C'],
      ],
    },
  ];

  it.each(cases)('$title', ({ customers, expected }) => {
    expect(rows(customers)).toEqual(expected);
  });

  it('DB-8: other shares, including no A at all and everyone A', () => {
    const ten = withSums(10n, 9n, 8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n);
    const count = (policy: GradingPolicy) =>
      gradeCustomers(ten, policy).reduce<Record<Grade, number>>(
        (counts, g) => {
          counts[g.grade]++;
          return counts;
        },
        { A: 0, B: 0, C: 0 },
      );
    expect(count({ mode: 'share', aPercent: 10, bPercent: 25 })).toEqual({ A: 1, B: 3, C: 6 });
    expect(count({ mode: 'share', aPercent: 0, bPercent: 50 })).toEqual({ A: 0, B: 5, C: 5 });
    expect(count({ mode: 'share', aPercent: 0, bPercent: 0 })).toEqual({ A: 0, B: 0, C: 10 });
    expect(count({ mode: 'share', aPercent: 100, bPercent: 0 })).toEqual({ A: 10, B: 0, C: 0 });
  });

  it('DB-8: the default policy is top 20% A, next 30% B', () => {
    expect(DEFAULT_GRADING).toEqual({ mode: 'share', aPercent: 20, bPercent: 30 });
    const customers = withSums(5n, 4n, 3n, 2n, 1n);
    expect(gradeCustomers(customers)).toEqual(gradeCustomers(customers, DEFAULT_GRADING));
  });
});

describe('DB-8, DB-10 the three-month sum and average', () => {
  it('DB-8: fewer than three months count the missing ones as 0 (a single month of 300.00 → 100.00)', () => {
    const [one, padded, late] = [sales(1, 30_000n), sales(2, 30_000n, 0n, 0n), sales(3, 0n, 0n, 30_000n)].map(
      (customer) => gradeCustomers([customer])[0],
    );
    for (const graded of [one, padded, late]) {
      expect(graded?.sumFen).toBe(30_000n);
      expect(graded?.averageFen).toBe(10_000n);
      expect(fenToYuan(graded?.averageFen ?? -1n)).toBe('100.00');
    }
  });

  it('DB-8: the three months are summed and divided by three', () => {
    const [graded] = gradeCustomers([sales(1, 10_000n, 20_000n, 60_001n)]);
    expect(graded).toEqual({ customerId: 1, sumFen: 90_001n, averageFen: 30_000n, rank: 1, grade: 'A' });
  });

  it('DB-8: empty months give a zero sum and average', () => {
    expect(gradeCustomers([sales(1)])).toEqual([{ customerId: 1, sumFen: 0n, averageFen: 0n, rank: 1, grade: 'C' }]);
  });

  it.each([
    { sum: 100n, average: 33n }, // 33.33
    { sum: 101n, average: 34n }, // 33.67
    { sum: 2n, average: 1n }, // 0.67
    { sum: 1n, average: 0n }, // 0.33
    { sum: 0n, average: 0n },
    { sum: 3n, average: 1n },
    { sum: 299n, average: 100n }, // 99.67
    { sum: -1n, average: 0n }, // -0.33
    { sum: -2n, average: -1n }, // -0.67
    { sum: -100n, average: -33n }, // -33.33
  ])('DB-8: the average of a sum of $sum fen is $average fen (rounded half up)', ({ sum, average }) => {
    expect(gradeCustomers([sales(1, sum)])[0]?.averageFen).toBe(average);
  });

  it('DB-10: amounts beyond Number precision stay exact', () => {
    const month = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a Number
    const [graded] = gradeCustomers([sales(1, month, month, month)]);
    expect(graded?.sumFen).toBe(27_021_597_764_222_979n);
    expect(graded?.averageFen).toBe(month);
    // Two customers one fen apart at that size still rank apart (cuts for 2: A = 1, B = 1–1).
    expect(rows([sales(1, month), sales(2, month + 1n)])).toEqual([
      [2, 1, 'A'],
      [1, 2, 'C'],
    ]);
  });

  it('DB-8: ranking compares sums, not rounded averages (99 and 100 fen both average 33 fen)', () => {
    const graded = gradeCustomers(withSums(99n, 100n));
    expect(graded.map((g) => [g.customerId, g.averageFen, g.rank])).toEqual([
      [2, 33n, 1],
      [1, 33n, 2],
    ]);
  });
});

describe('DB-8 gradeCustomers, amount policy', () => {
  // A from an average of 1000.00 yuan, B from 500.00 yuan.
  const policy = byAmount(100_000n, 50_000n);

  it.each([
    { title: 'exactly aMin is A', sum: 300_000n, grade: 'A' },
    { title: 'above aMin is A', sum: 9_000_000n, grade: 'A' },
    { title: 'one fen of sum below aMin is B, though the average rounds to aMin', sum: 299_999n, grade: 'B' },
    { title: 'exactly bMin is B', sum: 150_000n, grade: 'B' },
    { title: 'below bMin is C', sum: 149_999n, grade: 'C' },
    { title: 'zero sales are C', sum: 0n, grade: 'C' },
  ] as const)('DB-8: $title', ({ sum, grade }) => {
    expect(gradeCustomers([sales(1, sum)], policy)[0]?.grade).toBe(grade);
  });

  it('DB-8: amount grades do not depend on how many customers there are, and ranks are still given', () => {
    expect(rows(withSums(300_000n, 300_000n, 300_000n, 150_000n, 1n), policy)).toEqual([
      [1, 1, 'A'],
      [2, 1, 'A'],
      [3, 1, 'A'],
      [4, 4, 'B'],
      [5, 5, 'C'],
    ]);
  });

  it('DB-8: zero thresholds grade every sale A but no sales C; equal thresholds leave no B', () => {
    expect(rows(withSums(1n, 0n), byAmount(0n, 0n))).toEqual([
      [1, 1, 'A'],
      [2, 2, 'C'],
    ]);
    expect(rows(withSums(1n, 0n), byAmount(100n, 0n))).toEqual([
      [1, 1, 'B'],
      [2, 2, 'C'],
    ]);
    expect(rows(withSums(300n, 299n), byAmount(100n, 100n))).toEqual([
      [1, 1, 'A'],
      [2, 2, 'C'],
    ]);
  });

  it('DB-8: n = 0 gives no grades', () => {
    expect(gradeCustomers([], policy)).toEqual([]);
  });
});

describe('DB-8 invalid input throws', () => {
  const invalid: { title: string; policy: GradingPolicy }[] = [
    { title: 'a fractional percent', policy: { mode: 'share', aPercent: 20.5, bPercent: 30 } },
    { title: 'a negative percent', policy: { mode: 'share', aPercent: 20, bPercent: -1 } },
    { title: 'a percent over 100', policy: { mode: 'share', aPercent: 101, bPercent: 0 } },
    { title: 'a NaN percent', policy: { mode: 'share', aPercent: Number.NaN, bPercent: 30 } },
    { title: 'percents adding up to over 100', policy: { mode: 'share', aPercent: 60, bPercent: 41 } },
    { title: 'a negative bMin', policy: byAmount(100n, -1n) },
    { title: 'aMin below bMin', policy: byAmount(99n, 100n) },
    { title: 'thresholds that are not bigint', policy: byAmount(100 as unknown as bigint, 50 as unknown as bigint) },
    { title: 'an unknown mode', policy: { mode: 'rank' } as unknown as GradingPolicy },
  ];

  it.each(invalid)('DB-8: $title is an invalid policy', ({ policy }) => {
    expect(() => gradeCustomers(withSums(1n), policy)).toThrow(Error);
    // Even with nobody to grade: a bad policy is a bug either way.
    expect(() => gradeCustomers([], policy)).toThrow(/Grading policy/);
  });

  it('DB-8: the policy limits themselves are valid', () => {
    for (const policy of [
      { mode: 'share', aPercent: 0, bPercent: 0 },
      { mode: 'share', aPercent: 100, bPercent: 0 },
      { mode: 'share', aPercent: 50, bPercent: 50 },
      byAmount(0n, 0n),
      byAmount(100n, 100n),
    ] as GradingPolicy[]) {
      expect(() => gradeCustomers(withSums(1n), policy)).not.toThrow();
    }
  });

  it('DB-8: a customer listed twice, more than three months, or a non-bigint month throws', () => {
    expect(() => gradeCustomers([sales(1, 1n), sales(1, 2n)])).toThrow(/listed twice/);
    expect(() => gradeCustomers([sales(1, 1n, 1n, 1n, 1n)])).toThrow(/at most 3/);
    expect(() => gradeCustomers([sales(1, 100 as unknown as bigint)])).toThrow(/not an amount in fen/);
  });
});

describe('DB-8 lastThreeCompleteMonths (company calendar)', () => {
  it.each([
    { today: { year: 2026, month: 12 }, months: ['2026-09', '2026-10', '2026-11'] },
    { today: { year: 2026, month: 1 }, months: ['2025-10', '2025-11', '2025-12'] },
    { today: { year: 2026, month: 2 }, months: ['2025-11', '2025-12', '2026-01'] },
    { today: { year: 2026, month: 3 }, months: ['2025-12', '2026-01', '2026-02'] },
    { today: { year: 2026, month: 4 }, months: ['2026-01', '2026-02', '2026-03'] },
  ])('DB-8: in $today.year-$today.month the three complete months are $months', ({ today, months }) => {
    expect(lastThreeCompleteMonths(today)).toEqual(months);
  });

  it('DB-8: across the year boundary on any day of January', () => {
    for (const day of [1, 15, 31]) {
      const today: LocalDate = { year: 2026, month: 1, day };
      expect(lastThreeCompleteMonths(today)).toEqual(['2025-10', '2025-11', '2025-12']);
    }
  });

  it('DB-8: on the first of a month the month just ended is complete (company time, not UTC)', () => {
    // 2026-11-30 16:00 UTC is already 2026-12-01 00:00 in Shanghai: November is complete there.
    const instant = new Date('2026-11-30T16:00:00Z');
    expect(lastThreeCompleteMonths(localDateOf(instant, 'Asia/Shanghai'))).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(lastThreeCompleteMonths(localDateOf(instant, 'UTC'))).toEqual(['2026-08', '2026-09', '2026-10']);
  });

  it.each([
    { year: 2026, month: 0 },
    { year: 2026, month: 13 },
    { year: 2026, month: 1.5 },
    { year: Number.NaN, month: 1 },
  ])('DB-8: $year-$month is not a calendar month', (today) => {
    expect(() => lastThreeCompleteMonths(today)).toThrow(/Not a calendar month/);
  });
});

describe('DB-10 fenToYuan', () => {
  it.each([
    { fen: 123_456n, yuan: '1234.56' },
    { fen: -5n, yuan: '-0.05' },
    { fen: 0n, yuan: '0.00' },
    { fen: 5n, yuan: '0.05' },
    { fen: 99n, yuan: '0.99' },
    { fen: 100n, yuan: '1.00' },
    { fen: -100n, yuan: '-1.00' },
    { fen: -123_456n, yuan: '-1234.56' },
    { fen: 9_007_199_254_740_993n, yuan: '90071992547409.93' },
  ])('DB-10: $fen fen is $yuan yuan', ({ fen, yuan }) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });
});
