import { bootstrapPercentileCis, type BootstrapResult } from '../stats/bootstrap';
import { iccForms, type IccForm } from '../stats/icc';
import type { ItemRatings } from './groupRatings';
import { itemAgreement, type ItemAgreement } from './itemAgreement';

/** The statistics of an item that get a bootstrap interval: the kappas, and the six ICC forms. */
export type BootstrappedStatistic =
  'kappa' | 'weightedKappaLinear' | 'weightedKappaQuadratic' | 'fleissKappa' | IccForm;

/** Percentile bootstrap intervals of one item's statistics, over resampled cases. */
export interface ItemBootstrap {
  /** The seed of the resampling: the same seed, file and B give the same intervals. */
  seed: number;
  /** B, resamples drawn. */
  replicates: number;
  confidenceLevel: number;
  /** One interval per statistic the item has (those null in the item's agreement are left out). */
  intervals: Partial<Record<BootstrappedStatistic, BootstrapResult>>;
}

/** A statistic of an item's agreement, null when it is not estimated there. */
function statisticOf(a: ItemAgreement, s: BootstrappedStatistic): number | null {
  if (s === 'kappa' || s === 'weightedKappaLinear' || s === 'weightedKappaQuadratic' || s === 'fleissKappa')
    return a[s];
  return a.icc?.[s].value ?? null;
}

/** The ratings of the cases at `rows` (repeats allowed), in that order. */
function resampledRatings<R extends ItemRatings>(r: R, rows: readonly number[]): R {
  return {
    ...r,
    caseIds: rows.map((i) => r.caseIds[i]!),
    excludedCaseIds: [],
    ratings: rows.map((i) => r.ratings[i]!) as R['ratings'],
  };
}

const candidates: readonly BootstrappedStatistic[] = [
  'kappa',
  'weightedKappaLinear',
  'weightedKappaQuadratic',
  'fleissKappa',
  ...iccForms,
];

/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13; `bootstrapPercentileCi`)
 * of every statistic an item's agreement estimates: Cohen's and the weighted kappas, Fleiss'
 * kappa, and the six ICC forms. The resampled subjects are the item's cases (each with all of
 * its readers' ratings), drawn with replacement B times; every statistic is recomputed by
 * `itemAgreement` once on each resample, and each statistic's interval uses the same resamples
 * (one seed). An alternative to the asymptotic intervals where their assumptions are doubtful (few
 * cases, kappa near ±1); resamples on which a statistic is not estimable (e.g. one category only)
 * are dropped and counted in its result.
 * @param ratings the item's complete ratings (`groupRatings`)
 * @param agreement the item's agreement on all its cases (`itemAgreement(ratings)`), which says which statistics apply
 * @param options seed (record it), replicates (default 2000), confidenceLevel (default 0.95)
 */
export function bootstrapItemAgreement(
  ratings: ItemRatings,
  agreement: ItemAgreement,
  options: { seed: number; replicates?: number; confidenceLevel?: number },
): ItemBootstrap {
  const replicates = options.replicates ?? 2000;
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const cases = ratings.ratings.map((_, i) => i);
  const applicable = candidates.filter((s) => statisticOf(agreement, s) !== null);
  // One itemAgreement per resample gives every statistic its value on it.
  const statistics = (sample: readonly number[]) => {
    const a = itemAgreement(resampledRatings(ratings, sample), { confidenceLevel });
    return Object.fromEntries(applicable.map((s) => [s, statisticOf(a, s)])) as Record<
      BootstrappedStatistic,
      number | null
    >;
  };
  const intervals: ItemBootstrap['intervals'] =
    applicable.length === 0
      ? {}
      : bootstrapPercentileCis(cases, statistics, applicable, { seed: options.seed, replicates, confidenceLevel });
  return { seed: options.seed, replicates, confidenceLevel, intervals };
}
