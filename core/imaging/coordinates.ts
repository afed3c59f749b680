import type { Volume } from './volume';

export type Vec3 = [number, number, number];

/** Column `c` (0 = i, 1 = j, 2 = k) of a volume's direction matrix: that index axis in LPS. */
export function axisDirection(direction: Volume['direction'], c: 0 | 1 | 2): Vec3 {
  return [direction[c * 3]!, direction[c * 3 + 1]!, direction[c * 3 + 2]!];
}

/**
 * Continuous voxel index → LPS millimetres: p = origin + Σ_c index_c · spacing_c · axis_c.
 * Voxel centres sit at integer indices (DICOM ImagePositionPatient is the first voxel's centre).
 */
export function ijkToLps(v: Pick<Volume, 'originMm' | 'spacingMm' | 'direction'>, ijk: readonly number[]): Vec3 {
  const out: Vec3 = [v.originMm[0], v.originMm[1], v.originMm[2]];
  for (let c = 0 as 0 | 1 | 2; c < 3; c = (c + 1) as 0 | 1 | 2) {
    const a = axisDirection(v.direction, c);
    const d = ijk[c]! * v.spacingMm[c]!;
    out[0] += a[0] * d;
    out[1] += a[1] * d;
    out[2] += a[2] * d;
  }
  return out;
}

/**
 * LPS millimetres → continuous voxel index, for orthonormal direction matrices (the inverse is
 * the transpose): index_c = axis_c · (p − origin) / spacing_c.
 */
export function lpsToIjk(v: Pick<Volume, 'originMm' | 'spacingMm' | 'direction'>, lps: readonly number[]): Vec3 {
  const d: Vec3 = [lps[0]! - v.originMm[0], lps[1]! - v.originMm[1], lps[2]! - v.originMm[2]];
  const out: Vec3 = [0, 0, 0];
  for (let c = 0 as 0 | 1 | 2; c < 3; c = (c + 1) as 0 | 1 | 2) {
    const a = axisDirection(v.direction, c);
    out[c] = (a[0] * d[0] + a[1] * d[1] + a[2] * d[2]) / v.spacingMm[c]!;
  }
  return out;
}

/** The voxel value at the nearest voxel centre, or undefined outside the grid. */
export function voxelAt(v: Volume, ijk: readonly number[]): number | undefined {
  const i = Math.round(ijk[0]!);
  const j = Math.round(ijk[1]!);
  const k = Math.round(ijk[2]!);
  if (i < 0 || j < 0 || k < 0 || i >= v.dims[0] || j >= v.dims[1] || k >= v.dims[2]) return undefined;
  return v.voxels[i + j * v.dims[0] + k * v.dims[0] * v.dims[1]];
}

/** Index of the volume axis (0 = i, 1 = j, 2 = k) most parallel to an LPS direction. */
export function axisAlongDirection(direction: Volume['direction'], lps: Vec3): 0 | 1 | 2 {
  let best: 0 | 1 | 2 = 0;
  let bestDot = -1;
  for (let c = 0 as 0 | 1 | 2; c < 3; c = (c + 1) as 0 | 1 | 2) {
    const a = axisDirection(direction, c);
    const dot = Math.abs(a[0] * lps[0] + a[1] * lps[1] + a[2] * lps[2]);
    if (dot > bestDot) [best, bestDot] = [c, dot];
  }
  return best;
}
