import { describe, expect, it } from 'vitest';
import { chooseDownsample, maxSurfaceGridSamples } from '../../../../core/imaging/maskSurface/chooseDownsample';

describe('chooseDownsample', () => {
  it.each([
    // budget 256³ = 16 777 216 samples
    [[300, 250, 160], 1], // 12 000 000 ≤ budget
    [[256, 256, 256], 1], // exactly the budget
    [[257, 256, 256], 2], // 16 842 752 > budget; ⌈257/2⌉·128·128 = 2 113 536
    [[512, 512, 300], 2], // 78.6 M; 256·256·150 = 9 830 400
    [[1024, 1024, 600], 4], // /2: 512·512·300 = 78.6 M; /3: 342·342·200 = 23.4 M; /4: 256·256·150
    [[2048, 2048, 2048], 4], // too big even at 4: the largest block is used
  ] as const)('%j → %i', (size, block) => {
    expect(chooseDownsample(size)).toBe(block);
  });
  it('takes another budget and rejects bad sizes', () => {
    expect(maxSurfaceGridSamples).toBe(16_777_216);
    expect(chooseDownsample([100, 100, 100], 1000)).toBe(4); // ⌈100/3⌉³ = 39 304 > 1000 → 4
    expect(() => chooseDownsample([0, 1, 1])).toThrow(RangeError);
  });
});
