import { normalQuantile } from './normalDistribution';

/** Whether a follow-up time ended in the event (true / 1) or was censored (false / 0). */
export type EventIndicator = boolean | 0 | 1;

/** One row of the survival table: a distinct time at which someone had the event or was censored. */
export interface KaplanMeierRow {
  /** The time (in the input's unit, e.g. days or months). */
  time: number;
  /** Subjects at risk just before `time` (follow-up time ≥ `time`). */
  nRisk: number;
  nEvent: number;
  nCensor: number;
  /** Ŝ(time), the Kaplan–Meier estimate just after `time`. */
  survival: number;
  /**
   * Greenwood standard error of −ln Ŝ, √(Σ d/(n(n − d))) over event times ≤ `time` (R survfit's
   * `std.err`); +∞ once Ŝ = 0. The SE of Ŝ itself is Ŝ times this.
   */
  standardErrorLogSurvival: number;
  /** Confidence limits of Ŝ on the log scale; null where Ŝ = 0 (R: NA). */
  lower: number | null;
  upper: number | null;
}

/**
 * A survival time (median or other quantile) with its confidence limits; null where it is not
 * reached (R: NA), e.g. the median when Ŝ never falls to 0.5, or an upper limit when the upper
 * confidence curve never does.
 */
export interface SurvivalTimeEstimate {
  time: number | null;
  lower: number | null;
  upper: number | null;
}

export interface KaplanMeierEstimate {
  estimable: true;
  /** Number of subjects. */
  n: number;
  /** Number of events. */
  events: number;
  confidenceLevel: number;
  table: KaplanMeierRow[];
  /** Median survival with its confidence limits, as R print.survfit / summary(fit)$table report them. */
  median: SurvivalTimeEstimate;
}

export interface KaplanMeierNotEstimable {
  estimable: false;
  n: number;
  reason: string;
}

export type KaplanMeierResult = KaplanMeierEstimate | KaplanMeierNotEstimable;

export interface KaplanMeierOptions {
  /** Two-sided level of the pointwise limits and of the median's interval; default 0.95. */
  confidenceLevel?: number;
}

/** R survival's tolerance for "S equals p" in its quantile rules, √(double epsilon). */
const tolerance = Math.sqrt(Number.EPSILON);

/**
 * The median rule of print.survfit and summary(fit)$table (survival:::survmean, `minmin`): the
 * first time the curve is ≤ 0.5 (within the tolerance); if the curve equals 0.5 there (within
 * the tolerance) and falls below it later, the midpoint between that time and the first time it
 * is below.
 */
function printMedian(curve: readonly (number | null)[], times: readonly number[]): number | null {
  const kept: number[] = [];
  curve.forEach((y, i) => {
    if (y !== null && y < 0.5 + tolerance) kept.push(i);
  });
  if (kept.length === 0) return null;
  const first = kept[0]!;
  const y1 = curve[first]!;
  if (Math.abs(y1 - 0.5) < tolerance) {
    const below = kept.find((i) => curve[i]! < y1);
    if (below !== undefined) return (times[first]! + times[below]!) / 2;
  }
  return times[first]!;
}

/**
 * survival:::findq, the quantile rule of quantile.survfit: x = (0, times), y = 1 − curve with
 * y = 0 at time 0; repeated y values dropped (keeping the first), then the time where y + tol and
 * where y − tol first reach p (R `approx(..., method = "constant", f = 1)`), averaged: so a curve
 * that equals 1 − p over an interval gives the interval's midpoint, and one that equals it up to
 * the last follow-up gives the midpoint with the last time.
 */
