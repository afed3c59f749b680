import type { ReferenceMismatch } from './segReferenceMismatches';

/**
 * What the checks of a mask found, stored with it and shown wherever it is used:
 * - 'ok': it belongs to the exam (a SEG's references) or overlaps the CT (NIfTI, NRRD), and its
 *   liver volume is plausible;
 * - 'warnings': usable, with something to look at (see `warnings`);
 * - 'overridden': a SEG of other images, attached because the coordinator confirmed it (see
 *   `overridden`; there may be warnings too).
 */
export interface MaskChecks {
  status: 'ok' | 'warnings' | 'overridden';
  /** One sentence each: liver volume outside the plausible range, voxels outside the CT, an empty mask. */
  warnings: string[];
  /** What differed from the exam when the coordinator attached it anyway; empty otherwise. */
  overridden: ReferenceMismatch[];
}

/** The checks' status from what they found: overridden before warnings before ok. */
export function maskChecks(warnings: readonly string[], overridden: readonly ReferenceMismatch[]): MaskChecks {
  return {
    status: overridden.length > 0 ? 'overridden' : warnings.length > 0 ? 'warnings' : 'ok',
    warnings: [...warnings],
    overridden: [...overridden],
  };
}

/**
 * Liver volumes a whole-liver mask may have, mL: 300-6,000. SPEC §2a: typical livers measure
 * 1,200-2,500 mL and up to ~5,000 mL with bulky metastases (the reference study's example:
 * 4,495 mL); below 300 mL the mask is almost certainly partial (a few slices, one lobe, a
 * tumour), above 6,000 mL not the liver alone.
 */
export const plausibleLiverMl = { min: 300, max: 6000 } as const;

/**
 * A warning when a liver mask's volume on the CT is outside `plausibleLiverMl`, else undefined.
 * Volume = voxels × voxel volume of the CT grid (SPEC §2 step 5).
 */
export function liverVolumeWarning(volumeMl: number): string | undefined {
  if (volumeMl >= plausibleLiverMl.min && volumeMl <= plausibleLiverMl.max) return undefined;
  return `The liver mask measures ${volumeMl.toFixed(1)} mL on this CT, outside the ${plausibleLiverMl.min}-${thousands(plausibleLiverMl.max)} mL of a whole liver: check that it is the whole liver of this patient.`;
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
