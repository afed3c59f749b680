import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../../../core/tables/readJsonFile';

const options = { maxBytes: 1024, what: 'a protocol file' };
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('readJsonFile', () => {
  it('reads UTF-8 JSON, with or without a byte order mark', () => {
    expect(readJsonFile(utf8('{"levels":["grün"]}'), options)).toEqual({ levels: ['grün'] });
    expect(readJsonFile(utf8('\ufeff[1]'), options)).toEqual([1]);
    expect(readJsonFile('{"a":1}', options)).toEqual({ a: 1 });
  });

  it.each([
    [
      'Latin-1 bytes',
      Uint8Array.from([...utf8('{\n "a": "gr'), 0xfc, ...utf8('n"}')]),
      /^line 2, byte 10: byte 0xFC \(ü in Latin-1\) is not UTF-8; save the file as UTF-8$/,
    ],
    ['a NUL', utf8('{"a": "\0"}'), /^line 1, character 8: a NUL character/],
    ['U+FFFD', utf8('{"a":\n"\ufffd"}'), /^line 2, character 2: U\+FFFD/],
    [
      'a syntax error, placed by line and character',
      utf8('{\n  "a": 1,\n  "b" 2\n}'),
      /^not JSON: .*\(line 3, character 7\)$/,
    ],
    ['text cut short', utf8('{"items": ['), /^not JSON: /],
    ['a file over the cap', new Uint8Array(1025), /^a protocol file may have at most 1 KiB; this one has 1,025 bytes$/],
  ])('refuses %s', (_, input, message) => {
    expect(() => readJsonFile(input, options)).toThrow(message);
  });

  it('keeps its message short when the JSON is a huge single line', () => {
    let message = '';
    try {
      readJsonFile(`{"a": "${'x'.repeat(100_000)}" x}`, { maxBytes: 1 << 20, what: 'x' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^not JSON: /);
    expect(message.length).toBeLessThan(250);
  });
});
