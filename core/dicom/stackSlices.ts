import { dot, scale, sub, type Vec3 } from '../imaging/vec3';
import { sliceNormal } from './sliceNormal';

/** Direction cosines and pixel spacings of two slices agree when they differ by at most this much. */
export const orientationTolerance = 1e-3;
export const pixelSpacingToleranceMm = 1e-3;
/** Two neighbouring slices closer than this along the normal share one position (one plane), mm. */
export const duplicateToleranceMm = 0.01;
/** A gap larger than this many median gaps means slices are missing. */
export const missingSliceFactor = 1.5;
/** Spacing is uniform when every gap is within max(1 % of the spacing, 0.02 mm) of the spacing. */
export const spacingRelativeTolerance = 0.01;
export const spacingAbsoluteToleranceMm = 0.02;
/**
 * A slice is off the series axis (a stray slice, or gantry tilt) beyond 0.01 mm + 0.2 % of its
 * distance along the normal from the first slice (≈ 0.11° of tilt).
 */
export const tiltAbsoluteToleranceMm = 0.01;
export const tiltRelativeTolerance = 2e-3;

/**
 * What is wrong with (or worth telling about) a stack, as data; `slice`, `slices` and `between`
 * are indices into the positions given to `stackSlices`, named in stack order (ascending along
 * the normal).
 * - `duplicate`: two neighbours closer than `duplicateToleranceMm` (two acquisitions in one series,
 *   or one frame per segment in a SEG). Every such pair is listed.
 * - `off-axis`: a slice farther from the series axis than the tilt tolerance allows.
 * - `missing-slices`: a gap over `missingSliceFactor` × the median gap (only judged when there is
 *   no duplicate and no off-axis slice).
 * - `non-uniform`: some gap differs from `spacingMm` by more than max(1 %, 0.02 mm) (only judged
 *   when there is no other problem; a volume still loads, with a warning).
 */
export type StackProblem =
  | { kind: 'duplicate'; slices: [number, number]; distanceMm: number }
  | { kind: 'off-axis'; slice: number; lateralMm: number; alongMm: number }
  | { kind: 'missing-slices'; between: [number, number]; gapMm: number; medianGapMm: number }
  | { kind: 'non-uniform'; minGapMm: number; maxGapMm: number };

/** How slices stack along their normal (see `stackSlices`). */
export interface SliceStack {
  /** Unit slice normal n = row × column cosines (`sliceNormal`). */
  normal: Vec3;
  /** Indices of the input positions sorted by distance along n, ascending (stable for ties). */
  order: number[];
  /** d = p · n of every input position, in input order, mm. */
  distancesMm: number[];
  /**
   * Distinct positions along n, ascending, mm: a run of neighbours closer than
   * `duplicateToleranceMm` is one plane, at the distance of its first slice.
   */
  planesMm: number[];
  /**
   * Slice spacing, mm: (last − first position) / (slices − 1), the mean gap, from positions only.
   * Undefined when the slices are no regular stack (a duplicate, off-axis or missing-slices
   * problem). A single slice takes the declared spacing when it is positive, else undefined.
   */
  spacingMm: number | undefined;
  /** Angle between n and the line from the first to the last slice, degrees (0 for one slice). */
  tiltDegrees: number;
  /** In the order: duplicates, off-axis slices, missing slices, non-uniform spacing. */
  problems: StackProblem[];
}

/**
 * Stacks slices of one plane geometry along their normal, from positions alone: the one rule
 * for slice order and slice spacing used by the series index (`seriesGrid`, `seriesProblems`),
 * volume assembly (`buildVolume`) and mask frames (`stackFrames`).
 * - d = p · n with n = row × column cosines, normalised; slices are ordered by d, so instance
 *   order and feet-first/head-first acquisition do not matter.
 * - Spacing is the mean gap (d_last − d_first) / (N − 1), never Slice Thickness (scanners fill
 *   it with the reconstruction thickness). For a uniformly spaced series it equals every gap and
 *   the median gap; for a non-uniform one (gaps within 1.5 × the median) it is what the volume's
 *   voxels span on average, so the index shows the spacing the volume and its measurements use.
 * - The series axis is the line along n through the component-wise median of the slices'
 *   in-plane offsets from the first, so that one stray slice (not the majority) is named.
 * Reference: PS3.3 §C.7.6.2.1.1 (Image Position and Orientation (Patient)).
 * @param positionsMm Image Position (Patient) of each slice or frame, LPS mm, in any order
 * @param orientation Image Orientation (Patient) shared by the slices: row cosines, column cosines
 * @param declaredSpacingMm the spacing a single slice takes (e.g. Spacing Between Slices, else Slice Thickness)
 * @throws RangeError when there are no positions or the orientation is not six numbers
 */
