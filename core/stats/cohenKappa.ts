import { confusionTable, type ConfusionTable } from './confusionTable';
import { exactSum } from './exactSum';
import { normalQuantile } from './normalDistribution';

/**
 * Agreement weights of kappa over k ordered levels (Cohen 1968; Fleiss & Cohen 1973):
 * - 'unweighted': w_ij = 1 if i = j, else 0 (Cohen's kappa, nominal scales);
 * - 'linear': w_ij = 1 − |i − j| / (k − 1) (vcd "Equal-Spacing", irr "equal");
 * - 'quadratic': w_ij = 1 − (i − j)² / (k − 1)² (vcd "Fleiss-Cohen", irr "squared"; psych's default).
 */
export type KappaWeighting = 'unweighted' | 'linear' | 'quadratic';

export const kappaWeightings: readonly KappaWeighting[] = ['unweighted', 'linear', 'quadratic'];

/**
 * The k × k agreement weight matrix of a weighting (see `KappaWeighting`); the distance between
 * levels is their distance in the given order, so unused levels count.
 * Reference: Cohen J. Psychol Bull 1968;70:213–220; Fleiss JL, Cohen J. Educ Psychol Meas 1973;33:613–619.
 * @param k number of levels, a positive integer
 * @throws RangeError when k is not a positive integer
 * @returns symmetric weights in [0, 1] with 1 on the diagonal; [[1]] for k = 1
 */
export function kappaWeights(k: number, weighting: KappaWeighting): number[][] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`number of levels must be a positive integer, got ${k}`);
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      if (i === j) return 1;
      if (weighting === 'unweighted') return 0;
      const distance = Math.abs(i - j) / (k - 1);
      return weighting === 'linear' ? 1 - distance : 1 - distance * distance;
    }),
  );
}

export interface CohenKappaOptions {
  /** Default 'unweighted'. */
  weighting?: KappaWeighting;
  /** Two-sided level of the interval, 0 < level < 1; default 0.95. */
  confidenceLevel?: number;
}

export interface CohenKappaEstimate {
  estimable: true;
  weighting: KappaWeighting;
  /** Number of items (sum of the table). */
  n: number;
  /** Number of levels (table rows), used or not. */
  categories: number;
  confidenceLevel: number;
  /** κ = (p_o − p_e) / (1 − p_e); ≤ 1 (can be below −1 for weighted kappa in pathological tables). */
  kappa: number;
  /** p_o = Σ w_ij p_ij. */
  observedAgreement: number;
  /** p_e = Σ w_ij p_i· p_·j. */
  expectedAgreement: number;
  /** Asymptotic (non-null) standard error of Fleiss, Cohen & Everitt (1969); ≥ 0. */
  standardError: number;
  /** κ ∓ z·SE, clamped to [−1, 1] as psych and vcd do (never clamped past κ itself). */
  ci: [lower: number, upper: number];
}

export interface CohenKappaNotEstimable {
  estimable: false;
  weighting: KappaWeighting;
  n: number;
  categories: number;
  confidenceLevel: number;
  reason: string;
}

export type CohenKappaResult = CohenKappaEstimate | CohenKappaNotEstimable;

type CountTable = readonly (readonly number[])[];

function isConfusionTable(table: ConfusionTable<unknown> | CountTable): table is ConfusionTable<unknown> {
  return !Array.isArray(table);
}

function checkCounts(counts: CountTable): void {
  if (!Array.isArray(counts as unknown)) throw new RangeError('counts must be a square table (array of rows)');
  const k = counts.length;
  counts.forEach((row, i) => {
    if (!Array.isArray(row as unknown) || row.length !== k) {
      throw new RangeError(
        `counts must be a square k × k table: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, k = ${k}`,
      );
    }
    row.forEach((c, j) => {
      if (typeof c !== 'number' || !(c >= 0) || !Number.isFinite(c))
        throw new RangeError(`count [${i}][${j}] is ${String(c)}: counts must be finite and ≥ 0`);
    });
  });
}

/**
 * Cohen's kappa of two raters from their k × k agreement table (rows = rater A, columns = rater
 * B, levels in their order), unweighted (nominal items) or with linear or quadratic agreement
 * weights (ordinal items: burden categories; CR < PR < SD < PD), with p_ij = n_ij / n,
 * p_i· and p_·j the marginal proportions and w_ij the weights (`kappaWeights`):
 * - p_o = Σ w_ij p_ij, p_e = Σ w_ij p_i· p_·j, κ = (p_o − p_e) / (1 − p_e) (Cohen 1960, 1968);
 * - asymptotic variance (Fleiss, Cohen & Everitt 1969, eq. 11 and 13) with w̄_i· = Σ_j p_·j w_ij
 *   and w̄_·j = Σ_i p_i· w_ij:
 *   Var κ = [Σ_ij p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n (1 − p_e)²);
 * - interval κ ∓ z SE with z the normal quantile at 1 − α/2, clamped to [−1, 1].
 * Agreement with R: unweighted, everything equals `psych::cohen.kappa` 2.2.9 (kappa, var.kappa,
 * confid; it uses this variance) and `vcd::Kappa` 1.4-11 + `confint`. Weighted, kappa and SE
 * equal vcd's (and statsmodels' `cohens_kappa(...).std_kappa`); psych's weighted variance is not
 * the FCE variance (its marginal weight averages are formed with the wrong marginals), so its
 * weighted SE and interval differ (e.g. irr `anxiety` raters 1 vs 2, quadratic: vcd 0.15701,
 * psych 0.6797): this function follows vcd. irr::kappa2 drops levels nobody used, which changes
 * weighted kappa; here every level of the table counts.
 * When a reader used a single level, κ = 0 exactly and the FCE variance is 0 exactly (psych
 * gives 0; vcd gives NaN or rounding noise), so the interval is [0, 0]; with perfect agreement
 * κ = 1 and SE = 0.
 * Counts need not be integers (weighted or proportional tables are accepted); n is their sum, so
 * the SE assumes the table holds counts.
 * References: Cohen J. Educ Psychol Meas 1960;20:37–46. Cohen J. Psychol Bull 1968;70:213–220.
 * Fleiss JL, Cohen J, Everitt BS. Large sample standard errors of kappa and weighted kappa.
 * Psychol Bull 1969;72:323–327.
 * @param table a `ConfusionTable` or a square array of non-negative counts
 * @param options weighting (default 'unweighted'), confidenceLevel (default 0.95)
 * @throws RangeError for a non-square table, a negative or non-finite count, or a confidence
 *   level outside (0, 1)
 * @returns `{ estimable: false, reason }` for no items, fewer than two levels, or when both
 *   readers rated every item the same single level (p_e = 1, κ = 0/0); otherwise the estimate.
 *   Never NaN.
 */
