import { describe, expect, it } from 'vitest';
import {
  icc,
  iccForms,
  type IccEstimate,
  type IccEstimated,
  type IccForm,
  type IccFormResult,
  type IccResult,
} from '../../../core/stats/icc';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from './oracles';

/** One row of psych::ICC's results table; non-finite numbers are JSON null / "Inf" / "-Inf". */
interface PsychRow {
  form: IccForm;
  value: number | string;
  f: number;
  df1: number;
  df2: number;
  p: number;
  lower: number | null;
  upper: number | null;
}
interface OracleCase {
  description: string;
  alpha: number;
  ratings: number[][];
  meanSquares: { msr: number; msc: number; mse: number; msw: number };
  satterthwaiteDf: number;
  psychLmerFalse: PsychRow[];
  psychDefaultLmer: PsychRow[];
}
interface Oracle {
  rVersion: string;
  psychVersion: string;
  cases: Record<string, OracleCase>;
  degenerateCases: Record<string, { description: string; ratings: number[][]; psychLmerFalse: PsychRow[] }>;
}
// test/fixtures/oracles/icc.R: psych::ICC(ratings, alpha, lmer = FALSE) in R 4.2.2 with psych 2.2.9.
const oracle = readOracle<Oracle>('icc.json');

function estimated(result: IccResult): IccEstimated {
  if (!result.estimable) throw new Error(`expected an estimable ICC, got: ${result.reason}`);
  return result;
}
function estimate(result: IccFormResult): IccEstimate {
  if (!result.estimable) throw new Error(`expected ${result.form} to be estimable, got: ${result.reason}`);
  return result;
}
const num = (v: number | string | null): number => (typeof v === 'number' ? v : NaN);

describe('icc: Shrout & Fleiss (1979) example, published values (ORACLES.md)', () => {
  // 6 targets × 4 judges, the worked example of Shrout & Fleiss 1979 (as listed in ORACLES.md).
  const shroutFleiss = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  const sf = estimated(icc(shroutFleiss));

  it('is the table the R fixture used', () => {
    expect(oracle.cases.shroutFleiss1979!.ratings).toEqual(shroutFleiss);
  });

  // ICC, then the 95 % interval as psych::ICC prints it (ORACLES.md, 6 decimals).
  const published: [IccForm, number, number, number][] = [
    ['ICC1', 0.165742, -0.132932, 0.72256],
    ['ICC2', 0.289764, 0.018787, 0.761084],
    ['ICC3', 0.714841, 0.342465, 0.945858],
    ['ICC1k', 0.442797, -0.884442, 0.912415],
    ['ICC2k', 0.620051, 0.071137, 0.927232],
    ['ICC3k', 0.909316, 0.675675, 0.985892],
  ];
  it.each(published)('%s = %f (%f, %f)', (form, value, lower, upper) => {
    const e = estimate(sf.forms[form]);
    expect(e.value).toBeCloseTo(value, 6);
    expect(e.ci[0]).toBeCloseTo(lower, 6);
    expect(e.ci[1]).toBeCloseTo(upper, 6);
  });

  it("reports psych's ICC2k interval, not irr/McGraw–Wong's (0.039440, 0.928573)", () => {
    const e = estimate(sf.forms.ICC2k);
    expect(Math.abs(e.ci[0] - 0.03944)).toBeGreaterThan(0.03);
    expect(Math.abs(e.ci[1] - 0.928573)).toBeGreaterThan(0.001);
  });

  it('has the ANOVA of the Shrout & Fleiss example (BMS 11.24, JMS 32.49, EMS 1.02, WMS 6.26)', () => {
    expect(sf.meanSquares.msr).toBeCloseTo(11.24, 2);
    expect(sf.meanSquares.msc).toBeCloseTo(32.49, 2);
    expect(sf.meanSquares.mse).toBeCloseTo(1.02, 2);
    expect(sf.meanSquares.msw).toBeCloseTo(6.26, 2);
    expect(sf.degreesOfFreedom).toEqual({ rows: 5, columns: 3, error: 15, within: 18 });
    expect(iccForms.map((f) => sf.forms[f].form)).toEqual(['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k']);
  });
});

