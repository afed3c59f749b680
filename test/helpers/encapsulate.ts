/**
 * Test-only writers of compressed pixel data, so tests can turn a native file Concord wrote
 * (the demo) into an encapsulated one and back: a JPEG lossless encoder (ITU-T T.81 Annex H,
 * process 14, predictor 1, point transform 0) and a rewriter that puts encapsulated frames in
 * place of a file's native Pixel Data (PS3.5 §A.4). The encoder's output is checked in the
 * tests that use it: it must decode to the very samples it was given.
 */

/**
 * JPEG lossless SV1 codestream of one frame of `precision`-bit unsigned samples (rows x
 * columns, one component). One Huffman table gives each difference category 0-16 a 5-bit code
 * (T.81 Annex C: valid, not optimised); entropy data is padded with 1-bits and FF is stuffed.
 */
export function encodeJpegLosslessSv1(
  samples: ArrayLike<number>,
  rows: number,
  columns: number,
  precision = 16,
): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nbits = 0;
  const put = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >>> i) & 1);
      if (++nbits === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0);
        acc = 0;
        nbits = 0;
      }
    }
  };
  const mask = 2 ** precision - 1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const value = samples[y * columns + x]! & mask;
      const pred =
        y === 0
          ? x === 0
            ? 1 << (precision - 1)
            : samples[x - 1]! & mask
          : x === 0
            ? samples[(y - 1) * columns]! & mask
            : samples[y * columns + x - 1]! & mask;
      let diff = (value - pred) & 0xffff;
      if (diff > 32768) diff -= 65536;
      const category = diff === 0 ? 0 : diff === 32768 ? 16 : 32 - Math.clz32(Math.abs(diff));
      put(category, 5);
      if (category > 0 && category < 16) put(diff > 0 ? diff : diff - 1 + (1 << category), category);
    }
  }
  if (nbits > 0) put((1 << (8 - nbits)) - 1, 8 - nbits);
  const counts = new Array<number>(16).fill(0);
  counts[4] = 17;
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xc3,
    0,
    11,
    precision,
    rows >> 8,
    rows & 0xff,
    columns >> 8,
    columns & 0xff,
    1,
    1,
    0x11,
    0,
    0xff,
    0xc4,
    0,
    2 + 1 + 16 + 17,
    0x00,
    ...counts,
    ...Array.from({ length: 17 }, (_, i) => i),
    0xff,
    0xda,
    0,
    8,
    1,
    1,
    0x00,
    1,
    0,
    0,
    ...out,
    0xff,
    0xd9,
  ]);
}

/**
 * The file with its Transfer Syntax UID replaced and its Pixel Data (the last element, explicit
 * VR little endian) replaced by encapsulated frames: an empty Basic Offset Table item, one
 * fragment per frame (padded to even length), the sequence delimiter.
 */
export function withEncapsulatedPixelData(
  file: Uint8Array,
  transferSyntaxUid: string,
  frames: readonly Uint8Array[],
): Uint8Array {
  const withTs = replaceTransferSyntax(file, transferSyntaxUid);
  const at = lastIndexOf(withTs, [0xe0, 0x7f, 0x10, 0x00]);
  if (at < 0) throw new Error('no Pixel Data element');
  const item = (content: Uint8Array) => {
    const padded = content.length % 2 ? new Uint8Array([...content, 0]) : content;
    const n = padded.length;
    return [0xfe, 0xff, 0x00, 0xe0, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24, ...padded];
  };
  return new Uint8Array([
    ...withTs.subarray(0, at),
    0xe0,
    0x7f,
    0x10,
    0x00,
    0x4f,
    0x42,
    0,
    0,
    0xff,
    0xff,
    0xff,
    0xff, // (7FE0,0010) OB, undefined length
    ...item(new Uint8Array(0)),
    ...frames.flatMap((f) => item(f)),
    0xfe,
    0xff,
    0xdd,
    0xe0,
    0,
    0,
    0,
    0,
  ]);
}

/** The file with its (0002,0010) Transfer Syntax UID element replaced (explicit VR LE meta, PS3.10 §7.1). */
function replaceTransferSyntax(file: Uint8Array, uid: string): Uint8Array {
  const header = [0x02, 0x00, 0x10, 0x00, 0x55, 0x49];
  const at = file.findIndex((_, i) => header.every((b, k) => file[i + k] === b));
  const oldLength = file[at + 6]! | (file[at + 7]! << 8);
  const value = uid.length % 2 === 0 ? uid : `${uid}\0`;
  const element = [...header, value.length & 0xff, value.length >>> 8, ...Array.from(value, (c) => c.charCodeAt(0))];
  const out = new Uint8Array([...file.subarray(0, at), ...element, ...file.subarray(at + 8 + oldLength)]);
  // Keep (0002,0000) File Meta Information Group Length true.
  const groupLength = out.findIndex(
    (_, i) =>
      out[i] === 0x02 &&
      out[i + 1] === 0 &&
      out[i + 2] === 0 &&
      out[i + 3] === 0 &&
      out[i + 4] === 0x55 &&
      out[i + 5] === 0x4c,
  );
  if (groupLength >= 0) {
    const view = new DataView(out.buffer, out.byteOffset + groupLength + 8, 4);
    view.setUint32(0, view.getUint32(0, true) + element.length - (8 + oldLength), true);
  }
  return out;
}

function lastIndexOf(bytes: Uint8Array, pattern: readonly number[]): number {
  for (let i = bytes.length - pattern.length; i >= 0; i--) if (pattern.every((b, k) => bytes[i + k] === b)) return i;
  return -1;
}
