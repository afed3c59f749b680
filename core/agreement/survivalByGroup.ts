import { kaplanMeier } from '../stats/kaplanMeier';
import { logRank } from '../stats/logRank';
import { compareIds } from './compareIds';

/** Kaplan–Meier summary of one group. */
export interface SurvivalGroupSummary {
  group: string;
  /** Subjects. */
  n: number;
  events: number;
  /** Median survival time (the input's unit); null when the curve never falls to 0.5. */
  median: number | null;
  /** 95 % CI of the median (log transform, Brookmeyer & Crowley); a bound is null where not reached. */
  medianCi: [lower: number | null, upper: number | null];
  /** Events expected under equal hazards (log-rank E); null when the test is not estimable. */
  expected: number | null;
}

/** Kaplan–Meier medians per group and the log-rank test between the groups: what `concord survival` prints. */
export interface SurvivalComparison {
  /** Subjects and events in all groups. */
  n: number;
  events: number;
  /** In `compareIds` order (numbers by value, then text). */
  groups: SurvivalGroupSummary[];
  /** Log-rank χ²; null when not estimable. */
  chisq: number | null;
  df: number | null;
  p: number | null;
  /** Why the log-rank test is null; null when it is not. */
  reason: string | null;
}

export interface SurvivalByGroupOptions {
  /** Two-sided level of the medians' intervals; default 0.95. */
  confidenceLevel?: number;
}

/**
 * Kaplan–Meier median with its confidence interval per group and the log-rank test of equal
 * survival across the groups, as R `survfit(Surv(time, event) ~ group)` (print / summary
 * `$table`: median, 0.95LCL, 0.95UCL, log transform) and `survdiff(Surv(time, event) ~ group)`
 * (survival 3.5-3) report them; see `kaplanMeier` and `logRank` in core/stats for the formulas.
 * The layout of the reference study's survival tables (SPEC §5): responders vs nonresponders.
 * Oracle: survival::lung by sex, medians 270 (212–310) and 426 (348–550), χ² 10.326742 on 1 df,
 * p 0.0013112 (test/fixtures/agreement/survival.R).
 * References: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481. Brookmeyer R, Crowley J.
 * Biometrics 1982;38:29–41. Mantel N. Cancer Chemother Rep 1966;50:163–170.
 * @param subjects follow-up time (finite, ≥ 0), event (true = event, false = censored) and group of each subject
 * @param options confidenceLevel (default 0.95)
 * @throws RangeError for a negative or non-finite time, or a confidence level outside (0, 1)
 * @returns groups in `compareIds` order; chisq, df and p null with `reason` when the test is not
 *   estimable (no subjects, no events, a single group …). Never NaN.
 */
export function survivalByGroup(
  subjects: readonly { time: number; event: boolean; group: string }[],
  options: SurvivalByGroupOptions = {},
): SurvivalComparison {
  const groupOrder = [...new Set(subjects.map((s) => s.group))].sort(compareIds);
  const groups: SurvivalGroupSummary[] = groupOrder.map((group) => {
    const members = subjects.filter((s) => s.group === group);
    const km = kaplanMeier(
      members.map((s) => s.time),
      members.map((s) => s.event),
      options,
    );
    // Every listed group has members, so the estimate exists.
    if (!km.estimable) throw new RangeError(`group ${group}: ${km.reason}`);
    return {
      group,
      n: km.n,
      events: km.events,
      median: km.median.time,
      medianCi: [km.median.lower, km.median.upper],
      expected: null,
    };
  });
  const n = subjects.length;
  const events = subjects.filter((s) => s.event).length;
  if (n === 0) return { n, events, groups, chisq: null, df: null, p: null, reason: 'No subjects.' };
  const test = logRank(
    subjects.map((s) => s.time),
    subjects.map((s) => s.event),
    subjects.map((s) => s.group),
    { groupOrder },
  );
  if (!test.estimable) return { n, events, groups, chisq: null, df: null, p: null, reason: test.reason };
  test.groups.forEach((g, j) => (groups[j]!.expected = g.expected));
  return { n, events, groups, chisq: test.chiSquare, df: test.df, p: test.p, reason: null };
}
