import type { Volume } from '../imaging/volume';
import { voxelCount } from '../imaging/volume';

/**
 * A binary mask from a label image on the same grid: 1 where the voxel equals `label`, or,
 * without a label, wherever it is non-zero (so a float probability map counts every voxel
 * above 0); 0 elsewhere. NaN is never in the mask.
 * @returns a new volume with copied geometry and Uint8Array voxels (0/1)
 * @throws RangeError when the voxel array does not match dims, or `label` is not finite
 */
export function labelMask(volume: Volume, label?: number): Volume<Uint8Array> {
  const count = voxelCount(volume.dims);
  if (volume.voxels.length !== count)
    throw new RangeError(`voxels has ${volume.voxels.length} values, dims ${volume.dims.join('x')} need ${count}`);
  if (label !== undefined && !Number.isFinite(label))
    throw new RangeError(`label must be a finite number, got ${label}`);
  const src = volume.voxels;
  const out = new Uint8Array(count);
  if (label === undefined) {
    for (let n = 0; n < count; n++) out[n] = src[n]! !== 0 && !Number.isNaN(src[n]!) ? 1 : 0;
  } else {
    for (let n = 0; n < count; n++) out[n] = src[n] === label ? 1 : 0;
  }
  return {
    dims: [...volume.dims],
    spacingMm: [...volume.spacingMm],
    originMm: [...volume.originMm],
    direction: [...volume.direction],
    voxels: out,
  };
}
