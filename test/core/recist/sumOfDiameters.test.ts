import { describe, expect, it } from 'vitest';
import { diameterMicrometres, micrometresToMm } from '../../../core/recist/diameterMicrometres';
import { percentChange } from '../../../core/recist/percentChange';
import { sumOfDiameters } from '../../../core/recist/sumOfDiameters';

describe('diameterMicrometres', () => {
  it('puts decimal millimetres on an exact integer grid', () => {
    expect(diameterMicrometres(10.1)).toBe(10_100);
    expect(diameterMicrometres(0)).toBe(0);
    expect(diameterMicrometres(23.4567891)).toBe(23_457); // rounded to 1 µm
    expect(micrometresToMm(30_300)).toBe(30.3);
  });

  it('rejects negative and non-finite diameters', () => {
    expect(() => diameterMicrometres(-0.1)).toThrow(RangeError);
    expect(() => diameterMicrometres(Number.NaN)).toThrow(RangeError);
    expect(() => diameterMicrometres(Infinity)).toThrow(RangeError);
  });
});

describe('sumOfDiameters', () => {
  it('adds decimal diameters exactly (10.1 + 20.2 = 30.3, where doubles give 30.299999999999997)', () => {
    expect(sumOfDiameters([10.1, 20.2])).toEqual({ sumMm: 30.3, measuredSumMm: 30.3, notEvaluableLesions: [] });
  });

  it('gives no sum but a lower bound when a lesion is not evaluable', () => {
    // 25 + ? : the sum is unknown, the measured part is 25 mm; lesion index 1 is missing.
    expect(sumOfDiameters([25, null])).toEqual({ sumMm: null, measuredSumMm: 25, notEvaluableLesions: [1] });
  });

  it('counts disappeared lesions as 0 and an empty list as 0', () => {
    expect(sumOfDiameters([0, 0])).toEqual({ sumMm: 0, measuredSumMm: 0, notEvaluableLesions: [] });
    expect(sumOfDiameters([])).toEqual({ sumMm: 0, measuredSumMm: 0, notEvaluableLesions: [] });
  });

  it('rejects a negative diameter', () => {
    expect(() => sumOfDiameters([10, -1])).toThrow(RangeError);
  });
});

describe('percentChange', () => {
  it.each([
    // [reference, sum, expected %, hand derivation]
    [100, 70, -30, '100·(70 − 100)/100 = −30 exactly (naive (70 − 100)/100·100 would be too; see 30.3 below)'],
    [30.3, 21.21, -30, '100·(21210 − 30300)/30300 µm = −909000/30300 = −30'],
    [40, 48, 20, '100·8/40 = 20'],
    [50, 48, -4, '100·(−2)/50 = −4'],
    [20, 24, 20, '100·4/20 = 20'],
  ])('%s → %s mm is %s %% (%s)', (ref, sum, pct) => {
    expect(percentChange(ref, sum)).toEqual({ percent: pct, reason: null });
  });

  it('is not estimable, with the reason and never NaN, for a 0 mm reference or an unknown sum', () => {
    expect(percentChange(0, 5, 'baseline')).toEqual({
      percent: null,
      reason: expect.stringMatching(/baseline sum is 0 mm/),
    });
    expect(percentChange(0, 0, 'nadir')).toEqual({ percent: null, reason: expect.stringMatching(/nadir sum is 0 mm/) });
    expect(percentChange(50, null)).toEqual({ percent: null, reason: expect.stringMatching(/not evaluable/) });
  });
});
