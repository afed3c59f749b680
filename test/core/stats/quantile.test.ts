import { describe, expect, it } from 'vitest';
import { quantile, quantileOfSorted, sortedCopy } from '../../../core/stats/quantile';
import { readOracle } from './oracles';

interface OracleCase {
  description: string;
  x: number[];
  probs: number[];
  quantile: number[];
}
// test/fixtures/oracles/quantile.R (R 4.2.2): quantile(x, probs, type = 7).
const oracle = readOracle<{ rVersion: string; cases: Record<string, OracleCase> }>('quantile.json');

describe('quantile (R type 7)', () => {
  it.each(Object.entries(oracle.cases))('%s: equals R bit for bit (confirmed in R)', (_, c) => {
    const sorted = sortedCopy(c.x);
    c.probs.forEach((p, i) => {
      expect(quantile(c.x, p), `p = ${p}`).toBe(c.quantile[i]);
      expect(quantileOfSorted(sorted, p), `p = ${p}`).toBe(c.quantile[i]);
    });
  });

  it('matches hand values: median of 1..4 is 2.5, quartiles 1.75 and 3.25', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
    expect(quantile([4, 1, 3, 2], 0.75)).toBe(3.25);
  });

  it('does not modify its input and rejects empty samples, non-finite values and p outside [0, 1]', () => {
    const x = [3, 1, 2];
    quantile(x, 0.5);
    expect(x).toEqual([3, 1, 2]);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, NaN], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], NaN)).toThrow(RangeError);
  });
});
