import { GzipError } from './gzipError';

/** Where inflated bytes go: one buffer, grown on demand, shared by consecutive gzip members. */
export interface InflateOutput {
  /** Valid bytes are [0, length). */
  buf: Uint8Array;
  length: number;
  /**
   * A buffer of at least `used + need` bytes whose first `used` bytes are those of `buf` (it
   * becomes `buf`).
   * @throws GzipError('too-large') when that is more than the output may hold
   */
  grow(used: number, need: number): Uint8Array;
}

// RFC 1951 §3.2.5: base values and extra bits of length symbols 257…285 and distance symbols 0…29.
const lengthBase = new Uint16Array([
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
]);
const lengthExtra = new Uint8Array([
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
]);
const distanceBase = new Uint16Array([
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
]);
const distanceExtra = new Uint8Array([
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
]);
// RFC 1951 §3.2.7: the order in which code length code lengths are stored.
const codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15] as const;

/**
 * A Huffman decoding table: index = the next `bits` input bits (first bit lowest), entry =
 * symbol << 4 | code length; 0 marks a bit pattern that starts no code.
 */
interface HuffmanTable {
  table: Uint16Array;
  bits: number;
}

const truncated = () => new GzipError('truncated', 'The gzip data ends inside a DEFLATE stream.');

/**
 * Canonical Huffman code of `lengths` (RFC 1951 §3.2.2) as a lookup table. As zlib does, an
 * over-subscribed set is refused, and an incomplete one too unless it is a single code of length
 * 1 (allowed for literal/length and distance codes); a set of zero lengths gives a table that
 * decodes nothing.
 */
function huffmanTable(
  lengths: Uint8Array,
  what: string,
  allowSingle: boolean,
  corrupt: (what: string) => GzipError,
): HuffmanTable {
  const counts = new Uint16Array(16);
  let bits = 0;
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s]!;
    counts[l]!++;
    if (l > bits) bits = l;
  }
  if (bits === 0) return { table: new Uint16Array(1), bits: 0 };
  let left = 1;
  for (let l = 1; l <= 15; l++) {
    left = (left << 1) - counts[l]!;
    if (left < 0) throw corrupt(`over-subscribed ${what} code`);
  }
  if (left > 0 && !(allowSingle && bits === 1)) throw corrupt(`incomplete ${what} code`);
  // RFC 1951 §3.2.2 step 2: the first code of each length (bl_count[0] = 0).
  counts[0] = 0;
  const next = new Uint16Array(16);
  let code = 0;
  for (let l = 1; l <= 15; l++) {
    code = (code + counts[l - 1]!) << 1;
    next[l] = code;
  }
  const size = 1 << bits;
  const table = new Uint16Array(size);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s]!;
    if (l === 0) continue;
    const c = next[l]!++;
    // Codes are stored most significant bit first; the table is indexed by input bits, first bit lowest.
    let reversed = 0;
    for (let b = 0; b < l; b++) reversed |= ((c >> b) & 1) << (l - 1 - b);
    const entry = (s << 4) | l;
    for (let i = reversed; i < size; i += 1 << l) table[i] = entry;
  }
  return { table, bits };
}

/** The fixed codes are complete, so building them never fails. */
const fixedCodeError = (what: string) => new GzipError('corrupt', what);

let fixedTables: { literal: HuffmanTable; distance: HuffmanTable } | undefined;

/** RFC 1951 §3.2.6: the fixed literal/length and distance codes. */
function fixed(): { literal: HuffmanTable; distance: HuffmanTable } {
  if (!fixedTables) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixedTables = {
      literal: huffmanTable(l, 'literal/length', false, fixedCodeError),
      distance: huffmanTable(new Uint8Array(32).fill(5), 'distance', false, fixedCodeError),
    };
  }
  return fixedTables;
}

/** Up to 9 bits at bit position p (first bit lowest); bytes past the end read as 0. */
const bits = (d: Uint8Array, p: number, mask: number) => ((d[p >>> 3]! | (d[(p >>> 3) + 1]! << 8)) >>> (p & 7)) & mask;
/** Up to 17 bits at bit position p. */
const bits17 = (d: Uint8Array, p: number) =>
  (d[p >>> 3]! | (d[(p >>> 3) + 1]! << 8) | (d[(p >>> 3) + 2]! << 16)) >>> (p & 7);

/**
 * Inflates one raw DEFLATE stream (RFC 1951) that starts at byte `start` of `input`, appending
 * to `out` (back-references may not reach before what this stream wrote). Stricter than many
 * inflaters: stored-block LEN/NLEN, reserved block type 3, length symbols 286-287, distance
 * symbols 30-31, over-subscribed or incomplete codes and a missing end-of-block code are errors.
 * Reference: RFC 1951 (P. Deutsch, 1996); code-set rules as zlib's inflate_table.
 * @returns the byte offset just past the stream (its last byte padded with unused bits)
 * @throws GzipError('truncated') when the input ends inside the stream; ('corrupt') for invalid
 *   data; ('too-large') from `out.grow`
 */
