/**
 * log1p(e) − e for e > −1, without the cancellation of the direct formula when |e| is small
 * (there both terms are ≈ e and the result ≈ −e²/2): with t = e / (2 + e),
 * log1p(e) = 2 atanh(t) = 2(t + t³/3 + t⁵/5 + …) and e = 2t / (1 − t), so
 * log1p(e) − e = 2t·Σₖ≥₁ t²ᵏ/(2k + 1) − 2t²/(1 − t), two terms that never cancel by more than a bit.
 * Serves the prefactors of the incomplete beta (`incompleteBeta.ts`) and the Stirling form of
 * the incomplete gamma (`incompleteGamma.ts`).
 * Reference: DiDonato AR, Morris AH. ACM Trans Math Softw 1986;12:377–393 (`rlog1`).
 * @param e argument, e > −1 (e = −1 gives −∞ + 1 = −∞)
 * @throws RangeError when e < −1 or e is NaN
 * @returns log1p(e) − e (≤ 0), with relative error of a few ulps
 */
export function log1pMinusX(e: number): number {
  if (!(e >= -1)) throw new RangeError(`log1pMinusX needs e ≥ −1, got ${e}`);
  if (Math.abs(e) >= 0.5) return Math.log1p(e) - e;
  const t = e / (2 + e);
  const tSquared = t * t;
  let power = tSquared;
  let series = 0;
  for (let k = 1; k < 60; k++) {
    const term = power / (2 * k + 1);
    series += term;
    if (term <= 1e-17 * series) break;
    power *= tSquared;
  }
  return 2 * t * series - (2 * tSquared) / (1 - t);
}
