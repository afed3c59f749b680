import { incompleteGammaTails } from './incompleteGamma';

function chiSquareTails(x: number, df: number): { lower: number; upper: number } {
  if (Number.isNaN(x)) throw new RangeError('chi-square statistic is NaN');
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`chi-square degrees of freedom must be positive and finite, got ${df}`);
  if (x <= 0) return { lower: 0, upper: 1 };
  return incompleteGammaTails(df / 2, x / 2);
}

/**
 * Cumulative distribution function of the chi-square distribution with df degrees of freedom
 * (real, not necessarily integer): P(X ≤ x) = P(df/2, x/2), the regularized lower incomplete
 * gamma function; R `pchisq(x, df)`.
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 26.4.19.
 * @param x the statistic (≥ 0; x ≤ 0 gives 0)
 * @param df degrees of freedom, > 0
 * @throws RangeError when x is NaN or df is not positive and finite
 * @returns probability in [0, 1]; 1 for x = +∞
 */
export function chiSquareCdf(x: number, df: number): number {
  return chiSquareTails(x, df).lower;
}

/**
 * Upper tail of the chi-square distribution, P(X > x) = Q(df/2, x/2) (R `pchisq(x, df,
 * lower.tail = FALSE)`): the p-value of a chi-square test such as the log-rank test. Computed
 * directly, not as 1 − `chiSquareCdf`, so small p-values keep their relative accuracy.
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 26.4.19.
 * @param x the statistic (x ≤ 0 gives 1)
 * @param df degrees of freedom, > 0
 * @throws RangeError when x is NaN or df is not positive and finite
 * @returns probability in [0, 1]; 0 for x = +∞
 */
export function chiSquareSurvival(x: number, df: number): number {
  return chiSquareTails(x, df).upper;
}
