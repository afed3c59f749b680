import { diameterMicrometres, micrometresToMm } from './diameterMicrometres';

/** The sum of diameters of the target lesions at one timepoint. */
export interface SumOfDiameters {
  /** Sum over all target lesions in mm; null when one or more lesions were not evaluable. */
  sumMm: number | null;
  /**
   * Sum over the lesions that were measured, in mm. With not-evaluable lesions it is a lower
   * bound of the true sum (a diameter is never negative); otherwise it equals `sumMm`.
   */
  measuredSumMm: number;
  /** 0-based indices of the lesions without a measurement (null), in lesion order. */
  notEvaluableLesions: number[];
}

/**
 * Sum of diameters of the target lesions at one timepoint: Σᵢ dᵢ in mm. For RECIST 1.1 dᵢ is the
 * longest diameter of a non-nodal lesion and the short axis of a lymph node; for mRECIST it is the
 * longest diameter of the viable (arterially enhancing) part. A disappeared lesion counts 0 mm;
 * a lesion "too small to measure" is recorded by the reader as 5 mm (RECIST 1.1 Appendix I) —
 * this function takes the numbers as given.
 * Addition is done on whole micrometres (see `diameterMicrometres`), so 10.1 + 20.2 gives 30.3.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §3.3.1 and §4.3.1;
 * Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST), Table 2.
 *
 * @param diametersMm one entry per target lesion: its diameter in mm, or null when not evaluable
 * @returns the sum (null when any lesion is not evaluable), the sum over the measured lesions and
 *   the indices of the not-evaluable ones; an empty list gives sums of 0
 * @throws RangeError if a diameter is negative or not finite
 */
export function sumOfDiameters(diametersMm: readonly (number | null)[]): SumOfDiameters {
  let measuredUm = 0;
  const notEvaluableLesions: number[] = [];
  diametersMm.forEach((d, i) => {
    if (d === null) notEvaluableLesions.push(i);
    else measuredUm += diameterMicrometres(d);
  });
  const measuredSumMm = micrometresToMm(measuredUm);
  return { sumMm: notEvaluableLesions.length === 0 ? measuredSumMm : null, measuredSumMm, notEvaluableLesions };
}
