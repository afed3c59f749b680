import { levelIndex } from './confusionTable';
import { exactSum } from './exactSum';
import { normalTwoSidedPValue } from './normalDistribution';

/** Kappa of one category against all others (irr `kappam.fleiss(detail = TRUE)`). */
export type FleissCategoryKappa =
  | { category: number; estimable: true; proportion: number; kappa: number; z: number; p: number }
  | { category: number; estimable: false; proportion: number; reason: string };

export interface FleissKappaEstimate {
  estimable: true;
  nSubjects: number;
  nRaters: number;
  categories: number;
  /** κ = (P̄ − P̄_e) / (1 − P̄_e). */
  kappa: number;
  /** P̄, the mean over subjects of the proportion of agreeing rater pairs. */
  observedAgreement: number;
  /** P̄_e = Σ_j p_j². */
  expectedAgreement: number;
  /** Standard error under H0: κ = 0 (Fleiss, Nee & Landis 1979); for the z test, not for an interval. */
  standardError: number;
  /** z = κ / SE. */
  z: number;
  /** Two-sided p-value of z, 2Φ(−|z|). */
  p: number;
  /** Per-category kappas, in the order of the table's columns (or of the levels). */
  categoryKappas: FleissCategoryKappa[];
}

export interface FleissKappaNotEstimable {
  estimable: false;
  nSubjects: number;
  nRaters: number;
  categories: number;
  reason: string;
}

export type FleissKappaResult = FleissKappaEstimate | FleissKappaNotEstimable;

/**
 * Fleiss' kappa for m ≥ 2 raters per subject from the subjects × categories table of counts
 * (x_ij = number of raters who put subject i in category j; every row sums to the same m). With
 * N subjects, p_j = Σ_i x_ij / (N m) and q_j = 1 − p_j:
 * - P_i = (Σ_j x_ij² − m) / (m (m − 1)), P̄ = mean P_i, P̄_e = Σ p_j², κ = (P̄ − P̄_e) / (1 − P̄_e)
 *   (Fleiss 1971);
 * - SE under H0 (Fleiss, Nee & Landis 1979): Var₀ κ = 2 / (N m (m − 1) (Σ p_j q_j)²) ·
 *   [(Σ p_j q_j)² − Σ p_j q_j (q_j − p_j)], z = κ / SE₀, p = 2Φ(−|z|);
 * - per category: κ_j = 1 − Σ_i x_ij (m − x_ij) / (N m (m − 1) p_j q_j), SE₀ = √(2 / (N m (m − 1))).
 * These are the numbers R `irr::kappam.fleiss(ratings, detail = TRUE)` reports,
 * except that irr computes p as 2(1 − Φ(|z|)), which is 0 below about 1e−16 (diagnoses data:
 * κ = 0.4302445, z = 17.65183, irr p = 0, here 9.85e−70), and rounds the per-category table to 3
 * decimals. Categories nobody used have p_j = 0 and change nothing but their own (not estimable)
 * per-category kappa.
 * References: Fleiss JL. Measuring nominal scale agreement among many raters. Psychol Bull
 * 1971;76:378–382. Fleiss JL, Nee JCM, Landis JR. Large sample variance of kappa in the case of
 * different sets of raters. Psychol Bull 1979;86:974–977.
 * @param counts rows = subjects, columns = categories; non-negative integers, equal row sums m
 * @throws RangeError for ragged rows, a negative or non-integer count, or unequal row sums (every
 *   subject must have the same number of ratings; drop incomplete subjects first)
 * @returns `{ estimable: false, reason }` for no subjects, fewer than 2 raters per subject, or
 *   when every rating falls in one category (P̄_e = 1, κ = 0/0). Never NaN.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissKappaResult {
  if (!Array.isArray(counts as unknown))
    throw new RangeError('counts must be a subjects × categories table (array of rows)');
  const nSubjects = counts.length;
  const categories = nSubjects > 0 ? counts[0]!.length : 0;
  counts.forEach((row, i) => {
    if (!Array.isArray(row as unknown) || row.length !== categories) {
      throw new RangeError(
        `counts must be a complete subjects × categories table: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, row 0 has ${categories}`,
      );
    }
    row.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0)
        throw new RangeError(`count [${i}][${j}] is ${String(c)}: counts must be non-negative integers`);
    });
  });
  const raters = counts.map((row) => exactSum(row));
  const m = nSubjects > 0 ? raters[0]! : 0;
  const unequal = raters.findIndex((r) => r !== m);
  if (unequal >= 0) {
    throw new RangeError(
      `every subject needs the same number of ratings: subject 0 has ${m}, subject ${unequal} has ${raters[unequal]}`,
    );
  }
  const base = { nSubjects, nRaters: m, categories };
  if (nSubjects === 0) return { estimable: false, ...base, reason: "Fleiss' kappa needs at least one subject." };
  if (m < 2)
    return { estimable: false, ...base, reason: `Fleiss' kappa needs at least 2 ratings per subject; there are ${m}.` };

  const totalRatings = nSubjects * m;
  const categoryTotals = Array.from({ length: categories }, (_, j) => exactSum(counts.map((row) => row[j]!)));
  const only = categoryTotals.findIndex((t) => t === totalRatings);
  if (only >= 0) {
    return {
      estimable: false,
      ...base,
      reason: `All ${totalRatings} ratings are in category ${only + 1}: expected agreement is 1 and kappa is 0/0 (no variation to agree on).`,
    };
  }
  const proportions = categoryTotals.map((t) => t / totalRatings);
  const pairs = m * (m - 1);
  // Counts are integers, so Σ x² − m and the sums below are exact (below 2⁵³).
  const observedAgreement = exactSum(counts.map((row) => (exactSum(row.map((x) => x * x)) - m) / pairs)) / nSubjects;
  const expectedAgreement = exactSum(proportions.map((p) => p * p));
  const kappa = (observedAgreement - expectedAgreement) / (1 - expectedAgreement);
  const pq = exactSum(proportions.map((p) => p * (1 - p)));
  const skew = exactSum(proportions.map((p) => p * (1 - p) * (1 - 2 * p)));
  const standardError = Math.sqrt((2 * (pq * pq - skew)) / (pq * pq * totalRatings * (m - 1)));
  const z = kappa / standardError;

  const categorySe = Math.sqrt(2 / (totalRatings * (m - 1)));
  const categoryKappas: FleissCategoryKappa[] = proportions.map((proportion, j) => {
    if (categoryTotals[j] === 0)
      return { category: j, estimable: false, proportion, reason: `Category ${j + 1} was never used.` };
    const disagreement = exactSum(counts.map((row) => row[j]! * (m - row[j]!)));
    const categoryKappa = 1 - disagreement / (totalRatings * (m - 1) * proportion * (1 - proportion));
    const categoryZ = categoryKappa / categorySe;
    return {
      category: j,
      estimable: true,
      proportion,
      kappa: categoryKappa,
      z: categoryZ,
      p: normalTwoSidedPValue(categoryZ),
    };
  });
  return {
    estimable: true,
    ...base,
    kappa,
    observedAgreement,
    expectedAgreement,
    standardError,
    z,
    p: normalTwoSidedPValue(z),
    categoryKappas,
  };
}

/**
 * Fleiss' kappa from raw ratings: rows = subjects, columns = raters, every value one of the
 * levels (levels nobody used are kept as empty categories). Builds the subjects × levels count
 * table and calls `fleissKappa`; `categoryKappas[j]` belongs to `levels[j]`.
 * Reference: Fleiss JL. Psychol Bull 1971;76:378–382.
 * @param ratings subjects × raters; every row the same length (complete ratings only)
 * @param levels the scale's distinct levels
 * @throws RangeError for ragged rows, repeated levels, or a rating that is not a level
 */
