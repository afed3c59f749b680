import { describe, expect, it } from 'vitest';
import { overallResponse } from '../../../core/recist/overallResponse';
import type { NonTargetStatus, ResponseCategory } from '../../../core/recist/responseCategory';

/**
 * Every combination of RECIST 1.1 Table 1 (Eisenhauer 2009 §4.4.1), written out by hand:
 * a new lesion, a non-target PD or a target PD is PD whatever else; otherwise target CR is CR only
 * with non-target CR (absent), else PR; PR stays PR and SD stays SD with non-target non-PD or NE;
 * target NE with non-target non-PD is NE.
 */
const table: [ResponseCategory, NonTargetStatus, boolean, ResponseCategory][] = [
  // target CR
  ['CR', 'CR', false, 'CR'], // Table 1 row 1
  ['CR', 'non-CR/non-PD', false, 'PR'], // row 2
  ['CR', 'NE', false, 'PR'], // row 3 (non-target not evaluated)
  ['CR', 'PD', false, 'PD'], // "any, PD" row
  ['CR', 'CR', true, 'PD'], // new lesion
  ['CR', 'non-CR/non-PD', true, 'PD'],
  ['CR', 'NE', true, 'PD'],
  ['CR', 'PD', true, 'PD'],
  // target PR
  ['PR', 'CR', false, 'PR'], // row 4: non-PD
  ['PR', 'non-CR/non-PD', false, 'PR'], // row 4
  ['PR', 'NE', false, 'PR'], // row 4: not all evaluated
  ['PR', 'PD', false, 'PD'],
  ['PR', 'CR', true, 'PD'],
  ['PR', 'non-CR/non-PD', true, 'PD'],
  ['PR', 'NE', true, 'PD'],
  ['PR', 'PD', true, 'PD'],
  // target SD
  ['SD', 'CR', false, 'SD'], // row 5
  ['SD', 'non-CR/non-PD', false, 'SD'],
  ['SD', 'NE', false, 'SD'],
  ['SD', 'PD', false, 'PD'],
  ['SD', 'CR', true, 'PD'],
  ['SD', 'non-CR/non-PD', true, 'PD'],
  ['SD', 'NE', true, 'PD'],
  ['SD', 'PD', true, 'PD'],
  // target PD: PD whatever else (row 7)
  ['PD', 'CR', false, 'PD'],
  ['PD', 'non-CR/non-PD', false, 'PD'],
  ['PD', 'NE', false, 'PD'],
  ['PD', 'PD', false, 'PD'],
  ['PD', 'CR', true, 'PD'],
  ['PD', 'non-CR/non-PD', true, 'PD'],
  ['PD', 'NE', true, 'PD'],
  ['PD', 'PD', true, 'PD'],
  // target NE
  ['NE', 'CR', false, 'NE'], // row 6: target not all evaluated, non-target non-PD
  ['NE', 'non-CR/non-PD', false, 'NE'],
  ['NE', 'NE', false, 'NE'],
  ['NE', 'PD', false, 'PD'], // non-target PD decides without the targets
  ['NE', 'CR', true, 'PD'], // a new lesion decides without the targets
  ['NE', 'non-CR/non-PD', true, 'PD'],
  ['NE', 'NE', true, 'PD'],
  ['NE', 'PD', true, 'PD'],
];

describe('overallResponse (RECIST 1.1 Table 1)', () => {
  it('covers all 5 × 4 × 2 combinations', () => {
    expect(new Set(table.map(([t, n, x]) => `${t}|${n}|${x}`)).size).toBe(40);
  });

  it.each(table)('target %s, non-target %s, new lesion %s → %s', (target, nonTarget, newLesion, expected) => {
    expect(overallResponse(target, nonTarget, newLesion)).toBe(expected);
  });

  it('rejects unknown categories', () => {
    expect(() => overallResponse('MR' as ResponseCategory, 'CR', false)).toThrow(RangeError);
    expect(() => overallResponse('CR', 'present' as NonTargetStatus, false)).toThrow(RangeError);
  });
});
