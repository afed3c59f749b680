import { describe, expect, it } from 'vitest';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { findColumn, parseCsv, parseCsvTable, requireColumn } from '../../../core/tables/parseCsv';
import { toLongCsv, type LongRow } from '../../../core/studies/exportReads';
import { csvCell } from '../../../core/tables/csvCell';
import { thrown } from '../../helpers/thrown';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

const inputError = (run: () => unknown): InputDataError => thrown(run, InputDataError);

describe('parseCsv (RFC 4180)', () => {
  it.each([
    [
      'plain fields, CRLF',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'LF and no final line break',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'lone CR line ends',
      'a,b\r1,2\r',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'empty fields, also at the end of a record',
      'a,,c,\n,,,',
      [
        ['a', '', 'c', ''],
        ['', '', '', ''],
      ],
    ],
    ['a quoted comma', '"iso, hypo",x', [['iso, hypo', 'x']]],
    ['a doubled quote inside quotes', '"say ""NE""",x', [['say "NE"', 'x']]],
    ['an empty quoted field', '"",x', [['', 'x']]],
    [
      'line breaks inside quotes are kept',
      '"a\r\nb",c\n"d\ne",f',
      [
        ['a\r\nb', 'c'],
        ['d\ne', 'f'],
      ],
    ],
    ['spaces are part of a field (§2.4)', ' a , b ', [[' a ', ' b ']]],
    [
      'a byte order mark is dropped',
      '\uFEFFcase_id,item\nC1,x',
      [
        ['case_id', 'item'],
        ['C1', 'x'],
      ],
    ],
    ['empty lines are skipped', 'a\n\n\r\nb\n\n', [['a'], ['b']]],
    ['empty text', '', []],
  ])('%s', (_, text, expected) => {
    expect(fields(text)).toEqual(expected);
  });

  it('gives each record the line it starts on, counting line breaks inside quotes', () => {
    const records = parseCsv('h1,h2\r\n"two\r\nlines",x\r\n\r\nlast,y\r\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('reads back what the study export writes (csvCell, toLongCsv)', () => {
    const awkward = ['plain', 'a, b', 'say "x"', 'multi\nline', ''];
    expect(fields(awkward.map(csvCell).join(','))).toEqual([awkward]);
    const rows: LongRow[] = [
      { case_code: 'K101', reader: 'Dr, A', timepoint: 0, item: 'burden', value: '<25%' },
      { case_code: 'K101', reader: 'Dr, A', timepoint: '', item: 'recist.best_response', value: 'PR' },
    ];
    expect(fields(toLongCsv(rows))).toEqual([
      ['case_code', 'reader', 'timepoint', 'item', 'value'],
      ['K101', 'Dr, A', '0', 'burden', '<25%'],
      ['K101', 'Dr, A', '', 'recist.best_response', 'PR'],
    ]);
  });

  it.each([
    ['a quoted field left open', 'a,b\n"open,x\ny', /line 2: a quoted field is not closed/, 2],
    [
      'a quote inside an unquoted field',
      'a,b\nab"c,d',
      /line 2: field 1 \("ab\\"c"\) has a quote but does not start with one/,
      2,
    ],
    ['text after a closing quote', 'a\n"x"y,z', /line 2: unexpected "y" after the closing quote of field 1/, 2],
  ])('rejects %s, naming the line', (_, text, message, line) => {
    const err = inputError(() => parseCsv(text));
    expect(err.message).toMatch(message);
    expect(err.line).toBe(line);
  });
});

describe('parseCsvTable', () => {
  it('splits the header from the records', () => {
    expect(parseCsvTable('case_id,value\nC1,3\nC2,4\n')).toEqual({
      columns: ['case_id', 'value'],
      rows: [
        { line: 2, fields: ['C1', '3'] },
        { line: 3, fields: ['C2', '4'] },
      ],
    });
  });

  it('finds columns trimmed and case-insensitively, and lists the header when one is missing', () => {
    const table = parseCsvTable(' Time ,STATUS\n1,0');
    expect(findColumn(table, 'time')).toBe(0);
    expect(findColumn(table, 'status ')).toBe(1);
    expect(findColumn(table, 'sex')).toBe(-1);
    expect(() => requireColumn(table, 'sex', 'group column')).toThrow(
      /no group column "sex" in the header \(columns: Time, STATUS\)/,
    );
  });

  it.each([
    ['an empty file', '', /the file is empty/],
    ['a record with too few fields', 'a,b\n1,2\n3\n', /line 3: 1 fields, the header has 2 columns/],
    ['a record with too many fields', 'a,b\n1,2,3\n', /line 2: 3 fields, the header has 2 columns/],
    ['an unnamed column', 'a,,c\n1,2,3', /line 1: column 2 of the header has no name/],
    ['a repeated column', 'item,Item\nx,y', /column "Item" appears twice/],
  ])('rejects %s', (_, text, message) => {
    expect(() => parseCsvTable(text)).toThrow(message);
    expect(() => parseCsvTable(text)).toThrow(InputDataError);
  });
});
