import { exactSum } from './exactSum';
import { fQuantile } from './fDistribution';

/** How the standard error of a limit of agreement is computed. */
export type LimitSeMethod = 'exact1999' | 'approximate1986';

export interface BlandAltmanOptions {
  /** Two-sided level of the confidence intervals of the bias and the limits, 0 < level < 1; default 0.95. */
  confidenceLevel?: number;
  /** z of the limits bias ∓ z·SD: default 1.96 (95 % of differences; Bland & Altman 1986 used 2). */
  limitMultiplier?: number;
  /**
   * SE of a limit: 'exact1999' (default) s·√(1/n + z²/(2(n − 1))) (Bland & Altman 1999, §5.3);
   * 'approximate1986' s·√(3/n) (Bland & Altman 1986, their approximation for z = 2, as MedCalc and
   * R BlandAltmanLeh use).
   */
  limitSeMethod?: LimitSeMethod;
}

export interface BlandAltmanEstimate {
  estimable: true;
  n: number;
  confidenceLevel: number;
  limitMultiplier: number;
  limitSeMethod: LimitSeMethod;
  /** Mean difference a − b (in the measurement's units). */
  bias: number;
  /** Sample SD of the differences (n − 1 denominator). */
  sdDifference: number;
  /** bias − z·SD. */
  lowerLimit: number;
  /** bias + z·SD. */
  upperLimit: number;
  /** t quantile at 1 − α/2 with n − 1 df, used by the three intervals. */
  tQuantile: number;
  /** SD / √n. */
  biasSe: number;
  biasCi: [lower: number, upper: number];
  /** SE of each limit (see `limitSeMethod`). */
  limitSe: number;
  lowerLimitCi: [lower: number, upper: number];
  upperLimitCi: [lower: number, upper: number];
  /** Per pair, for the plot: mean (a + b)/2 and difference a − b. */
  means: number[];
  differences: number[];
}

export interface BlandAltmanNotEstimable {
  estimable: false;
  n: number;
  reason: string;
}

export type BlandAltmanResult = BlandAltmanEstimate | BlandAltmanNotEstimable;

/**
 * Bland–Altman analysis of two measurements of the same quantity on n items (two readers' sums
 * of diameters, two ROI placements' LETB): differences d_i = a_i − b_i, bias d̄, SD s (n − 1
 * denominator), 95 % limits of agreement d̄ ∓ z·s (z = 1.96), and t-based confidence intervals
 * with t = t_{1−α/2, n−1}: bias d̄ ∓ t·s/√n; each limit ∓ t·SE_limit with
 * SE_limit = s·√(1/n + z²/(2(n − 1))) (Bland & Altman 1999, from Var(d̄ + z s) ≈ s²/n + z²s²/(2(n − 1)))
 * or the 1986 approximation s·√(3/n). Sums are correctly rounded (`exactSum`), so equal
 * differences give SD = 0 exactly; then every interval is a point (agreement up to a constant offset).
 * Checked against base R (mean, sd, qt) in test/fixtures/oracles/blandAltman.R, and the
 * published PEFR example (Bland & Altman 1986: bias −2.1, SD 38.8 l/min).
 * References: Bland JM, Altman DG. Statistical methods for assessing agreement between two methods
 * of clinical measurement. Lancet 1986;i:307–310. Bland JM, Altman DG. Measuring agreement in
 * method comparison studies. Stat Methods Med Res 1999;8:135–160.
 * @param a first measurement of each item (e.g. reader 1)
 * @param b second measurement of the same items, same order (e.g. reader 2); differences are a − b
 * @param options confidenceLevel (0.95), limitMultiplier (1.96), limitSeMethod ('exact1999')
 * @throws RangeError when lengths differ, a value is not finite, or an option is out of range
 * @returns `{ estimable: false, reason }` for fewer than 2 pairs; otherwise the estimate. Never NaN.
 */
export function blandAltman(
  a: readonly number[],
  b: readonly number[],
  options: BlandAltmanOptions = {},
): BlandAltmanResult {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const limitMultiplier = options.limitMultiplier ?? 1.96;
  const limitSeMethod = options.limitSeMethod ?? 'exact1999';
  if (!(confidenceLevel > 0 && confidenceLevel < 1))
    throw new RangeError(`confidence level must be in (0, 1), got ${confidenceLevel}`);
  if (!(limitMultiplier > 0) || !Number.isFinite(limitMultiplier))
    throw new RangeError(`limit multiplier must be positive and finite, got ${limitMultiplier}`);
  if (limitSeMethod !== 'exact1999' && limitSeMethod !== 'approximate1986')
    throw new RangeError(`unknown limit SE method ${String(limitSeMethod)}`);
  if (a.length !== b.length)
    throw new RangeError(`the two measurements must cover the same items: ${a.length} vs ${b.length} values`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i]))
      throw new RangeError(`pair ${i} is (${a[i]}, ${b[i]}): values must be finite numbers`);
  }
  const n = a.length;
  if (n < 2) return { estimable: false, n, reason: `Bland–Altman limits need at least 2 pairs (for an SD); got ${n}.` };

  const differences = a.map((x, i) => x - b[i]!);
  const means = a.map((x, i) => (x + b[i]!) / 2);
  const bias = exactSum(differences) / n;
  const first = differences[0]!;
  const sdDifference = differences.every((d) => d === first)
    ? 0
    : Math.sqrt(exactSum(differences.map((d) => (d - bias) ** 2)) / (n - 1));
  const lowerLimit = bias - limitMultiplier * sdDifference;
  const upperLimit = bias + limitMultiplier * sdDifference;
  // t_{q}(ν)² = F_{2q − 1}(1, ν) for q > ½.
  const tQuantile = Math.sqrt(fQuantile(confidenceLevel, 1, n - 1));
  const biasSe = sdDifference / Math.sqrt(n);
  const limitSe =
    limitSeMethod === 'exact1999'
      ? sdDifference * Math.sqrt(1 / n + (limitMultiplier * limitMultiplier) / (2 * (n - 1)))
      : sdDifference * Math.sqrt(3 / n);
  const around = (centre: number, se: number): [number, number] => [centre - tQuantile * se, centre + tQuantile * se];
  return {
    estimable: true,
    n,
    confidenceLevel,
    limitMultiplier,
    limitSeMethod,
    bias,
    sdDifference,
    lowerLimit,
    upperLimit,
    tQuantile,
    biasSe,
    biasCi: around(bias, biasSe),
    limitSe,
    lowerLimitCi: around(lowerLimit, limitSe),
    upperLimitCi: around(upperLimit, limitSe),
    means,
    differences,
  };
}