export function stackSlices(
  positionsMm: readonly (readonly number[])[],
  orientation: readonly number[],
  declaredSpacingMm?: number,
): SliceStack {
  if (positionsMm.length === 0) throw new RangeError('stackSlices needs at least one position.');
  if (orientation.length !== 6) throw new RangeError(`orientation must be six numbers, got ${orientation.length}.`);
  const o = orientation;
  const normal = sliceNormal([o[0]!, o[1]!, o[2]!], [o[3]!, o[4]!, o[5]!]);
  const distancesMm = positionsMm.map((p) => dot(p, normal));
  const order = distancesMm.map((_, i) => i).sort((a, b) => distancesMm[a]! - distancesMm[b]!);
  const d = (k: number) => distancesMm[order[k]!]!;
  const count = order.length;

  const problems: StackProblem[] = [];
  const planesMm = [d(0)];
  for (let k = 1; k < count; k++) {
    if (d(k) - d(k - 1) < duplicateToleranceMm) {
      problems.push({ kind: 'duplicate', slices: [order[k - 1]!, order[k]!], distanceMm: d(k) });
    } else planesMm.push(d(k));
  }

  const first = positionsMm[order[0]!]!;
  const lateralOf = (p: readonly number[]) => {
    const offset = sub(p, first);
    return sub(offset, scale(normal, dot(offset, normal)));
  };
  const laterals = order.map((i) => lateralOf(positionsMm[i]!));
  const median = (c: number) => laterals.map((l) => l[c]!).sort((a, b) => a - b)[Math.floor(laterals.length / 2)]!;
  const axisPoint = [first[0]! + median(0), first[1]! + median(1), first[2]! + median(2)];
  for (const i of order) {
    const offset = sub(positionsMm[i]!, axisPoint);
    const alongMm = dot(offset, normal);
    const off = sub(offset, scale(normal, alongMm));
    const lateralMm = Math.hypot(off[0], off[1], off[2]);
    if (lateralMm > tiltAbsoluteToleranceMm + tiltRelativeTolerance * Math.abs(alongMm))
      problems.push({ kind: 'off-axis', slice: i, lateralMm, alongMm });
  }
  const span = sub(positionsMm[order[count - 1]!]!, first);
  const spanAlong = dot(span, normal);
  const spanLateral = sub(span, scale(normal, spanAlong));
  const tiltDegrees =
    count > 1
      ? (Math.atan2(Math.hypot(spanLateral[0], spanLateral[1], spanLateral[2]), Math.abs(spanAlong)) * 180) / Math.PI
      : 0;

  let spacingMm: number | undefined;
  if (problems.length > 0) spacingMm = undefined;
  else if (count === 1)
    spacingMm = declaredSpacingMm !== undefined && declaredSpacingMm > 0 ? declaredSpacingMm : undefined;
  else {
    const gaps = order.slice(1).map((_, k) => d(k + 1) - d(k));
    const medianGapMm = [...gaps].sort((a, b) => a - b)[Math.floor((gaps.length - 1) / 2)]!;
    gaps.forEach((gapMm, k) => {
      if (gapMm > missingSliceFactor * medianGapMm)
        problems.push({ kind: 'missing-slices', between: [order[k]!, order[k + 1]!], gapMm, medianGapMm });
    });
    if (problems.length === 0) {
      const meanGapMm = (d(count - 1) - d(0)) / (count - 1);
      spacingMm = meanGapMm;
      const tolerance = Math.max(spacingRelativeTolerance * meanGapMm, spacingAbsoluteToleranceMm);
      if (gaps.some((g) => Math.abs(g - meanGapMm) > tolerance))
        problems.push({ kind: 'non-uniform', minGapMm: Math.min(...gaps), maxGapMm: Math.max(...gaps) });
    }
  }
  return { normal, order, distancesMm, planesMm, spacingMm, tiltDegrees, problems };
}
