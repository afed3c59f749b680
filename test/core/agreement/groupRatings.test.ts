import { describe, expect, it } from 'vitest';
import { parseAgreementProtocol } from '../../../core/agreement/agreementProtocol';
import { compareIds } from '../../../core/agreement/compareIds';
import { groupRatings } from '../../../core/agreement/groupRatings';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { parseLongCsv } from '../../../core/agreement/parseLongCsv';

const items = parseAgreementProtocol({
  items: [
    { id: 'burden', scale: 'ordinal', levels: ['low', 'mid', 'high'] },
    { id: 'sum_mm', scale: 'continuous' },
    { id: 'never_read', scale: 'nominal', levels: ['a', 'b'] },
  ],
});
const group = (csv: string) => groupRatings(parseLongCsv(csv).rows, items);

describe('compareIds', () => {
  it('orders numbers by value before text, text by code units', () => {
    expect(['r2', 'B', '10', 'a', '2', 'r10', '1.5', 'A'].sort(compareIds)).toEqual([
      '1.5',
      '2',
      '10',
      'A',
      'B',
      'a',
      'r10',
      'r2',
    ]);
  });
});

describe('groupRatings', () => {
  it('builds cases × raters from complete cases only, readers and cases sorted', () => {
    const [burden, sum, never] = group(
      [
        'case_id,reader_id,item,value',
        'C2,B,burden,high',
        'C1,B,burden,mid',
        'C1,A,burden,low',
        'C2,A,burden,mid',
        'C3,A,burden,low', // B never read C3
        'C4,A,burden,', // no answer from A
        'C4,B,burden,low',
        'C1,A,sum_mm,41.5',
        'C1,B,sum_mm,40',
        'C2,A,sum_mm,NE', // not evaluable: C2 excluded from sum_mm only
        'C2,B,sum_mm,12',
        'C3,A,sum_mm,-1e1',
        'C3,B,sum_mm,na',
        'C1,A,comment,"anything, not in the protocol"',
      ].join('\n'),
    );
    expect(burden).toEqual({
      item: 'burden',
      timepoint: null,
      scale: 'ordinal',
      levels: ['low', 'mid', 'high'],
      raters: ['A', 'B'],
      caseIds: ['C1', 'C2'],
      excludedCaseIds: ['C3', 'C4'],
      ratings: [
        ['low', 'mid'],
        ['mid', 'high'],
      ],
    });
    expect(sum).toMatchObject({
      scale: 'continuous',
      raters: ['A', 'B'],
      caseIds: ['C1'],
      excludedCaseIds: ['C2', 'C3'],
      ratings: [[41.5, 40]],
    });
    expect(never).toEqual({
      item: 'never_read',
      timepoint: null,
      scale: 'nominal',
      levels: ['a', 'b'],
      raters: [],
      caseIds: [],
      excludedCaseIds: [],
      ratings: [],
    });
  });

  it('keys items per timepoint when the file has them: numbers by value, case-level (empty) last', () => {
    const rows = ['case_id,reader_id,timepoint,item,value'];
    for (const t of ['10', '', '2', '0']) for (const r of ['A', 'B']) rows.push(`C1,${r},${t},burden,low`);
    expect(group(rows.join('\n')).map((g) => [g.item, g.timepoint])).toEqual([
      ['burden', '0'],
      ['burden', '2'],
      ['burden', '10'],
      ['burden', null],
      ['sum_mm', null],
      ['never_read', null],
    ]);
  });

  it('takes the raters of each item and timepoint from its own rows', () => {
    const [burden] = group('case_id,reader_id,item,value\nC1,A,burden,low\nC1,B,burden,low\nC1,C,sum_mm,3\n');
    expect(burden!.raters).toEqual(['A', 'B']);
  });

  it.each([
    [
      'a value that is not a level',
      'C1,A,burden,medium',
      /^line 3 \(case C1, reader A, item burden\): "medium" is not one of the levels of burden: low, mid, high$/,
      3,
    ],
    ['a level in another case', 'C1,A,burden,Low', /"Low" is not one of the levels/, 3],
    ['NE for a categorical item', 'C1,A,burden,NE', /"NE" is not one of the levels/, 3],
    [
      'a continuous value that is not a number',
      'C1,A,sum_mm,12 mm',
      /^line 3 \(case C1, reader A, item sum_mm\): value "12 mm" is not a number/,
      3,
    ],
    [
      'the same answer twice',
      'C2,B,burden,low\nC2,B,burden,mid',
      /^line 4 \(case C2, reader B, item burden\): the same case, reader, item and timepoint as line 3/,
      4,
    ],
    [
      'a measurement of 1e308 (the ICC overflowed: "unexpected error")',
      'C1,A,sum_mm,1e308',
      /^line 3 \(case C1, reader A, item sum_mm\): value "1e308" is beyond ±1e15, the largest magnitude a table may hold/,
      3,
    ],
    ['a measurement of -1e999', 'C1,A,sum_mm,-1e999', /"-1e999" is not a finite number/, 3],
    [
      'a huge value, quoted by an excerpt',
      `C1,A,burden,${'z'.repeat(4000)}`,
      /^line 3 \(case C1, reader A, item burden\): "z{40}…" \(4000 characters\) is not one of the levels/,
      3,
    ],
  ])('rejects %s, naming the line', (_, extra, message, line) => {
    let error: unknown;
    try {
      group(`case_id,reader_id,item,value\nC9,A,burden,low\n${extra}\n`);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputDataError);
    expect((error as InputDataError).message).toMatch(message);
    expect((error as InputDataError).line).toBe(line);
  });

  it('says when a value differs from a level only in Unicode normalization (NFD vs NFC)', () => {
    const colour = parseAgreementProtocol({
      items: [{ id: 'colour', scale: 'nominal', levels: ['gr\u00fcn', 'rot'] }],
    });
    expect(() =>
      groupRatings(parseLongCsv('case_id,reader_id,item,value\nC1,A,colour,gru\u0308n\n').rows, colour),
    ).toThrow(
      /^line 2 \(case C1, reader A, item colour\): "gru\u0308n" is not one of the levels of colour: gr\u00fcn, rot \(it differs from the level "gr\u00fcn" only in how its accents are encoded, NFC or NFD/,
    );
  });

  it('allows 50 readers of an item and refuses the 51st (3+ readers get a kappa per pair)', () => {
    const rows = (k: number) =>
      Array.from({ length: k }, (_, r) => `C1,R${r},burden,low\nC2,R${r},burden,mid`).join('\n');
    expect(group(`case_id,reader_id,item,value\n${rows(50)}\n`)[0]!.raters).toHaveLength(50);
    expect(() => group(`case_id,reader_id,item,value\n${rows(51)}\n`)).toThrow(
      /^line 102 \(case C1, reader R50, item burden\): more than 50 readers rate burden; at most 50 can be compared/,
    );
    // The study report lifts the cap: its readers are the study's own.
    expect(
      groupRatings(parseLongCsv(`case_id,reader_id,item,value\n${rows(51)}\n`).rows, items, { maxRaters: Infinity })[0]!
        .raters,
    ).toHaveLength(51);
  });

  it('names the timepoint of a bad row', () => {
    expect(() => group('case_id,reader_id,timepoint,item,value\nC1,A,post,burden,x\n')).toThrow(
      /^line 2 \(case C1, reader A, item burden, timepoint post\)/,
    );
  });
});
