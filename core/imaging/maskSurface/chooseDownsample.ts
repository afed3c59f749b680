/** Block sizes `extractMaskSurface` accepts: b×b×b voxels are merged into one grid sample. */
export type DownsampleFactor = 1 | 2 | 3 | 4;

/** The default cell budget: 256³ = 16,777,216 grid samples (≈ 0.1–0.2 s of scanning). */
export const maxSurfaceGridSamples = 256 ** 3;

/**
 * The smallest block size b ∈ {1, 2, 3, 4} for which the downsampled grid,
 * ⌈n0/b⌉·⌈n1/b⌉·⌈n2/b⌉ samples, fits the budget; 4 when even that does not fit.
 * Examples: a 300x250x160 liver box holds 12.0 M voxels ≤ 16.8 M → 1; a whole 512x512x300
 * grid holds 78.6 M voxels → b = 2 gives 256·256·150 = 9.8 M samples → 2.
 * @param sizeVoxels voxels per axis of the region that will be scanned
 * @param maxSamples the budget (default 256³)
 * @throws RangeError for non-positive or non-integer sizes
 */
export function chooseDownsample(
  sizeVoxels: readonly [number, number, number],
  maxSamples = maxSurfaceGridSamples,
): DownsampleFactor {
  for (const n of sizeVoxels) {
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`sizes must be positive integers, got ${sizeVoxels.join('x')}`);
  }
  for (const b of [1, 2, 3] as const) {
    const samples = Math.ceil(sizeVoxels[0] / b) * Math.ceil(sizeVoxels[1] / b) * Math.ceil(sizeVoxels[2] / b);
    if (samples <= maxSamples) return b;
  }
  return 4;
}
