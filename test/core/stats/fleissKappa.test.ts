import { describe, expect, it } from 'vitest';
import {
  fleissKappa,
  fleissKappaFromRatings,
  type FleissKappaEstimate,
  type FleissKappaResult,
} from '../../../core/stats/fleissKappa';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from './oracles';

interface OracleCase {
  description: string;
  levels: (string | number)[];
  ratings: (string | number)[][];
  counts: number[][];
  kappa: number;
  observedAgreement: number;
  expectedAgreement: number;
  standardError: number;
  z: number;
  p: number;
  categories: {
    level: string | number;
    proportion: number;
    kappa: number | null;
    z: number | null;
    p: number | null;
  }[];
}
// test/fixtures/oracles/fleissKappa.R (R 4.2.2): irr::kappam.fleiss(detail = TRUE) restated in R
// (irr is not packaged for Debian), with p = 2 * pnorm(-|z|).
const oracle = readOracle<{ rVersion: string; cases: Record<string, OracleCase> }>('fleissKappa.json');

function estimate(result: FleissKappaResult): FleissKappaEstimate {
  if (!result.estimable) throw new Error(`expected an estimable Fleiss kappa, got: ${result.reason}`);
  return result;
}
const close9 = (actual: number, expected: number, label: string) =>
  expectAbsolutelyClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)), label);

describe('fleissKappa: published values', () => {
  const diagnoses = oracle.cases.diagnoses!;

  it('irr diagnoses (Fleiss 1971; 30 subjects, 6 raters, 5 categories): kappa 0.4302445, z 17.65183 (ORACLES.md; irr)', () => {
    const e = estimate(fleissKappaFromRatings(diagnoses.ratings, diagnoses.levels));
    expect(e.kappa).toBeCloseTo(0.4302445, 7);
    expect(e.z).toBeCloseTo(17.65183, 5);
    expect([e.nSubjects, e.nRaters, e.categories]).toEqual([30, 6, 5]);
    // irr prints p = 0 (2 * (1 − pnorm(z)) underflows); the two-sided tail is about 1e−69.
    expect(e.p).toBeGreaterThan(0);
    expect(e.p).toBeLessThan(1e-60);
  });

  it('diagnoses: the category totals of Fleiss 1971 (26, 26, 30, 55, 43 of 180 ratings)', () => {
    const counts = diagnoses.counts;
    expect(counts[0]!.map((_, j) => counts.reduce((s, row) => s + row[j]!, 0))).toEqual([26, 26, 30, 55, 43]);
  });

  it('matches a hand calculation: 3 subjects × 3 raters, kappa = 0.55', () => {
    // P_i = 1, 1/3, 1 → P̄ = 7/9; p = (5/9, 4/9) → P̄_e = 41/81; κ = (22/81) / (40/81) = 0.55.
    const e = estimate(
      fleissKappa([
        [3, 0],
        [2, 1],
        [0, 3],
      ]),
    );
    expectAbsolutelyClose(e.observedAgreement, 7 / 9, 1e-15, 'P');
    expectAbsolutelyClose(e.expectedAgreement, 41 / 81, 1e-15, 'Pe');
    expectAbsolutelyClose(e.kappa, 0.55, 1e-15, 'kappa');
    // SE₀: Σpq = 40/81, Σpq(q − p) = 0 for two categories → Var₀ = 2/(3·3·2) = 1/9, SE = 1/3.
    expectAbsolutelyClose(e.standardError, 1 / 3, 1e-15, 'SE');
  });
});

