import { describe, expect, it } from 'vitest';
import { axisAlongDirection, ijkToLps, lpsToIjk, voxelAt } from '../../core/imaging/coordinates';
import type { Volume } from '../../core/imaging/volume';

// Head-first axial: i → L, j → P, k → S. Feet-first: k runs towards the feet (−S), and a
// 90° rotation about z swaps i and j (hand-built direction matrices, columns = axes).
const headFirst: Volume['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const feetFirst: Volume['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, -1];
const rotated: Volume['direction'] = [0, 1, 0, -1, 0, 0, 0, 0, 1];

describe('ijkToLps / lpsToIjk', () => {
  it.each([
    ['head-first', headFirst, [2, 3, 4], [10 + 2 * 0.8, 20 + 3 * 0.8, -30 + 4 * 2.5]],
    ['feet-first', feetFirst, [2, 3, 4], [10 + 2 * 0.8, 20 + 3 * 0.8, -30 - 4 * 2.5]],
    ['rotated about z', rotated, [2, 3, 4], [10 - 3 * 0.8, 20 + 2 * 0.8, -30 + 4 * 2.5]],
  ] as const)('maps %s voxels by hand-derived formula', (_name, direction, ijk, lps) => {
    const v = {
      originMm: [10, 20, -30] as [number, number, number],
      spacingMm: [0.8, 0.8, 2.5] as [number, number, number],
      direction: [...direction] as Volume['direction'],
    };
    const p = ijkToLps(v, ijk);
    p.forEach((x, n) => expect(x).toBeCloseTo(lps[n]!, 10));
    lpsToIjk(v, p).forEach((x, n) => expect(x).toBeCloseTo(ijk[n]!, 10));
  });
});

describe('voxelAt', () => {
  const v: Volume = {
    dims: [2, 2, 2],
    spacingMm: [1, 1, 1],
    originMm: [0, 0, 0],
    direction: [...headFirst],
    voxels: Int16Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
  };
  it('reads i-fastest and rounds to the nearest centre', () => {
    expect(voxelAt(v, [1, 0, 0])).toBe(1);
    expect(voxelAt(v, [0, 1, 0])).toBe(2);
    expect(voxelAt(v, [0.6, 0.4, 1.2])).toBe(5);
  });
  it('is undefined outside', () => {
    expect(voxelAt(v, [-0.6, 0, 0])).toBeUndefined();
    expect(voxelAt(v, [0, 0, 2])).toBeUndefined();
  });
});

describe('axisAlongDirection', () => {
  it('finds the slice axis whatever its sign or position in the matrix', () => {
    expect(axisAlongDirection(headFirst, [0, 0, 1])).toBe(2);
    expect(axisAlongDirection(feetFirst, [0, 0, 1])).toBe(2);
    expect(axisAlongDirection(rotated, [1, 0, 0])).toBe(1);
  });
});
