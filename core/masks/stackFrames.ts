import type { FrameGeometry } from '../dicom/sliceHeader';
import { orientationTolerance, pixelSpacingToleranceMm, stackSlices } from '../dicom/stackSlices';
import { allClose } from '../imaging/vec3';
import type { Grid } from '../imaging/grid';
import { MaskReadError } from './maskReadError';

/** Where the frames of a multi-frame object lie on one regular grid. */
export interface FrameStack {
  /** The grid: i along the row cosines, j along the column cosines, k along their cross product. */
  grid: Grid;
  /** The slice index k of every frame, in frame order. */
  sliceOfFrame: number[];
}

export interface StackFramesOptions {
  /** A slice spacing to try first (mm), e.g. the target CT's, so that sparse frames land on its slices. */
  preferredSpacingMm?: number;
  /** Spacings the object states (Spacing Between Slices, Slice Thickness, mm); undefined entries are skipped. */
  statedSpacingsMm?: readonly (number | undefined)[];
}

/** A frame is off its slice by at most max(0.02 mm, 5 % of the spacing). */
const offSliceAbsoluteMm = 0.02;
const offSliceRelative = 0.05;
/** Spacings finer than this fraction of the smallest gap, or grids of more slices, are refused. */
const finestFractionOfGap = 1 / 16;
const maxSlices = 10_000;

/**
 * Stacks the frames of a multi-frame object whose frames may be sparse (only some slices), in
 * any order and repeated (one frame per segment and slice) onto one regular grid, by position:
 * normal n, d_f = p_f · n, the distinct planes and the series axis come from `stackSlices` (the
 * rule CT volumes are stacked by); the origin is the first frame with the smallest d; slice
 * k_f = round((d_f − d_min) / s).
 * The slice spacing s is the first that puts every frame on a slice within
 * max(0.02 mm, 5 % of s): `preferredSpacingMm` first, then the smallest of the stated spacings
 * and the smallest gap between distinct frame positions (a smaller spacing that fits is always
 * safe: it only adds empty slices). A single slice takes the preferred spacing, else the
 * smallest stated one, else 1 mm.
 * Reference: DICOM PS3.3 §C.7.6.16.2.3 (Plane Position), §C.7.6.2.1.1 (Image Position/Orientation).
 * @throws MaskReadError('malformed') when there are no frames
 * @throws MaskReadError('unsupported') when frames differ in orientation or pixel spacing, are
 *   off the series axis (`stackSlices`; the lowest frame number is named), or lie on no regular
 *   grid of at most 10,000 slices
 */
export function stackFrames(
  frames: readonly FrameGeometry[],
  rows: number,
  columns: number,
  options: StackFramesOptions = {},
): FrameStack {
  const ref = frames[0];
  if (!ref) throw new MaskReadError('malformed', 'The object has no frames.');
  frames.forEach((f, index) => {
    const orientationOk =
      allClose(f.rowCosines, ref.rowCosines, orientationTolerance) &&
      allClose(f.columnCosines, ref.columnCosines, orientationTolerance);
    if (!orientationOk || !allClose(f.pixelSpacingMm, ref.pixelSpacingMm, pixelSpacingToleranceMm)) {
      throw new MaskReadError(
        'unsupported',
        `Frame ${index + 1} differs from frame 1 in orientation or pixel spacing; frames of one mask must share one plane geometry.`,
      );
    }
  });

  const stack = stackSlices(
    frames.map((f) => f.positionMm),
    [...ref.rowCosines, ...ref.columnCosines],
  );
  const { normal, distancesMm: along, planesMm: distinct } = stack;
  const offAxis = stack.problems.flatMap((p) => (p.kind === 'off-axis' ? [p] : []));
  if (offAxis.length > 0) {
    const p = offAxis.reduce((a, b) => (b.slice < a.slice ? b : a));
    throw new MaskReadError(
      'unsupported',
      `Frame ${p.slice + 1} is ${fmt(p.lateralMm)} mm off the line of frames along the slice normal; frames of one mask must be stacked (no tilt or in-plane shift).`,
    );
  }
  const first = stack.order[0]!;
  const origin = frames[first]!.positionMm;
  const dMin = along[first]!;

  const gaps = distinct.slice(1).map((d, n) => d - distinct[n]!);
  const minGap = gaps.length > 0 ? Math.min(...gaps) : undefined;
  const stated = (options.statedSpacingsMm ?? []).filter(
    (s): s is number => s !== undefined && Number.isFinite(s) && s > 0,
  );
  const preferred =
    options.preferredSpacingMm !== undefined &&
    Number.isFinite(options.preferredSpacingMm) &&
    options.preferredSpacingMm > 0
      ? options.preferredSpacingMm
      : undefined;

  let spacingMm: number | undefined;
  if (minGap === undefined) {
    spacingMm = preferred ?? (stated.length > 0 ? Math.min(...stated) : 1);
  } else {
    const span = distinct[distinct.length - 1]! - distinct[0]!;
    const fits = (s: number) =>
      s >= minGap * finestFractionOfGap &&
      span / s + 1 <= maxSlices &&
      distinct.every((d) => {
        const x = (d - distinct[0]!) / s;
        return Math.abs(x - Math.round(x)) * s <= Math.max(offSliceAbsoluteMm, offSliceRelative * s);
      });
    spacingMm =
      preferred !== undefined && fits(preferred) ? preferred : [...stated, minGap].sort((a, b) => a - b).find(fits);
    if (spacingMm === undefined) {
      throw new MaskReadError(
        'unsupported',
        `The frames lie at ${distinct.map(fmt).join(', ')} mm along the slice normal, which is no regular grid of slices (smallest gap ${fmt(minGap)} mm${stated.length > 0 ? `, stated spacing ${stated.map(fmt).join(' / ')} mm` : ''}).`,
      );
    }
  }
  const s = spacingMm;
  const sliceOfFrame = along.map((d) => Math.round((d - dMin) / s));
  const slices = Math.max(...sliceOfFrame) + 1;
  return {
    grid: {
      dims: [columns, rows, slices],
      spacingMm: [ref.pixelSpacingMm[1], ref.pixelSpacingMm[0], s],
      originMm: [origin[0], origin[1], origin[2]],
      direction: [...ref.rowCosines, ...ref.columnCosines, ...normal],
    },
    sliceOfFrame,
  };
}

function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
