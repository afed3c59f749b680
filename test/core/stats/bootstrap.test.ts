import { describe, expect, it } from 'vitest';
import { bootstrapPercentileCi, type BootstrapEstimate, type BootstrapResult } from '../../../core/stats/bootstrap';
import { cohenKappaFromRatings } from '../../../core/stats/cohenKappa';
import { quantile } from '../../../core/stats/quantile';
import { createSeededRandom } from '../../../core/random/seededRandom';

function estimate(result: BootstrapResult): BootstrapEstimate {
  if (!result.estimable) throw new Error(`expected an estimable bootstrap interval, got: ${result.reason}`);
  return result;
}
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('bootstrapPercentileCi', () => {
  const random = createSeededRandom(1993);
  const sample = Array.from({ length: 200 }, () => 10 + 2 * random.normal());

  it('is reproducible from its recorded seed, and the seed matters', () => {
    const first = estimate(bootstrapPercentileCi(sample, mean, { seed: 42 }));
    const again = estimate(bootstrapPercentileCi(sample, mean, { seed: first.seed, replicates: first.replicates }));
    expect(again).toEqual(first);
    const other = estimate(bootstrapPercentileCi(sample, mean, { seed: 43 }));
    expect(other.ci).not.toEqual(first.ci);
    expect([first.seed, first.replicates, first.confidenceLevel]).toEqual([42, 2000, 0.95]);
  });

  it('takes the type-7 quantiles of the replicates (quantile.ts, checked against R) as the interval', () => {
    const replicates: number[] = [];
    let calls = 0;
    const result = estimate(
      bootstrapPercentileCi(
        sample,
        (s) => {
          const m = mean(s);
          if (calls++ > 0) replicates.push(m); // the first call is the original sample
          expect(s).toHaveLength(sample.length);
          return m;
        },
        { seed: 7, replicates: 999, confidenceLevel: 0.9 },
      ),
    );
    expect(replicates).toHaveLength(999);
    expect(result.ci).toEqual([quantile(replicates, 0.05), quantile(replicates, 0.95)]);
    expect(result.estimate).toBe(mean(sample));
  });

  it('approximates the normal-theory interval of a mean (mean ∓ 1.96 SD/√n) for normal data', () => {
    const e = estimate(bootstrapPercentileCi(sample, mean, { seed: 2024, replicates: 4000 }));
    const m = mean(sample);
    const sd = Math.sqrt(sample.reduce((s, x) => s + (x - m) ** 2, 0) / (sample.length - 1));
    const halfWidth = (1.96 * sd) / Math.sqrt(sample.length);
    expect(Math.abs(e.ci[0] - (m - halfWidth))).toBeLessThan(0.1 * halfWidth);
    expect(Math.abs(e.ci[1] - (m + halfWidth))).toBeLessThan(0.1 * halfWidth);
  });

  it('matches a hand case: two subjects 0 and 1, mean takes 0, ½, 1 with probability ¼, ½, ¼', () => {
    const e = estimate(bootstrapPercentileCi([0, 1], mean, { seed: 5, replicates: 4000 }));
    expect(e.ci).toEqual([0, 1]);
    const narrow = estimate(bootstrapPercentileCi([0, 1], mean, { seed: 5, replicates: 4000, confidenceLevel: 0.4 }));
    expect(narrow.ci).toEqual([0.5, 0.5]);
  });

  it('gives a point interval for constant data', () => {
    expect(estimate(bootstrapPercentileCi([3, 3, 3, 3], mean, { seed: 1 })).ci).toEqual([3, 3]);
  });

  it('drops and counts resamples where the statistic is not estimable (a kappa with one category in the resample)', () => {
    const a = ['hyper', 'hyper', 'hypo', 'hyper', 'hypo', 'hyper'];
    const b = ['hyper', 'hypo', 'hypo', 'hyper', 'hypo', 'hyper'];
    const pairs = a.map((x, i) => [x, b[i]!] as const);
    const kappa = (s: readonly (readonly [string, string])[]) => {
      const r = cohenKappaFromRatings(
        s.map((p) => p[0]),
        s.map((p) => p[1]),
        ['hyper', 'hypo'],
      );
      return r.estimable ? r.kappa : null;
    };
    const e = estimate(bootstrapPercentileCi(pairs, kappa, { seed: 11, replicates: 2000 }));
    expect(e.replicatesNotEstimable).toBeGreaterThan(0);
    expect(e.replicatesUsed + e.replicatesNotEstimable).toBe(2000);
    expect(e.ci[0]).toBeLessThanOrEqual(e.estimate);
    expect(e.ci[1]).toBeLessThanOrEqual(1);
  });

  it('treats NaN and infinite statistic values as not estimable', () => {
    const e = estimate(
      bootstrapPercentileCi([1, 2, 3, 4], (s) => (s.includes(4) ? mean(s) : NaN), { seed: 3, replicates: 500 }),
    );
    expect(e.replicatesNotEstimable).toBeGreaterThan(0);
  });

  it('is not estimable for fewer than 2 subjects, or when the statistic is never estimable', () => {
    const original = [1, 2, 3];
    for (const [subjects, statistic, pattern] of [
      [[1], mean, /at least 2 subjects/],
      [original, () => null, /original subjects/],
      [original, (s: readonly number[]) => (s === original ? 1 : null), /any of the 3 resamples/],
    ] as [number[], (s: readonly number[]) => number | null, RegExp][]) {
      const result = bootstrapPercentileCi(subjects, statistic, { seed: 9, replicates: 3 });
      expect(result.estimable).toBe(false);
      if (!result.estimable) expect(result.reason).toMatch(pattern);
    }
  });

  it('rejects bad options (programmer errors)', () => {
    expect(() => bootstrapPercentileCi([1, 2], mean, { seed: 1, replicates: 0 })).toThrow(RangeError);
    expect(() => bootstrapPercentileCi([1, 2], mean, { seed: 1, replicates: 2.5 })).toThrow(RangeError);
    expect(() => bootstrapPercentileCi([1, 2], mean, { seed: 1, confidenceLevel: 1 })).toThrow(RangeError);
    expect(() => bootstrapPercentileCi([1, 2], mean, { seed: NaN })).toThrow(RangeError);
  });
});
