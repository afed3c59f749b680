/**
 * Sample quantile by linear interpolation between order statistics, R's default
 * `quantile(x, p, type = 7)` (Hyndman & Fan definition 7): with x₍₁₎ ≤ … ≤ x₍ₙ₎, h = 1 + (n − 1)p,
 * j = ⌊h⌋, Q(p) = (1 − (h − j))·x₍ⱼ₎ + (h − j)·x₍ⱼ₊₁₎, evaluated in R's order of operations so that
 * the result matches R's to the last bit (and equals x₍ⱼ₎ exactly when the two order statistics are equal).
 * Reference: Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat 1996;50:361–365.
 * @param values the sample (not modified); every value finite
 * @param p probability in [0, 1]
 * @throws RangeError for an empty sample, a non-finite value, or p outside [0, 1]
 * @returns Q(p); the minimum at p = 0 and the maximum at p = 1
 */
export function quantile(values: readonly number[], p: number): number {
  return quantileOfSorted(sortedCopy(values), p);
}

/** A sorted copy of finite values (ascending), for repeated `quantileOfSorted` calls. */
export function sortedCopy(values: readonly number[]): number[] {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`quantile needs finite values, got ${v}`);
  return [...values].sort((x, y) => x - y);
}

/**
 * `quantile` of an already sorted (ascending) sample, without copying.
 * @throws RangeError for an empty sample or p outside [0, 1]
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  // R's 1-based index 1 + (n − 1)p: its fraction rounds differently from (n − 1)p's (1.15 − 1 ≠ 0.15).
  const index = 1 + (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1]!;
  const high = sorted[hi - 1]!;
  if (index === lo || high === low) return low;
  const h = index - lo;
  return (1 - h) * low + h * high;
}
