import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { checkTableText, decodeTableText, invalidUtf8Offsets } from '../../../core/tables/decodeTableText';
import { csvLocations } from '../../../core/tables/csvLocation';
import { thrown } from '../../helpers/thrown';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

const inputError = (run: () => unknown): InputDataError => thrown(run, InputDataError);

describe('decodeTableText (strict UTF-8)', () => {
  it('decodes UTF-8 of every length, keeping a byte order mark for parseCsv to drop', () => {
    const text = 'case,reader\nC1,Grün\nC2,Grþn\nC3,日本\nC4,😀\n';
    expect(decodeTableText(utf8(text))).toBe(text);
    expect(decodeTableText(bytes([0xef, 0xbb, 0xbf], 'a\n'))).toBe('\ufeffa\n');
  });

  it('keeps Latin-1 "Grün" and "Grþn" apart: each is refused, naming line, column and header name', () => {
    // Latin-1: ü = 0xFC, þ = 0xFE. A lossy decoder turns both into "Gr\uFFFDn", one group.
    const err = inputError(() =>
      decodeTableText(bytes('time,event,group\n1,1,Gr', [0xfc], 'n\n2,0,Gr', [0xfe], 'n\n')),
    );
    expect(err.message).toBe(
      'line 2, column 3 ("group"): byte 0xFC (ü in Latin-1) is not UTF-8; 2 invalid bytes in all, also on line 3. The file is not UTF-8 (Latin-1 or Windows-1252?): save it as UTF-8 (CSV UTF-8) and try again.',
    );
    expect(err.line).toBe(2);
  });

  it.each([
    ['an overlong NUL (C0 80)', bytes('a\n', [0xc0, 0x80])],
    ['an overlong slash (E0 80 AF)', bytes('a\n', [0xe0, 0x80, 0xaf])],
    ['a UTF-16 surrogate in UTF-8 (ED A0 80)', bytes('a\n', [0xed, 0xa0, 0x80])],
    ['a code point above U+10FFFF (F4 90 80 80)', bytes('a\n', [0xf4, 0x90, 0x80, 0x80])],
    ['a sequence cut at the end of the file', bytes('a\nx', [0xe2, 0x82])],
    ['a lone continuation byte', bytes('a\n', [0x80])],
    ['F5..FF', bytes('a\n', [0xf5])],
  ])('refuses %s', (_, input) => {
    expect(inputError(() => decodeTableText(input)).message).toMatch(
      /^line 2, column 1 \("a"\): byte 0x[0-9A-F]{2}.* is not UTF-8/,
    );
  });

  it('says a UTF-16 file is UTF-16', () => {
    expect(inputError(() => decodeTableText(bytes([0xff, 0xfe], [0x61, 0, 0x0a, 0]))).message).toMatch(
      /^line 1: the file is UTF-16/,
    );
    expect(inputError(() => decodeTableText(bytes([0xfe, 0xff], [0, 0x61]))).message).toMatch(
      /^line 1: the file is UTF-16/,
    );
  });

  it('places a bad byte inside a quoted field that spans lines, and counts the rest without listing them all', () => {
    const err = inputError(() =>
      decodeTableText(
        bytes(
          'a,b\n1,"two\nlines ',
          [0xe9],
          '"\n',
          ...Array.from({ length: 30 }, (_, i) => [...utf8(`${i},x`), 0xe9, 0x0a]),
        ),
      ),
    );
    expect(err.message).toMatch(
      /^line 3, column 2 \("b"\): byte 0xE9 \(é in Latin-1\) is not UTF-8; 31 invalid bytes in all, also on lines 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, …\. /,
    );
    expect(err.message.length).toBeLessThan(500);
  });

  it('agrees with the WHATWG fatal decoder on 4,000 seeded random byte strings', () => {
    const random = createSeededRandom(20240612);
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    // Bytes drawn mostly from the interesting ranges (ASCII, continuation, lead bytes).
    const pool = [
      0x41, 0x42, 0x43, 0x2c, 0x0a, 0x41, 0x42, 0x43, 0x2c, 0x0a, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
      0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
    ];
    let valid = 0;
    for (let t = 0; t < 4000; t++) {
      const b = Uint8Array.from(
        { length: 1 + Math.floor(random.uniform() * 8) },
        () => pool[Math.floor(random.uniform() * pool.length)]!,
      );
      let expected: string | null;
      try {
        expected = decoder.decode(b);
      } catch {
        expected = null;
      }
      expect(invalidUtf8Offsets(b).total === 0, [...b].map((x) => x.toString(16)).join(' ')).toBe(expected !== null);
      if (expected !== null && !expected.includes('\0') && !expected.includes('\ufffd')) {
        expect(decodeTableText(b)).toBe(expected);
        valid++;
      }
    }
    expect(valid).toBeGreaterThan(200);
  });

  describe('where the platform has no TextDecoder', () => {
    afterEach(() => vi.unstubAllGlobals());
    it('decodes and refuses the same with its own decoder', () => {
      const text = 'case,reader\r\nC1,Grün\r\nC2,日本 😀\r\n'.repeat(2000);
      const native = decodeTableText(utf8(text));
      const latin1 = bytes('a\nGr', [0xfc], 'n\n');
      const nativeError = inputError(() => decodeTableText(latin1)).message;
      vi.stubGlobal('TextDecoder', undefined);
      expect(decodeTableText(utf8(text))).toBe(native);
      expect(inputError(() => decodeTableText(latin1)).message).toBe(nativeError);
    });
  });
});

describe('checkTableText', () => {
  it.each([
    [
      'U+FFFD (an earlier lossy conversion)',
      'a,b\n1,Gr\ufffdn\n',
      /^line 2, column 2 \("b"\): U\+FFFD, the replacement character/,
    ],
    ['a NUL character', 'a,b\n1,\0\n', /^line 2, column 2 \("b"\): a NUL character: this is not a UTF-8 text file/],
    ['a lone high surrogate', 'a,b\n1,x\ud800\n', /^line 2, column 2 \("b"\): a lone UTF-16 surrogate \(U\+D800\)/],
    ['a lone low surrogate', 'a\n\udc00', /^line 2, column 1 \("a"\): a lone UTF-16 surrogate \(U\+DC00\)/],
  ])('refuses %s, naming line and column', (_, text, message) => {
    expect(inputError(() => checkTableText(text)).message).toMatch(message);
  });

  it('accepts a surrogate pair and a byte order mark', () => {
    expect(() => checkTableText('\ufeffa\n😀')).not.toThrow();
  });
});

describe('csvLocations', () => {
  it('follows parseCsv: quotes, doubled quotes, CRLF, empty lines', () => {
    const text = 'h1,h2\r\n\r\n"a,""b""\r\nc",x\ry,z';
    const at = (s: string) => text.indexOf(s);
    const { locations, headerEnd } = csvLocations(text.length, (i) => text.charCodeAt(i), [
      at('h2'),
      at('b"'),
      at('c"'),
      at('x'),
      at('z'),
    ]);
    expect(locations).toEqual([
      { line: 1, record: 0, field: 1 },
      { line: 3, record: 1, field: 0 },
      { line: 4, record: 1, field: 0 },
      { line: 4, record: 1, field: 1 },
      { line: 5, record: 2, field: 1 },
    ]);
    expect(text.slice(0, headerEnd!)).toBe('h1,h2');
  });
});
