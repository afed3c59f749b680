import { describe, expect, it } from 'vitest';
import {
  normalCdf,
  normalQuantile,
  normalSurvival,
  normalTwoSidedPValue,
} from '../../../core/stats/normalDistribution';
import { expectRelativelyClose, readOracle } from './oracles';

interface NormalRow {
  z: number;
  cdf: number;
  upper: number;
  twoSided: number;
}
// test/fixtures/oracles/incompleteGamma.R (R 4.2.2): pnorm, pnorm(lower.tail = FALSE),
// 2 * pnorm(-abs(z)) and qnorm (AS 241).
const oracle = readOracle<{ normal: NormalRow[]; normalQuantiles: { p: number; qnorm: number }[] }>(
  'incompleteGamma.json',
);

describe('normalCdf / normalSurvival / normalTwoSidedPValue', () => {
  it.each(oracle.normal)('pnorm($z) to 1e-13 relative (confirmed in R)', (row) => {
    if (row.cdf === 0) {
      // R's pnorm flushes Φ(−38) ≈ 2.9e−316 (subnormal) to 0.
      expect(normalCdf(row.z)).toBeLessThan(1e-300);
      return;
    }
    expectRelativelyClose(normalCdf(row.z), row.cdf, 1e-13, 'cdf');
    expectRelativelyClose(normalSurvival(row.z), row.upper, 1e-13, 'upper');
    expectRelativelyClose(normalTwoSidedPValue(row.z), row.twoSided, 1e-13, 'two-sided');
  });

  it('is symmetric and has Φ(0) = ½', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalTwoSidedPValue(0)).toBe(1);
    for (const z of [0.1, 1.3, 4]) expectRelativelyClose(normalCdf(-z), 1 - normalCdf(z), 1e-15, `z = ${z}`);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(() => normalCdf(NaN)).toThrow(RangeError);
  });
});

describe('normalQuantile (AS 241)', () => {
  it.each(oracle.normalQuantiles)('qnorm($p) to 1e-15 relative (confirmed in R)', ({ p, qnorm }) => {
    expectRelativelyClose(normalQuantile(p), qnorm, 1e-15, `p = ${p}`);
  });

  it('gives z = 1.959963984540054 for a 95 % interval and inverts normalCdf', () => {
    // Within 2 ulp of R: V8's Math.log and glibc's log may round differently by an ulp.
    expectRelativelyClose(normalQuantile(0.975), 1.959963984540054, 1e-15, 'z(0.975)');
    for (const p of [1e-12, 0.01, 0.3, 0.5, 0.8, 0.999])
      expectRelativelyClose(normalCdf(normalQuantile(p)), p, 1e-13, `p = ${p}`);
  });

  it('has the limits at 0 and 1 and rejects probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => normalQuantile(-0.1)).toThrow(RangeError);
    expect(() => normalQuantile(NaN)).toThrow(RangeError);
  });
});
