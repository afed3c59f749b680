import { describeGrid, sameGrid, type Grid } from '../imaging/grid';
import type { Volume } from '../imaging/volume';
import { voxelCount, voxelVolumeMl } from '../imaging/volume';
import { gridProblem } from './gridProblem';
import { MaskGridError } from './maskGridError';

export interface MaskOnGridOptions {
  /**
   * Largest angle (radians) between a mask axis and the nearest target axis for the two to
   * count as the same line; default 1e-3 (0.057°: under 0.5 mm over 500 mm).
   */
  angleToleranceRad?: number;
  /**
   * Refuse the mask ('barely-overlaps') when less than this fraction of its foreground voxels
   * (on its own grid) lie inside the target grid, e.g. 0.5; default: no such check.
   */
  minInsideFraction?: number;
}

/** A mask on a target grid, with its size. */
export interface MaskOnGrid {
  /** On the target grid (its geometry copied), 1 inside the mask, 0 elsewhere. */
  mask: Volume<Uint8Array>;
  /** Voxels set. */
  voxels: number;
  /** voxels × sx·sy·sz / 1000 of the target grid, mL (SPEC §2 step 5). */
  volumeMl: number;
  /** False when the grids were the same (`sameGrid`) and voxels were taken one for one. */
  resampled: boolean;
  /** Non-zero mask voxels whose centres lie outside the target grid (lost in the mapping). */
  voxelsOutside: number;
  /** Non-zero voxels of the mask on its own grid (`voxelsOutside` of them fell outside the target). */
  maskVoxels: number;
}

type Matrix3 = [number, number, number, number, number, number, number, number, number];

/**
 * Places a mask (any Volume; non-zero = inside) on a target grid, e.g. the arterial CT.
 * - Same grid (`sameGrid`: equal dims, origin and spacing within 1e-3 mm, direction within
 *   1e-4): the voxels are used as they are.
 * - Otherwise nearest neighbour through patient space: each target voxel centre p takes the
 *   value of the mask voxel round(M_m⁻¹ (p − o_m)), where M = direction · diag(spacing) and o the
 *   origin of each grid (ties round up); centres outside the mask grid are 0. SEG frames, NIfTI
 *   and NRRD masks thus land on CT slices by position, never by index.
 * Only grids whose axes are permutations and flips of each other (within `angleToleranceRad`)
 * are resampled; a rotated mask is refused rather than interpolated. Both grids must be usable
 * (`gridProblem`: finite positive voxel sizes and a finite origin; for the mask also orthogonal
 * unit axes), so a NaN can never pass for "the same grid".
 * With `minInsideFraction`, a mask most of whose foreground lies outside the target is refused:
 * it was drawn on another field of view (or another patient), and what remains of it is no
 * whole-liver denominator.
 * Reference: SPEC §2 step 1 (liver mask on the arterial grid).
 * @throws MaskGridError('invalid-geometry') for an unusable grid; ('not-aligned') when a mask
 *   axis is off every target axis, or two mask axes share one target axis; ('no-overlap') when
 *   the grids share no voxel; ('barely-overlaps') below `minInsideFraction`
 * @throws RangeError when voxels do not match dims
 */
