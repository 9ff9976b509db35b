import { describe, expect, it } from 'vitest';
import { planCompletion } from '../../src/domain/statistics/plan-completion.js';

describe('plan completion (STAT-15, STAT-17)', () => {
  const cases: [string, bigint, bigint, string | null][] = [
    ['exactly on plan', 100_000n, 100_000n, '100.0'],
    ['above plan', 150_050n, 80_000n, '187.6'],
    ['half up at the first decimal: 2/3 → 66.7', 2n, 3n, '66.7'],
    ['half up: 1/8 = 12.5% → 12.5', 1n, 8n, '12.5'],
    ['half up: 1/16 = 6.25% → 6.3', 1n, 16n, '6.3'],
    ['nothing sold', 0n, 50_000n, '0.0'],
    ['returns exceeding sales', -1_000n, 10_000n, '-10.0'],
    ['no target', 10_000n, 0n, null],
    ['sums beyond Number precision stay exact', 90_071_992_547_409_930n, 90_071_992_547_409_930n, '100.0'],
  ];
  for (const [what, actual, target, expected] of cases) {
    it(`STAT-17: ${what}`, () => {
      expect(planCompletion(actual, target)).toBe(expected);
    });
  }
});
