import { describe, expect, it } from 'vitest';
import { buildLetbField, countAbove, LetbInputError, subtractionAt } from '../../../core/letb/letbField';
import { evaluatePlacement, timepointLetb } from '../../../core/letb/evaluatePlacement';
import { cubeEdgeMm, roiVoxels, sphereRadiusMm } from '../../../core/letb/roi';
import { letbChange, reportResponderThresholds } from '../../../core/letb/letbChange';
import { ijkToLps } from '../../../core/imaging/coordinates';
import { createSeededRandom } from '../../../core/random/seededRandom';
import type { Volume } from '../../../core/imaging/volume';

type Dir = Volume['direction'];
const identity: Dir = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const feetFirst: Dir = [1, 0, 0, 0, 1, 0, 0, 0, -1];

function volume<T extends Int16Array | Uint8Array | Float32Array>(
  dims: [number, number, number],
  spacingMm: [number, number, number],
  voxels: T,
  direction: Dir = identity,
  originMm: [number, number, number] = [0, 0, 0],
): Volume<T> {
  return { dims, spacingMm, originMm, direction: [...direction], voxels };
}
const fill = <T extends Int16Array | Uint8Array | Float32Array>(
  arr: T,
  f: (i: number, j: number, k: number) => number,
  dims: [number, number, number],
): T => {
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) arr[i + j * dims[0] + k * dims[0] * dims[1]] = f(i, j, k);
  return arr;
};

describe('ROI geometry', () => {
  it('sizes a 1 mL sphere (r = 6.2035 mm) and a 1 mL cube (a = 10 mm)', () => {
    expect(sphereRadiusMm(1)).toBeCloseTo(6.203504908994, 9); // ∛(3000 / 4π)
    expect(cubeEdgeMm(1)).toBeCloseTo(10, 12);
    expect(sphereRadiusMm(0.5)).toBeCloseTo(4.923725109213, 9); // ∛(1500 / 4π)
  });

  it('counts sphere voxels by physical distance with anisotropic spacing (hand count: 13 + 1 + 1)', () => {
    // r = 2 mm, spacing 1 x 1 x 2 mm, centred on a voxel: the k plane holds the 13 lattice points of
    // a disc of radius 2 (1 + 4 + 4 + 4); the planes at ±2 mm only their centre voxel.
    const dims: [number, number, number] = [11, 11, 11];
    const grid = volume(dims, [1, 1, 2], new Uint8Array(11 * 11 * 11));
    const volumeMl = ((4 / 3) * Math.PI * 8) / 1000;
    const centre = ijkToLps(grid, [5, 5, 5]);
    const { indices, leavesImage } = roiVoxels(grid, { centerLps: centre, volumeMl, shape: 'sphere' });
    expect(indices.length).toBe(15);
    expect(leavesImage).toBe(false);
  });

  it('counts cube voxels in the grid axes (a = 2 mm: 3 x 3 in plane, 1 slice at 2 mm spacing)', () => {
    const grid = volume([11, 11, 11], [1, 1, 2], new Uint8Array(1331));
    const { indices } = roiVoxels(grid, { centerLps: ijkToLps(grid, [5, 5, 5]), volumeMl: 0.008, shape: 'cube' });
    expect(indices.length).toBe(9);
  });

  it('finds the same voxels for a feet-first series (k runs towards the feet)', () => {
    const dims: [number, number, number] = [11, 11, 11];
    const ff = volume(dims, [1, 1, 2], new Uint8Array(1331), feetFirst, [0, 0, 100]);
    const centre = ijkToLps(ff, [5, 5, 5]);
    expect(centre).toEqual([5, 5, 90]); // 100 − 5 × 2 mm
    const { indices } = roiVoxels(ff, { centerLps: centre, volumeMl: ((4 / 3) * Math.PI * 8) / 1000, shape: 'sphere' });
    expect([...indices].sort((a, b) => a - b)).toContain(5 + 5 * 11 + 4 * 121);
    expect([...indices].sort((a, b) => a - b)).toContain(5 + 5 * 11 + 6 * 121);
    expect(indices.length).toBe(15);
  });

  it('flags an ROI that leaves the image', () => {
    const grid = volume([11, 11, 11], [1, 1, 1], new Uint8Array(1331));
    expect(roiVoxels(grid, { centerLps: [0, 0, 0], volumeMl: 0.05, shape: 'sphere' }).leavesImage).toBe(true);
  });
});

