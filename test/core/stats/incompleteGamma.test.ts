import { describe, expect, it } from 'vitest';
import {
  incompleteGammaTails,
  regularizedLowerGamma,
  regularizedUpperGamma,
} from '../../../core/stats/incompleteGamma';
import { log1pMinusX } from '../../../core/stats/log1pMinusX';
import { expectRelativelyClose, readOracle } from './oracles';

interface GammaRow {
  a: number;
  x: number;
  lower: number;
  upper: number;
}
// test/fixtures/oracles/incompleteGamma.R (R 4.2.2): pgamma(x, a) and pgamma(x, a, lower.tail = FALSE)
// for shapes 0.05 … 1e4 at x = a·{1e−4, .01, .3, .9, 1, 1.1, 2, 5, 20} and far tails.
const oracle = readOracle<{ rVersion: string; gamma: GammaRow[] }>('incompleteGamma.json');

describe('incompleteGammaTails against R pgamma', () => {
  it('was checked against R 4.2.2', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
    expect(oracle.gamma.length).toBeGreaterThan(100);
  });

  // The directly computed tail is the smaller one (for a ≥ 0.5), so both keep their relative
  // accuracy; far out in the upper tail the prefactor's error grows like x·1e−16 (9e−14 at x = 610).
  it.each(oracle.gamma.filter((r) => r.a >= 0.5))(
    'P and Q at a = $a, x = $x to 2e-13 relative (confirmed in R)',
    (row) => {
      const t = incompleteGammaTails(row.a, row.x);
      expectRelativelyClose(t.lower, row.lower, 2e-13, 'lower');
      expectRelativelyClose(t.upper, row.upper, 2e-13, 'upper');
    },
  );

  it('keeps 1e-14 absolute for tiny shapes (a = 0.05), where the complement of the series carries the error of ln Γ(a)', () => {
    for (const row of oracle.gamma.filter((r) => r.a < 0.5)) {
      const t = incompleteGammaTails(row.a, row.x);
      expect(Math.abs(t.lower - row.lower), `a = ${row.a}, x = ${row.x}`).toBeLessThan(1e-14);
      expect(Math.abs(t.upper - row.upper), `a = ${row.a}, x = ${row.x}`).toBeLessThan(1e-14);
      expectRelativelyClose(
        Math.min(t.lower, t.upper),
        Math.min(row.lower, row.upper),
        1e-12,
        `a = ${row.a}, x = ${row.x}`,
      );
    }
  });

  it('matches closed forms: P(1, x) = 1 − e^(−x); Q(2, x) = (1 + x) e^(−x)', () => {
    for (const x of [1e-6, 0.3, 1, 2.5, 40]) {
      expectRelativelyClose(regularizedLowerGamma(1, x), -Math.expm1(-x), 1e-14, `P(1, ${x})`);
      expectRelativelyClose(regularizedUpperGamma(2, x), (1 + x) * Math.exp(-x), 1e-14, `Q(2, ${x})`);
    }
  });

  it('has the limits at 0 and ∞ and rejects bad arguments (programmer errors)', () => {
    expect(incompleteGammaTails(3, 0)).toEqual({ lower: 0, upper: 1 });
    expect(incompleteGammaTails(3, Infinity)).toEqual({ lower: 1, upper: 0 });
    expect(() => incompleteGammaTails(0, 1)).toThrow(RangeError);
    expect(() => incompleteGammaTails(Infinity, 1)).toThrow(RangeError);
    expect(() => incompleteGammaTails(1, -1)).toThrow(RangeError);
    expect(() => incompleteGammaTails(1, NaN)).toThrow(RangeError);
  });
});

describe('log1pMinusX', () => {
  it('matches log1p(e) − e where that is exact enough, and −e²/2 + e³/3 for tiny e', () => {
    for (const e of [-0.9, -0.5, 0.5, 3, 100])
      expectRelativelyClose(log1pMinusX(e), Math.log1p(e) - e, 1e-15, `e = ${e}`);
    for (const e of [1e-9, -1e-9, 1e-5])
      expectRelativelyClose(log1pMinusX(e), -(e * e) / 2 + (e * e * e) / 3 - e ** 4 / 4, 1e-12, `e = ${e}`);
    // Near e = 0.1 the series and the direct formula agree to the direct formula's own error.
    expectRelativelyClose(log1pMinusX(0.1), Math.log1p(0.1) - 0.1, 1e-13, 'e = 0.1');
  });
  it('rejects e < −1 and NaN', () => {
    expect(() => log1pMinusX(-1.5)).toThrow(RangeError);
    expect(() => log1pMinusX(NaN)).toThrow(RangeError);
  });
});
