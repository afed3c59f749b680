import { incompleteBetaTails, logBetaPowerTerms } from './incompleteBeta';

/** A point of [0, 1] given with its complement, each to full relative precision. */
export interface BetaPoint {
  x: number;
  /** 1 − x, computed without cancellation (it matters when x is near 1). */
  y: number;
}

/** Which tail probability a quantile refers to. */
export type Tail = 'lower' | 'upper';

const maxIterations = 200;

/**
 * Starting value for I_x(a, b) = p (Numerical Recipes `invbetai`): for a, b ≥ 1 the normal
 * approximation of Abramowitz & Stegun 26.5.22; otherwise the power-law behaviour of each tail,
 * I_x ≈ xᵃ/(a B) near 0 and 1 − I_x ≈ (1 − x)ᵇ/(b B) near 1.
 * `lowerP` and `upperQ` are p and 1 − p, the smaller one exact.
 */
function initialGuess(lowerP: number, upperQ: number, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const tail = Math.min(lowerP, upperQ);
    const t = Math.sqrt(-2 * Math.log(tail));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (lowerP < 0.5) z = -z;
    const al = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    return a / (a + b * Math.exp(2 * w));
  }
  const lnA = Math.log(a / (a + b));
  const lnB = Math.log(b / (a + b));
  const t = Math.exp(a * lnA) / a;
  const u = Math.exp(b * lnB) / b;
  const w = t + u;
  return lowerP < t / w ? Math.pow(a * w * lowerP, 1 / a) : 1 - Math.pow(b * w * upperQ, 1 / b);
}

/** After this many iterations the solver bisects only (Newton normally needs fewer than 10). */
const newtonIterations = 60;

/**
 * Solves I_x(a, b) = P (equivalently 1 − I_x(a, b) = Q) for a root expected in the lower half, by
 * Newton's method on ln(tail) against ln x (the tails behave like powers of x, so this converges
 * from far out in a tail, and x stays positive) inside a bracket, bisecting in ln x whenever
 * Newton would leave the bracket or has not converged after `newtonIterations`. The residual is taken on the
 * smaller tail, which
 * `incompleteBetaTails` gives to full relative precision.
 */
function solveLowerHalf(lowerP: number, upperQ: number, a: number, b: number, start: number): BetaPoint {
  const useLower = lowerP <= upperQ;
  const target = useLower ? lowerP : upperQ;
  let low = 0;
  let high = 1;
  let x = Math.min(Math.max(start, Number.MIN_VALUE), 0.5);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const y = 1 - x;
    const tails = incompleteBetaTails(x, a, b, y);
    const tail = useLower ? tails.lower : tails.upper;
    if (tail === target) return { x, y };
    // The lower tail increases with x, the upper tail decreases.
    if (tail < target === useLower) low = x;
    else high = x;
    // ln(tail / target), and d ln(tail) / d ln x = ±x·density / tail with x·density = xᵃ yᵇ / (B(a, b) · y).
    const relative = (tail - target) / target;
    const logRatio = Math.abs(relative) < 0.5 ? Math.log1p(relative) : Math.log(tail) - Math.log(target);
    const xDensity = Math.exp(logBetaPowerTerms(x, y, a, b)) / y;
    const logStep = ((useLower ? -logRatio : logRatio) * tail) / xDensity;
    if (Math.abs(logStep) <= 2 * Number.EPSILON) return { x, y };
    let next = iteration < newtonIterations ? x * Math.exp(logStep) : NaN;
    if (!(next > low && next < high)) {
      const bottom = Math.max(low, Number.MIN_VALUE);
      // √bottom·√high: the product of two tiny numbers would underflow.
      next = high / bottom > 4 ? Math.sqrt(bottom) * Math.sqrt(high) : 0.5 * (bottom + high);
    }
    if (Math.abs(next - x) <= 2 * Number.EPSILON * x || high - low <= 2 * Number.EPSILON * high)
      return { x: next, y: 1 - next };
    x = next;
  }
  return { x, y: 1 - x };
}

/**
 * The inverse of the regularized incomplete beta function: the x with I_x(a, b) = p (tail
 * 'lower', R `qbeta(p, a, b)`) or with 1 − I_x(a, b) = p (tail 'upper',
 * R `qbeta(p, a, b, lower.tail = FALSE)`), returned with its complement 1 − x.
 * Method: Numerical Recipes' starting value (Abramowitz & Stegun 26.5.22, or the tail power
 * laws for a or b < 1), then Newton steps in ln x on the smaller tail inside a bisection bracket.
 * The solver always works on whichever of x and 1 − x is below ½, through
 * I_x(a, b) = 1 − I_{1−x}(b, a), so both are returned to full relative precision; the result is
 * limited only by the accuracy of `incompleteBetaTails` (relative error typically 1e−14, below
 * about 1e−12 for shapes up to 5·10³ and probabilities between 1e−10 and 1 − 1e−10).
 * References: Press WH et al. Numerical Recipes, 3rd ed., 2007, §6.14 (`invbetai`);
 * Abramowitz M, Stegun IA 1964, 26.5.22.
 * @param probability p in [0, 1]
 * @param a first shape, a > 0 (finite)
 * @param b second shape, b > 0 (finite)
 * @param tail 'lower' (default): p = P(X ≤ x); 'upper': p = P(X > x)
 * @throws RangeError when p is outside [0, 1] or a or b is not positive and finite
 * @returns { x, y = 1 − x }; p = 0 gives x = 0 for the lower tail (x = 1 for the upper tail),
 *   p = 1 the other end; x underflows to 0 (or y to 0) for probabilities so extreme that the
 *   quantile is below the smallest double
 */
export function inverseIncompleteBeta(probability: number, a: number, b: number, tail: Tail = 'lower'): BetaPoint {
  if (!(probability >= 0 && probability <= 1))
    throw new RangeError(`probability must be in [0, 1], got ${probability}`);
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`inverse incomplete beta needs positive finite shapes, got a = ${a}, b = ${b}`);
  }
  const lowerP = tail === 'lower' ? probability : 1 - probability;
  const upperQ = tail === 'lower' ? 1 - probability : probability;
  if (lowerP === 0) return { x: 0, y: 1 };
  if (upperQ === 0) return { x: 1, y: 0 };
  const guess = initialGuess(lowerP, upperQ, a, b);
  const solveX = (start: number) => solveLowerHalf(lowerP, upperQ, a, b, start);
  // I_x(a, b) = p  ⇔  I_y(b, a) = 1 − p: solve for y when the root is in the upper half.
  const solveY = (start: number) => {
    const swapped = solveLowerHalf(upperQ, lowerP, b, a, start);
    return { x: swapped.y, y: swapped.x };
  };
  if (!(guess > 0.5)) {
    const found = solveX(Number.isNaN(guess) ? 0.5 : guess);
    return found.x > 0.5 ? solveY(found.y) : found;
  }
  const found = solveY(1 - guess);
  return found.y > 0.5 ? solveX(found.x) : found;
}
