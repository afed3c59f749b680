import { kaplanMeier, type KaplanMeierEstimate } from '../stats/kaplanMeier';
import { logRank } from '../stats/logRank';
import {
  outcomeEndpointKeys,
  patientLevelEndpoints,
  type CaseEndpoints,
  type OutcomeEndpoint,
} from './outcomeEndpoints';

/** One subject of a two-group comparison: follow-up time, event (else censored), and group (null: in neither). */
export interface SurvivalSubject {
  time: number;
  event: boolean;
  positive: boolean | null;
}

/** A point of a Kaplan–Meier step curve: Ŝ from `time` until the next point, with its 95 % limits (log transform). */
export interface CurvePoint {
  time: number;
  survival: number;
  /** Pointwise limits; null where Ŝ = 0 (R: NA). */
  lower: number | null;
  upper: number | null;
  /** Subjects at risk just before `time`. */
  nRisk: number;
}

/** A Kaplan–Meier curve ready to draw: steps from (0, 1), censor marks on the curve, drawn up to `endTime`. */
export interface KaplanMeierCurve {
  /** (0, 1) then one point per distinct event time, with Ŝ just after it. */
  steps: CurvePoint[];
  /** A mark per distinct censoring time, at the curve's height there; `count` censored at that time. */
  censored: { time: number; survival: number; count: number }[];
  /** The last follow-up time of the group (0 without subjects). */
  endTime: number;
}

/** Kaplan–Meier summary of one group. Times in the input's unit (months in the outcome analysis). */
export interface SurvivalGroupEstimate {
  n: number;
  events: number;
  /** Median with its confidence limits (R print.survfit, log transform); each null where not reached. */
  median: { time: number | null; lower: number | null; upper: number | null };
  /** Why `median.time` is null; null when it is not. */
  medianReason: string | null;
  curve: KaplanMeierCurve;
}

export type MedianDifference = { estimable: true; time: number } | { estimable: false; reason: string };

export type LogRankSummary =
  | {
      estimable: true;
      chisq: number;
      df: number;
      p: number;
      observedPositive: number;
      expectedPositive: number;
      observedNegative: number;
      expectedNegative: number;
    }
  | { estimable: false; reason: string };

/** One endpoint compared between the positive (e.g. responders) and negative group. */
export interface EndpointComparison {
  nPositive: number;
  nNegative: number;
  positive: SurvivalGroupEstimate;
  negative: SurvivalGroupEstimate;
  /** Median of the positive group minus median of the negative group. */
  medianDifference: MedianDifference;
  /** Log-rank test positive vs negative (R survdiff). */
  logRank: LogRankSummary;
}

/** Every endpoint compared for one grouping of the cases. */
export interface OutcomeComparison {
  /** Cases with outcomes in each group. */
  nPositive: number;
  nNegative: number;
  /** Cases with outcomes whose group is null or not given (left out of every endpoint). */
  nUngrouped: number;
  /** Cases in the grouping without outcomes. */
  nWithoutOutcome: number;
  endpoints: Record<OutcomeEndpoint, EndpointComparison>;
}

export interface SurvivalComparisonOptions {
  /** Two-sided level of the medians' and the curves' limits; default 0.95. */
  confidenceLevel?: number;
  /** Names of the groups in messages; default "positive" / "negative". */
  labels?: { positive: string; negative: string };
  /**
   * `survivalComparison` only: the cases that count in the patient-level endpoints
   * (`patientLevelEndpoints`), one per patient (`firstTreatmentCases`); every case when absent.
   */
  patientLevelCases?: ReadonlySet<string>;
}

function curveOf(km: KaplanMeierEstimate): KaplanMeierCurve {
  const steps: CurvePoint[] = [{ time: 0, survival: 1, lower: 1, upper: 1, nRisk: km.n }];
  const censored: KaplanMeierCurve['censored'] = [];
  for (const r of km.table) {
    if (r.nEvent > 0)
      steps.push({ time: r.time, survival: r.survival, lower: r.lower, upper: r.upper, nRisk: r.nRisk });
    if (r.nCensor > 0) censored.push({ time: r.time, survival: r.survival, count: r.nCensor });
  }
  return { steps, censored, endTime: km.table[km.table.length - 1]?.time ?? 0 };
}

function groupEstimate(
  members: readonly SurvivalSubject[],
  label: string,
  confidenceLevel: number,
): SurvivalGroupEstimate {
  const km = kaplanMeier(
    members.map((s) => s.time),
    members.map((s) => s.event),
    { confidenceLevel },
  );
  if (!km.estimable) {
    return {
      n: 0,
      events: 0,
      median: { time: null, lower: null, upper: null },
      medianReason: `No ${label} cases.`,
      curve: { steps: [], censored: [], endTime: 0 },
    };
  }
  const curve = curveOf(km);
  const last = km.table[km.table.length - 1]!;
  return {
    n: km.n,
    events: km.events,
    median: { ...km.median },
    medianReason:
      km.median.time !== null
        ? null
        : `Not reached: the Kaplan–Meier estimate of the ${label} cases stays above 50 % (${(last.survival * 100).toFixed(1)} % at the last follow-up, ${+last.time.toFixed(2)}).`,
    curve,
  };
}

