import { voxelCount, type Volume } from '../volume';

/** An axis-aligned block of voxels, inclusive on both ends: min ≤ (i, j, k) ≤ max. */
export interface IndexBox {
  min: [number, number, number];
  max: [number, number, number];
}

/** Where the selected voxels of each row (j, k) of a mask start and end along i. */
export interface MaskRowExtents {
  /** First selected i of row j + k·dims[1], or −1 when the row holds none. */
  firstI: Int32Array;
  /** Last selected i of each row, or −1 when the row holds none. */
  lastI: Int32Array;
  /** The smallest box holding every selected voxel; undefined when there are none. */
  box: IndexBox | undefined;
}

/**
 * The extent along i of the selected voxels (equal to `label`, or any non-zero voxel when
 * `label` is undefined) in every row of a mask, and their bounding box. One pass over the grid;
 * rows without a non-zero byte are skipped four voxels at a time through a 32-bit view (masks
 * usually fill a small part of a CT grid, so most rows are empty).
 * @param label 1–255, or undefined for "any non-zero"
 * @throws RangeError when dims do not match the voxel count or the label is not an integer 1–255
 */
export function maskRowExtents(mask: Volume<Uint8Array>, label?: number): MaskRowExtents {
  const [n0, n1, n2] = mask.dims;
  if (voxelCount(mask.dims) !== mask.voxels.length) {
    throw new RangeError(`dims ${mask.dims.join('x')} do not match ${mask.voxels.length} voxels`);
  }
  if (label !== undefined && !(Number.isInteger(label) && label >= 1 && label <= 255)) {
    throw new RangeError(`label must be an integer 1–255, got ${label}`);
  }
  const v = mask.voxels;
  const firstI = new Int32Array(n1 * n2).fill(-1);
  const lastI = new Int32Array(n1 * n2).fill(-1);
  // A word view is possible when every row starts on a 4-byte boundary.
  const words =
    n0 % 4 === 0 && v.byteOffset % 4 === 0 ? new Uint32Array(v.buffer, v.byteOffset, v.length >> 2) : undefined;
  const wordsPerRow = n0 >> 2;
  let iMin = n0;
  let iMax = -1;
  let jMin = n1;
  let jMax = -1;
  let kMin = n2;
  let kMax = -1;
  for (let k = 0; k < n2; k++) {
    for (let j = 0; j < n1; j++) {
      const rowIndex = j + k * n1;
      const row = rowIndex * n0;
      let from = 0;
      if (words) {
        let w = row >> 2;
        const wEnd = w + wordsPerRow;
        while (w + 4 <= wEnd && (words[w]! | words[w + 1]! | words[w + 2]! | words[w + 3]!) === 0) w += 4;
        while (w < wEnd && words[w] === 0) w++;
        if (w === wEnd) continue;
        from = (w << 2) - row;
      }
      let first = -1;
      if (label === undefined) {
        for (let i = from; i < n0; i++) {
          if (v[row + i] !== 0) {
            first = i;
            break;
          }
        }
      } else {
        for (let i = from; i < n0; i++) {
          if (v[row + i] === label) {
            first = i;
            break;
          }
        }
      }
      if (first < 0) continue;
      let last = first;
      if (label === undefined) {
        for (let i = n0 - 1; i > first; i--) {
          if (v[row + i] !== 0) {
            last = i;
            break;
          }
        }
      } else {
        for (let i = n0 - 1; i > first; i--) {
          if (v[row + i] === label) {
            last = i;
            break;
          }
        }
      }
      firstI[rowIndex] = first;
      lastI[rowIndex] = last;
      if (first < iMin) iMin = first;
      if (last > iMax) iMax = last;
      if (j < jMin) jMin = j;
      if (j > jMax) jMax = j;
      if (k < kMin) kMin = k;
      kMax = k;
    }
  }
  const box: IndexBox | undefined = iMax < 0 ? undefined : { min: [iMin, jMin, kMin], max: [iMax, jMax, kMax] };
  return { firstI, lastI, box };
}
