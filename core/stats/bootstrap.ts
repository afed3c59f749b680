import { createSeededRandom } from '../random/seededRandom';
import { quantileOfSorted } from './quantile';

export interface BootstrapOptions {
  /** Seed of the resampling stream (record it with the result to reproduce the interval). */
  seed: number;
  /** Number of bootstrap resamples B, an integer ≥ 1; default 2000. */
  replicates?: number;
  /** Two-sided level of the percentile interval, 0 < level < 1; default 0.95. */
  confidenceLevel?: number;
}

export interface BootstrapEstimate {
  estimable: true;
  /** The statistic on the original subjects. */
  estimate: number;
  /** Percentile interval [Q(α/2), Q(1 − α/2)] of the estimable replicates (R quantile type 7). */
  ci: [lower: number, upper: number];
  confidenceLevel: number;
  seed: number;
  /** B, the number of resamples drawn. */
  replicates: number;
  /** Resamples on which the statistic was estimable (finite); the interval uses only these. */
  replicatesUsed: number;
  /** Resamples on which the statistic was not estimable (null or non-finite), e.g. a kappa with one category only. */
  replicatesNotEstimable: number;
}

export interface BootstrapNotEstimable {
  estimable: false;
  confidenceLevel: number;
  seed: number;
  replicates: number;
  reason: string;
}

export type BootstrapResult = BootstrapEstimate | BootstrapNotEstimable;

/**
 * A statistic of a set of subjects: a number, or null when it is not estimable on that set
 * (non-finite numbers are treated as null).
 */
export type BootstrapStatistic<T> = (subjects: readonly T[]) => number | null;

/**
 * Percentile bootstrap confidence interval of any statistic over subjects (cases, patients): B
 * resamples of n subjects drawn with replacement, the statistic on each, and the α/2 and 1 − α/2
 * quantiles (R `quantile(type = 7)`) of the replicates as the interval (Efron & Tibshirani 1993,
 * ch. 13). Resampling whole subjects keeps everything measured on one subject together (both
 * readers' ratings of a case, all three ROI placements).
 * Resampling is reproducible: indices come from `createSeededRandom(seed)` (sfc32), subject
 * ⌊u·n⌋ for each uniform u (32-bit resolution, so the bias is below n/2³² per draw). The same
 * seed, subjects, statistic and B give the same interval on every platform; R's `boot` draws
 * other indices, so only the method, not the numbers, can be compared with R.
 * Replicates where the statistic is not estimable (null, NaN, ±∞: e.g. a resample in which
 * both readers used one category) are dropped and counted; the interval is then conditional
 * on estimability, so report `replicatesNotEstimable` with it.
 * Reference: Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall, 1993, ch. 13.
 * @param subjects the subjects, each carrying all of its data
 * @param statistic computes the statistic of a (re)sample; must not keep or modify the array
 * @param options seed (required), replicates (2000), confidenceLevel (0.95)
 * @throws RangeError when replicates is not a positive integer, the confidence level is outside
 *   (0, 1) or the seed is not finite
 * @returns `{ estimable: false, reason }` for fewer than 2 subjects, when the statistic is not
 *   estimable on the original subjects, or when it is not estimable on any resample
 */
export function bootstrapPercentileCi<T>(
  subjects: readonly T[],
  statistic: BootstrapStatistic<T>,
  options: BootstrapOptions,
): BootstrapResult {
  return bootstrapPercentileCis(subjects, (sample) => ({ value: statistic(sample) }), ['value'], options).value;
}

/**
 * `bootstrapPercentileCi` of several statistics of the same subjects at once: every resample is
 * drawn once and `statistics` computed once on it (e.g. all kappas or ICC forms of one
 * `itemAgreement`), each key then getting exactly the interval `bootstrapPercentileCi` gives
 * for that statistic alone with the same seed.
 * @param statistics the statistics of a (re)sample by key, null where not estimable
 * @param keys the keys to give intervals for
 * @param options as `bootstrapPercentileCi`
 * @throws RangeError as `bootstrapPercentileCi`
 */
export function bootstrapPercentileCis<T, K extends string>(
  subjects: readonly T[],
  statistics: (subjects: readonly T[]) => Readonly<Record<K, number | null>>,
  keys: readonly K[],
  options: BootstrapOptions,
): Record<K, BootstrapResult> {
  const replicates = options.replicates ?? 2000;
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const { seed } = options;
  if (!Number.isInteger(replicates) || replicates < 1)
    throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
  if (!(confidenceLevel > 0 && confidenceLevel < 1))
    throw new RangeError(`confidence level must be in (0, 1), got ${confidenceLevel}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const base = { confidenceLevel, seed, replicates };
  const each = (result: (key: K) => BootstrapResult) =>
    Object.fromEntries(keys.map((k) => [k, result(k)])) as Record<K, BootstrapResult>;
  const n = subjects.length;
  if (n < 2)
    return each(() => ({
      estimable: false,
      ...base,
      reason: `A bootstrap interval needs at least 2 subjects; got ${n}.`,
    }));
  const valuesOf = (sample: readonly T[]) => {
    const v = statistics(sample);
    return keys.map((k) => (v[k] !== null && Number.isFinite(v[k]) ? v[k] : null));
  };
  const estimates = valuesOf(subjects);
  const values = keys.map((): number[] => []);
  if (estimates.some((e) => e !== null)) {
    const random = createSeededRandom(seed);
    for (let r = 0; r < replicates; r++) {
      const sample = new Array<T>(n);
      for (let i = 0; i < n; i++) sample[i] = subjects[Math.floor(random.uniform() * n)]!;
      valuesOf(sample).forEach((v, j) => v !== null && values[j]!.push(v));
    }
  }
  const alpha = 1 - confidenceLevel;
  return each((k): BootstrapResult => {
    const j = keys.indexOf(k);
    const estimate = estimates[j]!;
    const sorted = values[j]!.sort((x, y) => x - y);
    if (estimate === null)
      return { estimable: false, ...base, reason: 'The statistic is not estimable on the original subjects.' };
    if (sorted.length === 0)
      return {
        estimable: false,
        ...base,
        reason: `The statistic was not estimable on any of the ${replicates} resamples.`,
      };
    return {
      estimable: true,
      estimate,
      ci: [quantileOfSorted(sorted, alpha / 2), quantileOfSorted(sorted, 1 - alpha / 2)],
      ...base,
      replicatesUsed: sorted.length,
      replicatesNotEstimable: replicates - sorted.length,
    };
  });
}