export function fleissKappaFromRatings<L>(ratings: readonly (readonly L[])[], levels: readonly L[]): FleissKappaResult {
  if (!Array.isArray(ratings as unknown))
    throw new RangeError('ratings must be a subjects × raters table (array of rows)');
  const index = levelIndex(levels);
  const raters = ratings.length > 0 ? ratings[0]!.length : 0;
  const counts = ratings.map((row, i) => {
    if (!Array.isArray(row as unknown) || row.length !== raters) {
      throw new RangeError(
        `ratings must be a complete subjects × raters table: row ${i} has ${Array.isArray(row) ? row.length : 'no'} ratings, row 0 has ${raters}`,
      );
    }
    const tally = new Array<number>(levels.length).fill(0);
    row.forEach((value, r) => {
      const j = index.get(value);
      if (j === undefined)
        throw new RangeError(
          `subject ${i}, rater ${r}: ${JSON.stringify(value) ?? String(value)} is not one of the levels`,
        );
      tally[j]! += 1;
    });
    return tally;
  });
  const result = fleissKappa(counts);
  if (result.estimable || ratings.length === 0 || raters < 2) return result;
  // Name the level instead of its column number.
  const only = counts[0]!.findIndex((_, j) => counts.every((row) => row[j] === raters));
  return only >= 0
    ? {
        ...result,
        reason: `All ${ratings.length * raters} ratings are ${JSON.stringify(levels[only]) ?? String(levels[only])}: expected agreement is 1 and kappa is 0/0 (no variation to agree on).`,
      }
    : result;
}
