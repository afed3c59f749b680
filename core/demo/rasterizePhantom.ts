import { voxelCount, type Volume } from '../imaging/volume';
import type { PaintOp, PhantomShape, Vec3 } from './demoPhantom';

/** Relative slack that keeps voxel centres lying exactly on a shape's surface inside it. */
const boundaryTolerance = 1e-9;

/** An axis-aligned grid in LPS (direction identity): voxel (i, j, k) at originMm + (i·sx, j·sy, k·sz). */
export interface AxialGrid {
  dims: [number, number, number];
  spacingMm: [number, number, number];
  originMm: [number, number, number];
}

/**
 * Samples a phantom at voxel centres into a uint8 labelmap: every voxel starts as label 0, then
 * each paint operation in order sets its label on the voxels whose centre lies inside its shape
 * (boundary included) and whose current label is in `onlyOver` (any label when absent).
 * Shapes are in body millimetres; body = LPS − anatomyOffsetMm. Crisp sampling (no partial
 * volume), so a voxel belongs to exactly one tissue and counts are exact.
 * @throws RangeError for a grid with non-positive spacing
 */
export function rasterizePhantom(ops: readonly PaintOp[], grid: AxialGrid, anatomyOffsetMm: Vec3): Volume<Uint8Array> {
  const [nx, ny] = grid.dims;
  const [sx, sy, sz] = grid.spacingMm;
  if (!(sx > 0 && sy > 0 && sz > 0)) throw new RangeError('grid spacing must be positive');
  const labels = new Uint8Array(voxelCount(grid.dims));
  // Body coordinate of index n along each axis.
  const bx = (i: number) => grid.originMm[0] + i * sx - anatomyOffsetMm[0];
  const by = (j: number) => grid.originMm[1] + j * sy - anatomyOffsetMm[1];
  const bz = (k: number) => grid.originMm[2] + k * sz - anatomyOffsetMm[2];
  // Index range [lo, hi] of voxel centres with body coordinate in [min, max] along an axis. The
  // tolerance keeps centres exactly on a boundary inside despite rounding (e.g. 1 − 0.8² ≠ 0.36).
  const range = (min: number, max: number, axis: 0 | 1 | 2): [number, number] => {
    const o = grid.originMm[axis] - anatomyOffsetMm[axis];
    const s = grid.spacingMm[axis];
    const n = grid.dims[axis];
    return [
      Math.max(0, Math.ceil((min - o) / s - boundaryTolerance)),
      Math.min(n - 1, Math.floor((max - o) / s + boundaryTolerance)),
    ];
  };
  const allowed = new Uint8Array(256);

  for (const op of ops) {
    allowed.fill(op.onlyOver ? 0 : 1);
    for (const l of op.onlyOver ?? []) allowed[l] = 1;
    const paint = (row: number, i0: number, i1: number) => {
      for (let i = i0; i <= i1; i++) if (allowed[labels[row + i]!] === 1) labels[row + i] = op.label;
    };
    const s: PhantomShape = op.shape;
    if (s.kind === 'ellipsoid' || s.kind === 'cylinder') {
      const [cx, cy] = s.centreMm;
      const [rx, ry] = s.semiAxesMm;
      const zRange: [number, number] =
        s.kind === 'ellipsoid'
          ? [s.centreMm[2] - s.semiAxesMm[2], s.centreMm[2] + s.semiAxesMm[2]]
          : (s.zRangeMm ?? [-Infinity, Infinity]);
      const maxY = s.kind === 'ellipsoid' && s.maxYMm !== undefined ? Math.min(s.maxYMm, cy + ry) : cy + ry;
      const [k0, k1] = range(zRange[0], zRange[1], 2);
      const [j0, j1] = range(cy - ry, maxY, 1);
      for (let k = k0; k <= k1; k++) {
        const dz = s.kind === 'ellipsoid' ? (bz(k) - s.centreMm[2]) / s.semiAxesMm[2] : 0;
        for (let j = j0; j <= j1; j++) {
          const dy = (by(j) - cy) / ry;
          const rest = 1 - dy * dy - dz * dz;
          if (rest < -boundaryTolerance) continue;
          const half = rx * Math.sqrt(Math.max(0, rest));
          const [i0, i1] = range(cx - half, cx + half, 0);
          paint(j * nx + k * nx * ny, i0, i1);
        }
      }
    } else {
      const { fromMm: a, toMm: b, radiusMm: r } = s;
      const [k0, k1] = range(Math.min(a[2], b[2]) - r, Math.max(a[2], b[2]) + r, 2);
      const [j0, j1] = range(Math.min(a[1], b[1]) - r, Math.max(a[1], b[1]) + r, 1);
      const [i0, i1] = range(Math.min(a[0], b[0]) - r, Math.max(a[0], b[0]) + r, 0);
      const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]] as const;
      const dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      for (let k = k0; k <= k1; k++) {
        const pz = bz(k) - a[2];
        for (let j = j0; j <= j1; j++) {
          const py = by(j) - a[1];
          const row = j * nx + k * nx * ny;
          for (let i = i0; i <= i1; i++) {
            if (allowed[labels[row + i]!] !== 1) continue;
            const px = bx(i) - a[0];
            const t = dd === 0 ? 0 : Math.min(1, Math.max(0, (px * d[0] + py * d[1] + pz * d[2]) / dd));
            const ex = px - t * d[0];
            const ey = py - t * d[1];
            const ez = pz - t * d[2];
            if (ex * ex + ey * ey + ez * ez <= r * r * (1 + boundaryTolerance)) labels[row + i] = op.label;
          }
        }
      }
    }
  }
  return {
    dims: [...grid.dims],
    spacingMm: [...grid.spacingMm],
    originMm: [...grid.originMm],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    voxels: labels,
  };
}
