import { describe, expect, it } from 'vitest';
import { ijkToLps } from '../../../core/imaging/coordinates';
import type { Grid } from '../../../core/imaging/grid';
import type { Volume } from '../../../core/imaging/volume';
import { labelMask } from '../../../core/masks/labelMask';
import { MaskGridError } from '../../../core/masks/maskGridError';
import { maskOnGrid } from '../../../core/masks/maskOnGrid';

const identity: Grid['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, 1];
/** A 4 x 3 x 2 target grid of 0.5 x 0.5 x 2 mm voxels (0.0005 mL each). */
const target: Grid = { dims: [4, 3, 2], spacingMm: [0.5, 0.5, 2], originMm: [10, -5, 100], direction: identity };
const index = (g: Grid, i: number, j: number, k: number) => i + g.dims[0] * (j + g.dims[1] * k);

function volume<T extends Volume['voxels']>(grid: Grid, voxels: T): Volume<T> {
  return { ...grid, voxels };
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('maskOnGrid', () => {
  it('uses a mask on the same grid as it is, non-zero → 1, and sizes it', () => {
    const voxels = new Int16Array(24);
    voxels[0] = 1;
    voxels[5] = 7;
    voxels[23] = -2;
    const out = maskOnGrid(volume({ ...target, originMm: [10.0004, -5, 100] }, voxels), target);
    expect(out.resampled).toBe(false);
    expect(out.voxels).toBe(3);
    // 3 voxels × 0.5 × 0.5 × 2 mm³ / 1000 = 0.0015 mL
    expect(out.volumeMl).toBeCloseTo(0.0015, 12);
    expect(out.mask.originMm).toEqual(target.originMm); // the target's geometry, exactly
    expect(Array.from(out.mask.voxels).flatMap((v, n) => (v ? [n] : []))).toEqual([0, 5, 23]);
  });

  it('lands a mask stored with axes permuted and reversed on the same voxels', () => {
    // Source axis 0 runs along target k (reversed), axis 1 along target i, axis 2 along target j (reversed).
    const source: Grid = {
      dims: [2, 4, 3],
      spacingMm: [2, 0.5, 0.5],
      originMm: ijkToLps(target, [0, 2, 1]),
      direction: [0, 0, -1, 1, 0, 0, 0, -1, 0],
    };
    const voxels = new Uint8Array(24);
    const expected = new Uint8Array(24);
    for (const [i, j, k] of [
      [0, 0, 0],
      [3, 2, 1],
      [1, 2, 0],
      [2, 0, 1],
    ] as const) {
      // target (i, j, k) is source (1 − k, i, 2 − j)
      voxels[index(source, 1 - k, i, 2 - j)] = 1;
      expected[index(target, i, j, k)] = 1;
    }
    const out = maskOnGrid(volume(source, voxels), target);
    expect(out.resampled).toBe(true);
    expect(Array.from(out.mask.voxels)).toEqual(Array.from(expected));
    expect(out.voxelsOutside).toBe(0);
  });

  it('resamples a coarser mask by nearest neighbour through patient position', () => {
    // Source voxels of 1 x 1 x 2 mm starting at the target origin: target i = 0,1 → source 0 (i/2 rounds
    // half up: 0.5 → 1), so source column 0 covers target i = 0, column 1 covers i = 1, 2, column 2 covers i = 3.
    const source: Grid = { dims: [3, 2, 2], spacingMm: [1, 1, 2], originMm: [10, -5, 100], direction: identity };
    const voxels = new Uint8Array(12);
    voxels[index(source, 1, 0, 1)] = 1;
    const out = maskOnGrid(volume(source, voxels), target);
    const on = Array.from(out.mask.voxels).flatMap((v, n) =>
      v ? [[n % 4, Math.floor(n / 4) % 3, Math.floor(n / 12)]] : [],
    );
    expect(on).toEqual([
      [1, 0, 1],
      [2, 0, 1],
    ]);
    expect(out.voxels).toBe(2);
  });

  it('puts sparse slices on the target slices at their positions, not their indices', () => {
    // A one-slice mask at z = 102 mm is target slice k = 1 (origin 100 mm, 2 mm apart).
    const source: Grid = { dims: [4, 3, 1], spacingMm: [0.5, 0.5, 2], originMm: [10, -5, 102], direction: identity };
    const out = maskOnGrid(volume(source, new Uint8Array(12).fill(1)), target);
    expect(Array.from(out.mask.voxels.subarray(0, 12))).toEqual(new Array(12).fill(0));
    expect(Array.from(out.mask.voxels.subarray(12))).toEqual(new Array(12).fill(1));
  });

  it('counts mask voxels that fall outside the target', () => {
    const source: Grid = { dims: [4, 3, 3], spacingMm: [0.5, 0.5, 2], originMm: [10, -5, 100], direction: identity };
    const out = maskOnGrid(labelMask(volume(source, new Uint8Array(36).fill(1))), target);
    expect(out).toMatchObject({ voxels: 24, voxelsOutside: 12, resampled: true });
  });

  it('refuses a mask rotated 30° about z, naming both geometries', () => {
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const rotated: Grid = { ...target, direction: [c, s, 0, -s, c, 0, 0, 0, 1] };
    const err = caught(() => maskOnGrid(volume(rotated, new Uint8Array(24)), target));
    expect(err).toBeInstanceOf(MaskGridError);
    expect(err).toMatchObject({ kind: 'not-aligned' });
    const message = (err as Error).message;
    expect(message).toMatch(/30\.0°/);
    expect(message).toContain(
      'mask 4x3x2 voxels of 0.5, 0.5, 2 mm at origin (10, -5, 100) mm, direction (0.866, 0.5, 0, -0.5, 0.866, 0, 0, 0, 1)',
    );
    expect(message).toContain(
      'target 4x3x2 voxels of 0.5, 0.5, 2 mm at origin (10, -5, 100) mm, direction (1, 0, 0, 0, 1, 0, 0, 0, 1)',
    );
  });

  it('accepts a rotation within the tolerance and refuses one beyond it', () => {
    const tilt = (rad: number): Grid => ({
      ...target,
      direction: [Math.cos(rad), Math.sin(rad), 0, -Math.sin(rad), Math.cos(rad), 0, 0, 0, 1],
    });
    expect(maskOnGrid(volume(tilt(5e-4), new Uint8Array(24)), target).resampled).toBe(true);
    expect(caught(() => maskOnGrid(volume(tilt(2e-3), new Uint8Array(24)), target))).toMatchObject({
      kind: 'not-aligned',
    });
    expect(maskOnGrid(volume(tilt(2e-3), new Uint8Array(24)), target, { angleToleranceRad: 3e-3 }).resampled).toBe(
      true,
    );
  });

  it('refuses a mask that shares no space with the target', () => {
    const far: Grid = { ...target, originMm: [10, -5, 104.5] }; // its first slab starts at 103.5 mm, the target's last ends at 103 mm
    const err = caught(() => maskOnGrid(volume(far, new Uint8Array(24).fill(1)), target));
    expect(err).toMatchObject({
      name: 'MaskGridError',
      kind: 'no-overlap',
      message: expect.stringMatching(/^The mask does not overlap the target grid: mask 4x3x2 .* target 4x3x2 /),
    });
  });

  it('refuses, rather than reads as the same grid or as 1 mm, a NaN or otherwise unusable geometry', () => {
    const ones = new Uint8Array(24).fill(1);
    // The issue: a NaN origin passed sameGrid (every comparison with NaN is false), a NaN voxel size became 1 mm.
    expect(caught(() => maskOnGrid(volume({ ...target, originMm: [10, NaN, 100] }, ones), target))).toMatchObject({
      kind: 'invalid-geometry',
      message:
        "The mask's grid cannot be placed: its origin (10, NaN, 100) mm is not a position (mask 4x3x2 voxels of 0.5, 0.5, 2 mm at origin (10, NaN, 100) mm, direction (1, 0, 0, 0, 1, 0, 0, 0, 1)).",
    });
    for (const spacingMm of [
      [0.5, NaN, 2],
      [0.5, 0.5, 0],
      [-0.5, 0.5, 2],
      [0.5, Infinity, 2],
    ] as Grid['spacingMm'][]) {
      expect(caught(() => maskOnGrid(volume({ ...target, spacingMm }, ones), target))).toMatchObject({
        kind: 'invalid-geometry',
        message: expect.stringMatching(
          /its voxel size along axis \d is (NaN|0|-0\.5|Infinity) mm \(it must be a positive number\)/,
        ),
      });
    }
    const sheared: Grid = { ...target, direction: [1, 0, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0, 1] };
    expect(caught(() => maskOnGrid(volume(sheared, ones), target))).toMatchObject({
      kind: 'invalid-geometry',
      message: expect.stringMatching(/its axes 1 and 2 are 45\.00° apart, not 90°/),
    });
    expect(caught(() => maskOnGrid(volume(target, ones), { ...target, originMm: [NaN, -5, 100] }))).toMatchObject({
      kind: 'invalid-geometry',
      message: expect.stringMatching(/^The target grid cannot take a mask: its origin \(NaN, -5, 100\) mm/),
    });
  });

  it('refuses a mask most of whose voxels lie outside the target, with minInsideFraction', () => {
    // 5 slices of 12 voxels, the target holds 2 of them: 24 of 60 foreground voxels (40 %) are inside.
    const source: Grid = { dims: [4, 3, 5], spacingMm: [0.5, 0.5, 2], originMm: [10, -5, 100], direction: identity };
    const mask = volume(source, new Uint8Array(60).fill(1));
    expect(maskOnGrid(mask, target)).toMatchObject({ voxels: 24, voxelsOutside: 36, maskVoxels: 60 });
    expect(maskOnGrid(mask, target, { minInsideFraction: 0.4 }).voxels).toBe(24);
    expect(caught(() => maskOnGrid(mask, target, { minInsideFraction: 0.5 }))).toMatchObject({
      kind: 'barely-overlaps',
      message: expect.stringMatching(
        /^Only 40 % of the mask's 60 voxels lie inside the target grid \(at least 50 % must\): it was drawn on another field of view\. mask 4x3x5 .*; target 4x3x2 /,
      ),
    });
    // Empty slices outside do not count: only foreground voxels do.
    const sparse = new Uint8Array(60);
    sparse.fill(1, 0, 24);
    expect(maskOnGrid(volume(source, sparse), target, { minInsideFraction: 0.5 })).toMatchObject({
      voxels: 24,
      voxelsOutside: 0,
      maskVoxels: 24,
    });
  });

  it('rejects voxels that do not match dims', () => {
    expect(() => maskOnGrid(volume(target, new Uint8Array(5)), target)).toThrow(RangeError);
  });
});
