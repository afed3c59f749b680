import { logBeta } from './logBeta';
import { lnSqrtTwoPi, stirlingCorrection } from './logGamma';
import { log1pMinusX } from './log1pMinusX';

/** Lentz's guard against a zero denominator (Numerical Recipes' FPMIN). */
const tinyDenominator = 1e-300;

/** Both tails of the regularized incomplete beta function at one point. */
export interface IncompleteBetaTails {
  /** I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
  lower: number;
  /** 1 − I_x(a, b) = I_{1−x}(b, a) = P(X > x). */
  upper: number;
}

/**
 * ln(xᵃ yᵇ / B(a, b)) with y = 1 − x: the factor in front of the continued fraction of the
 * incomplete beta function, and x·y times the Beta(a, b) density. Computed as DiDonato & Morris
 * (1992, `brcomp`) do, so that it keeps its relative accuracy when a and b are large (10⁴):
 * for a, b ≥ 10, with x₀ = a/(a+b), y₀ = b/(a+b) and λ = (a+b)x − a = b − (a+b)y,
 * xᵃ yᵇ / B(a, b) = √(ab / (2π(a+b))) · exp(a·[log1p(λ/a) − λ/a] + b·[log1p(−λ/b) + λ/b] − Δ),
 * where Δ = δ(a) + δ(b) − δ(a+b) (Stirling corrections); the linear terms of the two logarithms
 * cancel exactly (a·λ/a = b·λ/b), so no large quantities are subtracted. Otherwise
 * a ln x + b ln y − ln B(a, b), taking ln x as log1p(−y) when x is near 1 (and vice versa).
 * Reference: DiDonato AR, Morris AH. ACM Trans Math Softw 1992;18:360–373 (Algorithm 708).
 * @param x point in [0, 1]
 * @param y 1 − x, passed separately so that a tiny 1 − x keeps its relative precision
 * @param a first shape, a > 0 (finite)
 * @param b second shape, b > 0 (finite)
 * @returns the logarithm; −∞ when x = 0 or y = 0. Arguments are not validated (callers do).
 */
export function logBetaPowerTerms(x: number, y: number, a: number, b: number): number {
  if (x === 0 || y === 0) return -Infinity;
  if (a >= 10 && b >= 10) {
    const sum = a + b;
    const lambda = x <= 0.5 ? sum * x - a : b - sum * y;
    const correction = stirlingCorrection(a) + (stirlingCorrection(b) - stirlingCorrection(sum));
    // a·[log1p(e) − e] with e = λ/a = x/x₀ − 1; far from x₀ as a·ln(x/x₀) − λ, because λ/a would
    // round to −1 for x ≪ x₀ and lose x altogether. Likewise for b with y/y₀ − 1 = −λ/b.
    const e = lambda / a;
    const f = -lambda / b;
    const termA = Math.abs(e) < 0.5 ? a * log1pMinusX(e) : a * (Math.log(x) + Math.log1p(b / a)) - lambda;
    const termB = Math.abs(f) < 0.5 ? b * log1pMinusX(f) : b * (Math.log(y) + Math.log1p(a / b)) + lambda;
    return 0.5 * Math.log((a / sum) * b) - lnSqrtTwoPi + termA + termB - correction;
  }
  const logX = x <= 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y <= 0.5 ? Math.log(y) : Math.log1p(-x);
  return a * logX + b * logY - logBeta(a, b);
}

/**
 * The continued fraction of I_x(a, b) (Abramowitz & Stegun 26.5.8) by the modified Lentz method
 * (Numerical Recipes `betacf`): I_x(a, b) = xᵃ yᵇ / (a B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …))) with
 * d₂ₘ₊₁ = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and d₂ₘ = m(b − m) x / ((a + 2m − 1)(a + 2m)).
 * It converges quickly for x < (a + 1)/(a + b + 2), in O(√max(a, b)) terms.
 */
