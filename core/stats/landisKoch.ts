/** The strength-of-agreement bands of Landis & Koch (1977), as used in the reference study. */
export type LandisKochBand = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost perfect';

/** The bands with the published (two-decimal) ranges of kappa, lowest first. */
export const landisKochBands: readonly { band: LandisKochBand; from: number | null; to: number }[] = [
  { band: 'poor', from: null, to: -0.01 },
  { band: 'slight', from: 0, to: 0.2 },
  { band: 'fair', from: 0.21, to: 0.4 },
  { band: 'moderate', from: 0.41, to: 0.6 },
  { band: 'substantial', from: 0.61, to: 0.8 },
  { band: 'almost perfect', from: 0.81, to: 1 },
];

/**
 * The Landis & Koch (1977) band of a kappa: poor < 0.00; slight 0.00–0.20; fair 0.21–0.40;
 * moderate 0.41–0.60; substantial 0.61–0.80; almost perfect 0.81–1.00 (SPEC §4).
 * The published bands are given to two decimals, as kappas are reported; a kappa is placed by
 * its value rounded to two decimals the way it is printed (`kappa.toFixed(2)`, i.e. from its
 * exact binary value), so the printed number and its band always agree: 0.204 → 0.20 slight,
 * 0.206 → 0.21 fair, −0.004 → −0.00 slight, −0.006 → −0.01 poor.
 * Reference: Landis JR, Koch GG. The measurement of observer agreement for categorical data.
 * Biometrics 1977;33:159–174.
 * @param kappa a kappa (unweighted, weighted or Fleiss'); ≤ 1
 * @throws RangeError when kappa is NaN, not finite, or above 1 (beyond rounding, 1 + 1e−9)
 * @returns the band's name
 */
export function landisKochBand(kappa: number): LandisKochBand {
  if (!Number.isFinite(kappa)) throw new RangeError(`kappa must be a finite number, got ${kappa}`);
  if (kappa > 1 + 1e-9) throw new RangeError(`kappa cannot exceed 1, got ${kappa}`);
  const printed = Number(kappa.toFixed(2));
  if (printed < 0) return 'poor';
  if (printed <= 0.2) return 'slight';
  if (printed <= 0.4) return 'fair';
  if (printed <= 0.6) return 'moderate';
  if (printed <= 0.8) return 'substantial';
  return 'almost perfect';
}
