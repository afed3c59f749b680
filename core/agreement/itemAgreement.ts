import { blandAltman } from '../stats/blandAltman';
import { cohenKappa, type CohenKappaResult, type KappaWeighting } from '../stats/cohenKappa';
import { confusionTable } from '../stats/confusionTable';
import { fleissKappaFromRatings } from '../stats/fleissKappa';
import { icc, iccForms, type IccForm } from '../stats/icc';
import { landisKochBand, type LandisKochBand } from '../stats/landisKoch';
import type { AgreementScale } from './agreementProtocol';
import type { ItemRatings } from './groupRatings';

export type Interval = [lower: number, upper: number];

/** Two raters' cross-table over ALL the item's levels (rows = `rowRater`, columns = `columnRater`). */
export interface ConfusionSummary {
  rowRater: string;
  columnRater: string;
  levels: string[];
  /** counts[i][j]: cases `rowRater` put in levels[i] and `columnRater` in levels[j]. */
  counts: number[][];
}

/** Cohen's kappa of one pair of raters (items with 3 or more raters), over the item's complete cases. */
export interface PairwiseKappa {
  /** [row rater, column rater], in sorted order. */
  raters: [string, string];
  kappa: number | null;
  kappaSe: number | null;
  kappaCi: Interval | null;
  /** Ordinal items only, else null. */
  weightedKappaLinear: number | null;
  weightedKappaQuadratic: number | null;
  /** Landis–Koch band of `kappa`. */
  band: LandisKochBand | null;
  /** % of the cases the two gave the same level. */
  percentAgreement: number | null;
  /** Why `kappa` is null; null when it is not. */
  reason: string | null;
}

/** One ICC form (`core/stats/icc.ts`, as psych::ICC): the value and its confidence interval. */
export interface IccFormSummary {
  value: number | null;
  ci: Interval | null;
  /** Why the form is null; null when it is not. */
  reason: string | null;
}

/** Bland–Altman analysis of the two raters of a continuous item: differences raters[0] − raters[1]. */
export interface BlandAltmanSummary {
  raters: [string, string];
  /** Mean difference, in the item's unit. */
  bias: number | null;
  sdDifference: number | null;
  /** Limits of agreement bias ∓ 1.96 SD. */
  lowerLimit: number | null;
  upperLimit: number | null;
  biasCi: Interval | null;
  lowerLimitCi: Interval | null;
  upperLimitCi: Interval | null;
  reason: string | null;
}

/**
 * The agreement of the readers on one item (at one timepoint): the object `concord agreement
 * --json` prints per item and the row of the app's agreement report. Every field is always
 * present; a statistic that does not apply to the item (weighted kappa of a nominal item, ICC of
 * a categorical one) or that cannot be estimated is null, never NaN, and `reason` says why the
 * item's main statistic (kappa or ICC) is null. Which fields are filled:
 * - categorical items (nominal, ordinal), exactly 2 raters: `kappa` (Cohen, unweighted) with
 *   SE and CI, observed and expected agreement, `confusion`; ordinal items also the linearly and
 *   quadratically weighted kappas with their SE and CI; `band` is the band of `kappa`;
 * - categorical items, 3 or more raters: `fleissKappa` (with its SE under H0 and p-value),
 *   observed (P̄) and expected (P̄ₑ) agreement, `band` of `fleissKappa`, and `pairwise` Cohen's
 *   kappas of every pair of raters; `kappa`, the weighted kappas and `confusion` are null;
 * - continuous items: `icc` with the six Shrout & Fleiss forms, and with exactly 2 raters
 *   `blandAltman`; all kappa fields, `band` and `percentAgreement` are null.
 */
