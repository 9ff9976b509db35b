/**
 * The customer grading rule of the regulations as pure functions, table-tested in
 * tests/unit/grading-rules.test.ts:
 *
 * - DB-8: customers are graded A/B/C by the average of their sales over the last three
 *   complete months (company calendar), ranked from highest to lowest; by default the top
 *   20% are A, the next 30% B and the rest C ("share" policy), or by amount thresholds
 *   ("amount" policy);
 * - DB-10: the monthly sales figures; money is never a float: amounts are integer fen
 *   (分, 1/100 yuan) as `bigint`, and no amount is ever converted to a Number.
 *
 * Decisions where the regulation is silent:
 *
 * - Ranking compares the three-month sums, not the rounded averages: the order is the same
 *   as the exact average's, and no rounding can create or break a tie. Equal sums share a
 *   rank (competition ranking: 1, 2, 2, 4) and therefore the same grade, the better one.
 * - Fewer than three months of figures (a new customer): the missing months count as 0, as
 *   the regulation sums the three months and divides by three.
 * - A customer whose sum is not positive (no sales, or returns cancelling them) is C under
 *   either policy, whatever its position: no net sales is never A or B.
 */

export type Grade = 'A' | 'B' | 'C';

/** DB-8: how grades are cut; the settings layer validates user input before it gets here. */
export type GradingPolicy =
  | { mode: 'share'; aPercent: number; bPercent: number }
  | { mode: 'amount'; aMinFen: bigint; bMinFen: bigint };

/** DB-8 default: the top 20% of customers A, the next 30% B, the rest C. */
export const DEFAULT_GRADING: GradingPolicy = Object.freeze({ mode: 'share', aPercent: 20, bPercent: 30 });

const MONTHS_GRADED = 3;

/**
 * DB-8: the three complete months before `today` (YYYY-MM strings, oldest first): for
 * 2026-12-02 → ['2026-09', '2026-10', '2026-11']. Only the month matters: on the first of a
 * month the previous month has just ended and is complete, and the current one never is.
 * `today` is the company-local date (a `LocalDate` from ../time.js fits).
 */
