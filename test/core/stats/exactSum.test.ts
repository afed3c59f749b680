import { describe, expect, it } from 'vitest';
import { exactSum } from '../../../core/stats/exactSum';
import { createSeededRandom } from '../../../core/random/seededRandom';

describe('exactSum', () => {
  it('returns the correctly rounded sum where naive summation does not', () => {
    // Hand derivation: the exact sum of these doubles is the double nearest to 0.6 (0.1, 0.2 and
    // 0.3 are each within half an ulp of the decimal), while (0.1 + 0.2) + 0.3 rounds twice.
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    // Catastrophic cancellation: 1e100 + 1 − 1e100 is exactly 1.
    expect(exactSum([1e100, 1, -1e100])).toBe(1);
    expect(exactSum([1, 1e-16, 1e-16])).toBe(1.0000000000000002);
  });

  it('does not depend on the order of the terms (seeded random permutations)', () => {
    const random = createSeededRandom(7);
    const values = Array.from({ length: 50 }, () => (random.uniform() - 0.5) * 10 ** Math.floor(random.uniform() * 12));
    const reference = exactSum(values);
    for (let trial = 0; trial < 20; trial++) {
      const shuffled = [...values];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random.uniform() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(exactSum(shuffled)).toBe(reference);
    }
  });

  it('gives 0 for an empty list and rejects non-finite values', () => {
    expect(exactSum([])).toBe(0);
    expect(() => exactSum([1, NaN])).toThrow(RangeError);
    expect(() => exactSum([Infinity])).toThrow(RangeError);
  });
});
