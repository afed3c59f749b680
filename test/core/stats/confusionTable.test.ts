import { describe, expect, it } from 'vitest';
import { confusionTable } from '../../../core/stats/confusionTable';
import { readOracle } from './oracles';

interface RatingsCase {
  levels?: (string | number)[];
  a?: (string | number)[];
  b?: (string | number)[];
  counts: number[][];
}
// test/fixtures/oracles/kappa.R: table(factor(a, levels), factor(b, levels)) in R 4.2.2.
const oracle = readOracle<{ cases: Record<string, RatingsCase> }>('kappa.json');

describe('confusionTable', () => {
  it('cross-tabulates by hand: rows = rater A, columns = rater B', () => {
    const t = confusionTable(['CR', 'PR', 'PR', 'SD'], ['PR', 'PR', 'SD', 'SD'], ['CR', 'PR', 'SD', 'PD']);
    expect(t.counts).toEqual([
      [0, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
    expect(t.rowTotals).toEqual([1, 2, 1, 0]);
    expect(t.columnTotals).toEqual([0, 2, 2, 0]);
    expect(t.total).toBe(4);
    expect(t.levels).toEqual(['CR', 'PR', 'SD', 'PD']);
  });

  it('keeps levels nobody used, in the protocol order (not sorted)', () => {
    const t = confusionTable(['>75%', '<25%'], ['>75%', '<25%'], ['<25%', '25-50%', '>50-75%', '>75%']);
    expect(t.counts).toEqual([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
    ]);
  });

  const withRatings = Object.entries(oracle.cases).filter(([, c]) => c.a !== undefined);
  it.each(withRatings)('matches R table() for %s (confirmed in R)', (_, c) => {
    expect(confusionTable(c.a!, c.b!, c.levels!).counts).toEqual(c.counts);
  });

  it('gives an all-zero table for no items', () => {
    const t = confusionTable<string>([], [], ['a', 'b']);
    expect(t.counts).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(t.total).toBe(0);
  });

  it('rejects unequal lengths, values outside the levels and repeated levels (programmer errors)', () => {
    expect(() => confusionTable([1], [1, 2], [1, 2])).toThrow(RangeError);
    expect(() => confusionTable([1, 3], [1, 2], [1, 2])).toThrow(/not one of the levels/);
    expect(() => confusionTable<unknown>(['1'], [1], [1, 2])).toThrow(RangeError); // '1' is not 1
    expect(() => confusionTable([1], [1], [1, 2, 1])).toThrow(/distinct/);
  });
});
