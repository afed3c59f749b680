import { describe, expect, it } from 'vitest';
import { windowedSincCoefficients } from '../../../../core/imaging/maskSurface/windowedSincCoefficients';

/** The filter's gain at frequency k: f(k) = Σ c_n · cos(n · arccos(1 − k/2)). */
const gain = (c: Float64Array, k: number) => c.reduce((sum, cn, n) => sum + cn * Math.cos(n * Math.acos(1 - k / 2)), 0);

describe('windowedSincCoefficients', () => {
  it('is the identity for order 0', () => {
    expect(Array.from(windowedSincCoefficients(0, 0.1))).toEqual([1]);
  });

  it('matches a hand calculation for order 1', () => {
    // θ_pb = arccos(1 − 0.1/2) = arccos(0.95) = 0.317560; sin θ_pb = √(1 − 0.95²) = 0.312250.
    // Hamming weights w_0 = 0.54 + 0.46 = 1, w_1 = 0.54 + 0.46·cos(π/2) = 0.54.
    // c_0 = θ_pb/π = 0.101083; c_1 = 2·0.54·0.312250/π = 0.107343; sum 0.208426
    // → normalised c_0 = 0.484980, c_1 = 0.515020.
    const c = windowedSincCoefficients(1, 0.1);
    expect(c[0]).toBeCloseTo(0.48498, 5);
    expect(c[1]).toBeCloseTo(0.51502, 5);
  });

  it('keeps the mean (f(0) = Σ c_n = 1) and removes the stop band at order 20', () => {
    const c = windowedSincCoefficients(20, 0.1);
    expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(gain(c, 0)).toBeCloseTo(1, 12);
    // A Hamming window's highest side lobe is −43 dB (≈ 0.007 of the pass band; Harris FJ,
    // Proc IEEE 1978;66:51–83): beyond the transition band nothing larger than that gets through.
    for (let k = 0.5; k <= 2; k += 0.01) expect(Math.abs(gain(c, k))).toBeLessThan(0.01);
    // The cut-off is where an ideal low-pass would step from 1 to 0; the window smears the step
    // symmetrically around it, so the gain there is about ½.
    expect(gain(c, 0.1)).toBeCloseTo(0.5, 1);
  });

  it('rejects bad orders and pass bands', () => {
    expect(() => windowedSincCoefficients(-1, 0.1)).toThrow(RangeError);
    expect(() => windowedSincCoefficients(2.5, 0.1)).toThrow(RangeError);
    expect(() => windowedSincCoefficients(10, 0)).toThrow(RangeError);
    expect(() => windowedSincCoefficients(10, 2)).toThrow(RangeError);
  });
});
