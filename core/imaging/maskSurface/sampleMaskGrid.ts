import type { Volume } from '../volume';
import type { DownsampleFactor } from './chooseDownsample';
import type { IndexBox, MaskRowExtents } from './maskRowExtents';

/**
 * The scalar grid surface nets runs on: one sample per b×b×b block of voxels inside a crop box,
 * plus one padding sample on every side that is always outside, so the surface closes where the
 * mask touches the box (or the volume's edge).
 */
export interface MaskSampleGrid {
  /** Samples per axis, padding included: ⌈box size / b⌉ + 2. */
  dims: [number, number, number];
  /** 1 where a sample is inside the surface, else 0; i fastest, like Volume.voxels. */
  inside: Uint8Array;
  /**
   * Selected voxels per block (0…b³) when b > 1, for placing crossings between samples;
   * undefined when b = 1 (binary samples: every crossing sits half-way).
   */
  fillCount: Uint8Array | undefined;
  /** b³: a block is inside when more than half its voxels are selected (fillCount·2 > b³). */
  blockVoxels: number;
  /** Per sample row (j, k), index j + k·dims[1]: first inside i, or −1 when none. */
  rowFirst: Int32Array;
  /** Per sample row: last inside i, or −1 when none. */
  rowLast: Int32Array;
  /** Per sample row: 1 when every sample from rowFirst to rowLast is inside (one run). */
  rowSingleRun: Uint8Array;
  /** Continuous voxel index of sample (0, 0, 0): sample s sits at firstSampleIjk + s·b. */
  firstSampleIjk: [number, number, number];
  block: DownsampleFactor;
}

/**
 * Copies the crop box of a mask into a padded sample grid, reading only the selected span of
 * each row (`maskRowExtents`). For b = 1 a sample is the voxel itself (inside when selected).
 * For b > 1 a sample is a block whose centre is the mean of its voxel centres,
 * box.min + (B − 1)·b + (b − 1)/2 for block B ≥ 1, and which is inside when more than half of
 * its b³ voxels are selected (voxels beyond the box or the volume count as unselected).
 * @param extents the row extents of the same mask and label
 * @param box the crop box; it must hold every selected voxel
 * @param label 1–255, or undefined for any non-zero voxel
 * @throws RangeError when the box lies outside the volume
 */
export function sampleMaskGrid(
  mask: Volume<Uint8Array>,
  extents: MaskRowExtents,
  box: IndexBox,
  block: DownsampleFactor,
  label?: number,
): MaskSampleGrid {
  const [v0, v1] = mask.dims;
  for (let c = 0; c < 3; c++) {
    if (box.min[c]! < 0 || box.max[c]! >= mask.dims[c]! || box.min[c]! > box.max[c]!) {
      throw new RangeError(`box [${box.min.join(',')}]–[${box.max.join(',')}] is not inside ${mask.dims.join('x')}`);
    }
  }
  const size = [box.max[0] - box.min[0] + 1, box.max[1] - box.min[1] + 1, box.max[2] - box.min[2] + 1] as const;
  const dims: [number, number, number] = [
    Math.ceil(size[0] / block) + 2,
    Math.ceil(size[1] / block) + 2,
    Math.ceil(size[2] / block) + 2,
  ];
  const [n0, n1, n2] = dims;
  const inside = new Uint8Array(n0 * n1 * n2);
  const rowFirst = new Int32Array(n1 * n2).fill(-1);
  const rowLast = new Int32Array(n1 * n2).fill(-1);
  const rowSingleRun = new Uint8Array(n1 * n2);
  const blockVoxels = block * block * block;
  const firstSampleIjk: [number, number, number] = [
    box.min[0] - block + (block - 1) / 2,
    box.min[1] - block + (block - 1) / 2,
    box.min[2] - block + (block - 1) / 2,
  ];
  const src = mask.voxels;
  const { firstI, lastI } = extents;

  if (block === 1) {
    for (let k = box.min[2]; k <= box.max[2]; k++) {
      for (let j = box.min[1]; j <= box.max[1]; j++) {
        const f = firstI[j + k * v1]!;
        if (f < 0) continue;
        const l = lastI[j + k * v1]!;
        const from = (j + k * v1) * v0;
        const row = j - box.min[1] + 1 + (k - box.min[2] + 1) * n1;
        const to = row * n0 + 1 - box.min[0];
        let count = 0;
        if (label === undefined) {
          for (let i = f; i <= l; i++) {
            const s = src[from + i] !== 0 ? 1 : 0;
            inside[to + i] = s;
            count += s;
          }
        } else {
          for (let i = f; i <= l; i++) {
            const s = src[from + i] === label ? 1 : 0;
            inside[to + i] = s;
            count += s;
          }
        }
        rowFirst[row] = f - box.min[0] + 1;
        rowLast[row] = l - box.min[0] + 1;
        rowSingleRun[row] = count === l - f + 1 ? 1 : 0;
      }
    }
    return { dims, inside, fillCount: undefined, blockVoxels, rowFirst, rowLast, rowSingleRun, firstSampleIjk, block };
  }

  const fillCount = new Uint8Array(n0 * n1 * n2);
  const blockOfI = new Int32Array(v0);
  for (let i = box.min[0]; i <= box.max[0]; i++) blockOfI[i] = 1 + Math.floor((i - box.min[0]) / block);
  for (let k = box.min[2]; k <= box.max[2]; k++) {
    const bk = 1 + Math.floor((k - box.min[2]) / block);
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      const f = firstI[j + k * v1]!;
      if (f < 0) continue;
      const l = lastI[j + k * v1]!;
      const from = (j + k * v1) * v0;
      const to = (1 + Math.floor((j - box.min[1]) / block) + bk * n1) * n0;
      if (label === undefined) {
        for (let i = f; i <= l; i++) if (src[from + i] !== 0) fillCount[to + blockOfI[i]!]!++;
      } else {
        for (let i = f; i <= l; i++) if (src[from + i] === label) fillCount[to + blockOfI[i]!]!++;
      }
    }
  }
  for (let row = 0; row < n1 * n2; row++) {
    let first = -1;
    let last = -1;
    let count = 0;
    for (let i = 0; i < n0; i++) {
      const s = row * n0 + i;
      if (fillCount[s]! * 2 > blockVoxels) {
        inside[s] = 1;
        if (first < 0) first = i;
        last = i;
        count++;
      }
    }
    rowFirst[row] = first;
    rowLast[row] = last;
    rowSingleRun[row] = first >= 0 && count === last - first + 1 ? 1 : 0;
  }
  return { dims, inside, fillCount, blockVoxels, rowFirst, rowLast, rowSingleRun, firstSampleIjk, block };
}
