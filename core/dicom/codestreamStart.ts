import { TS } from './transferSyntax';

/**
 * What the first codestream of each compressed transfer syntax begins with (T.81, T.87, T.800, T.814, PS3.5
 * Annex G).
 */
const starts: Record<string, { what: string; test: (b: Uint8Array) => boolean }> = {};
const soi = { what: 'a JPEG codestream (SOI, FF D8)', test: (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 };
const j2k = {
  what: 'a JPEG 2000 codestream (SOC, FF 4F) or JP2 file',
  test: (b: Uint8Array) =>
    (b[0] === 0xff && b[1] === 0x4f) ||
    (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c && b[4] === 0x6a && b[5] === 0x50),
};
const rle = {
  // The RLE header's first word is its segment count, 1 to 15 (PS3.5 G.5).
  what: 'an RLE header (1 to 15 segments)',
  test: (b: Uint8Array) => b.length >= 4 && b[1] === 0 && b[2] === 0 && b[3] === 0 && b[0]! >= 1 && b[0]! <= 15,
};
for (const uid of [
  TS.JPEGBaseline8Bit,
  TS.JPEGExtended12Bit,
  TS.JPEGLossless,
  TS.JPEGLosslessSV1,
  TS.JPEGLSLossless,
  TS.JPEGLSNearLossless,
])
  starts[uid] = soi;
for (const uid of [TS.JPEG2000Lossless, TS.JPEG2000, TS.HTJ2KLossless, TS.HTJ2KLosslessRPCL, TS.HTJ2K])
  starts[uid] = j2k;
starts[TS.RLELossless] = rle;

/**
 * Checks the first bytes of an encapsulated Pixel Data value, as held by a header-only read:
 * the Basic Offset Table item, then the first fragment, which must begin as the transfer
 * syntax's codestream does. A file relabelled from RLE to JPEG lossless (or any such swap) is
 * thereby seen at import, from the header's last bytes, rather than only when its series loads.
 * @param value the bytes of the Pixel Data value from its start, as many as are held
 * @returns a sentence naming what was expected and found, or undefined when it fits or the
 *   bytes held end before the first fragment's start (nothing to say)
 */
export function codestreamStartProblem(
  transferSyntaxUid: string,
  transferSyntaxName: string,
  value: Uint8Array,
): string | undefined {
  const expected = starts[transferSyntaxUid];
  if (!expected) return undefined;
  const u32 = (at: number) =>
    (value[at]! | (value[at + 1]! << 8) | (value[at + 2]! << 16) | (value[at + 3]! << 24)) >>> 0;
  const isItem = (at: number) =>
    value[at] === 0xfe && value[at + 1] === 0xff && value[at + 2] === 0x00 && value[at + 3] === 0xe0;
  if (value.length < 8 || !isItem(0)) return undefined; // the fragment layout is the load's to judge
  const first = 8 + u32(4);
  if (value.length < first + 8 + 6 || !isItem(first)) return undefined;
  const start = value.subarray(first + 8, first + 8 + Math.min(6, u32(first + 4)));
  if (start.length < 4 || expected.test(start)) return undefined;
  const found = [...start.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  return `Pixel data: the first fragment does not begin as ${expected.what} but with ${found}, so it is not ${transferSyntaxName} as the header says.`;
}
