import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareSurvival } from '../../../core/stats/chiSquareDistribution';
import { expectRelativelyClose, readOracle } from './oracles';

interface ChiSquareRow {
  x: number;
  df: number;
  cdf: number;
  upper: number;
}
// test/fixtures/oracles/incompleteGamma.R (R 4.2.2): pchisq(x, df) and pchisq(x, df, lower.tail = FALSE),
// including the log-rank statistics of survival.json.
const oracle = readOracle<{ chisq: ChiSquareRow[] }>('incompleteGamma.json');

describe('chiSquareCdf / chiSquareSurvival', () => {
  it.each(oracle.chisq)('pchisq($x, $df) to 1e-13 relative (confirmed in R)', (row) => {
    expectRelativelyClose(chiSquareCdf(row.x, row.df), row.cdf, 1e-13, 'cdf');
    expectRelativelyClose(chiSquareSurvival(row.x, row.df), row.upper, 1e-13, 'upper');
  });

  it('matches closed forms: df = 2 is exponential, P(X > x) = e^(−x/2)', () => {
    for (const x of [0.01, 1, 7.3, 200])
      expectRelativelyClose(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-14, `x = ${x}`);
  });

  it('gives the log-rank p-values of ORACLES.md (lung 0.0013112, aml 0.0653393)', () => {
    expect(chiSquareSurvival(10.326742, 1)).toBeCloseTo(0.0013112, 7);
    expect(chiSquareSurvival(3.3963887, 1)).toBeCloseTo(0.0653393, 7);
  });

  it('handles the ends and rejects bad arguments', () => {
    expect(chiSquareSurvival(0, 1)).toBe(1);
    expect(chiSquareSurvival(-3, 1)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(chiSquareCdf(0, 4)).toBe(0);
    expect(() => chiSquareSurvival(NaN, 1)).toThrow(RangeError);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
    expect(() => chiSquareCdf(1, Infinity)).toThrow(RangeError);
  });
});
