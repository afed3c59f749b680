import type { Vec3 } from '../imaging/coordinates';
import { countAbove, subtractionAt, type LetbField } from './letbField';
import { roiVoxels, type RoiShape, type RoiSpec } from './roi';

export interface RoiFlags {
  /** Part of the ROI is outside the image. */
  leavesImage: boolean;
  /** Part of the ROI is outside the liver mask (it should sit in tumour-free parenchyma). */
  leavesLiver: boolean;
  /** Share of ROI voxels inside the liver mask, 0-1. */
  liverFraction: number;
}

export interface Placement {
  centerLps: Vec3;
  roiMl: number;
  roiShape: RoiShape;
  roiVoxels: number;
  meanHu: number;
  /** Sample standard deviation (n − 1) of S in the ROI, HU. */
  sdHu: number;
  /** T = mean + 2·SD (SPEC §2 step 3). */
  thresholdHu: number;
  enhancingVoxels: number;
  enhancingMl: number;
  liverMl: number;
  /** Enhancing / liver × 100 (SPEC §2 step 5). */
  letbPercent: number;
  flags: RoiFlags;
}

/**
 * One ROI placement (SPEC §2 steps 3-5): statistics of the subtraction S inside the ROI,
 * threshold T = mean + 2·SD, enhancing tumour = liver voxels with S > T, LETB = enhancing /
 * liver × 100. SD is the sample SD (n − 1). Only the ROI's voxels are visited, plus one
 * lookup in the liver's value histogram: moving an ROI costs well under a millisecond.
 * @throws RangeError when the ROI holds fewer than 2 voxels inside the image (no SD), or
 *   covers voxels without precontrast data
 */
export function evaluatePlacement(field: LetbField, roi: RoiSpec): Placement {
  const { indices, leavesImage } = roiVoxels(field.grid, roi);
  const n = indices.length;
  if (n < 2)
    throw new RangeError(
      `The ROI at (${roi.centerLps.map((v) => v.toFixed(1)).join(', ')}) mm holds ${n} voxel(s) inside the image; at least 2 are needed for an SD.`,
    );
  // Two-pass mean and SD: exact enough for HU (no catastrophic cancellation).
  let sum = 0;
  let inLiver = 0;
  for (let q = 0; q < n; q++) {
    const s = subtractionAt(field, indices[q]!);
    if (Number.isNaN(s)) throw new RangeError('The ROI covers voxels without precontrast data.');
    sum += s;
    if (field.liverMask[indices[q]!] !== 0) inLiver++;
  }
  const meanHu = sum / n;
  let ss = 0;
  for (let q = 0; q < n; q++) {
    const d = subtractionAt(field, indices[q]!) - meanHu;
    ss += d * d;
  }
  const sdHu = Math.sqrt(ss / (n - 1));
  const thresholdHu = meanHu + 2 * sdHu;
  const enhancingVoxels = countAbove(field, thresholdHu);
  const liverFraction = inLiver / n;
  return {
    centerLps: [...roi.centerLps],
    roiMl: roi.volumeMl,
    roiShape: roi.shape,
    roiVoxels: n,
    meanHu,
    sdHu,
    thresholdHu,
    enhancingVoxels,
    enhancingMl: enhancingVoxels * field.voxelMl,
    liverMl: field.liverMl,
    letbPercent: (enhancingVoxels / field.liverVoxels) * 100,
    flags: { leavesImage, leavesLiver: liverFraction < 1, liverFraction },
  };
}

/**
 * The LETB recorded for a timepoint: the mean of its placements' LETB (three placements by
 * default, SPEC §2 step 6); the individual values are kept for their ICC.
 * @returns NaN for no placements (documented: nothing to average)
 */
export function timepointLetb(placements: readonly Pick<Placement, 'letbPercent'>[]): number {
  if (placements.length === 0) return Number.NaN;
  return placements.reduce((s, p) => s + p.letbPercent, 0) / placements.length;
}