function findQuantile(times: readonly number[], curve: readonly (number | null)[], p: number): number | null {
  const x = [0, ...times];
  const y: (number | null)[] = [0, ...curve.map((s) => (s === null ? null : 1 - s))];
  const highest = y.reduce<number>((m, v) => (v !== null && v > m ? v : m), 0);
  if (highest < p) return null;
  const xmax = x[x.length - 1]!;
  const seen = new Set<number | null>();
  const keptX: number[] = [];
  const keptY: (number | null)[] = [];
  y.forEach((v, i) => {
    if (seen.has(v)) return;
    seen.add(v);
    keptX.push(x[i]!);
    keptY.push(v);
  });
  // approx(y ± tol, index, p, "constant", f = 1, rule = 1): the index of the smallest knot ≥ p,
  // or none when p is outside the knots' range (NA knots dropped).
  const indexAt = (shift: number): number | null => {
    let best: number | null = null;
    let bestKnot = Infinity;
    let lowest = Infinity;
    keptY.forEach((v, i) => {
      if (v === null) return;
      const knot = v + shift;
      lowest = Math.min(lowest, knot);
      if (knot >= p && knot < bestKnot) {
        bestKnot = knot;
        best = i;
      }
    });
    return p < lowest ? null : best;
  };
  const index1 = indexAt(tolerance);
  const index2 = indexAt(-tolerance);
  let result = index1 === null || index2 === null ? null : (keptX[index1]! + keptX[index2]!) / 2;
  if (p === 0) result = keptX[0]!;
  const last = keptY[keptY.length - 1]!;
  if (last !== null && Math.abs(p - last) < tolerance) result = index1 === null ? null : (keptX[index1]! + xmax) / 2;
  return result;
}

function checkInput(times: readonly number[], events: readonly EventIndicator[]): boolean[] {
  if (times.length !== events.length)
    throw new RangeError(`times and events must have the same length: ${times.length} vs ${events.length}`);
  return times.map((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
      throw new RangeError(`time ${i} is ${String(t)}: follow-up times must be finite and ≥ 0`);
    const e = events[i];
    if (e !== true && e !== false && e !== 0 && e !== 1)
      throw new RangeError(`event ${i} is ${String(e)}: use true/1 for the event, false/0 for censored`);
    return e === true || e === 1;
  });
}

/**
 * Kaplan–Meier estimate of the survival function from follow-up times and event indicators, as
 * R `survfit(Surv(time, event) ~ 1)` (survival 3.5-3) computes it with its defaults:
 * - Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) over the distinct times tᵢ (nᵢ at risk: follow-up ≥ tᵢ, so a
 *   subject censored at tᵢ is at risk at tᵢ; dᵢ events there);
 * - Greenwood variance on the log scale, se(−ln Ŝ) = √(Σ dᵢ/(nᵢ(nᵢ − dᵢ))) (`std.err`);
 * - pointwise limits with conf.type = "log": exp(ln Ŝ ∓ z·se), the upper capped at 1, none where Ŝ = 0;
 * - the median and its limits as print.survfit and summary(fit)$table give them: the first time
 *   the estimate (resp. the lower and the upper confidence curve) is ≤ 0.5, where a curve that
 *   equals 0.5 exactly (within √ε) and falls below it later gives the midpoint of that flat stretch
 *   (`survival:::survmean`). `kaplanMeierQuantile` gives quantile.survfit's rule instead, which
 *   differs only when the curve equals 0.5 up to the last follow-up time.
 * Oracles: lung by sex, medians 270 (212–310) and 426 (348–550); aml (test/fixtures/oracles/survival.R).
 * References: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481. Greenwood M. Reports on Public
 * Health and Medical Subjects 1926;33. Brookmeyer R, Crowley J. A confidence interval for the
 * median survival time. Biometrics 1982;38:29–41. Therneau T. survival: A Package for Survival
 * Analysis in R, 3.5-3 (survfit, print.survfit, quantile.survfit).
 * @param times follow-up time of each subject (finite, ≥ 0; any unit)
 * @param events true/1 when the follow-up ended in the event, false/0 when censored
 * @param options confidenceLevel (default 0.95)
 * @throws RangeError when the lengths differ, a time is negative or not finite, an event
 *   indicator is not boolean/0/1, or the confidence level is outside (0, 1)
 * @returns `{ estimable: false, reason }` for no subjects; otherwise the table (one row per
 *   distinct time) and the median (null where not reached). Never NaN.
 */
