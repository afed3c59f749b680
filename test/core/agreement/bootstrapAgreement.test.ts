import { describe, expect, it } from 'vitest';
import { bootstrapItemAgreement } from '../../../core/agreement/bootstrapAgreement';
import type { ItemRatings } from '../../../core/agreement/groupRatings';
import { itemAgreement } from '../../../core/agreement/itemAgreement';
import { createSeededRandom } from '../../../core/random/seededRandom';
import type { BootstrapEstimate, BootstrapResult } from '../../../core/stats/bootstrap';

const estimate = (r: BootstrapResult | undefined): BootstrapEstimate => {
  if (!r?.estimable) throw new Error(`expected an interval, got ${JSON.stringify(r)}`);
  return r;
};

/** n cases rated by two readers on an ordinal scale: the second agrees with probability p, else is one level off. */
function ordinal(n: number, p: number, seed: number): ItemRatings {
  const random = createSeededRandom(seed);
  const levels = ['a', 'b', 'c', 'd'];
  const ratings = Array.from({ length: n }, () => {
    const first = Math.floor(random.uniform() * 4);
    const second = random.uniform() < p ? first : Math.min(3, Math.max(0, first + (random.uniform() < 0.5 ? -1 : 1)));
    return [levels[first]!, levels[second]!];
  });
  return {
    item: 'burden',
    timepoint: null,
    raters: ['R1', 'R2'],
    caseIds: ratings.map((_, i) => `C${i}`),
    excludedCaseIds: [],
    scale: 'ordinal',
    levels,
    ratings,
  };
}

describe('bootstrapItemAgreement', () => {
  it('resamples cases reproducibly: the same seed gives the same intervals, another seed others', () => {
    const r = ordinal(60, 0.6, 1);
    const a = itemAgreement(r);
    const once = bootstrapItemAgreement(r, a, { seed: 42, replicates: 300 });
    expect(bootstrapItemAgreement(r, a, { seed: 42, replicates: 300 })).toEqual(once);
    expect(bootstrapItemAgreement(r, a, { seed: 43, replicates: 300 }).intervals.kappa).not.toEqual(
      once.intervals.kappa,
    );
    expect(Object.keys(once.intervals).sort()).toEqual(['kappa', 'weightedKappaLinear', 'weightedKappaQuadratic']);
    expect(once).toMatchObject({ seed: 42, replicates: 300, confidenceLevel: 0.95 });
    for (const s of ['kappa', 'weightedKappaLinear', 'weightedKappaQuadratic'] as const) {
      const e = estimate(once.intervals[s]);
      expect(e.estimate).toBe(a[s]);
      expect(e.ci[0]).toBeLessThan(e.estimate);
      expect(e.ci[1]).toBeGreaterThan(e.estimate);
    }
  });

  it('agrees with the asymptotic interval of Fleiss, Cohen and Everitt on a large sample', () => {
    // With 400 cases both are close to the sampling distribution; they differ by far less than their width.
    const r = ordinal(400, 0.55, 7);
    const a = itemAgreement(r);
    const b = bootstrapItemAgreement(r, a, { seed: 2026, replicates: 2000 });
    for (const [s, ci] of [
      ['kappa', a.kappaCi],
      ['weightedKappaQuadratic', a.weightedKappaQuadraticCi],
    ] as const) {
      const e = estimate(b.intervals[s]);
      const width = ci![1] - ci![0];
      expect(Math.abs(e.ci[0] - ci![0]), `${s} lower`).toBeLessThan(0.15 * width);
      expect(Math.abs(e.ci[1] - ci![1]), `${s} upper`).toBeLessThan(0.15 * width);
    }
  });

  it('gives the six ICC forms of a continuous item, and leaves out what does not apply', () => {
    const random = createSeededRandom(3);
    const truth = Array.from({ length: 30 }, () => 20 + 10 * random.uniform());
    const ratings = truth.map((t) => [t + random.uniform(), t + 1 + random.uniform()]);
    const r: ItemRatings = {
      item: 'sum_mm',
      timepoint: '0',
      raters: ['R1', 'R2'],
      caseIds: truth.map((_, i) => `C${i}`),
      excludedCaseIds: [],
      scale: 'continuous',
      ratings,
    };
    const a = itemAgreement(r);
    const b = bootstrapItemAgreement(r, a, { seed: 5, replicates: 200 });
    expect(Object.keys(b.intervals)).toEqual(['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k']);
    for (const form of ['ICC1', 'ICC3'] as const) {
      const e = estimate(b.intervals[form]);
      expect(e.estimate).toBe(a.icc![form].value);
      expect(e.ci[0]).toBeLessThanOrEqual(e.estimate);
      expect(e.ci[1]).toBeLessThanOrEqual(1);
    }
  });

  it('counts resamples on which kappa is not estimable instead of failing, and has nothing to resample when the item has no statistic', () => {
    // Nine cases in one category and one in another: many resamples hold one category only.
    const ratings = [...Array.from({ length: 9 }, () => ['x', 'x']), ['y', 'y']];
    const r: ItemRatings = {
      item: 'rare',
      timepoint: null,
      raters: ['R1', 'R2'],
      caseIds: ratings.map((_, i) => `C${i}`),
      excludedCaseIds: [],
      scale: 'nominal',
      levels: ['x', 'y'],
      ratings,
    };
    const kappa = estimate(bootstrapItemAgreement(r, itemAgreement(r), { seed: 1, replicates: 500 }).intervals.kappa);
    expect(kappa.replicatesNotEstimable).toBeGreaterThan(100);
    expect(kappa.replicatesUsed + kappa.replicatesNotEstimable).toBe(500);
    expect(kappa.ci).toEqual([1, 1]);
    const single: ItemRatings = { ...r, ratings: ratings.slice(0, 9), caseIds: r.caseIds.slice(0, 9) };
    expect(bootstrapItemAgreement(single, itemAgreement(single), { seed: 1, replicates: 50 }).intervals).toEqual({});
  });
});