export function cohenKappa(
  table: ConfusionTable<unknown> | CountTable,
  options: CohenKappaOptions = {},
): CohenKappaResult {
  const weighting = options.weighting ?? 'unweighted';
  if (!kappaWeightings.includes(weighting)) throw new RangeError(`unknown kappa weighting ${String(weighting)}`);
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!(confidenceLevel > 0 && confidenceLevel < 1))
    throw new RangeError(`confidence level must be in (0, 1), got ${confidenceLevel}`);
  const counts = isConfusionTable(table) ? table.counts : table;
  checkCounts(counts);
  const levelName = (i: number) =>
    isConfusionTable(table) ? (JSON.stringify(table.levels[i]) ?? String(table.levels[i])) : `level ${i + 1}`;

  const k = counts.length;
  const rowCounts = counts.map((row) => exactSum(row));
  const columnCounts = counts.map((_, j) => exactSum(counts.map((row) => row[j]!)));
  const n = exactSum(rowCounts);
  const base = { weighting, n, categories: k, confidenceLevel };
  if (n === 0) return { estimable: false, ...base, reason: 'Kappa needs at least one rated item; the table is empty.' };
  if (k < 2) return { estimable: false, ...base, reason: `Kappa needs at least 2 levels; the scale has ${k}.` };
  const shared = rowCounts.findIndex((r, i) => r === n && columnCounts[i] === n);
  if (shared >= 0) {
    return {
      estimable: false,
      ...base,
      reason: `Both readers rated all ${n} items ${levelName(shared)}: expected agreement is 1 and kappa is 0/0 (no variation to agree on).`,
    };
  }

  const w = kappaWeights(k, weighting);
  const p = counts.map((row) => row.map((c) => c / n));
  const rowP = rowCounts.map((c) => c / n);
  const columnP = columnCounts.map((c) => c / n);
  const cells = (f: (i: number, j: number) => number) =>
    exactSum(counts.flatMap((row, i) => row.map((_, j) => f(i, j))));
  const observedAgreement = cells((i, j) => w[i]![j]! * p[i]![j]!);
  const expectedAgreement = cells((i, j) => w[i]![j]! * rowP[i]! * columnP[j]!);
  const kappa = (observedAgreement - expectedAgreement) / (1 - expectedAgreement);

  // Structural zeros of the FCE variance, where its two terms cancel exactly in real arithmetic:
  // perfect agreement (no off-diagonal count) and a reader who used one level only (κ = 0).
  const perfect = counts.every((row, i) => row.every((c, j) => i === j || c === 0));
  const constantReader = rowCounts.some((c) => c === n) || columnCounts.some((c) => c === n);
  let variance = 0;
  if (!perfect && !constantReader) {
    const rowWeightMeans = w.map((row) => exactSum(row.map((wij, j) => wij * columnP[j]!)));
    const columnWeightMeans = w.map((_, j) => exactSum(w.map((row, i) => row[j]! * rowP[i]!)));
    const spread = cells(
      (i, j) => p[i]![j]! * (w[i]![j]! - (rowWeightMeans[i]! + columnWeightMeans[j]!) * (1 - kappa)) ** 2,
    );
    const centre = kappa - expectedAgreement * (1 - kappa);
    variance = Math.max(0, (spread - centre * centre) / (n * (1 - expectedAgreement) ** 2));
  }
  const standardError = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const ci: [number, number] = [
    Math.max(kappa - z * standardError, Math.min(-1, kappa)),
    Math.min(1, kappa + z * standardError),
  ];
  return { estimable: true, ...base, kappa, observedAgreement, expectedAgreement, standardError, ci };
}

/**
 * Cohen's kappa from two raters' paired ratings over the given ordered levels: `cohenKappa` of
 * their `confusionTable` (every level counts, used or not). See `cohenKappa` for the formulas.
 * Reference: Cohen J. Educ Psychol Meas 1960;20:37–46.
 * @throws RangeError when the lengths differ, a level repeats, a rating is not a level, or the
 *   confidence level is outside (0, 1)
 */
export function cohenKappaFromRatings<L>(
  ratingsA: readonly L[],
  ratingsB: readonly L[],
  levels: readonly L[],
  options: CohenKappaOptions = {},
): CohenKappaResult {
  return cohenKappa(confusionTable(ratingsA, ratingsB, levels), options);
}
