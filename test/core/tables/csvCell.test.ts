import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { csvCell, escapeCsvFormula, unescapeCsvFormula } from '../../../core/tables/csvCell';
import { parseCsv } from '../../../core/tables/parseCsv';

describe('escapeCsvFormula (formula injection)', () => {
  it.each([
    ['=HYPERLINK("http://x","click")', `'=HYPERLINK("http://x","click")`],
    ['+1+1', "'+1+1"],
    ["-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['-', "'-"],
    ['--5', "'--5"],
    ['-12.5 mm', "'-12.5 mm"],
    ['-Infinity', "'-Infinity"],
    // Apostrophes the text already had before a trigger get one more, so reading back is exact.
    ["'=x", "''=x"],
    ["''-3", "'''-3"],
  ])('guards %j', (text, escaped) => {
    expect(escapeCsvFormula(text)).toBe(escaped);
    expect(unescapeCsvFormula(escaped)).toBe(text);
  });

  it.each([
    '-12.5',
    '-30.0',
    '+3',
    '-1e-3',
    '-.5',
    '12',
    'NE',
    'Dr A',
    "O'Brien",
    "'quoted'",
    "'",
    '',
    ' =x',
    'a=b',
    '<25%',
    '>75%',
  ])('leaves %j as it is (plain numbers are data)', (text) => {
    expect(escapeCsvFormula(text)).toBe(text);
    expect(unescapeCsvFormula(text)).toBe(text);
  });

  it('is undone exactly for 20,000 seeded random cells made of the awkward characters', () => {
    const random = createSeededRandom(7);
    const alphabet = ["'", '=', '+', '-', '@', '\t', '\r', '\n', '1', '.', 'e', 'a', ',', '"', ' '];
    for (let n = 0; n < 20_000; n++) {
      const text = Array.from(
        { length: Math.floor(random.uniform() * 6) },
        () => alphabet[Math.floor(random.uniform() * alphabet.length)],
      ).join('');
      const escaped = escapeCsvFormula(text);
      expect(unescapeCsvFormula(escaped), JSON.stringify(text)).toBe(text);
      // What a spreadsheet would see: never a cell starting with a formula character, unless a plain number.
      if (/^[=+\-@\t\r]/.test(escaped)) expect(escaped).toMatch(/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/);
      // And RFC 4180 quoting on top reads back to the escaped text.
      expect(parseCsv(`${csvCell(text)},end`)[0]!.fields).toEqual([escaped, 'end']);
    }
  });
});

describe('csvCell', () => {
  it('escapes, then quotes a cell with a comma, quote or line break', () => {
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
  });

  it('refuses a non-finite number (exports write NE)', () => {
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
    expect(() => csvCell(-Infinity)).toThrow(RangeError);
  });
});
