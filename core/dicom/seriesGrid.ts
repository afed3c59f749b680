import type { IndexedImage } from './seriesProblems';
import { stackSlices } from './stackSlices';

/**
 * The grid a series spans, from what the index holds (no pixels): used to show dims and spacing
 * in the series list before any volume is loaded.
 * - dims: [Columns, Rows, number of frames] of the first image.
 * - spacing: [Pixel Spacing column value, row value, slice spacing] where the slice spacing is
 *   `stackSlices`' (the mean gap along the normal between the positions of every frame),
 *   the same rule and value `buildVolume` gives the loaded volume; never Slice Thickness, which
 *   scanners fill with the reconstruction thickness.
 * @returns null without Rows or Columns; spacing null without an orientation or pixel spacing,
 *   for a single slice (only loading takes a declared spacing), and for slices that are no
 *   regular stack (duplicate, off-axis or missing slices: the series is not loadable), and with
 *   `stack: false` (a DICOM SEG: its frames, one per segment and slice and possibly sparse, are
 *   stacked on reading, by `stackFrames`)
 */
export function seriesGrid(
  images: readonly Pick<
    IndexedImage,
    'rows' | 'columns' | 'orientation' | 'pixelSpacingMm' | 'positionsMm' | 'frames'
  >[],
  options: { stack?: boolean } = {},
): { dims: [number, number, number]; spacingMm: [number, number, number] | null } | null {
  const first = images[0];
  if (!first?.rows || !first.columns) return null;
  const frames = images.reduce((n, s) => n + Math.max(1, s.frames), 0);
  const dims: [number, number, number] = [first.columns, first.rows, frames];
  const orientation = images.find((s) => s.orientation?.length === 6)?.orientation;
  const pixelSpacing = first.pixelSpacingMm;
  // PixelSpacing is (row spacing = between rows, column spacing = between columns): x uses [1].
  if (options.stack === false || !orientation || !pixelSpacing || pixelSpacing.length < 2)
    return { dims, spacingMm: null };
  const positions = images.flatMap((s) => s.positionsMm.filter((p) => p.length === 3));
  // No declared spacing: a single slice has none from positions.
  const sliceSpacing = positions.length > 0 ? stackSlices(positions, orientation).spacingMm : undefined;
  return { dims, spacingMm: sliceSpacing ? [pixelSpacing[1]!, pixelSpacing[0]!, sliceSpacing] : null };
}
