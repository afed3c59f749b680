/** Voxel arrays a Volume may carry: CT in HU (Int16/Float32), masks and labelmaps (Uint8). */
export type VoxelArray = Int16Array | Uint16Array | Uint8Array | Int32Array | Float32Array;

/**
 * A 3D image on a regular grid in patient space (LPS, millimetres). Voxel (i, j, k) sits at
 * originMm + i·spacing[0]·dirI + j·spacing[1]·dirJ + k·spacing[2]·dirK, where direction holds
 * dirI, dirJ, dirK as its three columns (column-major 3x3, the layout vtk.js uses).
 * Voxels are stored with i fastest: index = i + j·dims[0] + k·dims[0]·dims[1].
 */
export interface Volume<T extends VoxelArray = VoxelArray> {
  dims: [number, number, number];
  spacingMm: [number, number, number];
  originMm: [number, number, number];
  direction: [number, number, number, number, number, number, number, number, number];
  voxels: T;
}

export const identityDirection: Volume['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Number of voxels a grid of `dims` holds. @throws RangeError for non-positive or non-integer dims */
export function voxelCount(dims: readonly [number, number, number]): number {
  for (const d of dims) {
    if (!Number.isInteger(d) || d <= 0) throw new RangeError(`dims must be positive integers, got ${dims.join('x')}`);
  }
  return dims[0] * dims[1] * dims[2];
}

/** Volume of one voxel in millilitres (cm³): sx·sy·sz mm³ / 1000 (SPEC §2 step 5). */
export function voxelVolumeMl(spacingMm: readonly [number, number, number]): number {
  return (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000;
}