describe('fleissKappa against irr::kappam.fleiss', () => {
  it('fixtures come from R 4.2.2', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
    expect(Object.keys(oracle.cases)).toEqual([
      'diagnoses',
      'anxiety',
      'handThreeSubjects',
      'enhancement40x4',
      'burdenUnusedLevel',
      'splitPairs',
    ]);
  });

  describe.each(Object.entries(oracle.cases))('%s', (name, c) => {
    const fromRatings = estimate(fleissKappaFromRatings(c.ratings, c.levels));

    it('builds the subjects × categories table of R', () => {
      expect(estimate(fleissKappa(c.counts))).toEqual(fromRatings);
    });

    it('kappa, P̄, P̄_e, SE₀, z to 1e-9 and p to 1e-6 (confirmed in R)', () => {
      close9(fromRatings.kappa, c.kappa, `${name} kappa`);
      close9(fromRatings.observedAgreement, c.observedAgreement, `${name} P`);
      close9(fromRatings.expectedAgreement, c.expectedAgreement, `${name} Pe`);
      close9(fromRatings.standardError, c.standardError, `${name} SE`);
      close9(fromRatings.z, c.z, `${name} z`);
      expectAbsolutelyClose(fromRatings.p, c.p, 1e-6, `${name} p`);
      expectRelativelyClose(fromRatings.p, c.p, 1e-9, `${name} p (relative)`);
    });

    it('per-category kappas, z and p (irr detail = TRUE; unused categories not estimable)', () => {
      c.categories.forEach((r, j) => {
        const k = fromRatings.categoryKappas[j]!;
        expect(k.category).toBe(j);
        close9(k.proportion, r.proportion, `${name} p_${j}`);
        if (r.kappa === null) {
          expect(k.estimable, `${name} category ${j}`).toBe(false);
          return;
        }
        if (!k.estimable) throw new Error(`${name} category ${j} not estimable`);
        close9(k.kappa, r.kappa, `${name} kappa_${j}`);
        close9(k.z, r.z!, `${name} z_${j}`);
        expectAbsolutelyClose(k.p, r.p!, 1e-6, `${name} p_${j}`);
      });
    });
  });

  it('keeps unused levels as empty categories that do not change kappa', () => {
    const c = oracle.cases.burdenUnusedLevel!;
    const all = estimate(fleissKappaFromRatings(c.ratings, c.levels));
    const used = estimate(fleissKappaFromRatings(c.ratings, c.levels.slice(0, 4)));
    expect(all.categories).toBe(5);
    expectAbsolutelyClose(used.kappa, all.kappa, 1e-15, 'kappa');
    expectAbsolutelyClose(used.standardError, all.standardError, 1e-15, 'SE');
  });
});

describe('fleissKappa: degenerate input', () => {
  it('is not estimable when every rating is in one category (kappa 0/0)', () => {
    const result = fleissKappaFromRatings(
      [
        ['hyper', 'hyper'],
        ['hyper', 'hyper'],
      ],
      ['hyper', 'hypo', 'mixed'],
    );
    expect(result.estimable).toBe(false);
    if (!result.estimable) expect(result.reason).toMatch(/All 4 ratings are "hyper"/);
    const counts = fleissKappa([
      [0, 3],
      [0, 3],
    ]);
    expect(counts.estimable).toBe(false);
    if (!counts.estimable) expect(counts.reason).toMatch(/category 2/);
  });

  it('is not estimable without subjects or with a single rater', () => {
    expect(fleissKappa([]).estimable).toBe(false);
    expect(fleissKappaFromRatings([], ['a', 'b']).estimable).toBe(false);
    const one = fleissKappaFromRatings([['a'], ['b']], ['a', 'b']);
    expect(one.estimable).toBe(false);
    if (!one.estimable) expect(one.reason).toMatch(/at least 2 ratings per subject/);
  });

  it('gives kappa −1 for two raters who always disagree on two balanced categories', () => {
    expect(
      estimate(
        fleissKappa([
          [1, 1],
          [1, 1],
        ]),
      ).kappa,
    ).toBe(-1);
  });

  it('never returns NaN: seeded random small tables', () => {
    const random = createSeededRandom(1971);
    const hasNaN = (value: unknown): boolean =>
      typeof value === 'number'
        ? Number.isNaN(value)
        : typeof value === 'object' && value !== null && Object.values(value).some(hasNaN);
    for (let trial = 0; trial < 2000; trial++) {
      const subjects = Math.floor(random.uniform() * 4);
      const raters = 1 + Math.floor(random.uniform() * 4);
      const k = 1 + Math.floor(random.uniform() * 3);
      const ratings = Array.from({ length: subjects }, () =>
        Array.from({ length: raters }, () => Math.floor(random.uniform() * k)),
      );
      const result = fleissKappaFromRatings(ratings, [0, 1, 2]);
      expect(hasNaN(result), JSON.stringify(ratings)).toBe(false);
      if (result.estimable) expect(result.p >= 0 && result.p <= 1 && result.standardError > 0).toBe(true);
    }
  });

  it('rejects ragged tables, unequal numbers of ratings, non-integer counts and unknown levels (programmer errors)', () => {
    expect(() => fleissKappa([[1, 2], [3]])).toThrow(RangeError);
    expect(() =>
      fleissKappa([
        [1, 2],
        [2, 2],
      ]),
    ).toThrow(/same number of ratings/);
    expect(() =>
      fleissKappa([
        [1.5, 1.5],
        [2, 1],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      fleissKappa([
        [-1, 4],
        [2, 1],
      ]),
    ).toThrow(RangeError);
    expect(() => fleissKappaFromRatings([['a', 'b'], ['a']], ['a', 'b'])).toThrow(RangeError);
    expect(() => fleissKappaFromRatings([['a', 'c']], ['a', 'b'])).toThrow(/not one of the levels/);
  });
});