export interface ItemAgreement {
  item: string;
  /** The timepoint (as written in the reads file); null when the file has none or for case-level results. */
  timepoint: string | null;
  scale: AgreementScale;
  /** Categorical items: the levels in protocol order; null for continuous items. */
  levels: string[] | null;
  /** Cases rated by every rater: the cases every statistic uses. */
  n: number;
  /** The readers who rated the item, sorted; `raters[0]` is the confusion table's row rater. */
  raters: string[];
  /** Cases some raters did not rate (or left without a value), left out of every statistic. */
  excludedCases: number;
  excludedCaseIds: string[];
  /** Cohen's kappa (unweighted) of 2 raters. */
  kappa: number | null;
  /** Asymptotic SE of `kappa` (Fleiss, Cohen & Everitt 1969). */
  kappaSe: number | null;
  /** 95 % CI kappa ∓ 1.96 SE, clamped to [−1, 1]. */
  kappaCi: Interval | null;
  /**
   * Observed agreement p_o of the kappa shown (Cohen: proportion of agreeing cases; Fleiss: P̄, mean agreeing
   * pairs).
   */
  observedAgreement: number | null;
  /** Agreement expected by chance p_e of the kappa shown (Cohen: Σ p_i· p_·i; Fleiss: Σ p_j²). */
  expectedAgreement: number | null;
  /** Ordinal items, 2 raters: kappa with weights 1 − |i − j|/(k − 1) over all k levels. */
  weightedKappaLinear: number | null;
  weightedKappaLinearSe: number | null;
  weightedKappaLinearCi: Interval | null;
  /** Ordinal items, 2 raters: kappa with weights 1 − (i − j)²/(k − 1)². */
  weightedKappaQuadratic: number | null;
  weightedKappaQuadraticSe: number | null;
  weightedKappaQuadraticCi: Interval | null;
  /** 3 or more raters: Fleiss' kappa. */
  fleissKappa: number | null;
  /** SE of Fleiss' kappa under H0: κ = 0 (Fleiss, Nee & Landis 1979): for the test, not an interval. */
  fleissKappaSe: number | null;
  /** Two-sided p-value of z = κ / SE₀. */
  fleissKappaP: number | null;
  /** Landis & Koch band of the kappa shown: Cohen's for 2 raters, Fleiss' for 3 or more. */
  band: LandisKochBand | null;
  /** % of the n cases on which all raters gave the same level (categorical items). */
  percentAgreement: number | null;
  /** 2 raters, categorical items. */
  confusion: ConfusionSummary | null;
  /** 3 or more raters, categorical items. */
  pairwise: PairwiseKappa[] | null;
  /** Continuous items: the six forms, in psych's order ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k. */
  icc: Record<IccForm, IccFormSummary> | null;
  /** Continuous items with exactly 2 raters. */
  blandAltman: BlandAltmanSummary | null;
  /** Why the main statistic (kappa / Fleiss' kappa / ICC) is null; null when it is estimated. */
  reason: string | null;
}

export interface ItemAgreementOptions {
  /** Two-sided level of every confidence interval, 0 < level < 1; default 0.95. */
  confidenceLevel?: number;
}

/** Every statistic null, in the order of `ItemAgreement` (results spread over it keep that key order). */
const nothing = {
  kappa: null,
  kappaSe: null,
  kappaCi: null,
  observedAgreement: null,
  expectedAgreement: null,
  weightedKappaLinear: null,
  weightedKappaLinearSe: null,
  weightedKappaLinearCi: null,
  weightedKappaQuadratic: null,
  weightedKappaQuadraticSe: null,
  weightedKappaQuadraticCi: null,
  fleissKappa: null,
  fleissKappaSe: null,
  fleissKappaP: null,
  band: null,
  percentAgreement: null,
  confusion: null,
  pairwise: null,
  icc: null,
  blandAltman: null,
  reason: null,
} as const;

const where = (r: ItemRatings) => `"${r.item}"${r.timepoint === null ? '' : ` at timepoint ${r.timepoint}`}`;

/** % of rows whose entries are all equal; null for no rows. */
function percentAllAgree(rows: readonly (readonly string[])[]): number | null {
  if (rows.length === 0) return null;
  return (100 * rows.filter((row) => row.every((v) => v === row[0])).length) / rows.length;
}

function kappaParts(result: CohenKappaResult) {
  return result.estimable
    ? { value: result.kappa, se: result.standardError, ci: [...result.ci] as Interval, reason: null }
    : { value: null, se: null, ci: null, reason: result.reason };
}

function notEnoughRaters(r: ItemRatings): string {
  if (r.raters.length === 0) return `No ratings of ${where(r)} in the reads file.`;
  return `Only reader ${r.raters[0]} rated ${where(r)}: agreement needs at least 2 readers.`;
}

function emptyIcc(reason: string): Record<IccForm, IccFormSummary> {
  return Object.fromEntries(iccForms.map((form) => [form, { value: null, ci: null, reason }])) as Record<
    IccForm,
    IccFormSummary
  >;
}

