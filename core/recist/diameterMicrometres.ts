/**
 * A diameter in mm as a whole number of micrometres: round(mm × 1000).
 *
 * The response thresholds (−30 %, +20 %, +5 mm) are exact boundaries: 100 → 70 mm is PR and
 * 20 → 24 mm is +20 %. Binary floating point cannot hold decimal millimetres exactly
 * (10.1 + 20.2 = 30.299999999999997), so sums and threshold comparisons are done on integer
 * micrometres, where addition and the comparisons 100·(S − B) ≤ −30·B are exact (sums stay far
 * below 2⁵³ µm). One micrometre is three orders of magnitude below any CT caliper precision
 * (pixels are ≈ 0.5–1 mm), so the rounding never changes a clinically meaningful value; it makes
 * a diameter typed as 10.1 mm behave as exactly 10.1 mm.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.3.1 (thresholds).
 *
 * @param diameterMm a diameter in mm (longest diameter, short axis or viable diameter)
 * @returns the diameter in whole µm; 0 for 0 mm (a disappeared lesion)
 * @throws RangeError if the diameter is negative, not finite, or above 10⁹ mm (so sums stay exact)
 */
export function diameterMicrometres(diameterMm: number): number {
  if (!Number.isFinite(diameterMm) || diameterMm < 0 || diameterMm > 1e9) {
    throw new RangeError(`A diameter must be a finite number of mm between 0 and 1e9, got ${diameterMm}`);
  }
  return Math.round(diameterMm * 1000);
}

/**
 * Micrometres back to mm: µm / 1000, the nearest double to the decimal value (30300 µm → 30.3).
 * Reference: the inverse of `diameterMicrometres` (no clinical rule involved).
 *
 * @param micrometres a whole number of µm
 * @returns the length in mm
 * @throws never
 */
export function micrometresToMm(micrometres: number): number {
  return micrometres / 1000;
}
