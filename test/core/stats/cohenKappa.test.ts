import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  cohenKappaFromRatings,
  kappaWeightings,
  kappaWeights,
  type CohenKappaEstimate,
  type CohenKappaResult,
  type KappaWeighting,
} from '../../../core/stats/cohenKappa';
import { confusionTable } from '../../../core/stats/confusionTable';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { expectAbsolutelyClose, readOracle } from './oracles';

interface VcdRow {
  kappa: number;
  standardError: number;
  lower: number;
  upper: number;
  observedAgreement: number;
  expectedAgreement: number;
}
interface OracleCase {
  description: string;
  alpha: number;
  counts: number[][];
  levels?: (string | number)[];
  a?: (string | number)[];
  b?: (string | number)[];
  vcd: Record<KappaWeighting, VcdRow>;
  psych: {
    kappa: number;
    varKappa: number;
    lower: number;
    upper: number;
    weightedKappaQuadratic: number;
    varWeightedQuadratic: number;
  };
}
interface DegenerateCase {
  description: string;
  counts: number[][];
  psych: { kappa: number | null; varKappa: number };
  vcd: Record<KappaWeighting, { kappa: number | null; standardError: number | null }>;
}
// test/fixtures/oracles/kappa.R: psych::cohen.kappa (psych 2.2.9) and vcd::Kappa + confint (vcd 1.4-11), R 4.2.2.
const oracle = readOracle<{
  rVersion: string;
  psychVersion: string;
  vcdVersion: string;
  cases: Record<string, OracleCase>;
  degenerateCases: Record<string, DegenerateCase>;
}>('kappa.json');

function estimate(result: CohenKappaResult): CohenKappaEstimate {
  if (!result.estimable) throw new Error(`expected an estimable kappa, got: ${result.reason}`);
  return result;
}
const close9 = (actual: number, expected: number, label: string) =>
  expectAbsolutelyClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)), label);

describe('cohenKappa: published values (ORACLES.md)', () => {
  const fce = [
    [106, 10, 4],
    [22, 28, 10],
    [2, 12, 6],
  ];
  const cohen1968 = [
    [0.44, 0.07, 0.09],
    [0.05, 0.2, 0.05],
    [0.01, 0.03, 0.06],
  ];
  const sexualFun = oracle.cases.sexualFun!.counts;
  const msPatients = oracle.cases.msPatientsWinnipeg!.counts;
  // [table, weighting, kappa, SE (null where not published), decimals]
  const published: [string, number[][], KappaWeighting, number, number | null, number][] = [
    ['Fleiss, Cohen & Everitt 1969', fce, 'unweighted', 0.4285714, 0.053711, 7],
    ['Fleiss, Cohen & Everitt 1969', fce, 'linear', 0.4923077, null, 7],
    ['Fleiss, Cohen & Everitt 1969', fce, 'quadratic', 0.5666667, null, 7],
    ['Cohen 1968 (proportions)', cohen1968, 'unweighted', 0.4915254, null, 7],
    ['Cohen 1968 (proportions)', cohen1968, 'linear', 0.4736842, null, 7],
    ['Cohen 1968 (proportions)', cohen1968, 'quadratic', 0.4545455, null, 7],
    ['Agresti SexualFun', sexualFun, 'unweighted', 0.1293, 0.0686, 4],
    ['Agresti SexualFun', sexualFun, 'linear', 0.2374, 0.07832, 4],
    ['Agresti SexualFun', sexualFun, 'quadratic', 0.332, 0.0973, 4],
    ['Landis & Koch MSPatients Winnipeg', msPatients, 'unweighted', 0.207942, 0.05046, 6],
    ['Landis & Koch MSPatients Winnipeg', msPatients, 'linear', 0.379731, 0.05167, 6],
    ['Landis & Koch MSPatients Winnipeg', msPatients, 'quadratic', 0.524576, 0.06006, 6],
  ];
  it.each(published)('%s, %s: kappa %f (SE %s)', (_, table, weighting, kappa, se, decimals) => {
    const e = estimate(cohenKappa(table, { weighting }));
    expect(e.kappa).toBeCloseTo(kappa, decimals);
    if (se !== null)
      expect(Math.abs(e.standardError - se)).toBeLessThanOrEqual(0.5 * 10 ** -String(se).split('.')[1]!.length);
  });

  it('irr anxiety raters 1 vs 2 (levels 1-6): 0.1194969 (SE 0.11927), linear 0.1891892 (0.13130), quadratic 0.2967651 (0.15701)', () => {
    const c = oracle.cases.anxietyRaters12!;
    const expected: [KappaWeighting, number, number][] = [
      ['unweighted', 0.1194969, 0.11927],
      ['linear', 0.1891892, 0.1313],
      ['quadratic', 0.2967651, 0.15701],
    ];
    for (const [weighting, kappa, se] of expected) {
      const e = estimate(cohenKappaFromRatings(c.a!, c.b!, c.levels!, { weighting }));
      expect(e.kappa, weighting).toBeCloseTo(kappa, 7);
      expect(e.standardError, weighting).toBeCloseTo(se, 5);
    }
  });

  it('matches a hand calculation: p_o = 3/4, p_e = 1/2, kappa = 1/2', () => {
    // a = (1, 1, 0, 0), b = (1, 0, 0, 0): p_o = 3/4; p_e = .5·.25 + .5·.75 = .5 → κ = (.75 − .5)/(1 − .5).
    const e = estimate(cohenKappaFromRatings([1, 1, 0, 0], [1, 0, 0, 0], [0, 1]));
    expect(e.observedAgreement).toBe(0.75);
    expect(e.expectedAgreement).toBe(0.5);
    expect(e.kappa).toBe(0.5);
    // FCE by hand: table [[2, 0], [1, 1]] / 4, p_i· = (.5, .5), p_·j = (.75, .25), 1 − κ = .5;
    // Σ p_ij (w_ij − (p_·i + p_j·)(1 − κ))² = .5(1 − .625)² + .25(1 − .375)² + .25(.375)² = .203125,
    // (κ − p_e(1 − κ))² = .0625, Var = (.203125 − .0625) / (4 · .25) = .140625, SE = .375 (R: handFourItems).
    expect(e.standardError).toBeCloseTo(0.375, 14);
  });
});