describe('LETB on a hand-built volume', () => {
  // 10 x 10 x 10 voxels of 1 x 1 x 2 mm (0.002 mL each), whole grid is liver (1000 voxels, 2 mL).
  // Precontrast 40 HU everywhere; arterial 50 HU (S = 10) except a 3 x 3 x 3 "tumour" at 200 HU (S = 160).
  const dims: [number, number, number] = [10, 10, 10];
  const spacing: [number, number, number] = [1, 1, 2];
  const inTumour = (i: number, j: number, k: number) => i >= 6 && i < 9 && j >= 6 && j < 9 && k >= 6 && k < 9;
  const arterial = volume(
    dims,
    spacing,
    fill(new Int16Array(1000), (i, j, k) => (inTumour(i, j, k) ? 200 : 50), dims),
  );
  const pre = volume(dims, spacing, new Int16Array(1000).fill(40));
  const liver = volume(dims, spacing, new Uint8Array(1000).fill(1));

  it('gives liver 2 mL, enhancing 27 voxels = 0.054 mL, LETB 2.7 % for an ROI in flat parenchyma (SD 0, T = 10)', () => {
    const field = buildLetbField(arterial, pre, liver);
    expect(field.liverVoxels).toBe(1000);
    expect(field.liverMl).toBeCloseTo(2, 12);
    const p = evaluatePlacement(field, { centerLps: ijkToLps(arterial, [2, 2, 2]), volumeMl: 0.03, shape: 'sphere' });
    expect(p.meanHu).toBe(10);
    expect(p.sdHu).toBe(0);
    expect(p.thresholdHu).toBe(10);
    expect(p.enhancingVoxels).toBe(27);
    expect(p.enhancingMl).toBeCloseTo(0.054, 12);
    expect(p.letbPercent).toBeCloseTo(2.7, 12);
    expect(p.flags).toEqual({ leavesImage: false, leavesLiver: false, liverFraction: 1 });
  });

  it('computes mean, sample SD and T = mean + 2 SD from the ROI voxels', () => {
    // Put S = 0 or 20 in a checkerboard on the parenchyma: a cube ROI of 3 x 3 x 1 voxels holds
    // five 20s and four 0s (centre voxel even) → mean 100/9 = 11.111, sample SD
    // √((5·(20 − 11.11)² + 4·11.11²) / 8) = √(888.89 / 8) = 10.541.
    const art = volume(
      dims,
      spacing,
      fill(new Int16Array(1000), (i, j, k) => (inTumour(i, j, k) ? 200 : (i + j + k) % 2 === 0 ? 60 : 40), dims),
    );
    const field = buildLetbField(art, pre, liver);
    const p = evaluatePlacement(field, { centerLps: ijkToLps(art, [2, 2, 2]), volumeMl: 0.008, shape: 'cube' });
    expect(p.roiVoxels).toBe(9);
    expect(p.meanHu).toBeCloseTo(100 / 9, 10);
    expect(p.sdHu).toBeCloseTo(Math.sqrt((5 * (20 - 100 / 9) ** 2 + 4 * (100 / 9) ** 2) / 8), 10);
    expect(p.thresholdHu).toBeCloseTo(100 / 9 + 2 * p.sdHu, 10);
    expect(p.enhancingVoxels).toBe(27); // only the tumour's S = 160 exceeds T ≈ 32.19
  });

  it('flags an ROI that leaves the liver mask and reports its liver fraction', () => {
    const half = volume(
      dims,
      spacing,
      fill(new Uint8Array(1000), (i) => (i < 5 ? 1 : 0), dims),
    );
    const field = buildLetbField(arterial, pre, half);
    const p = evaluatePlacement(field, { centerLps: ijkToLps(arterial, [4.5, 4, 4]), volumeMl: 0.008, shape: 'cube' });
    expect(p.flags.leavesLiver).toBe(true);
    expect(p.flags.liverFraction).toBeGreaterThan(0);
    expect(p.flags.liverFraction).toBeLessThan(1);
    expect(field.liverMl).toBeCloseTo(1, 12); // 500 voxels × 0.002 mL
  });

  it('refuses a mask that is not on the arterial grid, and an empty mask', () => {
    const shifted = { ...liver, originMm: [5, 0, 0] as [number, number, number] };
    expect(() => buildLetbField(arterial, pre, shifted)).toThrow(LetbInputError);
    expect(() => buildLetbField(arterial, pre, shifted)).toThrow(
      /mask 10x10x10 voxels .* origin \(5, 0, 0\).*arterial 10x10x10/,
    );
    expect(() => buildLetbField(arterial, pre, volume(dims, spacing, new Uint8Array(1000)))).toThrow(/empty/);
  });

  it('resamples a precontrast on another grid onto the arterial grid (exact for a linear field)', () => {
    // Precontrast = x (mm) on a grid shifted by 0.5 mm in x and coarser in z; trilinear
    // interpolation reproduces a linear function exactly, so S = 50 − x at every arterial voxel.
    const preDims: [number, number, number] = [12, 10, 6];
    const preGrid = volume(preDims, [1, 1, 4], new Float32Array(12 * 10 * 6), identity, [-0.5, 0, 0]);
    fill(preGrid.voxels, (i) => -0.5 + i, preDims);
    const flatArterial = volume(dims, spacing, new Int16Array(1000).fill(50));
    const field = buildLetbField(flatArterial, preGrid, liver);
    expect(field.resampledPrecontrast).toBe(true);
    for (const [i, j, k] of [
      [0, 0, 0],
      [3, 4, 5],
      [9, 9, 9],
    ] as const) {
      expect(subtractionAt(field, i + j * 10 + k * 100)).toBeCloseTo(50 - i, 5);
    }
  });

  it('refuses liver voxels that the precontrast does not cover', () => {
    const small = volume([4, 4, 4], spacing, new Int16Array(64).fill(40));
    expect(() => buildLetbField(arterial, small, liver)).toThrow(/outside the precontrast/);
  });
});

