/**
 * The cross-tabulation of two raters' ratings of the same items over an ordered list of levels.
 * `counts[i][j]` is the number of items rater A put in `levels[i]` and rater B in `levels[j]`
 * (rows = rater A, columns = rater B). Every level appears, used or not, in the given order.
 */
export interface ConfusionTable<L> {
  levels: readonly L[];
  counts: number[][];
  /** Items per level of rater A (row sums). */
  rowTotals: number[];
  /** Items per level of rater B (column sums). */
  columnTotals: number[];
  /** Number of items (pairs of ratings). */
  total: number;
}

/**
 * Position of every level in the list; levels are compared with SameValueZero (`Map` semantics:
 * strings and numbers by value, `'1'` ≠ `1`).
 * @throws RangeError when a level appears twice
 */
export function levelIndex<L>(levels: readonly L[]): Map<L, number> {
  const index = new Map<L, number>();
  levels.forEach((level, i) => {
    if (index.has(level)) throw new RangeError(`levels must be distinct: ${String(level)} appears twice`);
    index.set(level, i);
  });
  return index;
}

/**
 * Confusion table (contingency table) of two raters over ALL the given levels, in the protocol's
 * order: levels nobody used still get their row and column of zeros, so that weights over ordered
 * levels and the table shown in reports do not depend on which levels happened to be used.
 * Reference: Fleiss JL, Levin B, Paik MC. Statistical Methods for Rates and Proportions, 3rd ed.,
 * 2003, ch. 18 (agreement tables).
 * @param ratingsA rater A's rating of each item
 * @param ratingsB rater B's rating of the same items, in the same order
 * @param levels the scale's levels, distinct, in their (ordinal) order
 * @throws RangeError when the lengths differ, a level is repeated, or a rating is not one of the levels
 * @returns the k × k table (k = levels.length); all zeros for no items
 */
export function confusionTable<L>(
  ratingsA: readonly L[],
  ratingsB: readonly L[],
  levels: readonly L[],
): ConfusionTable<L> {
  if (ratingsA.length !== ratingsB.length) {
    throw new RangeError(`the two raters must rate the same items: ${ratingsA.length} ratings vs ${ratingsB.length}`);
  }
  const index = levelIndex(levels);
  const k = levels.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const lookup = (value: L, rater: string, item: number): number => {
    const i = index.get(value);
    if (i === undefined)
      throw new RangeError(
        `rater ${rater}, item ${item}: ${JSON.stringify(value) ?? String(value)} is not one of the levels`,
      );
    return i;
  };
  for (let item = 0; item < ratingsA.length; item++) {
    counts[lookup(ratingsA[item]!, 'A', item)]![lookup(ratingsB[item]!, 'B', item)]! += 1;
  }
  return {
    levels: [...levels],
    counts,
    rowTotals: counts.map((row) => row.reduce((s, c) => s + c, 0)),
    columnTotals: levels.map((_, j) => counts.reduce((s, row) => s + row[j]!, 0)),
    total: ratingsA.length,
  };
}
