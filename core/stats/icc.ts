import { exactSum } from './exactSum';
import { fQuantile, fSurvival } from './fDistribution';

/**
 * The six intraclass correlations of Shrout & Fleiss (1979), named as R `psych::ICC` names them:
 * - ICC1: one-way random effects, single rater (S&F ICC(1,1));
 * - ICC2: two-way random effects, absolute agreement, single rater (ICC(2,1); McGraw & Wong ICC(A,1));
 * - ICC3: two-way mixed effects, consistency, single rater (ICC(3,1); McGraw & Wong ICC(C,1));
 * - ICC1k, ICC2k, ICC3k: the same for the mean of the k raters (ICC(1,k), ICC(2,k), ICC(3,k)).
 */
export type IccForm = 'ICC1' | 'ICC2' | 'ICC3' | 'ICC1k' | 'ICC2k' | 'ICC3k';

/** The forms in psych's row order. */
export const iccForms: readonly IccForm[] = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'];

/** Mean squares of the two-way ANOVA without interaction (targets × raters, one rating per cell), in rating units². */
export interface IccMeanSquares {
  /** MSR, between targets (rows); psych's MSB. df n − 1. */
  msr: number;
  /** MSC, between raters (columns); psych's MSJ. df k − 1. */
  msc: number;
  /** MSE, residual of the two-way model. df (n − 1)(k − 1). */
  mse: number;
  /** MSW, within targets (the one-way residual, raters not separated) = (SSC + SSE) / (n(k − 1)). */
  msw: number;
}

/** Degrees of freedom of the mean squares. */
export interface IccDegreesOfFreedom {
  rows: number;
  columns: number;
  error: number;
  within: number;
}

/** One estimable ICC form, its confidence interval and F test (H0: ICC = 0), as psych::ICC reports them. */
export interface IccEstimate {
  form: IccForm;
  estimable: true;
  /** The ICC (dimensionless; ≤ 1, can be negative). */
  value: number;
  /** Confidence interval [lower, upper] at the requested level (95 % by default). */
  ci: [lower: number, upper: number];
  /** F = MSR/MSW (ICC1, ICC1k) or MSR/MSE (the others); +∞ when that denominator is exactly 0. */
  f: number;
  df1: number;
  df2: number;
  /** Upper-tail p-value of f, P(F(df1, df2) > f); 0 when f = +∞. */
  p: number;
}

/** A form whose formula is 0/0 or divides by zero for these data. */
export interface IccFormNotEstimable {
  form: IccForm;
  estimable: false;
  reason: string;
}

export type IccFormResult = IccEstimate | IccFormNotEstimable;

export interface IccEstimated {
  estimable: true;
  nTargets: number;
  kRaters: number;
  confidenceLevel: number;
  meanSquares: IccMeanSquares;
  degreesOfFreedom: IccDegreesOfFreedom;
  /**
   * psych's Satterthwaite-type denominator df v of the ICC2/ICC2k interval (non-integer in
   * general); null when the interval does not depend on it (every target rated identically by
   * all raters, so both bounds are 1) or when it is undefined (then ICC2 and ICC2k are not estimable).
   */
  satterthwaiteDf: number | null;
  forms: Record<IccForm, IccFormResult>;
}

export interface IccNotEstimable {
  estimable: false;
  nTargets: number;
  kRaters: number;
  confidenceLevel: number;
  reason: string;
}

export type IccResult = IccEstimated | IccNotEstimable;

export interface IccOptions {
  /** Two-sided confidence level of the intervals, 0 < level < 1; default 0.95 (psych alpha = 0.05). */
  confidenceLevel?: number;
}

interface Anova {
  meanSquares: IccMeanSquares;
  degreesOfFreedom: IccDegreesOfFreedom;
}

const isAllEqual = (values: readonly number[]): boolean => values.every((v) => v === values[0]);

/**
 * Two-way ANOVA of a complete n × k table. Sums are correctly rounded (`exactSum`), so targets or
 * raters with the same multiset of ratings get bit-identical means; sums of squares that are zero
 * by the structure of the data are set to exactly 0 rather than left as rounding noise
 * (all row means equal → SSR = 0; all column means equal → SSC = 0; every rater differing from the
 * first by a constant on every target → SSE = 0). That keeps 0/0 cases recognisable.
 */
