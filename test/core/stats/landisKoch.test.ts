import { describe, expect, it } from 'vitest';
import { landisKochBand, landisKochBands, type LandisKochBand } from '../../../core/stats/landisKoch';

describe('landisKochBand (SPEC §4: poor < 0.00; slight 0.00-0.20; fair 0.21-0.40; moderate 0.41-0.60; substantial 0.61-0.80; almost perfect 0.81-1.00)', () => {
  const cases: [number, LandisKochBand][] = [
    [-1, 'poor'],
    [-0.3, 'poor'],
    [-0.01, 'poor'],
    [-0.006, 'poor'],
    [-0.004, 'slight'],
    [0, 'slight'],
    [0.1, 'slight'],
    [0.2, 'slight'],
    [0.204, 'slight'],
    [0.206, 'fair'],
    [0.21, 'fair'],
    [0.25, 'fair'],
    [0.32, 'fair'],
    [0.33, 'fair'],
    [0.4, 'fair'],
    [0.41, 'moderate'],
    [0.5, 'moderate'],
    [0.6, 'moderate'],
    [0.61, 'substantial'],
    [0.73, 'substantial'],
    [0.8, 'substantial'],
    [0.804, 'substantial'],
    [0.81, 'almost perfect'],
    [0.95, 'almost perfect'],
    [1, 'almost perfect'],
  ];
  it.each(cases)('%f → %s', (kappa, band) => {
    expect(landisKochBand(kappa)).toBe(band);
  });

  it("reproduces the reference study's readings (SPEC §3): 0.73 substantial; 0.32, 0.25, 0.33 fair", () => {
    expect([0.73, 0.32, 0.25, 0.33].map(landisKochBand)).toEqual(['substantial', 'fair', 'fair', 'fair']);
  });

  it('places a kappa by its printed two-decimal value, so number and band agree', () => {
    for (let i = -100; i <= 100; i++) {
      const kappa = i / 100 + 0.005; // halfway cases: what toFixed prints decides
      if (kappa > 1) continue;
      const printed = Number(kappa.toFixed(2));
      const band = landisKochBand(kappa);
      const row = landisKochBands.find((b) => b.band === band)!;
      expect(
        printed <= row.to && (row.from === null || printed >= row.from),
        `${kappa} printed ${printed} in ${band}`,
      ).toBe(true);
    }
  });

  it('lists the six bands in order', () => {
    expect(landisKochBands.map((b) => b.band)).toEqual([
      'poor',
      'slight',
      'fair',
      'moderate',
      'substantial',
      'almost perfect',
    ]);
  });

  it('rejects NaN, infinities and kappas above 1 (programmer errors)', () => {
    expect(() => landisKochBand(NaN)).toThrow(RangeError);
    expect(() => landisKochBand(Infinity)).toThrow(RangeError);
    expect(() => landisKochBand(1.2)).toThrow(RangeError);
    expect(landisKochBand(1 + 1e-12)).toBe('almost perfect');
  });
});