describe('icc against psych::ICC (lmer = FALSE)', () => {
  it('fixtures come from R 4.2.2 and psych 2.2.9', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
    expect(oracle.psychVersion).toBe('2.2.9');
    expect(Object.keys(oracle.cases)).toEqual([
      'shroutFleiss1979',
      'letbThreePlacements',
      'sumOfDiametersTwoReaders',
      'negativeIcc',
      'msrFarBelowMse',
      'raterOffsets40x5',
      'shroutFleiss1979Level90',
    ]);
  });

  describe.each(Object.entries(oracle.cases))('%s', (name, oracleCase) => {
    const result = estimated(icc(oracleCase.ratings, { confidenceLevel: 1 - oracleCase.alpha }));

    it('has the dimensions, mean squares and Satterthwaite df (1e-9 relative)', () => {
      expect([result.nTargets, result.kRaters]).toEqual([oracleCase.ratings.length, oracleCase.ratings[0]!.length]);
      for (const key of ['msr', 'msc', 'mse', 'msw'] as const) {
        expectRelativelyClose(result.meanSquares[key], oracleCase.meanSquares[key], 1e-9, `${name} ${key}`);
      }
      expectRelativelyClose(result.satterthwaiteDf!, oracleCase.satterthwaiteDf, 1e-9, `${name} v`);
    });

    it.each(oracleCase.psychLmerFalse)(
      '$form: value and CI to 1e-9, F to 1e-9 relative, df exact, p to 1e-6 (confirmed in R)',
      (row) => {
        const e = estimate(result.forms[row.form]);
        const scale = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
        expectAbsolutelyClose(e.value, num(row.value), scale(num(row.value)), `${name} ${row.form} value`);
        expectAbsolutelyClose(e.ci[0], num(row.lower), scale(num(row.lower)), `${name} ${row.form} lower`);
        expectAbsolutelyClose(e.ci[1], num(row.upper), scale(num(row.upper)), `${name} ${row.form} upper`);
        expectRelativelyClose(e.f, row.f, 1e-9, `${name} ${row.form} F`);
        expect([e.df1, e.df2]).toEqual([row.df1, row.df2]);
        expectAbsolutelyClose(e.p, row.p, 1e-6, `${name} ${row.form} p`);
        expectRelativelyClose(e.p, row.p, 1e-6, `${name} ${row.form} p (relative)`);
      },
    );
  });

  it("agrees with psych's default lmer = TRUE fit to 1e-5 when every variance component is positive", () => {
    for (const name of [
      'shroutFleiss1979',
      'letbThreePlacements',
      'sumOfDiametersTwoReaders',
      'raterOffsets40x5',
      'shroutFleiss1979Level90',
    ]) {
      const oracleCase = oracle.cases[name]!;
      const result = estimated(icc(oracleCase.ratings, { confidenceLevel: 1 - oracleCase.alpha }));
      for (const row of oracleCase.psychDefaultLmer) {
        const e = estimate(result.forms[row.form]);
        expectAbsolutelyClose(e.value, num(row.value), 1e-5, `${name} ${row.form} value (lmer)`);
        expectAbsolutelyClose(e.ci[0], num(row.lower), 1e-5, `${name} ${row.form} lower (lmer)`);
        expectAbsolutelyClose(e.ci[1], num(row.upper), 1e-5, `${name} ${row.form} upper (lmer)`);
      }
    }
  });

  it("differs from psych's default lmer = TRUE fit when the target variance is estimated at 0 (negative ICC)", () => {
    // REML cannot return a negative variance component: psych's default then reports ICC ≈ 0
    // where the ANOVA estimate (psych lmer = FALSE, and this function) is negative.
    const oracleCase = oracle.cases.negativeIcc!;
    const result = estimated(icc(oracleCase.ratings));
    const lmerIcc1 = num(oracleCase.psychDefaultLmer[0]!.value);
    expect(Math.abs(lmerIcc1)).toBeLessThan(1e-3);
    expect(estimate(result.forms.ICC1).value).toBeCloseTo(-0.112, 3);
  });
});