export function kaplanMeier(
  times: readonly number[],
  events: readonly EventIndicator[],
  options: KaplanMeierOptions = {},
): KaplanMeierResult {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!(confidenceLevel > 0 && confidenceLevel < 1))
    throw new RangeError(`confidence level must be in (0, 1), got ${confidenceLevel}`);
  const isEvent = checkInput(times, events);
  const n = times.length;
  if (n === 0) return { estimable: false, n, reason: 'Kaplan–Meier needs at least one subject.' };

  const order = times.map((_, i) => i).sort((i, j) => times[i]! - times[j]!);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const table: KaplanMeierRow[] = [];
  let atRisk = n;
  let survival = 1;
  let greenwood = 0;
  let eventCount = 0;
  for (let k = 0; k < n;) {
    const time = times[order[k]!]!;
    let nEvent = 0;
    let nCensor = 0;
    for (; k < n && times[order[k]!] === time; k++) {
      if (isEvent[order[k]!]) nEvent++;
      else nCensor++;
    }
    if (nEvent > 0) {
      survival *= (atRisk - nEvent) / atRisk;
      greenwood += nEvent === atRisk ? Infinity : nEvent / (atRisk * (atRisk - nEvent));
    }
    const se = Math.sqrt(greenwood);
    const logS = Math.log(survival);
    table.push({
      time,
      nRisk: atRisk,
      nEvent,
      nCensor,
      survival,
      standardErrorLogSurvival: se,
      lower: survival === 0 ? null : Math.exp(logS - z * se),
      upper: survival === 0 ? null : Math.min(1, Math.exp(logS + z * se)),
    });
    eventCount += nEvent;
    atRisk -= nEvent + nCensor;
  }
  const rowTimes = table.map((r) => r.time);
  const median: SurvivalTimeEstimate = {
    time: printMedian(
      table.map((r) => r.survival),
      rowTimes,
    ),
    lower: printMedian(
      table.map((r) => r.lower),
      rowTimes,
    ),
    upper: printMedian(
      table.map((r) => r.upper),
      rowTimes,
    ),
  };
  return { estimable: true, n, events: eventCount, confidenceLevel, table, median };
}

/**
 * A quantile of the survival time, the time by which a proportion `probability` has had the
 * event (Ŝ = 1 − probability; 0.5 is the median), with its confidence limits from where the
 * lower and upper confidence curves reach it (Brookmeyer & Crowley 1982), exactly as R
 * `quantile(survfit(...), probs)` (survival 3.5-3, `survival:::findq`) computes it: where Ŝ
 * equals 1 − p (within √ε) over an interval, the interval's midpoint; where it equals 1 − p up
 * to the end of follow-up, the midpoint of the time it got there and the last follow-up time
 * (print.survfit, and so `kaplanMeier`'s median, takes the time it got there instead).
 * Reference: Brookmeyer R, Crowley J. Biometrics 1982;38:29–41; Therneau T. survival 3.5-3
 * (quantile.survfit).
 * @param estimate a `kaplanMeier` result (its confidence level applies)
 * @param probability p in [0, 1]
 * @throws RangeError when p is outside [0, 1]
 * @returns the quantile and limits, each null where not reached (R: NA)
 */
export function kaplanMeierQuantile(estimate: KaplanMeierEstimate, probability: number): SurvivalTimeEstimate {
  if (!(probability >= 0 && probability <= 1))
    throw new RangeError(`probability must be in [0, 1], got ${probability}`);
  const times = estimate.table.map((r) => r.time);
  return {
    time: findQuantile(
      times,
      estimate.table.map((r) => r.survival),
      probability,
    ),
    lower: findQuantile(
      times,
      estimate.table.map((r) => r.lower),
      probability,
    ),
    upper: findQuantile(
      times,
      estimate.table.map((r) => r.upper),
      probability,
    ),
  };
}
