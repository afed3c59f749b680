/**
 * The correctly rounded sum of finite numbers (Shewchuk's adaptive-precision summation, the
 * algorithm of Python's `math.fsum`): the result is the exact real sum rounded once to double.
 * So it does not depend on the order of the terms: two rows holding the same values in a
 * different order get bit-identical sums, which lets `icc` recognise exactly equal means.
 * Reference: Shewchuk JR. Adaptive precision floating-point arithmetic and fast robust geometric
 * predicates. Discrete Comput Geom 1997;18:305–363.
 * @param values finite numbers (an intermediate overflow to ±∞ is not handled)
 * @throws RangeError when a value is not finite
 * @returns the sum rounded to nearest (ties to even); 0 for an empty list
 */
export function exactSum(values: Iterable<number>): number {
  // Non-overlapping partial sums in increasing magnitude; their exact sum is the running total.
  const partials: number[] = [];
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`exactSum needs finite values, got ${value}`);
    let x = value;
    let kept = 0;
    for (const partial of partials) {
      let y = partial;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const high = x + y;
      const low = y - (high - x);
      if (low !== 0) partials[kept++] = low;
      x = high;
    }
    partials.length = kept;
    partials.push(x);
  }
  // Add the partials from the largest down until the sum stops being exact, then correct a
  // halfway case that the remaining partials push one way or the other (as math.fsum does).
  let n = partials.length;
  if (n === 0) return 0;
  let high = partials[--n]!;
  let low = 0;
  while (n > 0) {
    const x = high;
    const y = partials[--n]!;
    high = x + y;
    const yRounded = high - x;
    low = y - yRounded;
    if (low !== 0) break;
  }
  if (n > 0 && ((low < 0 && partials[n - 1]! < 0) || (low > 0 && partials[n - 1]! > 0))) {
    const y = low * 2;
    const x = high + y;
    if (y === x - high) high = x;
  }
  return high;
}
