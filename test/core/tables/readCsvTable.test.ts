import { describe, expect, it } from 'vitest';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { clampLine, excerpt, excerptList, excerptPlain } from '../../../core/tables/excerpt';
import { parseCsv } from '../../../core/tables/parseCsv';
import { formatBytes, readCsvTable } from '../../../core/tables/readCsvTable';
import { maxCellChars, maxColumns } from '../../../core/tables/tableLimits';
import { tableNumber } from '../../../core/tables/tableNumber';
import { thrown } from '../../helpers/thrown';

const utf8 = (text: string) => new TextEncoder().encode(text);

const inputError = (run: () => unknown): InputDataError => thrown(run, InputDataError);

describe('excerpt', () => {
  it('quotes short text whole and cuts long text, saying how long it was', () => {
    expect(excerpt('a"b\nc')).toBe('"a\\"b\\nc"');
    expect(excerpt('x'.repeat(50_000_000))).toBe(`"${'x'.repeat(40)}…" (50000000 characters)`);
    expect(excerpt('x'.repeat(41), 40, false)).toBe(`"${'x'.repeat(40)}…"`);
  });

  it('does not cut a surrogate pair in half', () => {
    expect(excerpt(`${'x'.repeat(39)}😀tail`)).toBe(`"${'x'.repeat(39)}…" (45 characters)`);
  });

  it('lists at most 12 names, each cut to 30 characters', () => {
    const names = Array.from({ length: 20 }, (_, i) => `${'n'.repeat(40)}${i}`);
    const listed = excerptList(names);
    expect(listed.split(', ')).toHaveLength(13);
    expect(listed).toMatch(/, … \(20 in all\)$/);
    expect(excerptList(['a', 'b'], 12, false)).toBe('a, b');
    expect(excerptPlain('a\tb\nc')).toBe('a b c');
  });

  it('clamps a line to 500 characters', () => {
    const line = clampLine(`x${'\n'.repeat(3)}${'y'.repeat(10_000)}`);
    expect(line).toHaveLength(500);
    expect(line.startsWith('x y')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
    expect(clampLine('short')).toBe('short');
  });
});

describe('tableNumber', () => {
  it.each([
    ['12', 12],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['+4.', 4],
    ['1e-3', 0.001],
    ['-1e15', -1e15],
    ['1e-400', 0],
  ])('reads %j', (cell, value) => {
    expect(tableNumber(cell)).toEqual({ ok: true, value });
  });

  it.each([
    ['1e308', '"1e308" is beyond ±1e15, the largest magnitude a table may hold'],
    ['-1.0000001e15', '"-1.0000001e15" is beyond ±1e15, the largest magnitude a table may hold'],
    ['1e999', '"1e999" is not a finite number'],
    ['Infinity', '"Infinity" is not a number'],
    ['NaN', '"NaN" is not a number'],
    ['0x10', '"0x10" is not a number'],
    ['1_000', '"1_000" is not a number'],
    ['', '"" is not a number'],
    ['4'.repeat(100), `"${'4'.repeat(40)}…" (100 characters) is beyond ±1e15, the largest magnitude a table may hold`],
  ])('refuses %j', (cell, problem) => {
    expect(tableNumber(cell)).toEqual({ ok: false, problem });
  });
});

describe('parseCsv bounds', () => {
  it('refuses a cell over 4,096 characters as soon as it is seen, quoting 40 of them', () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    for (const text of [`a,b\n1,${huge}\n`, `a,b\n1,"${huge}"\n`]) {
      const err = inputError(() => parseCsv(text));
      expect(err.message).toBe(`line 2, column 2: a cell longer than ${maxCellChars} characters: "${'x'.repeat(40)}…"`);
    }
    expect(
      parseCsv(`a\n${'y'.repeat(maxCellChars)}\n"${'z'.repeat(maxCellChars - 2)}"""`).map((r) => r.fields[0]!.length),
    ).toEqual([1, maxCellChars, maxCellChars - 1]);
  });

  it('counts the lines of a quoted cell that is too long from where it opened', () => {
    expect(inputError(() => parseCsv(`a\nb\n"${'x\n'.repeat(3000)}"`)).message).toMatch(
      /^line 3, column 1: a cell longer than 4096/,
    );
  });

  it(`refuses a record of more than ${maxColumns} fields`, () => {
    expect(inputError(() => parseCsv(`${','.repeat(maxColumns)}\n`)).message).toBe(
      `line 1: more than ${maxColumns} fields in one record`,
    );
    expect(parseCsv(`${','.repeat(maxColumns - 1)}\n`)[0]!.fields).toHaveLength(maxColumns);
  });

  it('quotes a bad field with quotes in it by an excerpt only', () => {
    const err = inputError(() => parseCsv(`a\nx"${'y'.repeat(100_000)}\n`));
    expect(err.message.length).toBeLessThan(200);
  });
});

describe('readCsvTable', () => {
  it('reads bytes and text alike', () => {
    const expected = { columns: ['group', 'time'], rows: [{ line: 2, fields: ['Grün', '3'] }] };
    expect(readCsvTable(utf8('\ufeffgroup,time\r\nGrün,3\r\n'), { maxBytes: 100, what: 'a test file' })).toEqual(
      expected,
    );
    expect(readCsvTable('group,time\nGrün,3', { maxBytes: 100, what: 'a test file' })).toEqual(expected);
  });

  it('refuses a file over its cap, stating the cap', () => {
    expect(
      inputError(() =>
        readCsvTable(new Uint8Array(2 * 1024 * 1024 + 1), { maxBytes: 2 * 1024 * 1024, what: 'a test file' }),
      ).message,
    ).toBe('a test file may have at most 2 MiB; this one has 2,097,153 bytes');
    expect(inputError(() => readCsvTable('x'.repeat(11), { maxBytes: 10, what: 'an outcomes file' })).message).toBe(
      'an outcomes file may have at most 10 bytes; this one has 11 characters',
    );
  });

  it('refuses text with U+FFFD or a lone surrogate (from a client), and bytes that are not UTF-8', () => {
    expect(inputError(() => readCsvTable('g\nGr\ufffdn', { maxBytes: 100, what: 'x' })).message).toMatch(
      /^line 2, column 1 \("g"\): U\+FFFD/,
    );
    expect(
      inputError(() => readCsvTable(Uint8Array.from([0x67, 0x0a, 0xfc]), { maxBytes: 100, what: 'x' })).message,
    ).toMatch(/^line 2, column 1 \("g"\): byte 0xFC/);
  });

  it('formats sizes', () => {
    expect([
      formatBytes(900 * 1024),
      formatBytes(16 * 1024 * 1024),
      formatBytes(12_345),
      formatBytes(3 * 1024 * 1024 + 1),
    ]).toEqual(['900 KiB', '16 MiB', '12,345 bytes', '3.0 MiB']);
  });
});