export function inflateRaw(input: Uint8Array, start: number, out: InflateOutput): number {
  const d = input;
  const totalBits = d.length * 8;
  let pos = start * 8;
  // Past the end, input reads as zero bits: an invalid code read there means the data was cut.
  const corrupt = (what: string) =>
    pos + 24 > totalBits ? truncated() : new GzipError('corrupt', `The DEFLATE data is corrupt: ${what}.`);
  let buf = out.buf;
  let bt = out.length;
  const streamStart = bt;
  let final: number;
  do {
    if (pos + 3 > totalBits) throw truncated();
    final = bits(d, pos, 1);
    const type = bits(d, pos + 1, 3);
    pos += 3;
    if (type === 0) {
      const s = (pos + 7) >>> 3;
      if (s + 4 > d.length) throw truncated();
      const len = d[s]! | (d[s + 1]! << 8);
      const nlen = d[s + 2]! | (d[s + 3]! << 8);
      if ((len ^ 0xffff) !== nlen) throw corrupt('a stored block length does not match its complement');
      const e = s + 4 + len;
      if (e > d.length) throw truncated();
      if (bt + len > buf.length) buf = out.grow(bt, len);
      buf.set(d.subarray(s + 4, e), bt);
      bt += len;
      pos = e * 8;
      continue;
    }
    let literal: HuffmanTable;
    let distance: HuffmanTable;
    if (type === 1) {
      ({ literal, distance } = fixed());
    } else if (type === 2) {
      const hlit = bits(d, pos, 31) + 257;
      const hdist = bits(d, pos + 5, 31) + 1;
      const hclen = bits(d, pos + 10, 15) + 4;
      pos += 14;
      if (hlit > 286 || hdist > 30)
        throw corrupt(
          `a dynamic block declares ${hlit} literal/length and ${hdist} distance codes (at most 286 and 30)`,
        );
      const clLengths = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) clLengths[codeLengthOrder[i]!] = bits(d, pos + 3 * i, 7);
      pos += 3 * hclen;
      const cl = huffmanTable(clLengths, 'code length', false, corrupt);
      if (cl.bits === 0) throw corrupt('empty code length code');
      const clMask = (1 << cl.bits) - 1;
      const lengths = new Uint8Array(hlit + hdist);
      for (let i = 0; i < lengths.length;) {
        if (pos > totalBits) throw truncated();
        const c = cl.table[bits(d, pos, clMask)]!;
        if (c === 0) throw corrupt('invalid code length code');
        pos += c & 15;
        const sym = c >> 4;
        if (sym < 16) {
          lengths[i++] = sym;
          continue;
        }
        let repeat: number;
        let value = 0;
        if (sym === 16) {
          if (i === 0) throw corrupt('a repeated code length with no previous length');
          value = lengths[i - 1]!;
          repeat = 3 + bits(d, pos, 3);
          pos += 2;
        } else if (sym === 17) {
          repeat = 3 + bits(d, pos, 7);
          pos += 3;
        } else {
          repeat = 11 + bits(d, pos, 127);
          pos += 7;
        }
        if (i + repeat > lengths.length) throw corrupt('code lengths repeat past the number of codes');
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      if (pos > totalBits) throw truncated();
      if (lengths[256] === 0) throw corrupt('the literal/length code has no end-of-block code');
      literal = huffmanTable(lengths.subarray(0, hlit), 'literal/length', true, corrupt);
      distance = huffmanTable(lengths.subarray(hlit), 'distance', true, corrupt);
    } else {
      throw corrupt('block type 3 is reserved');
    }

    const lt = literal.table;
    const lMask = (1 << literal.bits) - 1;
    const dt = distance.table;
    const dMask = (1 << distance.bits) - 1;
    for (;;) {
      const c = lt[bits17(d, pos) & lMask]!;
      if (c === 0) throw corrupt('invalid literal/length code');
      pos += c & 15;
      const sym = c >> 4;
      if (sym < 256) {
        if (bt >= buf.length) buf = out.grow(bt, 1);
        buf[bt++] = sym;
      } else if (sym === 256) {
        break;
      } else {
        const li = sym - 257;
        if (li >= 29) throw corrupt(`invalid length symbol ${sym}`);
        let len = lengthBase[li]!;
        const lx = lengthExtra[li]!;
        if (lx) {
          len += bits(d, pos, (1 << lx) - 1);
          pos += lx;
        }
        const dc = dt[bits17(d, pos) & dMask]!;
        if (dc === 0) throw corrupt('invalid distance code');
        pos += dc & 15;
        const ds = dc >> 4;
        if (ds >= 30) throw corrupt(`invalid distance symbol ${ds}`);
        let dist = distanceBase[ds]!;
        const dx = distanceExtra[ds]!;
        if (dx) {
          dist += bits17(d, pos) & ((1 << dx) - 1);
          pos += dx;
        }
        if (pos > totalBits) throw truncated();
        if (dist > bt - streamStart) throw corrupt(`a distance of ${dist} reaches before the start of the stream`);
        const end = bt + len;
        if (end > buf.length) buf = out.grow(bt, len);
        if (len <= 16) {
          for (; bt < end; bt++) buf[bt] = buf[bt - dist]!;
        } else if (dist === 1) {
          buf.fill(buf[bt - 1]!, bt, end);
          bt = end;
        } else {
          // The match repeats the `dist` bytes before it: [from, bt) stays a whole number of
          // periods, so each copy may take all of it (at most doubling the run, never overlapping).
          const from = bt - dist;
          while (bt < end) {
            const n = Math.min(bt - from, end - bt);
            buf.copyWithin(bt, from, from + n);
            bt += n;
          }
        }
      }
      if (pos > totalBits) throw truncated();
    }
    if (pos > totalBits) throw truncated();
  } while (!final);
  out.length = bt;
  return (pos + 7) >>> 3;
}
