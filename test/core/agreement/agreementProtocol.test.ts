import { describe, expect, it } from 'vitest';
import { parseAgreementProtocol, responseLevels } from '../../../core/agreement/agreementProtocol';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { referenceProtocol } from '../../../core/studies/protocol';

describe('parseAgreementProtocol', () => {
  it('reads items with scale and levels, in order; numeric levels match the file as text', () => {
    expect(
      parseAgreementProtocol({
        items: [
          { id: 'enhancement', scale: 'nominal', levels: ['hyper', 'iso, hypo'] },
          { id: 'grade', scale: 'ordinal', levels: [1, 2, 3.5] },
          { id: 'sum_mm', scale: 'continuous', levels: ['ignored'] },
        ],
      }),
    ).toEqual([
      { id: 'enhancement', scale: 'nominal', levels: ['hyper', 'iso, hypo'] },
      { id: 'grade', scale: 'ordinal', levels: ['1', '2', '3.5'] },
      { id: 'sum_mm', scale: 'continuous' },
    ]);
  });

  it("accepts the app's study protocol as it is (kind nominal / ordinal / numeric)", () => {
    expect(parseAgreementProtocol(referenceProtocol)).toEqual([
      { id: 'enhancement', scale: 'nominal', levels: ['hyperenhancing', 'iso-/hypoenhancing'] },
      { id: 'burden', scale: 'ordinal', levels: ['<25%', '25-50%', '>50-75%', '>75%'] },
    ]);
    expect(
      parseAgreementProtocol({ items: [{ id: 'volume', kind: 'numeric', unit: 'mL', min: 0, max: 5000 }] }),
    ).toEqual([{ id: 'volume', scale: 'continuous' }]);
  });

  it('fills in the scale and levels of the items the study export computes', () => {
    const ids = [
      'recist.overall_response',
      'mrecist.best_response',
      'recist.objective_response',
      'recist.sum_mm',
      'mrecist.change_from_nadir_percent',
      'target2.viable',
      'nontarget',
      'new_lesion',
    ];
    expect(parseAgreementProtocol({ items: ids.map((id) => ({ id })) })).toEqual([
      { id: 'recist.overall_response', scale: 'nominal', levels: [...responseLevels] },
      { id: 'mrecist.best_response', scale: 'nominal', levels: ['CR', 'PR', 'SD', 'PD', 'NE'] },
      { id: 'recist.objective_response', scale: 'nominal', levels: ['yes', 'no'] },
      { id: 'recist.sum_mm', scale: 'continuous' },
      { id: 'mrecist.change_from_nadir_percent', scale: 'continuous' },
      { id: 'target2.viable', scale: 'continuous' },
      { id: 'nontarget', scale: 'nominal', levels: ['absent', 'present', 'progression', 'not_evaluable'] },
      { id: 'new_lesion', scale: 'nominal', levels: ['true', 'false'] },
    ]);
    // What the protocol says wins: an ordinal RECIST response without NE.
    expect(
      parseAgreementProtocol({
        items: [{ id: 'recist.overall_response', scale: 'ordinal', levels: ['CR', 'PR', 'SD', 'PD'] }],
      }),
    ).toEqual([{ id: 'recist.overall_response', scale: 'ordinal', levels: ['CR', 'PR', 'SD', 'PD'] }]);
    // A scale without levels takes the default levels.
    expect(parseAgreementProtocol({ items: [{ id: 'recist.best_response', scale: 'ordinal' }] })[0]).toEqual({
      id: 'recist.best_response',
      scale: 'ordinal',
      levels: [...responseLevels],
    });
  });

  it.each([
    ['not an object', [], /^protocol: expected a JSON object/],
    ['no items', { version: 1 }, /^protocol\.items: expected a list/],
    ['an empty list', { items: [] }, /^protocol\.items: the list is empty/],
    [
      'an item without id',
      { items: [{ scale: 'nominal', levels: ['a'] }] },
      /^protocol\.items\[0\]\.id: a non-empty string/,
    ],
    [
      'a repeated id',
      {
        items: [
          { id: 'a', scale: 'continuous' },
          { id: 'a', scale: 'continuous' },
        ],
      },
      /^protocol\.items\[1\]\.id: "a" is listed twice/,
    ],
    [
      'an unknown scale',
      { items: [{ id: 'a', scale: 'interval' }] },
      /^protocol\.items\[0\]\.scale: "interval" is not nominal, ordinal or continuous/,
    ],
    ['an unknown kind', { items: [{ id: 'a', kind: 'free' }] }, /^protocol\.items\[0\]\.kind: "free"/],
    [
      'no scale for an unknown item',
      { items: [{ id: 'burden', levels: ['a', 'b'] }] },
      /^protocol\.items\[0\]\.scale: missing for "burden"/,
    ],
    [
      'no levels',
      { items: [{ id: 'burden', scale: 'ordinal' }] },
      /^protocol\.items\[0\]\.levels: missing for the ordinal item "burden"/,
    ],
    [
      'empty levels',
      { items: [{ id: 'b', scale: 'nominal', levels: [] }] },
      /^protocol\.items\[0\]\.levels: a non-empty list/,
    ],
    [
      'a blank level',
      { items: [{ id: 'b', scale: 'nominal', levels: ['x', ' '] }] },
      /^protocol\.items\[0\]\.levels\[1\]: " " is not a non-empty string or a number/,
    ],
    [
      'a repeated level',
      { items: [{ id: 'b', scale: 'nominal', levels: [1, '1'] }] },
      /^protocol\.items\[0\]\.levels: "1" is listed twice/,
    ],
    [
      '51 levels',
      { items: [{ id: 'b', scale: 'nominal', levels: Array.from({ length: 51 }, (_, i) => i) }] },
      /^protocol\.items\[0\]\.levels: 51 levels for "b"; at most 50 /,
    ],
    [
      '30,000 levels (exhausted the heap)',
      { items: [{ id: 'b', scale: 'ordinal', levels: Array.from({ length: 30_000 }, (_, i) => `L${i}`) }] },
      /^protocol\.items\[0\]\.levels: 30000 levels/,
    ],
    [
      '501 items',
      { items: Array.from({ length: 501 }, (_, i) => ({ id: `i${i}`, scale: 'continuous' })) },
      /^protocol\.items: 501 items; at most 500$/,
    ],
    [
      'a level of 201 characters',
      { items: [{ id: 'b', scale: 'nominal', levels: ['a', 'x'.repeat(201)] }] },
      /^protocol\.items\[0\]\.levels\[1\]: "x{40}…" \(201 characters\) is longer than 200 characters$/,
    ],
    [
      'an id of a megabyte',
      { items: [{ id: 'x'.repeat(1 << 20), scale: 'continuous' }] },
      /^protocol\.items\[0\]\.id: "x{40}…" \(1048576 characters\) is longer than 200/,
    ],
    [
      'levels equal after NFC',
      { items: [{ id: 'b', scale: 'nominal', levels: ['gr\u00fcn', 'gru\u0308n'] }] },
      /differ only in how their accents are encoded/,
    ],
    [
      'a scale that is not text',
      { items: [{ id: 'b', scale: ['x'.repeat(1000)] }] },
      /^protocol\.items\[0\]\.scale: object is not nominal/,
    ],
  ])('rejects %s, naming the field', (_, raw, message) => {
    expect(() => parseAgreementProtocol(raw)).toThrow(message);
    expect(() => parseAgreementProtocol(raw)).toThrow(InputDataError);
  });

  it('accepts 50 levels and 500 items', () => {
    expect(
      parseAgreementProtocol({
        items: [{ id: 'b', scale: 'ordinal', levels: Array.from({ length: 50 }, (_, i) => i) }],
      })[0],
    ).toMatchObject({ levels: expect.arrayContaining(['49']) });
    expect(
      parseAgreementProtocol({ items: Array.from({ length: 500 }, (_, i) => ({ id: `i${i}`, scale: 'continuous' })) }),
    ).toHaveLength(500);
  });
});
