import { identityDirection, voxelCount, type Volume } from './volume';

/** Label values of the synthetic smoke-test labelmap. */
export const syntheticLabels = { background: 0, organ: 1, lesion: 2 } as const;

/**
 * A small labelmap for proving the 3D pipeline: an axis-aligned box "organ" (label 1) that
 * holds a sphere "lesion" (label 2). Deterministic and analytic, so counts can be derived by
 * hand: the box spans voxels [boxMin, boxMax) on each axis; a voxel is in the sphere when the
 * physical distance of its centre from the sphere centre is ≤ radiusMm.
 * @param size voxels per axis (default 32)
 * @param spacingMm voxel size (default 1 mm isotropic)
 * @throws RangeError when size < 8
 */
export function createSyntheticLabelmap(
  size = 32,
  spacingMm: [number, number, number] = [1, 1, 1],
): Volume<Uint8Array> {
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`size must be an integer ≥ 8, got ${size}`);
  const dims: [number, number, number] = [size, size, size];
  const voxels = new Uint8Array(voxelCount(dims));
  const { boxMin, boxMax, centerIjk, radiusMm } = syntheticLabelmapLayout(size, spacingMm);
  for (let k = 0; k < size; k++) {
    for (let j = 0; j < size; j++) {
      for (let i = 0; i < size; i++) {
        const inBox = i >= boxMin && i < boxMax && j >= boxMin && j < boxMax && k >= boxMin && k < boxMax;
        if (!inBox) continue;
        const dx = (i - centerIjk) * spacingMm[0];
        const dy = (j - centerIjk) * spacingMm[1];
        const dz = (k - centerIjk) * spacingMm[2];
        const inSphere = dx * dx + dy * dy + dz * dz <= radiusMm * radiusMm;
        voxels[i + j * size + k * size * size] = inSphere ? syntheticLabels.lesion : syntheticLabels.organ;
      }
    }
  }
  return { dims, spacingMm, originMm: [0, 0, 0], direction: [...identityDirection], voxels };
}

/** The geometry `createSyntheticLabelmap` draws, exposed so tests can derive counts by hand. */
export function syntheticLabelmapLayout(size: number, spacingMm: readonly [number, number, number]) {
  const boxMin = Math.floor(size / 8);
  const boxMax = size - boxMin;
  const centerIjk = Math.floor(size / 2);
  const radiusMm = (size / 5) * Math.min(...spacingMm);
  return { boxMin, boxMax, centerIjk, radiusMm };
}

/** Counts voxels equal to `label`. */
export function countLabel(volume: Volume, label: number): number {
  let n = 0;
  const v = volume.voxels;
  for (let idx = 0; idx < v.length; idx++) if (v[idx] === label) n++;
  return n;
}
