import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { getItems, getNumber } from '../../../core/dicom/values';
import { T } from '../../../core/dicom/tags';

/**
 * A header-only parse (the import) and a full parse (loading) must agree on a file, else a
 * series is indexed as loadable and fails when opened (the fuzz campaign's "indexed, fails at
 * load"). Deeply nested sequences ("1000 levels"): a defined-length sequence too
 * deep to parse is skipped by its length, in the header-only and the full parse alike, so an
 * import and a load agree on the file; an undefined-length one, whose end only parsing finds,
 * is refused by both.
 */

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const undefinedLength = 0xffffffff;
// (0009,1010), a private tag: its SQ comes from the explicit VR.
const sqHeader = (length: number) => [0x09, 0x00, 0x10, 0x10, ...ascii('SQ'), 0, 0, ...le32(length)];
const item = (length: number) => [0xfe, 0xff, 0x00, 0xe0, ...le32(length)];
const itemEnd = [0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0];
const seqEnd = [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];

function definedNest(depth: number): number[] {
  let inner: number[] = [];
  for (let d = 0; d < depth; d++) inner = [...sqHeader(8 + inner.length), ...item(inner.length), ...inner];
  return inner;
}
function undefinedNest(depth: number): number[] {
  let inner: number[] = [];
  for (let d = 0; d < depth; d++)
    inner = [...sqHeader(undefinedLength), ...item(undefinedLength), ...inner, ...itemEnd, ...seqEnd];
  return inner;
}
/** A Part 10 file, explicit VR little endian: the nested sequence, then Rows = 7 and a 2-byte Pixel Data. */
function file(nested: number[]): Uint8Array {
  const ts = ascii('1.2.840.10008.1.2.1\0');
  const meta = [0x02, 0x00, 0x10, 0x00, ...ascii('UI'), ts.length, 0, ...ts];
  const rows = [0x28, 0x00, 0x10, 0x00, ...ascii('US'), 2, 0, 7, 0];
  const pixels = [0xe0, 0x7f, 0x10, 0x00, ...ascii('OW'), 0, 0, ...le32(2), 1, 2];
  return new Uint8Array([...new Array<number>(128).fill(0), ...ascii('DICM'), ...meta, ...nested, ...rows, ...pixels]);
}

describe('deeply nested sequences', () => {
  it.each([false, true])(
    'skips a defined-length sequence 1000 levels deep by its length and reads on (header only: %s)',
    (untilPixelData) => {
      const parsed = parseDicom(file(definedNest(1000)), { untilPixelData, complete: true });
      expect(getNumber(parsed.dataset, T.Rows)).toBe(7);
      // 16 levels are parsed; the 17th sequence is kept unread (no items).
      let ds = parsed.dataset;
      let levels = 0;
      for (;;) {
        const items = getItems(ds, 0x00091010);
        if (items.length === 0) break;
        ds = items[0]!;
        levels++;
      }
      expect(levels).toBe(16);
    },
  );

  it('parses a defined-length nest of 16 levels whole', () => {
    const parsed = parseDicom(file(definedNest(16)), { complete: true });
    let ds = parsed.dataset;
    let levels = 0;
    while (getItems(ds, 0x00091010).length > 0) {
      ds = getItems(ds, 0x00091010)[0]!;
      levels++;
    }
    expect(levels).toBe(16);
  });

  it.each([false, true])(
    'refuses an undefined-length sequence 100 levels deep, naming the limit (header only: %s)',
    (untilPixelData) => {
      expect(() => parseDicom(file(undefinedNest(100)), { untilPixelData, complete: true })).toThrow(
        /Sequences nested deeper than 16 levels/,
      );
    },
  );
});

describe('the Pixel Data element header', () => {
  it.each([false, true])('refuses an invalid VR on Pixel Data (header only: %s)', (untilPixelData) => {
    const bytes = file([]);
    const at = bytes.length - 14; // (7FE0,0010) 'OW' 00 00 length, then 2 bytes
    expect(String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!)).toBe('OW');
    bytes[at + 4] = 0x4d; // 'MW', as one flipped bit makes it
    expect(() => parseDicom(bytes, { untilPixelData, complete: true })).toThrow(
      /Invalid VR "MW" for element \(7FE0,0010\)/,
    );
  });
});