/**
 * The readers' agreement on one item from its complete ratings (cases × raters, `groupRatings`),
 * with the statistics of SPEC §4 from `core/stats` (see `ItemAgreement` for which apply):
 * - Cohen's kappa κ = (p_o − p_e)/(1 − p_e) over the confusion table of ALL the item's levels,
 *   its asymptotic SE (Fleiss, Cohen & Everitt 1969) and CI κ ∓ z·SE clamped to [−1, 1]
 *   (`cohenKappa`; equal to psych::cohen.kappa); for ordinal items linearly and quadratically
 *   weighted kappa with the FCE SE (equal to vcd::Kappa, "Equal-Spacing" / "Fleiss-Cohen");
 *   a level nobody used keeps its row and column, which changes the weighted kappas;
 * - Fleiss' kappa for 3 or more raters (Fleiss 1971; SE₀ of Fleiss, Nee & Landis 1979), and
 *   Cohen's kappa of every pair of raters over the same cases;
 * - Landis & Koch (1977) band of the kappa shown (`landisKochBand`, two-decimal rounding);
 * - percent agreement = 100 × (cases on which all raters gave the same level) / n;
 * - continuous items: the six ICC forms of Shrout & Fleiss (1979) with psych::ICC's intervals
 *   (lmer = FALSE; ICC2k by Spearman–Brown of the ICC2 bounds), and for 2 raters the
 *   Bland & Altman (1986, 1999) bias and 95 % limits of agreement (1.96 SD) with t-based CIs.
 * Not estimable (no cases, fewer than 2 raters, every rating the same level, every measurement
 * identical …): the statistic is null and `reason` (or the ICC form's `reason`) says why.
 * References: Cohen J. Educ Psychol Meas 1960;20:37–46. Cohen J. Psychol Bull 1968;70:213–220.
 * Fleiss JL, Cohen J, Everitt BS. Psychol Bull 1969;72:323–327. Fleiss JL. Psychol Bull
 * 1971;76:378–382. Landis JR, Koch GG. Biometrics 1977;33:159–174. Shrout PE, Fleiss JL. Psychol
 * Bull 1979;86:420–428. Bland JM, Altman DG. Lancet 1986;i:307–310.
 * @param ratings one item's complete ratings
 * @param options confidenceLevel (default 0.95)
 * @throws RangeError when the ratings are not a complete cases × raters table, a categorical
 *   rating is not one of the levels, a continuous one is not finite, or the confidence level is
 *   outside (0, 1) (programmer errors: `groupRatings` never produces them)
 * @returns the item's `ItemAgreement`; never NaN
 */