function continuedFraction(x: number, y: number, a: number, b: number): number {
  const sum = a + b;
  const maxTerms = 1000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  let c = 1;
  // 1 − (a + b)x/(a + 1) is small near the switch point; for x near 1 the form in y = 1 − x
  // rounds (a + b)y instead of (a + b)x, which is smaller, so it cancels less.
  let d = x <= 0.5 ? 1 - (sum * x) / (a + 1) : (1 - b + sum * y) / (a + 1);
  if (Math.abs(d) < tinyDenominator) d = tinyDenominator;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= maxTerms; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + even * d;
    if (Math.abs(d) < tinyDenominator) d = tinyDenominator;
    c = 1 + even / c;
    if (Math.abs(c) < tinyDenominator) c = tinyDenominator;
    d = 1 / d;
    h *= d * c;
    const odd = (-(a + m) * (sum + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + odd * d;
    if (Math.abs(d) < tinyDenominator) d = tinyDenominator;
    c = 1 + odd / c;
    if (Math.abs(c) < tinyDenominator) c = tinyDenominator;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) <= Number.EPSILON) return h;
  }
  // Unreachable for finite shapes in the region the callers choose; a failure here is a bug.
  throw new Error(`incomplete beta continued fraction did not converge (x = ${x}, a = ${a}, b = ${b})`);
}

/**
 * Both tails of the regularized incomplete beta function,
 * I_x(a, b) = B(x; a, b) / B(a, b) = ∫₀ˣ t^(a−1) (1 − t)^(b−1) dt / B(a, b), and 1 − I_x(a, b).
 * The tail on the near side of the mean, x < (a + 1)/(a + b + 2), is computed directly from the
 * continued fraction (Lentz) with the DiDonato–Morris prefactor (`logBetaPowerTerms`); the other
 * side from the symmetry I_x(a, b) = 1 − I_{1−x}(b, a). So the smaller tail keeps its relative
 * accuracy and the larger one is accurate to about 1e−16 absolute. Relative error of the smaller
 * tail (checked against R's TOMS 708 pbeta and 40-digit mpmath): typically 1e−15 to 1e−14; at
 * most about 6e−13 for shapes up to 5·10³ and 1.5e−12 up to 5·10⁴, the worst cases being very
 * unequal shapes (e.g. a = 0.1, b = 6000) just above the mean, where the continued fraction runs
 * in 1 − x close to 1 and its recurrences cancel.
 * References: Abramowitz M, Stegun IA 1964, 26.5.8; Press WH et al. Numerical Recipes, 3rd ed.,
 * 2007, §6.4; DiDonato AR, Morris AH. ACM Trans Math Softw 1992;18:360–373.
 * @param x point, 0 ≤ x ≤ 1
 * @param a first shape, a > 0 (finite)
 * @param b second shape, b > 0 (finite)
 * @param y 1 − x; pass it when it is known more precisely than 1 − x can be computed (x near 1)
 * @throws RangeError when x is outside [0, 1], a or b is not positive and finite, or x + y ≠ 1
 *   beyond rounding
 * @returns { lower: I_x(a, b), upper: 1 − I_x(a, b) }; x = 0 gives {0, 1}, x = 1 gives {1, 0}
 */
export function incompleteBetaTails(x: number, a: number, b: number, y: number = 1 - x): IncompleteBetaTails {
  if (!(x >= 0 && x <= 1) || !(y >= 0 && y <= 1))
    throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1, got x = ${x}, y = ${y}`);
  if (Math.abs(x + y - 1) > 4 * Number.EPSILON)
    throw new RangeError(`incomplete beta needs y = 1 − x, got x = ${x}, y = ${y}`);
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`incomplete beta needs positive finite shapes, got a = ${a}, b = ${b}`);
  }
  if (x === 0 || y === 0) return x === 0 ? { lower: 0, upper: 1 } : { lower: 1, upper: 0 };
  const front = Math.exp(logBetaPowerTerms(x, y, a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * continuedFraction(x, y, a, b)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (front * continuedFraction(y, x, b, a)) / b;
  return { lower: 1 - upper, upper };
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), the Beta(a, b) CDF
 * (R `pbeta(x, a, b)`). See `incompleteBetaTails` for the method, accuracy and the upper tail.
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 26.5.
 * @param x point, 0 ≤ x ≤ 1
 * @param a first shape, a > 0 (finite)
 * @param b second shape, b > 0 (finite)
 * @throws RangeError when x is outside [0, 1] or a or b is not positive and finite
 * @returns I_x(a, b) in [0, 1]; 0 at x = 0, 1 at x = 1
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return incompleteBetaTails(x, a, b).lower;
}
