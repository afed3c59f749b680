import { diameterMicrometres } from './diameterMicrometres';

/** A relative change in %, or why it cannot be estimated (never NaN or Infinity). */
export type PercentChange = { percent: number; reason: null } | { percent: null; reason: string };

/**
 * Relative change of a sum of diameters versus a reference sum (the baseline or the nadir):
 * 100 · (sum − reference) / reference, in %.
 * The difference is taken on whole micrometres and multiplied by 100 before the division, so
 * exact boundaries come out exact (100 → 70 mm gives −30, not −30.000000000000004). This value
 * is for display; the response rules compare integers (`targetResponses`), never this number.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.3.1 (PR versus
 * the baseline sum, PD versus the smallest sum on study).
 *
 * @param referenceMm the reference sum in mm (baseline or nadir)
 * @param sumMm the sum in mm at the follow-up, or null when a target lesion was not evaluable
 * @param referenceName how the reasons name the reference, e.g. 'baseline' or 'nadir'
 * @returns `{ percent, reason: null }`, or `{ percent: null, reason }` when the sum is not
 *   evaluable or the reference is 0 mm (the relative change is undefined)
 * @throws RangeError if a sum is negative or not finite
 */
export function percentChange(referenceMm: number, sumMm: number | null, referenceName = 'reference'): PercentChange {
  const referenceUm = diameterMicrometres(referenceMm);
  if (sumMm === null)
    return { percent: null, reason: 'a target lesion was not evaluable at this follow-up, so the sum is unknown' };
  const sumUm = diameterMicrometres(sumMm);
  if (referenceUm === 0)
    return { percent: null, reason: `the ${referenceName} sum is 0 mm, so the relative change is undefined` };
  return { percent: (100 * (sumUm - referenceUm)) / referenceUm, reason: null };
}