function twoWayAnova(ratings: readonly (readonly number[])[], n: number, k: number): Anova {
  const rowMeans = ratings.map((row) => exactSum(row) / k);
  const columnMeans = Array.from({ length: k }, (_, j) => exactSum(ratings.map((row) => row[j]!)) / n);
  const grandMean = exactSum(ratings.flat()) / (n * k);
  const first = ratings[0]!;
  const additive = ratings.every((row) => row.every((v, j) => v - row[0]! === first[j]! - first[0]!));
  let ssRows = 0;
  if (!isAllEqual(rowMeans)) for (const m of rowMeans) ssRows += (m - grandMean) ** 2;
  ssRows *= k;
  let ssColumns = 0;
  if (!isAllEqual(columnMeans)) for (const m of columnMeans) ssColumns += (m - grandMean) ** 2;
  ssColumns *= n;
  let ssError = 0;
  if (!additive) {
    ratings.forEach((row, i) =>
      row.forEach((v, j) => (ssError += (v - rowMeans[i]! - columnMeans[j]! + grandMean) ** 2)),
    );
  }
  const degreesOfFreedom = { rows: n - 1, columns: k - 1, error: (n - 1) * (k - 1), within: n * (k - 1) };
  return {
    degreesOfFreedom,
    meanSquares: {
      msr: ssRows / degreesOfFreedom.rows,
      msc: ssColumns / degreesOfFreedom.columns,
      mse: ssError / degreesOfFreedom.error,
      // psych: MSW = (SS_judges + SS_residual) / (df_judges + df_residual).
      msw: (ssColumns + ssError) / degreesOfFreedom.within,
    },
  };
}

const format = (v: number) => String(Number(v.toPrecision(6)));

/**
 * Intraclass correlation coefficients of an n targets × k raters table of continuous ratings
 * (complete data, one rating per cell): all six Shrout & Fleiss (1979) forms with their F tests
 * and confidence intervals, computed exactly as R `psych::ICC` 2.2.9 does (with `lmer = FALSE`,
 * the classical ANOVA; see below). With MSR, MSC, MSE, MSW as in `IccMeanSquares`:
 * - ICC1 = (MSR − MSW) / (MSR + (k − 1)MSW);                ICC1k = (MSR − MSW) / MSR
 * - ICC2 = (MSR − MSE) / (MSR + (k − 1)MSE + k(MSC − MSE)/n); ICC2k = (MSR − MSE) / (MSR + (MSC − MSE)/n)
 * - ICC3 = (MSR − MSE) / (MSR + (k − 1)MSE);                ICC3k = (MSR − MSE) / MSR
 * F tests: ICC1/ICC1k F = MSR/MSW on (n − 1, n(k − 1)) df; the others F = MSR/MSE on
 * (n − 1, (n − 1)(k − 1)) df; p is the upper tail.
 * Intervals (level 1 − α; F_q(d1, d2) the F quantile at q = 1 − α/2):
 * - ICC1: F_L = F / F_q(n − 1, n(k − 1)), F_U = F · F_q(n(k − 1), n − 1), bounds (F_x − 1)/(F_x + k − 1);
 *   ICC1k bounds 1 − 1/F_x. ICC3 and ICC3k the same with MSE and (n − 1)(k − 1) df.
 * - ICC2 (Shrout & Fleiss 1979, a Satterthwaite approximation): with F_j = MSC/MSE and
 *   v = (k − 1)(n − 1)(k·ICC2·F_j + n(1 + (k − 1)ICC2) − k·ICC2)² /
 *       ((n − 1)k²·ICC2²·F_j² + (n(1 + (k − 1)ICC2) − k·ICC2)²),
 *   a* = F_q(n − 1, v), b* = F_q(v, n − 1) (quantiles at non-integer df):
 *   lower = n(MSR − a*·MSE) / (a*(k·MSC + (nk − k − n)MSE) + n·MSR),
 *   upper = n(b*·MSR − MSE) / (k·MSC + (nk − k − n)MSE + n·b*·MSR).
 * - ICC2k: psych applies Spearman–Brown to the ICC2 bounds, L·k / (1 + (k − 1)L). McGraw & Wong
 *   (1996) and R `irr::icc` use a different average-measures interval, so their ICC2k bounds
 *   differ (Shrout & Fleiss data: psych 0.071137–0.927232, irr 0.039440–0.928573). This
 *   function reports psych's.
 * The bounds are evaluated in the algebraically identical mean-square form (multiplying through
 * by the denominator mean square), so that an exactly zero MSE or MSW gives the limits (ICC and
 * bounds 1, F = +∞, p = 0) where psych's F form would give NaN.
 * Like psych, nothing is clamped: when MSR is well below MSE (targets differing less than
 * chance) the average-measures forms can be far below −1, and ICC2k even above 1 with its lower
 * bound above its upper bound (its denominator MSR + (MSC − MSE)/n turns negative).
 * psych::ICC's default `lmer = TRUE` estimates the same mean squares from lme4 REML variance
 * components: identical up to the optimiser's tolerance (about 1e−6) when every variance
 * component is positive, but different when one is estimated at 0 (e.g. a negative ICC, or
 * MSC < MSE). This function is the ANOVA (`lmer = FALSE`) version.
 * References: Shrout PE, Fleiss JL. Intraclass correlations: uses in assessing rater reliability.
 * Psychol Bull 1979;86:420–428. McGraw KO, Wong SP. Psychol Methods 1996;1:30–46.
 * Revelle W. psych: Procedures for Psychological, Psychometric, and Personality Research, R
 * package 2.2.9 (function ICC).
 * @param ratings rows = targets (cases), columns = raters (or repeated placements); every row
 *   the same length; every value finite (drop incomplete targets first)
 * @param options confidenceLevel (default 0.95)
 * @throws RangeError for ragged rows, a non-finite rating, or a confidence level outside (0, 1)
 * @returns `{ estimable: false, reason }` for fewer than 2 targets or 2 raters, or when every
 *   rating is identical (every mean square 0, every ICC 0/0); otherwise the mean squares and each
 *   form, a form being `{ estimable: false, reason }` when its own formula is 0/0 or divides by
 *   zero (e.g. the average-measures forms when every target has the same mean, MSR = 0). Never NaN.
 */
