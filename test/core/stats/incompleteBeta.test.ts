import { describe, expect, it } from 'vitest';
import { incompleteBetaTails, regularizedIncompleteBeta } from '../../../core/stats/incompleteBeta';
import { inverseIncompleteBeta } from '../../../core/stats/inverseIncompleteBeta';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from './oracles';

interface BetaRow {
  a: number;
  b: number;
  p: number;
  qbeta: number;
  qbeta_upper: number;
  pbeta_at_qbeta: number;
  pbeta_upper_at_qbeta: number;
}
// test/fixtures/oracles/fDistribution.R: R 4.2.2 pbeta (TOMS 708) and qbeta, shapes from
// (0.5, 0.5) to (5000, 5000) including very unequal ones such as (0.15, 5000).
const oracle = readOracle<{ beta: BetaRow[] }>('fDistribution.json');
const label = (r: BetaRow) => `a = ${r.a}, b = ${r.b}, p = ${r.p}`;

describe('incompleteBetaTails', () => {
  it.each(oracle.beta)(
    'matches R pbeta, both tails, to 1e-12 relative at qbeta($p, $a, $b) (confirmed in R)',
    (row) => {
      const tails = incompleteBetaTails(row.qbeta, row.a, row.b);
      expectRelativelyClose(tails.lower, row.pbeta_at_qbeta, 1e-12, `lower ${label(row)}`);
      expectRelativelyClose(tails.upper, row.pbeta_upper_at_qbeta, 1e-12, `upper ${label(row)}`);
    },
  );

  it('reduces to closed forms: I_x(1, 1) = x, I_x(a, 1) = xᵃ, I_x(1, b) = 1 − (1 − x)ᵇ', () => {
    for (const x of [1e-9, 0.1, 0.5, 0.93]) {
      expectRelativelyClose(regularizedIncompleteBeta(x, 1, 1), x, 1e-14, `I_${x}(1, 1)`);
      expectRelativelyClose(regularizedIncompleteBeta(x, 3.7, 1), x ** 3.7, 1e-13, `I_${x}(3.7, 1)`);
      // Upper tail of Beta(1, b) is (1 − x)ᵇ exactly, kept to relative precision even when tiny.
      expectRelativelyClose(incompleteBetaTails(x, 1, 250.5).upper, (1 - x) ** 250.5, 1e-12, `upper I_${x}(1, 250.5)`);
    }
  });

  it('gives ½ at x = ½ for equal shapes (symmetry), up to a = 5000', () => {
    for (const a of [0.3, 1, 7.3, 100, 5000])
      expectAbsolutelyClose(regularizedIncompleteBeta(0.5, a, a), 0.5, 1e-14, `a = ${a}`);
  });

  it('satisfies I_x(a, b) = 1 − I_{1−x}(b, a) and keeps tiny upper tails (y passed separately)', () => {
    const direct = incompleteBetaTails(0.3, 2.5, 7.3);
    const mirrored = incompleteBetaTails(0.7, 7.3, 2.5);
    expectRelativelyClose(direct.lower, mirrored.upper, 1e-14, 'lower vs mirrored upper');
    // Beta(2, 1) has CDF x², so its upper tail at x = 1 − y is y(2 − y). 1 − 1e−12 is not exactly
    // representable, y = 1e−12 is (to 1 ulp), and the tail follows y, not the rounded x.
    const nearOne = incompleteBetaTails(1 - 1e-12, 2, 1, 1e-12);
    expectRelativelyClose(nearOne.upper, 1e-12 * (2 - 1e-12), 1e-13, 'upper tail 1 − x² near x = 1');
  });

  it('handles the ends and rejects bad arguments', () => {
    expect(incompleteBetaTails(0, 2, 3)).toEqual({ lower: 0, upper: 1 });
    expect(incompleteBetaTails(1, 2, 3)).toEqual({ lower: 1, upper: 0 });
    expect(() => regularizedIncompleteBeta(-0.1, 2, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(1.1, 2, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 2, Infinity)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(NaN, 2, 3)).toThrow(RangeError);
    expect(() => incompleteBetaTails(0.5, 2, 3, 0.4)).toThrow(RangeError);
  });
});

describe('inverseIncompleteBeta', () => {
  it.each(oracle.beta)(
    'matches R qbeta($p, $a, $b), lower and upper tail, to 1e-12 relative (confirmed in R)',
    (row) => {
      const lower = inverseIncompleteBeta(row.p, row.a, row.b);
      expectRelativelyClose(lower.x, row.qbeta, 1e-12, `lower ${label(row)}`);
      expectRelativelyClose(
        inverseIncompleteBeta(row.p, row.a, row.b, 'upper').x,
        row.qbeta_upper,
        1e-12,
        `upper ${label(row)}`,
      );
      expect(lower.x + lower.y).toBeCloseTo(1, 15);
    },
  );

  it('inverts the closed forms: x = p for Beta(1, 1), x = p^(1/a) for Beta(a, 1)', () => {
    for (const p of [0.001, 0.025, 0.5, 0.975]) {
      expectRelativelyClose(inverseIncompleteBeta(p, 1, 1).x, p, 1e-14, `Beta(1, 1) at ${p}`);
      expectRelativelyClose(inverseIncompleteBeta(p, 4.2, 1).x, p ** (1 / 4.2), 1e-13, `Beta(4.2, 1) at ${p}`);
    }
  });

  it('returns 1 − x to full relative precision when x is near 1: Beta(1, b) upper quantile y = q^(1/b)', () => {
    // P(X > x) = (1 − x)ᵇ for Beta(1, b) ⇒ the upper-tail-q quantile has 1 − x = q^(1/b); with
    // b = 0.05 and q = 0.5 that is 2^−20 ≈ 9.5e−7, which 1 − x alone would carry only to ~1e−10.
    const { y } = inverseIncompleteBeta(0.5, 1, 0.05, 'upper');
    expectRelativelyClose(y, 0.5 ** 20, 1e-13, 'y');
  });

  it('round-trips through incompleteBetaTails for seeded random shapes in [0.05, 1e4] and p in [1e-8, 1 − 1e-8]', () => {
    const random = createSeededRandom(20240611);
    const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + random.uniform() * Math.log(hi / lo));
    for (let i = 0; i < 300; i++) {
      const a = logUniform(0.05, 1e4);
      const b = logUniform(0.05, 1e4);
      const p = random.uniform() < 0.5 ? logUniform(1e-8, 0.5) : random.uniform();
      const tail = random.uniform() < 0.5 ? 'lower' : 'upper';
      const { x, y } = inverseIncompleteBeta(p, a, b, tail);
      const tails = incompleteBetaTails(x, a, b, y);
      // The quantile is a double: p can only be hit to within the density times an ulp of x or y.
      expectRelativelyClose(
        tail === 'lower' ? tails.lower : tails.upper,
        p,
        1e-11,
        `a = ${a}, b = ${b}, p = ${p}, ${tail}`,
      );
    }
  });

  it('maps p = 0 and p = 1 to the ends and rejects bad arguments', () => {
    expect(inverseIncompleteBeta(0, 2, 3)).toEqual({ x: 0, y: 1 });
    expect(inverseIncompleteBeta(1, 2, 3)).toEqual({ x: 1, y: 0 });
    expect(inverseIncompleteBeta(0, 2, 3, 'upper')).toEqual({ x: 1, y: 0 });
    expect(() => inverseIncompleteBeta(1.5, 2, 3)).toThrow(RangeError);
    expect(() => inverseIncompleteBeta(NaN, 2, 3)).toThrow(RangeError);
    expect(() => inverseIncompleteBeta(0.5, -2, 3)).toThrow(RangeError);
  });
});
