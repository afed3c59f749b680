import { describe, expect, it } from 'vitest';
import { caliperLengthMm } from '../../../core/recist/caliper';

describe('caliperLengthMm', () => {
  const rows: [number[], number[], number, string][] = [
    // [a, b, expected mm, hand derivation]
    [[0, 0, 0], [3, 4, 0], 5, '√(3² + 4²) = 5 (3-4-5 triangle in an axial plane)'],
    [[10, -20, 30], [10, -20, 30], 0, 'coincident points'],
    [[-12.5, 30, 4], [-12.5, 30, -8], 12, 'along z only: |−8 − 4| = 12'],
    [[1, 2, 3], [3, 5, 9], 7, '√(2² + 3² + 6²) = √49 = 7'],
    [[0, 0, 0], [-1, -1, -1], Math.sqrt(3), 'unit cube diagonal √3, direction does not matter'],
  ];
  it.each(rows)('%j → %j is %d mm (%s)', (a, b, mm) => {
    expect(caliperLengthMm(a, b)).toBeCloseTo(mm, 12);
    expect(caliperLengthMm(b, a)).toBeCloseTo(mm, 12); // symmetric
  });

  it('rejects points that are not three finite LPS coordinates', () => {
    expect(() => caliperLengthMm([0, 0], [1, 1, 1])).toThrow(RangeError);
    expect(() => caliperLengthMm([0, 0, 0], [1, Number.NaN, 1])).toThrow(RangeError);
    expect(() => caliperLengthMm([0, 0, Infinity], [1, 1, 1])).toThrow(RangeError);
  });
});
