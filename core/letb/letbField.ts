import { describeGrid, sameGrid, type Grid } from '../imaging/grid';
import { resampleLinear } from '../imaging/resampleLinear';
import { voxelVolumeMl, type Volume } from '../imaging/volume';

/** Thrown when the inputs of LETB cannot be combined (different grids, empty mask). */
export class LetbInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LetbInputError';
  }
}

/**
 * Everything LETB needs of one timepoint, computed in one pass (SPEC §2 steps 1-2): the
 * subtraction S = arterial − precontrast on the arterial grid, the liver voxels, and their S
 * values sorted once so that the enhancing count for any threshold is a binary search, exact
 * for integer and non-integer HU alike.
 */
export interface LetbField {
  grid: Grid;
  /** S for every grid voxel (HU); NaN where the precontrast does not cover the arterial grid. */
  subtraction: Float32Array;
  /** The liver mask on the arterial grid (non-zero = liver). */
  liverMask: Uint8Array;
  /** Linear indices of the liver voxels, ascending. */
  liverIndices: Uint32Array;
  /** S of the liver voxels, ascending (NaN-free: liver voxels without precontrast are refused). */
  sortedLiverHu: Float32Array;
  liverVoxels: number;
  voxelMl: number;
  liverMl: number;
  /** True when the precontrast was resampled onto the arterial grid (trilinear). */
  resampledPrecontrast: boolean;
}

/**
 * Builds the LETB field of a timepoint.
 * @param arterial late arterial phase, HU
 * @param precontrast precontrast phase, HU; resampled onto the arterial grid when the grids differ
 * @param liverMask liver mask already on the arterial grid (see core/masks), non-zero = liver
 * @throws LetbInputError when the mask is not on the arterial grid, is empty, or liver voxels
 *   fall outside the precontrast series
 */
export function buildLetbField(arterial: Volume, precontrast: Volume, liverMask: Volume<Uint8Array>): LetbField {
  if (!sameGrid(arterial, liverMask)) {
    throw new LetbInputError(`The liver mask is not on the arterial grid: mask ${describeGrid(liverMask)}; arterial ${describeGrid(arterial)}.`);
  }
  const resampled = !sameGrid(arterial, precontrast);
  const pre = resampled ? resampleLinear(precontrast, arterial) : precontrast;
  const a = arterial.voxels;
  const p = pre.voxels;
  const m = liverMask.voxels;
  const n = a.length;
  const subtraction = new Float32Array(n);
  let liverVoxels = 0;
  for (let i = 0; i < n; i++) {
    subtraction[i] = a[i]! - p[i]!;
    if (m[i] !== 0) liverVoxels++;
  }
  if (liverVoxels === 0) throw new LetbInputError('The liver mask is empty.');
  const liverIndices = new Uint32Array(liverVoxels);
  const liverHu = new Float32Array(liverVoxels);
  for (let i = 0, q = 0; i < n; i++) {
    if (m[i] === 0) continue;
    const s = subtraction[i]!;
    if (Number.isNaN(s)) throw new LetbInputError('Part of the liver mask lies outside the precontrast series; LETB needs both phases over the whole liver.');
    liverIndices[q] = i;
    liverHu[q++] = s;
  }
  const sortedLiverHu = liverHu.sort();
  const voxelMl = voxelVolumeMl(arterial.spacingMm);
  return {
    grid: { dims: [...arterial.dims], spacingMm: [...arterial.spacingMm], originMm: [...arterial.originMm], direction: [...arterial.direction] },
    subtraction,
    liverMask: m,
    liverIndices,
    sortedLiverHu,
    liverVoxels,
    voxelMl,
    liverMl: liverVoxels * voxelMl,
    resampledPrecontrast: resampled,
  };
}

/** Number of liver voxels with S strictly greater than `thresholdHu` (binary search, O(log n)). */
export function countAbove(field: LetbField, thresholdHu: number): number {
  const s = field.sortedLiverHu;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! <= thresholdHu) lo = mid + 1;
    else hi = mid;
  }
  return s.length - lo;
}
