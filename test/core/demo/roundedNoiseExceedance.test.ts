import { describe, expect, it } from 'vitest';
import { roundedNoiseExceedance } from '../../../core/demo/roundedNoiseExceedance';
import { createSeededRandom } from '../../../core/random/seededRandom';

describe('roundedNoiseExceedance', () => {
  it('is 1 far below and 0 far above the mean difference', () => {
    expect(roundedNoiseExceedance(15, 10, -200)).toBeCloseTo(1, 9);
    expect(roundedNoiseExceedance(15, 10, 200)).toBeCloseTo(0, 9);
  });

  it('matches the normal approximation with continuity correction (table value)', () => {
    // S − 15 ≈ N(0, 2·(100 + 1/12)); S integer, S > 43.296 ⇔ S ≥ 44:
    // 1 − Φ((43.5 − 15) / 14.1480) = 1 − Φ(2.0144) ≈ 0.02199 (Φ(2.01) = 0.97778, Φ(2.02) = 0.97831).
    expect(roundedNoiseExceedance(15, 10, 43.296)).toBeCloseTo(0.022, 3);
  });

  it('agrees with a seeded simulation of the demo noise model', () => {
    const rng = createSeededRandom(11);
    const n = 400_000;
    let hits = 0;
    for (let i = 0; i < n; i++)
      if (Math.round(70 + 10 * rng.normal()) - Math.round(55 + 10 * rng.normal()) > 43.296) hits++;
    const p = roundedNoiseExceedance(15, 10, 43.296);
    // Binomial SE √(p(1 − p)/n) ≈ 2.3e-4; 4 SE.
    expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it('rejects a non-positive noise SD', () => {
    expect(() => roundedNoiseExceedance(15, 0, 40)).toThrow(RangeError);
  });
});