describe('cohenKappa against vcd::Kappa and psych::cohen.kappa', () => {
  it('fixtures come from R 4.2.2, psych 2.2.9 and vcd 1.4-11', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
    expect(oracle.psychVersion).toBe('2.2.9');
    expect(oracle.vcdVersion).toBe('1.4.11');
    expect(Object.keys(oracle.cases).length).toBe(14);
  });

  describe.each(Object.entries(oracle.cases))('%s', (name, c) => {
    const level = 1 - c.alpha;
    const run = (weighting: KappaWeighting) =>
      estimate(
        c.a !== undefined
          ? cohenKappaFromRatings(c.a, c.b!, c.levels!, { weighting, confidenceLevel: level })
          : cohenKappa(c.counts, { weighting, confidenceLevel: level }),
      );

    it.each(kappaWeightings)('%s: kappa, SE, CI, p_o, p_e equal vcd to 1e-9 (confirmed in R)', (weighting) => {
      const e = run(weighting);
      const r = c.vcd[weighting];
      close9(e.kappa, r.kappa, `${name} ${weighting} kappa`);
      close9(e.standardError, r.standardError, `${name} ${weighting} SE`);
      close9(e.ci[0], r.lower, `${name} ${weighting} lower`);
      close9(e.ci[1], r.upper, `${name} ${weighting} upper`);
      close9(e.observedAgreement, r.observedAgreement, `${name} ${weighting} p_o`);
      close9(e.expectedAgreement, r.expectedAgreement, `${name} ${weighting} p_e`);
      expect(e.n).toBe(c.counts.flat().reduce((s, x) => s + x, 0));
      expect(e.categories).toBe(c.counts.length);
    });

    it('unweighted: kappa, variance and clamped CI equal psych to 1e-9 (confirmed in R)', () => {
      const e = run('unweighted');
      close9(e.kappa, c.psych.kappa, `${name} psych kappa`);
      close9(e.standardError ** 2, c.psych.varKappa, `${name} psych var.kappa`);
      close9(e.ci[0], c.psych.lower, `${name} psych lower`);
      close9(e.ci[1], c.psych.upper, `${name} psych upper`);
    });

    it("quadratic kappa equals psych's weighted.kappa (psych's default weights)", () => {
      close9(run('quadratic').kappa, c.psych.weightedKappaQuadratic, `${name} psych weighted kappa`);
    });
  });

  it("does not follow psych's weighted variance, which is not the Fleiss-Cohen-Everitt variance (ORACLES.md caution)", () => {
    // anxiety raters 1 vs 2, quadratic: vcd (and this function) SE 0.15701, psych √var.weighted 0.68.
    const c = oracle.cases.anxietyRaters12!;
    const e = estimate(cohenKappaFromRatings(c.a!, c.b!, c.levels!, { weighting: 'quadratic' }));
    expect(e.standardError).toBeCloseTo(0.15701, 5);
    expect(Math.sqrt(c.psych.varWeightedQuadratic)).toBeGreaterThan(0.6);
  });

  it('counts levels nobody used: an unused middle level changes weighted kappa (irr::kappa2 would drop it), not unweighted kappa', () => {
    // anxiety raters 2 and 3 never use level 5 of 1-6.
    const c = oracle.cases.anxietyRaters23!;
    for (const weighting of kappaWeightings) {
      const full = estimate(cohenKappaFromRatings(c.a!, c.b!, c.levels!, { weighting }));
      const dropped = estimate(cohenKappaFromRatings(c.a!, c.b!, [1, 2, 3, 4, 6], { weighting }));
      if (weighting === 'unweighted') expectAbsolutelyClose(dropped.kappa, full.kappa, 1e-15, 'unweighted');
      else expect(Math.abs(dropped.kappa - full.kappa), weighting).toBeGreaterThan(0.01);
    }
    // irr::kappa2(anxiety[, 2:3], "equal") = 0.1459075 and "squared" = 0.2520325 on the reduced
    // levels (as quoted in statsmodels' tests); with the protocol's 6 levels they are 0.1262136, 0.229798.
    expect(estimate(cohenKappaFromRatings(c.a!, c.b!, [1, 2, 3, 4, 6], { weighting: 'linear' })).kappa).toBeCloseTo(
      0.1459075,
      7,
    );
    expect(estimate(cohenKappaFromRatings(c.a!, c.b!, [1, 2, 3, 4, 6], { weighting: 'quadratic' })).kappa).toBeCloseTo(
      0.2520325,
      7,
    );
  });

  it('is unchanged by unused levels at the ends of the scale (weights depend only on relative distances)', () => {
    const c = oracle.cases.burdenUnusedLevels!;
    for (const weighting of kappaWeightings) {
      const full = estimate(cohenKappaFromRatings(c.a!, c.b!, c.levels!, { weighting }));
      const trimmed = estimate(cohenKappaFromRatings(c.a!, c.b!, c.levels!.slice(0, 3), { weighting }));
      expectAbsolutelyClose(trimmed.kappa, full.kappa, 1e-14, weighting);
      expectAbsolutelyClose(trimmed.standardError, full.standardError, 1e-14, weighting);
    }
  });
});

