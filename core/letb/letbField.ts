import { describeGrid, sameGrid, type Grid } from '../imaging/grid';
import { resampleLinear } from '../imaging/resampleLinear';
import { voxelVolumeMl, type Volume, type VoxelArray } from '../imaging/volume';

/** Thrown when the inputs of LETB cannot be combined (different grids, empty mask). */
export class LetbInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LetbInputError';
  }
}

/**
 * How the liver's subtraction values are kept for counting: an exact histogram over integer
 * HU (both phases integer-valued: count above T is one lookup), or the values sorted (a
 * resampled precontrast gives non-integer HU: count above T is a binary search).
 */
export type LiverValues =
  | {
      kind: 'histogram';
      /** HU of bin 0 */ minHu: number;
      /** atLeast[b] = voxels with S ≥ minHu + b */ atLeast: Uint32Array;
    }
  | { kind: 'sorted'; values: Float32Array };

/**
 * Everything LETB needs of one timepoint, from one pass (SPEC §2 steps 1-2): both phases on
 * the arterial grid, so S = arterial − precontrast is read where needed (ROI voxels), and the
 * liver's S values kept so that the enhancing count for any threshold is exact and immediate.
 */
export interface LetbField {
  grid: Grid;
  arterial: VoxelArray;
  /** Precontrast on the arterial grid (resampled when the grids differed; NaN outside it). */
  precontrast: VoxelArray;
  /** The liver mask on the arterial grid (non-zero = liver). */
  liverMask: Uint8Array;
  liverValues: LiverValues;
  liverVoxels: number;
  voxelMl: number;
  liverMl: number;
  /** True when the precontrast was resampled onto the arterial grid (trilinear). */
  resampledPrecontrast: boolean;
}

const isIntegerArray = (a: VoxelArray) => !(a instanceof Float32Array);

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
    throw new LetbInputError(
      `The liver mask is not on the arterial grid: mask ${describeGrid(liverMask)}; arterial ${describeGrid(arterial)}.`,
    );
  }
  const resampled = !sameGrid(arterial, precontrast);
  const pre = resampled ? resampleLinear(precontrast, arterial) : precontrast;
  const a = arterial.voxels;
  const p = pre.voxels;
  const m = liverMask.voxels;
  const integer = isIntegerArray(a) && isIntegerArray(p);
  const { values: liverValues, count } = integer ? histogramOfLiver(a, p, m) : sortedLiver(a, p, m);
  if (count === 0) throw new LetbInputError('The liver mask is empty.');
  const voxelMl = voxelVolumeMl(arterial.spacingMm);
  return {
    grid: {
      dims: [...arterial.dims],
      spacingMm: [...arterial.spacingMm],
      originMm: [...arterial.originMm],
      direction: [...arterial.direction],
    },
    arterial: a,
    precontrast: p,
    liverMask: m,
    liverValues,
    liverVoxels: count,
    voxelMl,
    liverMl: count * voxelMl,
    resampledPrecontrast: resampled,
  };
}

/** S = arterial − precontrast at one voxel (NaN where the precontrast does not cover it). */
export function subtractionAt(field: LetbField, index: number): number {
  return field.arterial[index]! - field.precontrast[index]!;
}

/** Number of liver voxels with S strictly greater than `thresholdHu` (one lookup, or O(log n)). */
export function countAbove(field: LetbField, thresholdHu: number): number {
  const v = field.liverValues;
  if (v.kind === 'histogram') {
    // Integer S > T ⇔ S ≥ ⌊T⌋ + 1.
    const bin = Math.floor(thresholdHu) + 1 - v.minHu;
    if (Number.isNaN(bin)) return 0;
    if (bin <= 0) return v.atLeast[0]!;
    return bin >= v.atLeast.length ? 0 : v.atLeast[bin]!;
  }
  const s = v.values;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! <= thresholdHu) lo = mid + 1;
    else hi = mid;
  }
  return s.length - lo;
}

// Integer differences of two int16-range arrays lie in [−65535, 65535] (uint16 − int16 and
// int32 phases are clamped into the same window; CT values never get near it).
const histogramOffset = 65536;

function histogramOfLiver(a: VoxelArray, p: VoxelArray, m: Uint8Array): { values: LiverValues; count: number } {
  const histogram = new Uint32Array(2 * histogramOffset + 1);
  if (a instanceof Int16Array && p instanceof Int16Array) accumulateInt16(a, p, m, histogram);
  else accumulateAny(a, p, m, histogram);
  let min = -1;
  let max = -1;
  let count = 0;
  for (let b = 0; b < histogram.length; b++) {
    if (histogram[b] === 0) continue;
    if (min < 0) min = b;
    max = b;
    count += histogram[b]!;
  }
  if (count === 0) return { values: { kind: 'histogram', minHu: 0, atLeast: new Uint32Array(1) }, count };
  const atLeast = new Uint32Array(max - min + 2);
  for (let b = max - min; b >= 0; b--) atLeast[b] = atLeast[b + 1]! + histogram[min + b]!;
  return { values: { kind: 'histogram', minHu: min - histogramOffset, atLeast }, count };
}

/**
 * The CT case, int16 phases: int16 − int16 always fits the histogram. The mask is read four
 * voxels at a time where it is 4-byte aligned, so the ~95 % of the grid outside the liver
 * costs one word test per four voxels.
 */
function accumulateInt16(a: Int16Array, p: Int16Array, m: Uint8Array, histogram: Uint32Array): void {
  const n = m.length;
  let start = 0;
  if (m.byteOffset % 4 === 0) {
    const words = new Uint32Array(m.buffer, m.byteOffset, n >>> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let i = w << 2, end = i + 4; i < end; i++) if (m[i] !== 0) histogram[a[i]! - p[i]! + histogramOffset]!++;
    }
    start = words.length << 2;
  }
  for (let i = start; i < n; i++) if (m[i] !== 0) histogram[a[i]! - p[i]! + histogramOffset]!++;
}

function accumulateAny(a: VoxelArray, p: VoxelArray, m: Uint8Array, histogram: Uint32Array): void {
  const top = 2 * histogramOffset;
  for (let i = 0; i < m.length; i++) {
    if (m[i] === 0) continue;
    const bin = a[i]! - p[i]! + histogramOffset;
    histogram[bin < 0 ? 0 : bin > top ? top : bin]!++;
  }
}

function sortedLiver(a: VoxelArray, p: VoxelArray, m: Uint8Array): { values: LiverValues; count: number } {
  let count = 0;
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) count++;
  const values = new Float32Array(count);
  for (let i = 0, q = 0; i < m.length; i++) {
    if (m[i] === 0) continue;
    const s = a[i]! - p[i]!;
    if (Number.isNaN(s))
      throw new LetbInputError(
        'Part of the liver mask lies outside the precontrast series; LETB needs both phases over the whole liver.',
      );
    values[q++] = s;
  }
  return { values: { kind: 'sorted', values: values.sort() }, count };
}
