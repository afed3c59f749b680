import type { Volume } from './volume';

/** The geometry of a volume without its voxels. */
export type Grid = Pick<Volume, 'dims' | 'spacingMm' | 'originMm' | 'direction'>;

/**
 * Whether two grids are the same voxel for voxel: equal dims, and origin, spacing and
 * direction equal within `toleranceMm` (positions) and 1e-4 (direction cosines).
 */
export function sameGrid(a: Grid, b: Grid, toleranceMm = 1e-3): boolean {
  if (a.dims.some((d, i) => d !== b.dims[i])) return false;
  if (a.spacingMm.some((s, i) => Math.abs(s - b.spacingMm[i]!) > toleranceMm)) return false;
  if (a.originMm.some((o, i) => Math.abs(o - b.originMm[i]!) > toleranceMm)) return false;
  return a.direction.every((d, i) => Math.abs(d - b.direction[i]!) <= 1e-4);
}

/** A grid in words for error messages: dims, spacing, origin and direction. */
export function describeGrid(g: Grid): string {
  const f = (v: readonly number[], digits = 2) => v.map((x) => Number(x.toFixed(digits))).join(', ');
  return `${g.dims.join('x')} voxels of ${f(g.spacingMm, 3)} mm at origin (${f(g.originMm)}) mm, direction (${f(g.direction, 3)})`;
}