describe('cohenKappa: degenerate tables', () => {
  const d = oracle.degenerateCases;

  it('is not estimable when both readers used the same single level (p_e = 1; psych and vcd give NaN)', () => {
    for (const weighting of kappaWeightings) {
      const result = cohenKappa(d.bothConstantSameLevel!.counts, { weighting });
      expect(result.estimable).toBe(false);
      if (!result.estimable) expect(result.reason).toMatch(/Both readers rated all 7 items level 1/);
      expect(d.bothConstantSameLevel!.vcd[weighting].kappa).toBeNull();
    }
    expect(d.bothConstantSameLevel!.psych.kappa).toBeNull();
    const named = cohenKappaFromRatings(['hyper', 'hyper'], ['hyper', 'hyper'], ['hyper', 'hypo']);
    expect(named.estimable).toBe(false);
    if (!named.estimable) expect(named.reason).toMatch(/"hyper"/);
  });

  it('gives kappa 0 with SE 0 when the readers used different single levels (as psych and vcd)', () => {
    for (const weighting of kappaWeightings) {
      const e = estimate(cohenKappa(d.bothConstantDifferentLevels!.counts, { weighting }));
      expect([e.kappa, e.standardError, e.ci[0], e.ci[1]]).toEqual([0, 0, 0, 0]);
      expect(d.bothConstantDifferentLevels!.vcd[weighting]).toEqual({ kappa: 0, standardError: 0 });
    }
  });

  it('gives kappa 0 and SE 0 exactly when one reader used a single level (psych 0; vcd NaN or rounding noise)', () => {
    const c = d.oneRaterConstant!;
    for (const weighting of kappaWeightings) {
      const e = estimate(cohenKappa(c.counts, { weighting }));
      expect(e.kappa).toBe(0);
      expect(e.standardError).toBe(0);
      expect(e.ci).toEqual([0, 0]);
    }
    for (const transposed of [c.counts[0]!.map((_, j) => c.counts.map((row) => row[j]!))]) {
      expect(estimate(cohenKappa(transposed, { weighting: 'quadratic' })).kappa).toBe(0);
    }
    expect(c.psych).toEqual({ kappa: 0, varKappa: 0 });
    expect(c.vcd.unweighted.standardError).toBeNull(); // vcd: sqrt of a negative rounding residue
    expect(Math.abs(c.vcd.quadratic.kappa!)).toBeLessThan(1e-15);
  });

  it('gives kappa 1 with SE 0 for perfect agreement', () => {
    for (const weighting of kappaWeightings) {
      const e = estimate(
        cohenKappa(
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          { weighting },
        ),
      );
      expect([e.kappa, e.standardError, e.ci[0], e.ci[1]]).toEqual([1, 0, 1, 1]);
    }
  });

  it('is not estimable for no items or a single level', () => {
    const empty = cohenKappa([
      [0, 0],
      [0, 0],
    ]);
    expect(empty.estimable).toBe(false);
    if (!empty.estimable) expect(empty.reason).toMatch(/at least one rated item/);
    expect(cohenKappa([]).estimable).toBe(false);
    const single = cohenKappaFromRatings(['x', 'x'], ['x', 'x'], ['x']);
    expect(single.estimable).toBe(false);
    if (!single.estimable) expect(single.reason).toMatch(/at least 2 levels/);
  });

  it('never returns NaN: seeded random small tables with many ties and empty levels', () => {
    const random = createSeededRandom(1960);
    const hasNaN = (value: unknown): boolean =>
      typeof value === 'number'
        ? Number.isNaN(value)
        : typeof value === 'object' && value !== null && Object.values(value).some(hasNaN);
    let estimable = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const k = 1 + Math.floor(random.uniform() * 4);
      const n = Math.floor(random.uniform() * 6);
      const used = 1 + Math.floor(random.uniform() * k);
      const a = Array.from({ length: n }, () => Math.floor(random.uniform() * used));
      const b = Array.from({ length: n }, () => Math.floor(random.uniform() * used));
      const levels = Array.from({ length: k }, (_, i) => i);
      for (const weighting of kappaWeightings) {
        const result = cohenKappaFromRatings(a, b, levels, { weighting });
        expect(hasNaN(result), JSON.stringify({ a, b, k, weighting })).toBe(false);
        if (result.estimable) {
          estimable++;
          expect(result.kappa).toBeLessThanOrEqual(1 + 1e-12);
          expect(result.standardError).toBeGreaterThanOrEqual(0);
          expect(result.ci[0]).toBeLessThanOrEqual(result.ci[1]);
        } else {
          expect(result.reason.length).toBeGreaterThan(10);
        }
      }
    }
    expect(estimable).toBeGreaterThan(1000);
  });
});

