import { describe, expect, it } from 'vitest';
import { logGamma, stirlingCorrection } from '../../../core/stats/logGamma';
import { logBeta } from '../../../core/stats/logBeta';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from './oracles';

interface Oracle {
  rVersion: string;
  logGamma: { x: number; lgamma: number }[];
  logBeta: { a: number; b: number; lbeta: number }[];
}
// test/fixtures/oracles/fDistribution.R: base R lgamma and lbeta (R 4.2.2).
const oracle = readOracle<Oracle>('fDistribution.json');

describe('logGamma', () => {
  it('was checked against R 4.2.2', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
  });

  it.each(oracle.logGamma)('matches R lgamma($x) to 1e-14 absolute and relative (confirmed in R)', ({ x, lgamma }) => {
    // Absolute: what exp(ln Γ differences) needs; relative: beyond x = 10 the value is large.
    expectAbsolutelyClose(logGamma(x), lgamma, 1e-14 * Math.max(1, Math.abs(lgamma)), `lgamma(${x})`);
  });

  it('gives ln (n − 1)! at the integers (documented accuracy: 4e−15 absolute below 10)', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    expectAbsolutelyClose(logGamma(5), Math.log(24), 4e-15, 'ln 4!');
    expectRelativelyClose(logGamma(11), Math.log(3628800), 1e-15, 'ln 10!');
  });

  it('gives ln √π at ½ (Γ(½) = √π) and ≈ −ln x near 0', () => {
    expectAbsolutelyClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 4e-15, 'ln Γ(½)');
    // Γ(x) = 1/x − γ + O(x): ln Γ(1e−10) = −ln(1e−10) − γ·1e−10 to double precision.
    expectRelativelyClose(logGamma(1e-10), -Math.log(1e-10) - 0.5772156649015329e-10, 1e-15, 'ln Γ(1e−10)');
  });

  it('agrees across the switch to Stirling at 10 (recurrence ln Γ(x + 1) = ln Γ(x) + ln x)', () => {
    for (const x of [9.5, 9.999999, 10, 10.5]) {
      expectAbsolutelyClose(logGamma(x + 1), logGamma(x) + Math.log(x), 1e-14, `recurrence at ${x}`);
    }
  });

  it('rejects x ≤ 0 and NaN', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-1.5)).toThrow(RangeError);
    expect(() => logGamma(NaN)).toThrow(RangeError);
    expect(logGamma(Infinity)).toBe(Infinity);
  });
});

describe('stirlingCorrection', () => {
  it('is ln Γ(x) − [(x − ½) ln x − x + ln √(2π)] ≈ 1/(12x)', () => {
    // δ(10) = ln 9! − (9.5 ln 10 − 10 + ln √(2π)), from the exact factorial.
    const expected = Math.log(362880) - (9.5 * Math.log(10) - 10 + 0.5 * Math.log(2 * Math.PI));
    expectAbsolutelyClose(stirlingCorrection(10), expected, 1e-14, 'δ(10)');
    expectRelativelyClose(stirlingCorrection(1e6), 1 / 12e6, 1e-11, 'δ(1e6)');
  });

  it('refuses arguments below 10, where the series is not accurate', () => {
    expect(() => stirlingCorrection(9.99)).toThrow(RangeError);
  });
});

describe('logBeta', () => {
  it.each(oracle.logBeta)('matches R lbeta($a, $b) to 1e-14 relative (confirmed in R)', ({ a, b, lbeta }) => {
    expectAbsolutelyClose(logBeta(a, b), lbeta, 1e-14 * Math.max(1, Math.abs(lbeta)), `lbeta(${a}, ${b})`);
  });

  it('is symmetric and exact for B(1, 1) = 1 and B(½, ½) = π', () => {
    expect(logBeta(1, 1)).toBe(0);
    expectAbsolutelyClose(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-14, 'ln B(½, ½)');
    expect(logBeta(3.65, 5000)).toBe(logBeta(5000, 3.65));
  });

  it('keeps B(a, b + 1) = B(a, b) · b / (a + b) across the Stirling switches', () => {
    for (const [a, b] of [
      [3.65, 9.5],
      [12, 9.5],
      [3.65, 5000],
      [5000, 4999.5],
    ] as const) {
      expectAbsolutelyClose(
        logBeta(a, b + 1),
        logBeta(a, b) + Math.log(b / (a + b)),
        1e-13 * Math.max(1, Math.abs(logBeta(a, b))),
        `(${a}, ${b})`,
      );
    }
  });

  it('rejects non-positive or infinite shapes', () => {
    expect(() => logBeta(0, 1)).toThrow(RangeError);
    expect(() => logBeta(1, Infinity)).toThrow(RangeError);
    expect(() => logBeta(NaN, 1)).toThrow(RangeError);
  });
});