export function maskOnGrid(mask: Volume, target: Grid, options: MaskOnGridOptions = {}): MaskOnGrid {
  const sourceCount = voxelCount(mask.dims);
  if (mask.voxels.length !== sourceCount)
    throw new RangeError(
      `mask voxels has ${mask.voxels.length} values, dims ${mask.dims.join('x')} need ${sourceCount}`,
    );
  const count = voxelCount(target.dims);
  const geometry: Grid = {
    dims: [...target.dims],
    spacingMm: [...target.spacingMm],
    originMm: [...target.originMm],
    direction: [...target.direction],
  };
  const voxelMl = voxelVolumeMl(target.spacingMm);
  const src = mask.voxels;
  const maskProblem = gridProblem(mask);
  if (maskProblem)
    throw new MaskGridError(
      'invalid-geometry',
      `The mask's grid cannot be placed: ${maskProblem} (mask ${describeGrid(mask)}).`,
      mask,
      target,
    );
  const targetProblem = gridProblem(target, false);
  if (targetProblem)
    throw new MaskGridError(
      'invalid-geometry',
      `The target grid cannot take a mask: ${targetProblem} (target ${describeGrid(target)}).`,
      mask,
      target,
    );

  if (sameGrid(mask, target)) {
    const out = new Uint8Array(count);
    let voxels = 0;
    for (let n = 0; n < count; n++) {
      if (src[n] !== 0 && !Number.isNaN(src[n]!)) {
        out[n] = 1;
        voxels++;
      }
    }
    return {
      mask: { ...geometry, voxels: out },
      voxels,
      volumeMl: voxels * voxelMl,
      resampled: false,
      voxelsOutside: 0,
      maskVoxels: voxels,
    };
  }

  checkAligned(mask, target, options.angleToleranceRad ?? 1e-3);
  const both = () => `mask ${describeGrid(mask)}; target ${describeGrid(target)}`;
  const noOverlap = () =>
    new MaskGridError('no-overlap', `The mask does not overlap the target grid: ${both()}.`, mask, target);

  // Target index t → mask index: A·t + b, A = M_m⁻¹ M_t, b = M_m⁻¹ (o_t − o_m).
  const mInverse = invert(affineMatrix(mask));
  const a = multiply(mInverse, affineMatrix(target));
  const b = apply(mInverse, [
    target.originMm[0] - mask.originMm[0],
    target.originMm[1] - mask.originMm[1],
    target.originMm[2] - mask.originMm[2],
  ]);
  if (!extentsOverlap(mask, target)) throw noOverlap();

  const [nx, ny, nz] = target.dims;
  const [mx, my, mz] = mask.dims;
  const out = new Uint8Array(count);
  const rowX = new Float64Array(nx);
  const rowY = new Float64Array(nx);
  const rowZ = new Float64Array(nx);
  for (let i = 0; i < nx; i++) {
    rowX[i] = a[0] * i;
    rowY[i] = a[1] * i;
    rowZ[i] = a[2] * i;
  }
  let inside = 0;
  let voxels = 0;
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++, n += nx) {
      // +0.5 then floor = round half up, for every voxel the same way.
      const bx = a[3] * j + a[6] * k + b[0] + 0.5;
      const by = a[4] * j + a[7] * k + b[1] + 0.5;
      const bz = a[5] * j + a[8] * k + b[2] + 0.5;
      for (let i = 0; i < nx; i++) {
        const x = Math.floor(bx + rowX[i]!);
        const y = Math.floor(by + rowY[i]!);
        const z = Math.floor(bz + rowZ[i]!);
        if (x < 0 || y < 0 || z < 0 || x >= mx || y >= my || z >= mz) continue;
        inside++;
        const v = src[x + mx * (y + my * z)]!;
        if (v !== 0 && !Number.isNaN(v)) {
          out[n + i] = 1;
          voxels++;
        }
      }
    }
  }
  if (inside === 0) throw noOverlap();
  const { outside, foreground } = countOutside(mask, target);
  const min = options.minInsideFraction;
  if (min !== undefined && foreground > 0 && (foreground - outside) / foreground < min) {
    throw new MaskGridError(
      'barely-overlaps',
      `Only ${percent((foreground - outside) / foreground)} of the mask's ${foreground} voxels lie inside the target grid (at least ${percent(min)} must): it was drawn on another field of view. ${both()}.`,
      mask,
      target,
    );
  }
  return {
    mask: { ...geometry, voxels: out },
    voxels,
    volumeMl: voxels * voxelMl,
    resampled: true,
    voxelsOutside: outside,
    maskVoxels: foreground,
  };
}

/** A fraction as a percentage for messages: one decimal below 10 %, else whole. */
function percent(f: number): string {
  const p = f * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

/** Every mask axis within `tolerance` radians of a distinct target axis. */
function checkAligned(mask: Grid, target: Grid, tolerance: number): void {
  const used = new Set<number>();
  let worst = 0;
  for (let c = 0; c < 3; c++) {
    let best = -1;
    let bestCos = -1;
    for (let t = 0; t < 3; t++) {
      const cos =
        Math.abs(axis(mask, c).reduce((s, v, n) => s + v * axis(target, t)[n]!, 0)) /
        (norm(axis(mask, c)) * norm(axis(target, t)));
      if (cos > bestCos) [best, bestCos] = [t, cos];
    }
    const angle = Math.acos(Math.min(1, bestCos));
    worst = Math.max(worst, angle);
    if (angle > tolerance || used.has(best)) {
      throw new MaskGridError(
        'not-aligned',
        `The mask grid is rotated against the target grid (an axis is ${((worst * 180) / Math.PI).toFixed(1)}° off the nearest target axis; only flips and permutations of the axes are resampled): mask ${describeGrid(mask)}; target ${describeGrid(target)}.`,
        mask,
        target,
      );
    }
    used.add(best);
  }
}

/** Whether the voxel boxes (centres ± half a voxel) of the two grids intersect. */
function extentsOverlap(mask: Grid, target: Grid): boolean {
  const tInverse = invert(affineMatrix(target));
  const m = multiply(tInverse, affineMatrix(mask));
  const o = apply(tInverse, [
    mask.originMm[0] - target.originMm[0],
    mask.originMm[1] - target.originMm[1],
    mask.originMm[2] - target.originMm[2],
  ]);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const idx = [0, 1, 2].map((c) => ((corner >> c) & 1 ? mask.dims[c]! - 0.5 : -0.5)) as [number, number, number];
    const t = apply(m, idx);
    for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c]!, t[c]! + o[c]!);
      hi[c] = Math.max(hi[c]!, t[c]! + o[c]!);
    }
  }
  return [0, 1, 2].every((c) => hi[c]! > -0.5 && lo[c]! < target.dims[c]! - 0.5);
}