describe('cohenKappa: invariances, weights and argument checks', () => {
  it('is symmetric in the two readers (transposed table)', () => {
    const t = oracle.cases.sexualFun!.counts;
    const transposed = t[0]!.map((_, j) => t.map((row) => row[j]!));
    for (const weighting of kappaWeightings) {
      const e = estimate(cohenKappa(t, { weighting }));
      const f = estimate(cohenKappa(transposed, { weighting }));
      expectAbsolutelyClose(f.kappa, e.kappa, 1e-15, weighting);
      expectAbsolutelyClose(f.standardError, e.standardError, 1e-15, weighting);
    }
  });

  it('accepts a ConfusionTable as well as a count matrix', () => {
    const table = confusionTable(['a', 'b', 'b'], ['a', 'b', 'a'], ['a', 'b']);
    expect(cohenKappa(table)).toEqual(cohenKappa(table.counts));
  });

  it('builds linear and quadratic agreement weights over the ordered levels', () => {
    expect(kappaWeights(3, 'unweighted')).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(kappaWeights(3, 'linear')).toEqual([
      [1, 0.5, 0],
      [0.5, 1, 0.5],
      [0, 0.5, 1],
    ]);
    expect(kappaWeights(3, 'quadratic')).toEqual([
      [1, 0.75, 0],
      [0.75, 1, 0.75],
      [0, 0.75, 1],
    ]);
    expect(kappaWeights(1, 'linear')).toEqual([[1]]);
    expect(() => kappaWeights(0, 'linear')).toThrow(RangeError);
  });

  it('rejects malformed tables and options (programmer errors)', () => {
    expect(() => cohenKappa([[1, 2], [3]])).toThrow(RangeError);
    expect(() =>
      cohenKappa([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappa([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappa([
        [1, NaN],
        [3, 4],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappa(
        [
          [1, 2],
          [3, 4],
        ],
        { confidenceLevel: 1 },
      ),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappa(
        [
          [1, 2],
          [3, 4],
        ],
        { weighting: 'cubic' as KappaWeighting },
      ),
    ).toThrow(RangeError);
    expect(() => cohenKappaFromRatings([1, 2], [1], [1, 2])).toThrow(RangeError);
    expect(() => cohenKappaFromRatings([1, 3], [1, 2], [1, 2])).toThrow(RangeError);
  });
});