export function icc(ratings: readonly (readonly number[])[], options: IccOptions = {}): IccResult {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!(confidenceLevel > 0 && confidenceLevel < 1))
    throw new RangeError(`confidence level must be in (0, 1), got ${confidenceLevel}`);
  if (!Array.isArray(ratings as unknown)) throw new RangeError('ratings must be an array of rows (targets)');
  const n = ratings.length;
  const k = n > 0 ? ratings[0]!.length : 0;
  for (let i = 0; i < n; i++) {
    const row: readonly unknown[] | undefined = ratings[i];
    if (!Array.isArray(row) || row.length !== k) {
      throw new RangeError(
        `ratings must be a complete n × k table: row ${i} has ${Array.isArray(row) ? row.length : 'no'} ratings, row 0 has ${k}`,
      );
    }
    for (let j = 0; j < k; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new RangeError(`rating [${i}][${j}] is ${String(v)}: ICC needs complete, finite ratings`);
    }
  }
  const base = { nTargets: n, kRaters: k, confidenceLevel };
  if (n < 2) return { estimable: false, ...base, reason: `ICC needs at least 2 targets (rows); got ${n}.` };
  if (k < 2) return { estimable: false, ...base, reason: `ICC needs at least 2 raters (columns); got ${k}.` };
  const first = ratings[0]![0]!;
  if (ratings.every((row) => row.every((v) => v === first))) {
    return {
      estimable: false,
      ...base,
      reason: `All ${n} × ${k} ratings are identical (${first}): every mean square is 0 and every ICC is 0/0.`,
    };
  }

  const { meanSquares, degreesOfFreedom: df } = twoWayAnova(ratings, n, k);
  const { msr, msc, mse, msw } = meanSquares;
  const q = 1 - (1 - confidenceLevel) / 2;
  const forms = {} as Record<IccForm, IccFormResult>;
  const squares = `MSR = ${format(msr)}, MSC = ${format(msc)}, MSE = ${format(mse)}, MSW = ${format(msw)}`;
  const put = (
    form: IccForm,
    value: number,
    ci: [number, number],
    f: number,
    df1: number,
    df2: number,
    reason: () => string,
  ): void => {
    if (Number.isNaN(f)) {
      forms[form] = {
        form,
        estimable: false,
        reason: `${form}: F = MSR/MSE is 0/0, both are 0 (targets do not differ and raters differ only by constant offsets; ${squares}).`,
      };
    } else if ([value, ci[0], ci[1]].every(Number.isFinite)) {
      forms[form] = { form, estimable: true, value, ci, f, df1, df2, p: fSurvival(f, df1, df2) };
    } else {
      forms[form] = { form, estimable: false, reason: reason() };
    }
  };
  const averageReason = (form: IccForm) => () =>
    msr === 0
      ? `${form} divides by MSR, which is 0 (every target has the same mean rating; ${squares}).`
      : `${form} is 0/0 or divides by zero for these mean squares (${squares}).`;

  // One-way model: ICC1, ICC1k.
  const f1 = msw === 0 ? Infinity : msr / msw;
  const c1 = fQuantile(q, df.rows, df.within);
  const c2 = fQuantile(q, df.within, df.rows);
  put(
    'ICC1',
    (msr - msw) / (msr + (k - 1) * msw),
    [(msr - c1 * msw) / (msr + (k - 1) * c1 * msw), (c2 * msr - msw) / (c2 * msr + (k - 1) * msw)],
    f1,
    df.rows,
    df.within,
    () => `ICC1 is 0/0 for these mean squares (${squares}).`,
  );
  put(
    'ICC1k',
    (msr - msw) / msr,
    [(msr - c1 * msw) / msr, (c2 * msr - msw) / (c2 * msr)],
    f1,
    df.rows,
    df.within,
    averageReason('ICC1k'),
  );

  // Two-way model, consistency: ICC3, ICC3k.
  const f2 = mse === 0 ? (msr === 0 ? NaN : Infinity) : msr / mse;
  const c3 = fQuantile(q, df.rows, df.error);
  const c4 = fQuantile(q, df.error, df.rows);
  put(
    'ICC3',
    (msr - mse) / (msr + (k - 1) * mse),
    [(msr - c3 * mse) / (msr + (k - 1) * c3 * mse), (c4 * msr - mse) / (c4 * msr + (k - 1) * mse)],
    f2,
    df.rows,
    df.error,
    () => `ICC3 is 0/0 for these mean squares (${squares}).`,
  );
  put(
    'ICC3k',
    (msr - mse) / msr,
    [(msr - c3 * mse) / msr, (c4 * msr - mse) / (c4 * msr)],
    f2,
    df.rows,
    df.error,
    averageReason('ICC3k'),
  );

  // Two-way model, absolute agreement: ICC2, ICC2k with psych's approximate df v.
  const icc2Denominator = msr + (k - 1) * mse + (k * (msc - mse)) / n;
  const icc2kDenominator = msr + (msc - mse) / n;
  const icc2 = (msr - mse) / icc2Denominator;
  const icc2k = (msr - mse) / icc2kDenominator;
  let satterthwaiteDf: number | null = null;
  let icc2Ci: [number, number] = [NaN, NaN];
  let intervalProblem = '';
  if (mse === 0 && msc === 0) {
    // Every target rated identically by all raters: both bounds are n·MSR / (n·MSR) = 1 whatever v is.
    icc2Ci = [1, 1];
  } else {
    // psych's v multiplied through by MSE², so that MSE = 0 gives its limit (k − 1) instead of ∞/∞.
    const raterTerm = k * icc2 * msc;
    const errorTerm = (n * (1 + (k - 1) * icc2) - k * icc2) * mse;
    const v = ((k - 1) * (n - 1) * (raterTerm + errorTerm) ** 2) / ((n - 1) * raterTerm ** 2 + errorTerm ** 2);
    if (v > 0 && Number.isFinite(v)) {
      satterthwaiteDf = v;
      const lowerQuantile = fQuantile(q, df.rows, v);
      const upperQuantile = fQuantile(q, v, df.rows);
      const raterAndError = k * msc + (n * k - k - n) * mse;
      icc2Ci = [
        (n * (msr - lowerQuantile * mse)) / (lowerQuantile * raterAndError + n * msr),
        (n * (upperQuantile * msr - mse)) / (raterAndError + n * upperQuantile * msr),
      ];
      intervalProblem = `the ICC2 interval is undefined at the approximate df v = ${format(v)} (F quantiles ${format(lowerQuantile)} and ${format(upperQuantile)})`;
    } else {
      intervalProblem = `the approximate df v of the ICC2 interval is ${Number.isNaN(v) ? '0/0' : format(v)}, not a positive number`;
    }
  }
  const icc2Reason = () =>
    icc2Denominator === 0
      ? `ICC2 divides by zero: MSR + (k − 1)MSE + k(MSC − MSE)/n = 0 (${squares}).`
      : Number.isFinite(icc2) && intervalProblem !== ''
        ? `ICC2 = ${format(icc2)}, but ${intervalProblem} (${squares}).`
        : `ICC2 is 0/0 or divides by zero for these mean squares (${squares}).`;
  const spearmanBrown = (single: number) => (single * k) / (1 + single * (k - 1));
  put('ICC2', icc2, icc2Ci, f2, df.rows, df.error, icc2Reason);
  const icc2kReason = () =>
    icc2kDenominator === 0
      ? `ICC2k divides by zero: MSR + (MSC − MSE)/n = 0 (${squares}).`
      : Number.isNaN(icc2Ci[0])
        ? `The ICC2k interval is derived from the ICC2 interval, which is not defined: ${icc2Reason()}`
        : `ICC2k is 0/0 or divides by zero for these mean squares (${squares}).`;
  put('ICC2k', icc2k, [spearmanBrown(icc2Ci[0]), spearmanBrown(icc2Ci[1])], f2, df.rows, df.error, icc2kReason);

  const ordered = Object.fromEntries(iccForms.map((form) => [form, forms[form]])) as Record<IccForm, IccFormResult>;
  return { estimable: true, ...base, meanSquares, degreesOfFreedom: df, satterthwaiteDf, forms: ordered };
}