describe('icc: degenerate tables', () => {
  const degenerate = oracle.degenerateCases;

  it('returns "not estimable" when every rating is identical (psych computes on rounding noise)', () => {
    const result = icc(degenerate.allIdentical!.ratings);
    expect(result.estimable).toBe(false);
    if (!result.estimable) expect(result.reason).toMatch(/identical/);
    // psych 2.2.9 reports an ICC of about −5e−16 with F = 1 and p = 0.44: 0/0 evaluated on noise.
    const psychIcc1 = degenerate.allIdentical!.psychLmerFalse[0]!;
    expect(Math.abs(num(psychIcc1.value))).toBeLessThan(1e-14);
    expect(psychIcc1.f).toBeCloseTo(1, 12);
  });

  it('gives the exact limits when every target is rated identically by all raters: ICC 1, CI [1, 1], F = ∞, p = 0', () => {
    const result = estimated(icc(degenerate.constantRows!.ratings));
    expect(result.meanSquares.msw).toBe(0);
    expect(result.satterthwaiteDf).toBeNull();
    for (const row of degenerate.constantRows!.psychLmerFalse) {
      const e = estimate(result.forms[row.form]);
      // psych: ICC 1, bounds 1, F ≈ 2e31 and p ≈ 1e−94 from a noise-sized denominator.
      expect([e.value, e.ci[0], e.ci[1]]).toEqual([1, 1, 1]);
      expect([num(row.value), num(row.lower), num(row.upper)]).toEqual([1, 1, 1]);
      expect(e.f).toBe(Infinity);
      expect(e.p).toBe(0);
      expectAbsolutelyClose(e.p, row.p, 1e-6, row.form);
    }
  });

  it('matches psych when raters differ only by constant offsets (MSE = 0; v at its limit k − 1)', () => {
    const oracleRows = degenerate.raterOffsetsOnly!.psychLmerFalse;
    const result = estimated(icc(degenerate.raterOffsetsOnly!.ratings));
    expect(result.meanSquares.mse).toBe(0);
    expect(result.satterthwaiteDf).toBe(2);
    for (const row of oracleRows) {
      const e = estimate(result.forms[row.form]);
      expectAbsolutelyClose(e.value, num(row.value), 1e-9, `${row.form} value`);
      expectAbsolutelyClose(e.ci[0], num(row.lower), 1e-9, `${row.form} lower`);
      expectAbsolutelyClose(e.ci[1], num(row.upper), 1e-9, `${row.form} upper`);
      expectAbsolutelyClose(e.p, row.p, 1e-6, `${row.form} p`);
    }
    expect(estimate(result.forms.ICC3).f).toBe(Infinity);
  });

  it('2 × 2 crossover (MSR = MSC = 0): ICC1 = ICC3 = −1 as psych; forms that divide by zero are not estimable', () => {
    const oracleRows = degenerate.crossover2x2!.psychLmerFalse;
    const result = estimated(icc(degenerate.crossover2x2!.ratings));
    expect(result.meanSquares.msr).toBe(0);
    expect(result.meanSquares.msc).toBe(0);
    for (const form of ['ICC1', 'ICC3'] as const) {
      const e = estimate(result.forms[form]);
      const row = oracleRows.find((r) => r.form === form)!;
      expect([e.value, e.ci[0], e.ci[1]]).toEqual([-1, -1, -1]);
      expect([num(row.value), num(row.lower), num(row.upper)]).toEqual([-1, -1, -1]);
      expect(e.f).toBe(0);
      expect(e.p).toBe(1);
    }
    // psych: ICC2 = −Inf with NaN bounds, ICC2k = 2 with NaN bounds, ICC1k and ICC3k ≈ −1e31 (noise / 0).
    expect(oracleRows.find((r) => r.form === 'ICC2')!.value).toBe('-Inf');
    for (const form of ['ICC2', 'ICC2k', 'ICC1k', 'ICC3k'] as const) {
      const f = result.forms[form];
      expect(f.estimable, form).toBe(false);
      if (!f.estimable) expect(f.reason.length).toBeGreaterThan(10);
    }
    const icc1k = result.forms.ICC1k;
    if (!icc1k.estimable) expect(icc1k.reason).toMatch(/MSR, which is 0/);
  });

  it('recognises equal target means exactly even when the sums round differently (decimal ratings)', () => {
    // The three rows hold the same values in different orders; (0.1 + 0.2) + 0.3 ≠ (0.3 + 0.2) + 0.1
    // in floating point, so a naive MSR would be ~1e−33 and ICC1k ≈ −1e31 instead of 0/0.
    const result = estimated(
      icc([
        [0.1, 0.2, 0.3],
        [0.3, 0.2, 0.1],
        [0.2, 0.3, 0.1],
      ]),
    );
    expect(result.meanSquares.msr).toBe(0);
    expect(estimate(result.forms.ICC1).value).toBe(-0.5); // (0 − MSW) / (0 + 2 MSW)
    expect(result.forms.ICC1k.estimable).toBe(false);
  });

  it('returns "not estimable" for fewer than 2 targets or raters', () => {
    for (const ratings of [[], [[1, 2, 3]], [[1], [2], [3]], [[], []]]) {
      const result = icc(ratings);
      expect(result.estimable, JSON.stringify(ratings)).toBe(false);
      if (!result.estimable) expect(result.reason).toMatch(/at least 2 (targets|raters)/);
    }
  });

  it('never returns NaN: seeded random small tables with many ties', () => {
    const random = createSeededRandom(1979);
    const hasNaN = (value: unknown): boolean =>
      typeof value === 'number'
        ? Number.isNaN(value)
        : typeof value === 'object' && value !== null && Object.values(value).some(hasNaN);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 2 + Math.floor(random.uniform() * 3);
      const k = 2 + Math.floor(random.uniform() * 3);
      const levels = 1 + Math.floor(random.uniform() * 3);
      const ratings = Array.from({ length: n }, () =>
        Array.from({ length: k }, () => Math.floor(random.uniform() * levels) / 10),
      );
      const result = icc(ratings);
      expect(hasNaN(result), JSON.stringify(ratings)).toBe(false);
      if (result.estimable) {
        for (const form of iccForms) {
          const f = result.forms[form];
          if (f.estimable)
            expect(
              Number.isFinite(f.value) && f.ci.every(Number.isFinite) && f.p >= 0 && f.p <= 1,
              `${form} ${JSON.stringify(ratings)}`,
            ).toBe(true);
        }
      }
    }
  });
});

