/** ln √(2π) = 0.91893853320467274178…, as the nearest double. */
export const lnSqrtTwoPi = 0.9189385332046728;

/** At and above this argument the Stirling series alone gives full double precision. */
const stirlingThreshold = 10;

/**
 * Stirling-series coefficients B₂ₖ / (2k(2k − 1)), k = 1…8 (B₂ₖ the Bernoulli numbers):
 * 1/12, −1/360, 1/1260, −1/1680, 1/1188, −691/360360, 1/156, −3617/122400.
 * At x = 10 the first omitted term is 1.8e−18, below an ulp of the correction.
 */
const stirlingCoefficients: readonly number[] = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/**
 * The Stirling correction δ(x) = ln Γ(x) − [(x − ½) ln x − x + ln √(2π)], for x ≥ 10, from the
 * asymptotic series δ(x) = Σₖ B₂ₖ / (2k(2k − 1) x^(2k−1)) (Abramowitz & Stegun 6.1.40).
 * It is small (δ(10) ≈ 0.0083, δ(x) ≈ 1/(12x)) and is computed to full relative precision, which
 * lets `logBeta` and the incomplete beta function cancel the large Stirling terms analytically
 * instead of numerically (the device of DiDonato & Morris 1992, `bcorr`).
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 6.1.40–6.1.42.
 * @param x argument, x ≥ 10 (or +∞, giving 0)
 * @throws RangeError when x < 10 or x is NaN (the series is asymptotic: use `logGamma` there)
 */
export function stirlingCorrection(x: number): number {
  if (!(x >= stirlingThreshold)) throw new RangeError(`stirlingCorrection needs x ≥ ${stirlingThreshold}, got ${x}`);
  if (x === Infinity) return 0;
  const inverseSquare = 1 / (x * x);
  let sum = 0;
  // Horner from the smallest term keeps the rounding error below an ulp of the result.
  for (let k = stirlingCoefficients.length - 1; k >= 0; k--) sum = sum * inverseSquare + stirlingCoefficients[k]!;
  return sum / x;
}

/**
 * Natural logarithm of the gamma function, ln Γ(x), for x > 0.
 * For x ≥ 10: Stirling's series, ln Γ(x) = (x − ½) ln x − x + ln √(2π) + δ(x) (`stirlingCorrection`).
 * For 0 < x < 10: the recurrence Γ(x) = Γ(x + m) / (x (x + 1) ⋯ (x + m − 1)) with x + m ≥ 10.
 * Accuracy: absolute error below about 4e−15 for x < 10 (so the relative error grows near the
 * zeros x = 1 and x = 2, where ln Γ = 0 exactly is returned), relative error below about 1e−15
 * for x ≥ 10. This is what the incomplete beta function needs: it exponentiates differences of
 * ln Γ, where the absolute error is what matters.
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 6.1.15 and 6.1.40.
 * @param x argument, x > 0; +∞ gives +∞
 * @throws RangeError when x ≤ 0 or x is NaN (Γ has poles at 0, −1, …; negative x is not needed here)
 * @returns ln Γ(x); exactly 0 at x = 1 and x = 2; ≈ −ln x for tiny x
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x >= stirlingThreshold) return (x - 0.5) * Math.log(x) - x + lnSqrtTwoPi + stirlingCorrection(x);
  // Each factor x + i and the shifted argument x + m are rounded once, not accumulated.
  const m = Math.ceil(stirlingThreshold - x);
  let product = x;
  for (let i = 1; i < m; i++) product *= x + i;
  const shifted = x + m;
  return (shifted - 0.5) * Math.log(shifted) - shifted + lnSqrtTwoPi + stirlingCorrection(shifted) - Math.log(product);
}