describe('countAbove', () => {
  // Integer phases use the histogram, non-integer ones (a resampled precontrast) the sorted
  // values: both must equal a brute-force count for every threshold, including integers
  // exactly (strictly greater), fractions, and thresholds beyond the data.
  it.each([
    ['integer HU (histogram)', (v: number) => Math.round(v), Int16Array],
    ['non-integer HU (sorted values)', (v: number) => v + 0.25, Float32Array],
  ] as const)('equals a brute-force count for %s (seeded)', (_name, quantise, Ctor) => {
    const rng = createSeededRandom(7);
    const dims: [number, number, number] = [20, 20, 20];
    const art = volume(
      dims,
      [1, 1, 1],
      fill(new Ctor(8000), () => quantise(rng.normal() * 30 + 60), dims),
    );
    const pre = volume(
      dims,
      [1, 1, 1],
      fill(new Ctor(8000), () => quantise(rng.normal() * 10 + 40), dims),
    );
    const mask = volume(
      dims,
      [1, 1, 1],
      fill(new Uint8Array(8000), () => (rng.uniform() < 0.6 ? 1 : 0), dims),
    );
    const field = buildLetbField(art, pre, mask);
    expect(field.liverValues.kind).toBe(Ctor === Int16Array ? 'histogram' : 'sorted');
    for (const t of [-500, -50, 0, 19.5, 20, 20.0001, 37, 37.25, 1000]) {
      let brute = 0;
      for (let n = 0; n < 8000; n++) if (mask.voxels[n] && art.voxels[n]! - pre.voxels[n]! > t) brute++;
      expect(countAbove(field, t), `T = ${t}`).toBe(brute);
    }
  });
});

describe('timepoint LETB and change (SPEC §2)', () => {
  it('averages the placements', () => {
    expect(timepointLetb([{ letbPercent: 44.0 }, { letbPercent: 45.0 }, { letbPercent: 45.4 }])).toBeCloseTo(44.8, 12);
    expect(timepointLetb([])).toBeNaN();
  });

  it('reproduces the reference example ratios: 2012 / 4495 cm³ = 44.8 %, 1035 / 2823 = 36.7 %, 354 / 1607 = 22.0 %', () => {
    expect((2012 / 4495) * 100).toBeCloseTo(44.76, 2);
    const pre = (1035 / 2823) * 100;
    const post = (354 / 1607) * 100;
    const c = letbChange(pre, post);
    expect(c.estimable).toBe(true);
    if (!c.estimable) return;
    // (22.0286 − 36.6631) / 36.6631 × 100 = −39.916 % from these volumes (SPEC quotes the example as −41 %).
    expect(c.changePercent).toBeCloseTo(((post - pre) / pre) * 100, 12);
    expect(c.changePercent).toBeCloseTo(-39.916, 3);
    expect(c.responders).toEqual([
      { thresholdPercent: -25.8, responder: true },
      { thresholdPercent: -10, responder: true },
    ]);
  });

  it('reports the whole threshold set side by side, strict below', () => {
    const c = letbChange(20, 16, reportResponderThresholds); // −20 % exactly
    if (!c.estimable) throw new Error('estimable');
    expect(c.changePercent).toBeCloseTo(-20, 12);
    expect(c.responders.map((r) => r.responder)).toEqual([true, true, true, false, false, false, false]);
  });

  it('is not estimable for LETB_pre = 0 or values outside 0-100, with a reason', () => {
    expect(letbChange(0, 5)).toMatchObject({
      estimable: false,
      reason: expect.stringMatching(/Pretreatment LETB is 0%/),
    });
    expect(letbChange(Number.NaN, 5)).toMatchObject({ estimable: false });
    expect(letbChange(120, 5)).toMatchObject({ estimable: false });
  });
});