export function itemAgreement(ratings: ItemRatings, options: ItemAgreementOptions = {}): ItemAgreement {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!(confidenceLevel > 0 && confidenceLevel < 1))
    throw new RangeError(`confidence level must be in (0, 1), got ${confidenceLevel}`);
  const k = ratings.raters.length;
  if (ratings.ratings.length !== ratings.caseIds.length) {
    throw new RangeError(`${ratings.ratings.length} rows of ratings for ${ratings.caseIds.length} cases`);
  }
  ratings.ratings.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`case ${ratings.caseIds[i]}: ${row.length} ratings for ${k} raters`);
  });
  const base = {
    item: ratings.item,
    timepoint: ratings.timepoint,
    scale: ratings.scale,
    levels: ratings.scale === 'continuous' ? null : [...ratings.levels],
    n: ratings.caseIds.length,
    raters: [...ratings.raters],
    excludedCases: ratings.excludedCaseIds.length,
    excludedCaseIds: [...ratings.excludedCaseIds],
  };

  if (ratings.scale === 'continuous') {
    if (k < 2) {
      const reason = notEnoughRaters(ratings);
      return { ...base, ...nothing, icc: emptyIcc(reason), blandAltman: null, reason };
    }
    const result = icc(ratings.ratings, { confidenceLevel });
    const forms = result.estimable
      ? (Object.fromEntries(
          iccForms.map((form) => {
            const f = result.forms[form];
            return [
              form,
              f.estimable
                ? { value: f.value, ci: [...f.ci] as Interval, reason: null }
                : { value: null, ci: null, reason: f.reason },
            ];
          }),
        ) as Record<IccForm, IccFormSummary>)
      : emptyIcc(result.reason);
    let bland: BlandAltmanSummary | null = null;
    if (k === 2) {
      const ba = blandAltman(
        ratings.ratings.map((row) => row[0]!),
        ratings.ratings.map((row) => row[1]!),
        { confidenceLevel },
      );
      const raters: [string, string] = [ratings.raters[0]!, ratings.raters[1]!];
      bland = ba.estimable
        ? {
            raters,
            bias: ba.bias,
            sdDifference: ba.sdDifference,
            lowerLimit: ba.lowerLimit,
            upperLimit: ba.upperLimit,
            biasCi: [...ba.biasCi],
            lowerLimitCi: [...ba.lowerLimitCi],
            upperLimitCi: [...ba.upperLimitCi],
            reason: null,
          }
        : {
            raters,
            bias: null,
            sdDifference: null,
            lowerLimit: null,
            upperLimit: null,
            biasCi: null,
            lowerLimitCi: null,
            upperLimitCi: null,
            reason: ba.reason,
          };
    }
    return { ...base, ...nothing, icc: forms, blandAltman: bland, reason: result.estimable ? null : result.reason };
  }

  const levels = ratings.levels;
  const ordinal = ratings.scale === 'ordinal';
  const categorical = { ...base, ...nothing };
  if (k < 2) return { ...categorical, reason: notEnoughRaters(ratings) };
  const percentAgreement = percentAllAgree(ratings.ratings);

  const pairKappas = (a: number, b: number) => {
    const table = confusionTable(
      ratings.ratings.map((row) => row[a]!),
      ratings.ratings.map((row) => row[b]!),
      levels,
    );
    const kappaOf = (weighting: KappaWeighting) => cohenKappa(table, { weighting, confidenceLevel });
    return {
      table,
      unweighted: kappaOf('unweighted'),
      linear: ordinal ? kappaOf('linear') : null,
      quadratic: ordinal ? kappaOf('quadratic') : null,
    };
  };

  if (k === 2) {
    const { table, unweighted, linear, quadratic } = pairKappas(0, 1);
    const u = kappaParts(unweighted);
    const l = linear ? kappaParts(linear) : null;
    const q = quadratic ? kappaParts(quadratic) : null;
    return {
      ...categorical,
      kappa: u.value,
      kappaSe: u.se,
      kappaCi: u.ci,
      observedAgreement: unweighted.estimable ? unweighted.observedAgreement : null,
      expectedAgreement: unweighted.estimable ? unweighted.expectedAgreement : null,
      weightedKappaLinear: l?.value ?? null,
      weightedKappaLinearSe: l?.se ?? null,
      weightedKappaLinearCi: l?.ci ?? null,
      weightedKappaQuadratic: q?.value ?? null,
      weightedKappaQuadraticSe: q?.se ?? null,
      weightedKappaQuadraticCi: q?.ci ?? null,
      band: u.value === null ? null : landisKochBand(u.value),
      percentAgreement,
      confusion: {
        rowRater: ratings.raters[0]!,
        columnRater: ratings.raters[1]!,
        levels: [...levels],
        counts: table.counts.map((row) => [...row]),
      },
      reason: u.reason,
    };
  }

  const fleiss = fleissKappaFromRatings(ratings.ratings, levels);
  const pairwise: PairwiseKappa[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const { unweighted, linear, quadratic } = pairKappas(a, b);
      const u = kappaParts(unweighted);
      pairwise.push({
        raters: [ratings.raters[a]!, ratings.raters[b]!],
        kappa: u.value,
        kappaSe: u.se,
        kappaCi: u.ci,
        weightedKappaLinear: linear ? kappaParts(linear).value : null,
        weightedKappaQuadratic: quadratic ? kappaParts(quadratic).value : null,
        band: u.value === null ? null : landisKochBand(u.value),
        percentAgreement: percentAllAgree(ratings.ratings.map((row) => [row[a]!, row[b]!])),
        reason: u.reason,
      });
    }
  }
  return {
    ...categorical,
    fleissKappa: fleiss.estimable ? fleiss.kappa : null,
    fleissKappaSe: fleiss.estimable ? fleiss.standardError : null,
    fleissKappaP: fleiss.estimable ? fleiss.p : null,
    observedAgreement: fleiss.estimable ? fleiss.observedAgreement : null,
    expectedAgreement: fleiss.estimable ? fleiss.expectedAgreement : null,
    band: fleiss.estimable ? landisKochBand(fleiss.kappa) : null,
    percentAgreement,
    pairwise,
    reason: fleiss.estimable ? null : fleiss.reason,
  };
}
