import { describe, expect, it } from 'vitest';
import type { FrameGeometry } from '../../../core/dicom/sliceHeader';
import { stackFrames } from '../../../core/masks/stackFrames';

const frame = (z: number, x = 0): FrameGeometry => ({
  positionMm: [x, 0, z],
  rowCosines: [1, 0, 0],
  columnCosines: [0, 1, 0],
  pixelSpacingMm: [0.5, 0.8],
  rescaleSlope: 1,
  rescaleIntercept: 0,
});

describe('stackFrames', () => {
  it('orders frames by position along the normal, whatever their order', () => {
    // z = 6, 2, 4, 2 (a second segment on the slice at 2): slices 2 mm apart from z = 2.
    const { grid, sliceOfFrame } = stackFrames([frame(6), frame(2), frame(4), frame(2)], 3, 4);
    expect(grid).toEqual({
      dims: [4, 3, 3],
      spacingMm: [0.8, 0.5, 2],
      originMm: [0, 0, 2],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    });
    expect(sliceOfFrame).toEqual([2, 0, 1, 0]);
  });

  it('takes the smallest spacing that puts every frame on a slice, the preferred one first', () => {
    // Frames 3 mm apart; stated slice thickness 1.5 mm fits too and is finer.
    expect(stackFrames([frame(0), frame(3)], 1, 1, { statedSpacingsMm: [undefined, 1.5] }).sliceOfFrame).toEqual([
      0, 2,
    ]);
    expect(stackFrames([frame(0), frame(3)], 1, 1, { statedSpacingsMm: [2] }).sliceOfFrame).toEqual([0, 1]);
    expect(
      stackFrames([frame(0), frame(3)], 1, 1, { preferredSpacingMm: 1, statedSpacingsMm: [1.5] }).sliceOfFrame,
    ).toEqual([0, 3]);
    // One frame: the preferred spacing, else the smallest stated one, else 1 mm.
    expect(stackFrames([frame(7)], 1, 1, { statedSpacingsMm: [2.5, 5] }).grid.spacingMm[2]).toBe(2.5);
    expect(stackFrames([frame(7)], 1, 1).grid.spacingMm[2]).toBe(1);
  });

  it('names the stray frame off the series axis, not the majority (the axis of stackSlices)', () => {
    // The first frame along the normal is 0.5 mm off; the three others are on one line.
    expect(() => stackFrames([frame(1), frame(0, 0.5), frame(2), frame(3)], 1, 1)).toThrow(
      /^Frame 2 is 0\.5 mm off the line of frames/,
    );
  });

  it.each([
    [
      'positions on no regular grid',
      [frame(0), frame(1), frame(2.3)],
      /no regular grid of slices \(smallest gap 1 mm\)/,
    ],
    ['a frame shifted in plane', [frame(0), frame(1, 0.5)], /0\.5 mm off the line of frames/],
    [
      'mixed orientations',
      [frame(0), { ...frame(1), rowCosines: [0, 1, 0], columnCosines: [1, 0, 0] } as FrameGeometry],
      /differs from frame 1 in orientation/,
    ],
    ['no frames', [], /no frames/],
  ])('refuses %s', (_what, frames, message) => {
    expect(() => stackFrames(frames, 1, 1)).toThrow(
      expect.objectContaining({ name: 'MaskReadError', message: expect.stringMatching(message) }),
    );
  });
});