/**
 * Kaplan–Meier medians with their confidence intervals, the difference of the medians, the
 * log-rank test and the curves of a positive group (e.g. responders) against a negative group
 * (nonresponders): one row of the reference study's Tables 3 and 4 (SPEC §5).
 * Medians and limits as R `print(survfit(Surv(time, event) ~ group))` gives them (log transform,
 * Brookmeyer & Crowley; `kaplanMeier`), the test as `survdiff(Surv(time, event) ~ group)`
 * (`logRank`), both survival 3.5-3. Oracles: lung by sex (sex 1 as positive) medians 270
 * (212–310) and 426 (348–550), χ² 10.326742, p 0.0013112; aml (test/fixtures/oracles/survival.R).
 * The difference is median(positive) − median(negative), without an interval.
 * References: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481. Brookmeyer R, Crowley J.
 * Biometrics 1982;38:29–41. Mantel N. Cancer Chemother Rep 1966;50:163–170.
 * @param subjects time (finite, ≥ 0, any unit), event, and group (true positive, false negative,
 *   null left out)
 * @param options confidence level (default 0.95) and group names for the messages
 * @throws RangeError for a negative or non-finite time, or a confidence level outside (0, 1)
 * @returns both groups (an empty group has n 0 and a reason), the difference of the medians or why
 *   it is not estimable (a group empty or a median not reached), the log-rank test or why not
 *   (a group empty, no events …). Never NaN.
 */
export function compareSurvival(
  subjects: readonly SurvivalSubject[],
  options: SurvivalComparisonOptions = {},
): EndpointComparison {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const labels = options.labels ?? { positive: 'positive', negative: 'negative' };
  const grouped = subjects.filter((s) => s.positive !== null);
  for (const [i, s] of grouped.entries()) {
    if (!Number.isFinite(s.time) || s.time < 0)
      throw new RangeError(`subject ${i}: time ${s.time} must be finite and ≥ 0`);
  }
  const positiveMembers = grouped.filter((s) => s.positive === true);
  const negativeMembers = grouped.filter((s) => s.positive === false);
  const positive = groupEstimate(positiveMembers, labels.positive, confidenceLevel);
  const negative = groupEstimate(negativeMembers, labels.negative, confidenceLevel);

  const medianDifference: MedianDifference =
    positive.median.time !== null && negative.median.time !== null
      ? { estimable: true, time: positive.median.time - negative.median.time }
      : {
          estimable: false,
          reason: [positive, negative]
            .map((g, j) =>
              g.median.time === null
                ? `the ${j === 0 ? labels.positive : labels.negative} median is not available (${g.n === 0 ? 'no cases' : 'not reached'})`
                : null,
            )
            .filter(Boolean)
            .join('; '),
        };

  let test: LogRankSummary;
  if (positiveMembers.length === 0 || negativeMembers.length === 0) {
    test = {
      estimable: false,
      reason: `Every grouped case is ${positiveMembers.length === 0 ? labels.negative : labels.positive}: there is no second group to compare.`,
    };
  } else {
    const r = logRank(
      grouped.map((s) => s.time),
      grouped.map((s) => s.event),
      grouped.map((s) => s.positive === true),
      { groupOrder: [true, false] },
    );
    test = r.estimable
      ? {
          estimable: true,
          chisq: r.chiSquare,
          df: r.df,
          p: r.p,
          observedPositive: r.groups[0]!.observed,
          expectedPositive: r.groups[0]!.expected,
          observedNegative: r.groups[1]!.observed,
          expectedNegative: r.groups[1]!.expected,
        }
      : { estimable: false, reason: r.reason };
  }
  return { nPositive: positive.n, nNegative: negative.n, positive, negative, medianDifference, logRank: test };
}

/**
 * Every outcome endpoint (`outcomeEndpointKeys`) compared between the positive and negative cases
 * of a grouping (`compareSurvival` per endpoint): e.g. LETB responders at one threshold, or one
 * reader's RECIST objective responders.
 * @param cases the endpoints of each case with outcomes, by case key (e.g. case code)
 * @param grouping true (positive), false (negative) or null (left out) by case key; cases with
 *   outcomes missing here are left out too
 * @param options as `compareSurvival`, and `patientLevelCases`: the one case per patient that
 *   counts in overall survival and time to untreatable progression
 * @throws RangeError as `compareSurvival`
 * @returns the counts (over the cases) and one comparison per endpoint (its own n)
 */
export function survivalComparison(
  cases: ReadonlyMap<string, CaseEndpoints>,
  grouping: ReadonlyMap<string, boolean | null>,
  options: SurvivalComparisonOptions = {},
): OutcomeComparison {
  const keys = [...cases.keys()];
  const groupOf = (k: string) => grouping.get(k) ?? null;
  const { patientLevelCases, ...compareOptions } = options;
  const counted = (e: OutcomeEndpoint) =>
    patientLevelCases && patientLevelEndpoints.includes(e) ? keys.filter((k) => patientLevelCases.has(k)) : keys;
  const endpoints = Object.fromEntries(
    outcomeEndpointKeys.map((e) => [
      e,
      compareSurvival(
        counted(e).map((k) => ({
          time: cases.get(k)![e].timeMonths,
          event: cases.get(k)![e].event,
          positive: groupOf(k),
        })),
        compareOptions,
      ),
    ]),
  ) as Record<OutcomeEndpoint, EndpointComparison>;
  return {
    nPositive: keys.filter((k) => groupOf(k) === true).length,
    nNegative: keys.filter((k) => groupOf(k) === false).length,
    nUngrouped: keys.filter((k) => groupOf(k) === null).length,
    nWithoutOutcome: [...grouping.keys()].filter((k) => !cases.has(k)).length,
    endpoints,
  };
}