describe('icc: invariances and argument checks', () => {
  it('is unchanged by a linear change of units and by reordering targets or raters', () => {
    const random = createSeededRandom(42);
    const ratings = Array.from({ length: 15 }, () => {
      const target = 30 * random.uniform();
      return [target + random.normal(), target + 1 + random.normal(), target - 0.5 + random.normal()];
    });
    const reference = estimated(icc(ratings));
    const rescaled = estimated(icc(ratings.map((row) => row.map((v) => 2.54 * v - 7))));
    const reordered = estimated(icc([...ratings].reverse().map((row) => [row[2]!, row[0]!, row[1]!])));
    for (const form of iccForms) {
      const e = estimate(reference.forms[form]);
      for (const other of [rescaled, reordered]) {
        const o = estimate(other.forms[form]);
        expectAbsolutelyClose(o.value, e.value, 1e-12, `${form} value`);
        expectAbsolutelyClose(o.ci[0], e.ci[0], 1e-12, `${form} lower`);
        expectAbsolutelyClose(o.ci[1], e.ci[1], 1e-12, `${form} upper`);
        expectRelativelyClose(o.p, e.p, 1e-10, `${form} p`);
      }
    }
  });

  it('rejects ragged rows, non-finite ratings and a bad confidence level (programmer errors)', () => {
    expect(() => icc([[1, 2], [3]])).toThrow(RangeError);
    expect(() =>
      icc([
        [1, 2],
        [3, NaN],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      icc([
        [1, 2],
        [3, Infinity],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      icc(
        [
          [1, 2],
          [3, 4],
        ],
        { confidenceLevel: 1 },
      ),
    ).toThrow(RangeError);
    expect(() =>
      icc(
        [
          [1, 2],
          [3, 4],
        ],
        { confidenceLevel: 0 },
      ),
    ).toThrow(RangeError);
    expect(() => icc('not a table' as unknown as number[][])).toThrow(RangeError);
  });
});
