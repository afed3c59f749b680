import { lpsToIjk, ijkToLps, type Vec3 } from '../imaging/coordinates';
import type { Grid } from '../imaging/grid';

export type RoiShape = 'sphere' | 'cube';

export interface RoiSpec {
  /** Centre in LPS millimetres. */
  centerLps: Vec3;
  /** Intended ROI volume in mL (cm³): 1.0 by default, 0.5 when little tumour-free liver remains (SPEC §2). */
  volumeMl: number;
  shape: RoiShape;
}

export interface RoiVoxels {
  /** Linear indices (i + j·nx + k·nx·ny) of the grid voxels whose centres are inside the ROI. */
  indices: Uint32Array;
  /** True when part of the ROI lies outside the image grid. */
  leavesImage: boolean;
}

/** Sphere radius (mm) of a volume in mL: r = ∛(3V / 4π), V in mm³ = mL × 1000. */
export function sphereRadiusMm(volumeMl: number): number {
  return Math.cbrt((3 * volumeMl * 1000) / (4 * Math.PI));
}

/** Cube edge (mm) of a volume in mL: a = ∛V, V in mm³. */
export function cubeEdgeMm(volumeMl: number): number {
  return Math.cbrt(volumeMl * 1000);
}

/**
 * The voxels of a grid inside an ROI, by physical distance of the voxel centres (anisotropic
 * spacing and any orthonormal direction handled): sphere: |p − c| ≤ r; cube: an axis-aligned
 * cube in the grid's own axes, |(p − c)·axis_c| ≤ a/2 on each axis.
 * @throws RangeError for a non-positive or non-finite volume, or a non-finite centre
 */
export function roiVoxels(grid: Grid, roi: RoiSpec): RoiVoxels {
  if (!(roi.volumeMl > 0) || !Number.isFinite(roi.volumeMl))
    throw new RangeError(`ROI volume must be a positive number of mL, got ${roi.volumeMl}`);
  if (!roi.centerLps.every(Number.isFinite)) throw new RangeError('ROI centre must be three finite LPS coordinates');
  const halfMm = roi.shape === 'sphere' ? sphereRadiusMm(roi.volumeMl) : cubeEdgeMm(roi.volumeMl) / 2;
  const centreIjk = lpsToIjk(grid, roi.centerLps);
  const lo: number[] = [];
  const hi: number[] = [];
  let leavesImage = false;
  for (let c = 0; c < 3; c++) {
    const reach = halfMm / grid.spacingMm[c]!;
    const a = Math.ceil(centreIjk[c]! - reach - 1e-9);
    const b = Math.floor(centreIjk[c]! + reach + 1e-9);
    if (a < 0 || b > grid.dims[c]! - 1) leavesImage = true;
    lo.push(Math.max(0, a));
    hi.push(Math.min(grid.dims[c]! - 1, b));
  }
  const [nx, ny] = grid.dims;
  const out: number[] = [];
  const r2 = halfMm * halfMm;
  for (let k = lo[2]!; k <= hi[2]!; k++) {
    for (let j = lo[1]!; j <= hi[1]!; j++) {
      for (let i = lo[0]!; i <= hi[0]!; i++) {
        // Offsets along the grid axes in mm (the axes are orthonormal, so this is exact).
        const u = (i - centreIjk[0]!) * grid.spacingMm[0]!;
        const v = (j - centreIjk[1]!) * grid.spacingMm[1]!;
        const w = (k - centreIjk[2]!) * grid.spacingMm[2]!;
        const inside =
          roi.shape === 'sphere'
            ? u * u + v * v + w * w <= r2 + 1e-9
            : Math.abs(u) <= halfMm + 1e-9 && Math.abs(v) <= halfMm + 1e-9 && Math.abs(w) <= halfMm + 1e-9;
        if (inside) out.push(i + j * nx + k * nx * ny);
      }
    }
  }
  return { indices: Uint32Array.from(out), leavesImage };
}

/** LPS centre of a voxel index triple (re-exported for ROI callers). */
export { ijkToLps };
