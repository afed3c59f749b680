import { describe, expect, it } from 'vitest';
import { bestOverallResponse } from '../../../core/recist/bestOverallResponse';
import { firstResponse } from '../../../core/recist/firstResponse';
import { isObjectiveResponse } from '../../../core/recist/objectiveResponse';
import type { ResponseCategory } from '../../../core/recist/responseCategory';

/** [overall responses per follow-up, best, first response (1-based), derivation] */
const rows: [ResponseCategory[], ResponseCategory, number | null, string][] = [
  [[], 'NE', null, 'no follow-up: nothing assessed'],
  [['PR'], 'PR', 1, 'single follow-up'],
  [['SD', 'PR', 'CR'], 'CR', 2, 'best on the ladder CR > PR > SD; first CR/PR at follow-up 2'],
  [['PR', 'SD', 'PR'], 'PR', 1, 'first response is the earliest CR/PR'],
  [['PR', 'PD', 'CR'], 'PR', 1, 'the CR after progression does not count'],
  [['PD', 'PR'], 'PD', null, 'progression first: no response on study'],
  [['SD', 'PD'], 'SD', null, 'SD before PD'],
  [['NE', 'SD'], 'SD', null, 'an evaluable SD beats NE'],
  [['NE', 'NE'], 'NE', null, 'nothing evaluable'],
  [['NE', 'PD'], 'PD', null, 'PD is an assessment, NE is not: PD ranks above NE'],
  [['SD', 'NE', 'CR'], 'CR', 3, 'an NE follow-up in between does not stop the search'],
];

describe('bestOverallResponse and firstResponse', () => {
  it.each(rows)('%j → best %s, first response %s (%s)', (responses, best, first) => {
    expect(bestOverallResponse(responses)).toBe(best);
    expect(firstResponse(responses)).toBe(first);
  });

  it('rejects unknown categories', () => {
    expect(() => bestOverallResponse(['SD', 'MR' as ResponseCategory])).toThrow(RangeError);
    expect(() => bestOverallResponse(['toString' as ResponseCategory])).toThrow(RangeError);
    expect(() => firstResponse(['MR' as ResponseCategory])).toThrow(RangeError);
  });
});

describe('isObjectiveResponse', () => {
  it.each([
    ['CR', true],
    ['PR', true],
    ['SD', false],
    ['PD', false],
    ['NE', false],
  ] as const)('%s → %s (objective response = CR or PR)', (category, expected) => {
    expect(isObjectiveResponse(category)).toBe(expected);
  });
});
