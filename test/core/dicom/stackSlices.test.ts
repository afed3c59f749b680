import { describe, expect, it } from 'vitest';
import { stackSlices } from '../../../core/dicom/stackSlices';

const axial = [1, 0, 0, 0, 1, 0];
const at = (z: number) => [-10, 20, z];

describe('stackSlices', () => {
  it('stacks a uniform series: order, normal, projections and spacing from positions', () => {
    const stack = stackSlices([0, 2.5, 5, 7.5].map(at), axial);
    expect(stack).toEqual({
      normal: [0, 0, 1],
      order: [0, 1, 2, 3],
      distancesMm: [0, 2.5, 5, 7.5],
      planesMm: [0, 2.5, 5, 7.5],
      spacingMm: 2.5,
      tiltDegrees: 0,
      problems: [],
    });
  });

  it('sorts reversed (feet-first) and unsorted input along the normal; the same spacing', () => {
    expect(stackSlices([6, 4, 2, 0].map(at), axial)).toMatchObject({ order: [3, 2, 1, 0], spacingMm: 2, problems: [] });
    const unsorted = stackSlices([4, 0, 6, 2].map(at), axial);
    expect(unsorted).toMatchObject({ order: [1, 3, 0, 2], distancesMm: [4, 0, 6, 2], spacingMm: 2, problems: [] });
  });

  it('orders along a −z normal by d = p · n, not by z', () => {
    // row (−1,0,0) × column (0,1,0) = (0,0,−1)
    const stack = stackSlices([-4, 0, -2].map(at), [-1, 0, 0, 0, 1, 0]);
    expect(stack.normal).toEqual([0, 0, -1]);
    expect(stack.order).toEqual([1, 2, 0]);
    expect(stack.spacingMm).toBe(2);
  });

  it('lists every pair of duplicate positions, groups them into planes, and gives no spacing', () => {
    // 0, 1, 1, 2, 2.005, 3: two duplicates (within 0.01 mm), four planes 1 mm apart
    const stack = stackSlices([0, 1, 1, 2, 2.005, 3].map(at), axial);
    expect(stack.problems).toEqual([
      { kind: 'duplicate', slices: [1, 2], distanceMm: 1 },
      { kind: 'duplicate', slices: [3, 4], distanceMm: 2.005 },
    ]);
    expect(stack.planesMm).toEqual([0, 1, 2, 3]);
    expect(stack.spacingMm).toBeUndefined();
  });

  it('names the gap where slices are missing (over 1.5 × the median gap)', () => {
    const stack = stackSlices([0, 1, 2, 4, 5].map(at), axial);
    expect(stack.problems).toEqual([{ kind: 'missing-slices', between: [2, 3], gapMm: 2, medianGapMm: 1 }]);
    expect(stack.spacingMm).toBeUndefined(); // no regular stack: the series is refused
  });

  it('takes jitter within max(1 %, 0.02 mm) as uniform, with the mean as spacing', () => {
    const stack = stackSlices([0, 1.004, 1.998, 3.003].map(at), axial);
    expect(stack.problems).toEqual([]);
    expect(stack.spacingMm).toBeCloseTo(1.001, 12);
  });

  it('flags gaps beyond the tolerance as non-uniform, and still gives the mean', () => {
    // gaps 1, 1.1, 0.9: mean 1, median 1 (none above 1.5 × the median)
    const stack = stackSlices([0, 1, 2.1, 3].map(at), axial);
    expect(stack.problems).toEqual([
      { kind: 'non-uniform', minGapMm: expect.closeTo(0.9, 12), maxGapMm: expect.closeTo(1.1, 12) },
    ]);
    expect(stack.spacingMm).toBeCloseTo(1, 12);
  });

  it('stacks an oblique orientation along its own normal without a problem', () => {
    // rows along x, columns tilted 30° from y towards z: n = (0, −sin 30°, cos 30°)
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const normal = [0, -s, c];
    const positions = [3, 0, 1, 2].map((k) => normal.map((v, i) => [5, 7, -9][i]! + 1.5 * k * v));
    const stack = stackSlices(positions, [1, 0, 0, 0, c, s]);
    expect(stack.normal[1]).toBeCloseTo(-s, 12);
    expect(stack.order).toEqual([1, 2, 3, 0]);
    expect(stack.spacingMm).toBeCloseTo(1.5, 12);
    expect(stack.problems).toEqual([]);
    expect(stack.tiltDegrees).toBeCloseTo(0, 9);
  });

  it('flags gantry tilt: positions that advance off the normal, with the tilt angle', () => {
    // y advances 0.2 mm per mm of z: atan(0.2) = 11.31°; the axis passes the middle slice
    const stack = stackSlices(
      [0, 1, 2].map((z) => [-10, 20 + 0.2 * z, z]),
      axial,
    );
    expect(stack.tiltDegrees).toBeCloseTo(11.31, 2);
    expect(stack.problems).toEqual([
      { kind: 'off-axis', slice: 0, lateralMm: expect.closeTo(0.2, 12), alongMm: 0 },
      { kind: 'off-axis', slice: 2, lateralMm: expect.closeTo(0.2, 12), alongMm: 2 },
    ]);
    expect(stack.spacingMm).toBeUndefined();
  });

  it('names one stray slice, not the majority, even when it is the first along the normal', () => {
    const positions = [0, 1, 2, 3].map(at);
    positions[0] = [-10, 520, 0];
    expect(stackSlices(positions, axial).problems).toEqual([
      { kind: 'off-axis', slice: 0, lateralMm: 500, alongMm: 0 },
    ]);
  });

  it('gives a single slice its declared spacing when positive, else none', () => {
    expect(stackSlices([at(7)], axial, 2.5)).toMatchObject({
      spacingMm: 2.5,
      planesMm: [7],
      problems: [],
      tiltDegrees: 0,
    });
    expect(stackSlices([at(7)], axial).spacingMm).toBeUndefined();
    expect(stackSlices([at(7)], axial, 0).spacingMm).toBeUndefined();
    // two slices at one position: a duplicate, not a single slice
    expect(stackSlices([at(7), at(7)], axial, 3)).toMatchObject({ planesMm: [7], spacingMm: undefined });
  });

  it('refuses no positions or an orientation that is not six numbers', () => {
    expect(() => stackSlices([], axial)).toThrow(RangeError);
    expect(() => stackSlices([at(0)], [1, 0, 0])).toThrow(RangeError);
  });
});
