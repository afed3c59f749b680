/**
 * The grid a series of single-frame slices spans, from its headers alone (no pixels): used to
 * show dims and spacing in the series list before any volume is loaded.
 * Slice spacing is the median distance between neighbouring slice positions projected on the
 * slice normal (row × column direction cosines), never SliceThickness, which scanners fill
 * with the reconstruction thickness.
 * @returns null when positions or orientation are missing
 */
export function seriesGrid(
  slices: readonly { position: readonly number[] | null; orientation: readonly number[] | null; frames: number }[],
  rows: number | null,
  columns: number | null,
  pixelSpacingMm: readonly number[] | null,
): { dims: [number, number, number]; spacingMm: [number, number, number] | null } | null {
  if (!rows || !columns) return null;
  const frames = slices.reduce((n, s) => n + Math.max(1, s.frames), 0);
  const dims: [number, number, number] = [columns, rows, frames];
  const o = slices.find((s) => s.orientation?.length === 6)?.orientation;
  // PixelSpacing is (row spacing = between rows, column spacing = between columns): x uses [1].
  const inPlane: [number, number] | null =
    pixelSpacingMm && pixelSpacingMm.length >= 2 ? [pixelSpacingMm[1]!, pixelSpacingMm[0]!] : null;
  if (!o || !inPlane) return { dims, spacingMm: null };
  const normal = [o[1]! * o[5]! - o[2]! * o[4]!, o[2]! * o[3]! - o[0]! * o[5]!, o[0]! * o[4]! - o[1]! * o[3]!];
  const distances = slices
    .filter((s) => s.position?.length === 3)
    .map((s) => s.position![0]! * normal[0]! + s.position![1]! * normal[1]! + s.position![2]! * normal[2]!)
    .sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < distances.length; i++) gaps.push(distances[i]! - distances[i - 1]!);
  gaps.sort((a, b) => a - b);
  const median = gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)]! : Number.NaN;
  return { dims, spacingMm: Number.isFinite(median) && median > 0 ? [inPlane[0], inPlane[1], median] : null };
}
