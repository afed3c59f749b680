import { describe, expect, it } from 'vitest';
import { maskRowExtents } from '../../../../core/imaging/maskSurface/maskRowExtents';
import type { Volume } from '../../../../core/imaging/volume';

/** A mask of n0 x 3 x 2 voxels with the given (i, j, k, value) entries. */
function mask(n0: number, entries: readonly (readonly [number, number, number, number])[]): Volume<Uint8Array> {
  const voxels = new Uint8Array(n0 * 3 * 2);
  for (const [i, j, k, value] of entries) voxels[i + j * n0 + k * n0 * 3] = value;
  return {
    dims: [n0, 3, 2],
    spacingMm: [1, 1, 1],
    originMm: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    voxels,
  };
}

const entries = [
  [1, 0, 0, 2],
  [4, 0, 0, 1],
  [3, 2, 1, 1],
  [5, 2, 1, 2],
] as const;

describe('maskRowExtents', () => {
  // Width 6 reads bytes; width 8 takes the 32-bit word path. Both must agree.
  it.each([6, 8])("finds each row's first and last selected voxel (width %i)", (n0) => {
    const all = maskRowExtents(mask(n0, entries));
    // Rows j + 3k: row 0 holds i = 1 and 4; row 5 (j = 2, k = 1) holds i = 3 and 5; others none.
    expect(Array.from(all.firstI)).toEqual([1, -1, -1, -1, -1, 3]);
    expect(Array.from(all.lastI)).toEqual([4, -1, -1, -1, -1, 5]);
    expect(all.box).toEqual({ min: [1, 0, 0], max: [5, 2, 1] });
    const two = maskRowExtents(mask(n0, entries), 2);
    expect(Array.from(two.firstI)).toEqual([1, -1, -1, -1, -1, 5]);
    expect(Array.from(two.lastI)).toEqual([1, -1, -1, -1, -1, 5]);
    expect(two.box).toEqual({ min: [1, 0, 0], max: [5, 2, 1] });
    expect(maskRowExtents(mask(n0, entries), 3).box).toBeUndefined();
  });

  it('rejects labels outside 1–255 and mismatched dims', () => {
    expect(() => maskRowExtents(mask(6, entries), 0)).toThrow(RangeError);
    expect(() => maskRowExtents({ ...mask(6, entries), dims: [6, 3, 3] })).toThrow(RangeError);
  });
});
