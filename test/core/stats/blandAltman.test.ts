import { describe, expect, it } from 'vitest';
import {
  blandAltman,
  type BlandAltmanEstimate,
  type BlandAltmanResult,
  type LimitSeMethod,
} from '../../../core/stats/blandAltman';
import { expectAbsolutelyClose, readOracle } from './oracles';

interface LimitCis {
  limitSe: number;
  lowerCi: [number, number];
  upperCi: [number, number];
}
interface OracleCase {
  description: string;
  alpha: number;
  multiplier: number;
  a: number[];
  b: number[];
  n: number;
  bias: number;
  sd: number;
  lower: number;
  upper: number;
  t: number;
  biasSe: number;
  biasCi: [number, number];
  exact1999: LimitCis;
  approximate1986: LimitCis;
}
// test/fixtures/oracles/blandAltman.R (R 4.2.2, base R mean/sd/qt).
const oracle = readOracle<{ rVersion: string; cases: Record<string, OracleCase> }>('blandAltman.json');

function estimate(result: BlandAltmanResult): BlandAltmanEstimate {
  if (!result.estimable) throw new Error(`expected an estimable Bland-Altman analysis, got: ${result.reason}`);
  return result;
}
const close9 = (actual: number, expected: number, label: string) =>
  expectAbsolutelyClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)), label);

describe('blandAltman: published PEFR example (Bland & Altman 1986, Lancet, Table 1)', () => {
  const c = oracle.cases.pefr1986!;
  const e = estimate(blandAltman(c.a, c.b, { limitMultiplier: 2, limitSeMethod: 'approximate1986' }));

  it('bias −2.1, SD 38.8, limits −79.7 and 75.5 l/min (with 2 SD)', () => {
    expect(e.bias).toBeCloseTo(-2.1, 1);
    expect(e.sdDifference).toBeCloseTo(38.8, 1);
    // The paper rounds first: −2.1 ∓ 2 × 38.8 = −79.7 and 75.5; unrounded −79.65 and 75.41.
    expect(e.lowerLimit).toBeCloseTo(-79.65, 2);
    expect(e.upperLimit).toBeCloseTo(75.41, 2);
  });

  it('SE of the bias 9.4 and of a limit 16.3 (√(3s²/n)); t(16) = 2.12', () => {
    expect(e.biasSe).toBeCloseTo(9.4, 1);
    expect(e.limitSe).toBeCloseTo(16.3, 1);
    expect(e.tQuantile).toBeCloseTo(2.12, 2);
  });
});

describe('blandAltman against base R', () => {
  it('fixtures come from R 4.2.2', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
  });

  describe.each(Object.entries(oracle.cases))('%s', (name, c) => {
    const methods: LimitSeMethod[] = ['exact1999', 'approximate1986'];
    it.each(methods)('%s: bias, SD, limits, t and every CI to 1e-9 (confirmed in R)', (method) => {
      const e = estimate(
        blandAltman(c.a, c.b, { confidenceLevel: 1 - c.alpha, limitMultiplier: c.multiplier, limitSeMethod: method }),
      );
      expect(e.n).toBe(c.n);
      close9(e.bias, c.bias, `${name} bias`);
      close9(e.sdDifference, c.sd, `${name} sd`);
      close9(e.lowerLimit, c.lower, `${name} lower`);
      close9(e.upperLimit, c.upper, `${name} upper`);
      close9(e.tQuantile, c.t, `${name} t`);
      close9(e.biasSe, c.biasSe, `${name} bias SE`);
      close9(e.biasCi[0], c.biasCi[0], `${name} bias CI lower`);
      close9(e.biasCi[1], c.biasCi[1], `${name} bias CI upper`);
      const r = c[method];
      close9(e.limitSe, r.limitSe, `${name} ${method} limit SE`);
      close9(e.lowerLimitCi[0], r.lowerCi[0], `${name} ${method} lower limit CI`);
      close9(e.lowerLimitCi[1], r.lowerCi[1], `${name} ${method} lower limit CI`);
      close9(e.upperLimitCi[0], r.upperCi[0], `${name} ${method} upper limit CI`);
      close9(e.upperLimitCi[1], r.upperCi[1], `${name} ${method} upper limit CI`);
    });
  });
});

describe('blandAltman: small and degenerate cases', () => {
  it('matches a hand calculation for two pairs', () => {
    // d = (1, −1): bias 0, SD √2, limits ∓1.96√2; t(1) at .975 = 12.7062.
    const e = estimate(blandAltman([10, 12], [9, 13]));
    expect(e.bias).toBe(0);
    expect(e.sdDifference).toBeCloseTo(Math.SQRT2, 15);
    expect(e.upperLimit).toBeCloseTo(1.96 * Math.SQRT2, 14);
    expect(e.tQuantile).toBeCloseTo(12.706204736174698, 12);
    expect(e.differences).toEqual([1, -1]);
    expect(e.means).toEqual([9.5, 12.5]);
  });

  it('gives SD 0 and point intervals when every difference is the same (agreement up to an offset)', () => {
    const e = estimate(blandAltman([3, 5, 8, 13], [1, 3, 6, 11]));
    expect([e.bias, e.sdDifference, e.lowerLimit, e.upperLimit]).toEqual([2, 0, 2, 2]);
    expect([...e.biasCi, ...e.lowerLimitCi, ...e.upperLimitCi]).toEqual([2, 2, 2, 2, 2, 2]);
    // Decimal values whose differences are equal in binary too: 0.3 − 0.1 and 0.5 − 0.3 are not.
    const decimals = estimate(blandAltman([0.5, 1.5, 2.5], [0.25, 1.25, 2.25]));
    expect(decimals.sdDifference).toBe(0);
  });

  it('is not estimable for fewer than 2 pairs', () => {
    for (const [a, b] of [
      [[], []],
      [[1], [2]],
    ] as [number[], number[]][]) {
      const result = blandAltman(a, b);
      expect(result.estimable).toBe(false);
      if (!result.estimable) expect(result.reason).toMatch(/at least 2 pairs/);
    }
  });

  it('rejects unequal lengths, non-finite values and bad options (programmer errors)', () => {
    expect(() => blandAltman([1, 2], [1])).toThrow(RangeError);
    expect(() => blandAltman([1, NaN], [1, 2])).toThrow(RangeError);
    expect(() => blandAltman([1, 2], [1, Infinity])).toThrow(RangeError);
    expect(() => blandAltman([1, 2], [1, 3], { confidenceLevel: 0 })).toThrow(RangeError);
    expect(() => blandAltman([1, 2], [1, 3], { limitMultiplier: -1 })).toThrow(RangeError);
    expect(() => blandAltman([1, 2], [1, 3], { limitSeMethod: 'other' as LimitSeMethod })).toThrow(RangeError);
  });
});