/** Non-zero mask voxels, and those of them whose centres round to no target voxel. */
function countOutside(mask: Volume, target: Grid): { outside: number; foreground: number } {
  const tInverse = invert(affineMatrix(target));
  const m = multiply(tInverse, affineMatrix(mask));
  const o = apply(tInverse, [
    mask.originMm[0] - target.originMm[0],
    mask.originMm[1] - target.originMm[1],
    mask.originMm[2] - target.originMm[2],
  ]);
  const [mx, my] = mask.dims;
  const [nx, ny, nz] = target.dims;
  let outside = 0;
  let foreground = 0;
  const v = mask.voxels;
  for (let n = 0; n < v.length; n++) {
    if (v[n] === 0 || Number.isNaN(v[n]!)) continue;
    foreground++;
    const i = n % mx;
    const j = Math.floor(n / mx) % my;
    const k = Math.floor(n / (mx * my));
    const x = Math.floor(m[0] * i + m[3] * j + m[6] * k + o[0] + 0.5);
    const y = Math.floor(m[1] * i + m[4] * j + m[7] * k + o[1] + 0.5);
    const z = Math.floor(m[2] * i + m[5] * j + m[8] * k + o[2] + 0.5);
    if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) outside++;
  }
  return { outside, foreground };
}

/** Column c (LPS step per index) of a grid: direction column c × spacing c. */
function axis(g: Grid, c: number): [number, number, number] {
  return [
    g.direction[3 * c]! * g.spacingMm[c]!,
    g.direction[3 * c + 1]! * g.spacingMm[c]!,
    g.direction[3 * c + 2]! * g.spacingMm[c]!,
  ];
}

function norm(v: readonly number[]): number {
  return Math.hypot(v[0]!, v[1]!, v[2]!);
}

/** M = direction · diag(spacing), column-major like `direction`. */
function affineMatrix(g: Grid): Matrix3 {
  return [...axis(g, 0), ...axis(g, 1), ...axis(g, 2)] as Matrix3;
}

/** Column-major 3x3 product a·b. */
function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array<number>(9);
  for (let c = 0; c < 3; c++) {
    for (let r = 0; r < 3; r++)
      out[3 * c + r] = a[r]! * b[3 * c]! + a[3 + r]! * b[3 * c + 1]! + a[6 + r]! * b[3 * c + 2]!;
  }
  return out as Matrix3;
}

function apply(m: Matrix3, v: readonly [number, number, number]): [number, number, number] {
  return [
    m[0] * v[0] + m[3] * v[1] + m[6] * v[2],
    m[1] * v[0] + m[4] * v[1] + m[7] * v[2],
    m[2] * v[0] + m[5] * v[1] + m[8] * v[2],
  ];
}

/** Inverse of a column-major 3x3 matrix (adjugate / determinant). */
function invert(m: Matrix3): Matrix3 {
  // Expansion along row 0: entry (0, c) is m[3c].
  const det = m[0] * cofactor(m, 0, 0) + m[3] * cofactor(m, 0, 1) + m[6] * cofactor(m, 0, 2);
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) throw new RangeError('grid axes are degenerate (zero volume)');
  // Entry (r, c) of the inverse = cofactor (c, r) / det.
  const out = new Array<number>(9);
  for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) out[3 * c + r] = cofactor(m, c, r) / det;
  return out as Matrix3;
}

/** Signed cofactor of entry (row r, column c) of a column-major matrix. */
function cofactor(m: Matrix3, r: number, c: number): number {
  const rows = [0, 1, 2].filter((x) => x !== r);
  const cols = [0, 1, 2].filter((x) => x !== c);
  const at = (rr: number, cc: number) => m[3 * cc + rr]!;
  const minor = at(rows[0]!, cols[0]!) * at(rows[1]!, cols[1]!) - at(rows[0]!, cols[1]!) * at(rows[1]!, cols[0]!);
  return (r + c) % 2 === 0 ? minor : -minor;
}
