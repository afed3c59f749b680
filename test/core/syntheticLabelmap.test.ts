import { describe, expect, it } from 'vitest';
import {
  countLabel,
  createSyntheticLabelmap,
  syntheticLabelmapLayout,
  syntheticLabels,
} from '../../core/imaging/syntheticLabelmap';
import { voxelCount, voxelVolumeMl } from '../../core/imaging/volume';

describe('createSyntheticLabelmap', () => {
  it('fills the box exactly: (28 − 4)³ = 13 824 voxels for size 32', () => {
    // boxMin = floor(32/8) = 4, boxMax = 32 − 4 = 28 → 24 voxels per axis (hand derivation)
    const map = createSyntheticLabelmap(32);
    expect(countLabel(map, syntheticLabels.organ) + countLabel(map, syntheticLabels.lesion)).toBe(24 ** 3);
    expect(countLabel(map, syntheticLabels.background)).toBe(32 ** 3 - 24 ** 3);
  });

  it('draws the lesion as the lattice points within radius 6.4 mm of the centre', () => {
    // r = 32/5 = 6.4 mm, r² = 40.96: count integer offsets with dx²+dy²+dz² ≤ 40 by brute force,
    // and compare with the continuous volume 4/3·π·r³ ≈ 1098.1 (lattice counts stay within 5%).
    let lattice = 0;
    for (let dx = -7; dx <= 7; dx++)
      for (let dy = -7; dy <= 7; dy++)
        for (let dz = -7; dz <= 7; dz++) {
          if (dx * dx + dy * dy + dz * dz <= 40.96) lattice++;
        }
    const lesion = countLabel(createSyntheticLabelmap(32), syntheticLabels.lesion);
    expect(lesion).toBe(lattice);
    expect(Math.abs(lesion / ((4 / 3) * Math.PI * 6.4 ** 3) - 1)).toBeLessThan(0.05);
  });

  it('measures the sphere in millimetres with anisotropic spacing', () => {
    const spacing: [number, number, number] = [1, 1, 2];
    const { radiusMm } = syntheticLabelmapLayout(40, spacing);
    expect(radiusMm).toBe(8); // 40/5 · min spacing 1
    const lesion = countLabel(createSyntheticLabelmap(40, spacing), syntheticLabels.lesion);
    // In physical space the sphere keeps its volume: voxels ≈ 4/3·π·8³ / (1·1·2 mm³) ≈ 1072
    expect(Math.abs((lesion * 2) / ((4 / 3) * Math.PI * 8 ** 3) - 1)).toBeLessThan(0.06);
  });

  it('rejects grids too small to hold the layout', () => {
    expect(() => createSyntheticLabelmap(4)).toThrow(RangeError);
    expect(() => createSyntheticLabelmap(12.5)).toThrow(RangeError);
  });
});

describe('voxel geometry', () => {
  it.each([
    [[1, 1, 1], 0.001],
    [[0.8105, 0.8105, 1.25], 0.0008211378125], // 0.8105² · 1.25 / 1000,
    [[2, 2, 2.5], 0.01],
  ] as const)('voxelVolumeMl(%j) = %f mL', (spacing, ml) => {
    expect(voxelVolumeMl(spacing)).toBeCloseTo(ml, 9);
  });

  it('counts voxels and rejects bad dims', () => {
    expect(voxelCount([512, 512, 300])).toBe(78_643_200);
    expect(() => voxelCount([0, 1, 1])).toThrow(RangeError);
    expect(() => voxelCount([1.5, 1, 1])).toThrow(RangeError);
  });
});