export function lastThreeCompleteMonths(today: { year: number; month: number }): [string, string, string] {
  const { year, month } = today;
  if (!Number.isInteger(year) || year < 1 || year > 9999 || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new Error(`Not a calendar month: ${String(year)}-${String(month)}`);
  }
  // Months counted from year 0 make the year boundary plain integer arithmetic.
  const index = year * 12 + (month - 1);
  const monthAt = (i: number): string =>
    `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
  return [monthAt(index - 3), monthAt(index - 2), monthAt(index - 1)];
}

export interface CustomerSales {
  customerId: number;
  /** fen per month of the three; a month without a figure is absent or 0n */
  months: readonly bigint[];
}

export interface Graded {
  customerId: number;
  sumFen: bigint;
  /** the average in fen, rounded half up */
  averageFen: bigint;
  /** 1 = highest; ties share the rank of the first of them (1,2,2,4) */
  rank: number;
  grade: Grade;
}

/**
 * DB-8: grades customers by the average of their last three complete months of sales.
 * The output is ordered by rank, then customerId. Throws a plain Error for an invalid
 * policy, a customer listed twice, more than three months, or a month that is not a bigint.
 *
 * - Share policy over n customers: the A cut is the first ceil(n × aPercent / 100)
 *   positions, the B cut the first ceil(n × (aPercent + bPercent) / 100) positions in all.
 *   A customer whose rank (the 1-based position of the first of its tie group) is within
 *   the A cut is A, within the B cut B, else C; so a tie straddling a cut gets the better
 *   grade (a tie across the A/B cut is all A).
 * - Amount policy: average ≥ aMinFen → A, ≥ bMinFen → B, else C, compared exactly
 *   (sum ≥ 3 × threshold) rather than by the rounded average: an average of 999.9967 yuan
 *   is below a threshold of 1000.00 although it displays as 1000.00.
 * - Either policy: a sum ≤ 0 is C. n = 0 → [].
 */
export function gradeCustomers(customers: readonly CustomerSales[], policy: GradingPolicy = DEFAULT_GRADING): Graded[] {
  validatePolicy(policy);

  const seen = new Set<number>();
  const totals = customers.map(({ customerId, months }) => {
    if (seen.has(customerId)) throw new Error(`Customer ${customerId} is listed twice`);
    seen.add(customerId);
    if (months.length > MONTHS_GRADED) {
      throw new Error(`Customer ${customerId} has ${months.length} months of figures; at most ${MONTHS_GRADED}`);
    }
    let sumFen = 0n;
    // Indexed, not iterated, so that holes in a sparse array count as 0n too.
    for (let i = 0; i < months.length; i++) {
      const fen = months[i] ?? 0n;
      if (typeof fen !== 'bigint') throw new Error(`Customer ${customerId}: month ${i + 1} is not an amount in fen`);
      sumFen += fen;
    }
    return { customerId, sumFen };
  });

  // Highest sum first; equal sums by customerId so that the output order is stable.
  totals.sort((x, y) => (x.sumFen > y.sumFen ? -1 : x.sumFen < y.sumFen ? 1 : x.customerId - y.customerId));

  const n = totals.length;
  // Integer percents of an integer count: n × percent is exact, and /100 then ceil is exact
  // for any realistic n (a non-integer quotient is at least 0.01 away from an integer).
  const aCut = policy.mode === 'share' ? Math.ceil((n * policy.aPercent) / 100) : 0;
  const bCut = policy.mode === 'share' ? Math.ceil((n * (policy.aPercent + policy.bPercent)) / 100) : 0;

  const graded: Graded[] = [];
  let rank = 0;
  for (const [index, total] of totals.entries()) {
    const position = index + 1;
    // Competition ranking: a tie keeps the rank of the first of its group.
    const previous = graded[graded.length - 1];
    rank = previous !== undefined && previous.sumFen === total.sumFen ? rank : position;

    let grade: Grade;
    if (total.sumFen <= 0n) {
      grade = 'C';
    } else if (policy.mode === 'share') {
      grade = rank <= aCut ? 'A' : rank <= bCut ? 'B' : 'C';
    } else {
      const months = BigInt(MONTHS_GRADED);
      grade = total.sumFen >= months * policy.aMinFen ? 'A' : total.sumFen >= months * policy.bMinFen ? 'B' : 'C';
    }

    graded.push({ ...total, averageFen: averageOfThree(total.sumFen), rank, grade });
  }
  return graded;
}

/**
 * sum / 3 rounded half up (towards +∞), in bigint: floor((2 × sum + 3) / 6). A third never
 * lands on exactly a half, so this is simply the nearest fen, for negative sums as well
 * (100 → 33, 101 → 34, 2 → 1, 1 → 0, -1 → 0, -2 → -1).
 */
function averageOfThree(sumFen: bigint): bigint {
  return floorDiv(2n * sumFen + 3n, 6n);
}

/** Floor division for a positive divisor (bigint `/` truncates towards zero). */
function floorDiv(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  return dividend % divisor < 0n ? quotient - 1n : quotient;
}

function validatePolicy(policy: GradingPolicy): void {
  switch (policy.mode) {
    case 'share': {
      const { aPercent, bPercent } = policy;
      for (const [name, percent] of [
        ['aPercent', aPercent],
        ['bPercent', bPercent],
      ] as const) {
        if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
          throw new Error(`Grading policy: ${name} must be an integer from 0 to 100, not ${String(percent)}`);
        }
      }
      if (aPercent + bPercent > 100) {
        throw new Error(`Grading policy: aPercent + bPercent must be at most 100, not ${aPercent + bPercent}`);
      }
      return;
    }
    case 'amount': {
      const { aMinFen, bMinFen } = policy;
      if (typeof aMinFen !== 'bigint' || typeof bMinFen !== 'bigint') {
        throw new Error('Grading policy: aMinFen and bMinFen must be amounts in fen (bigint)');
      }
      if (bMinFen < 0n || aMinFen < bMinFen) {
        throw new Error(
          `Grading policy: thresholds must satisfy aMinFen ≥ bMinFen ≥ 0, not ${fenToYuan(aMinFen)} / ${fenToYuan(bMinFen)} yuan`,
        );
      }
      return;
    }
    default:
      throw new Error(`Grading policy: unknown mode ${String((policy as { mode: unknown }).mode)}`);
  }
}

/** Yuan text with two decimals from fen: 123456n → '1234.56'; -5n → '-0.05'. */
export function fenToYuan(fen: bigint): string {
  const negative = fen < 0n;
  const magnitude = negative ? -fen : fen;
  const yuan = magnitude / 100n;
  const cents = String(magnitude % 100n).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}
