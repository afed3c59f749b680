import { constants, crc32, deflateRawSync, gunzipSync } from 'node:zlib';
import { concat } from '../dicom/dicomDoc';

/**
 * Gzip members written by hand (RFC 1952), so the generator controls every header flag, the
 * CRC-32 and ISIZE, and can write multi-member files and bombs that never exist in memory.
 */
export interface GzipOptions {
  level?: number;
  /** Optional header fields (FNAME, FCOMMENT, FEXTRA, FHCRC). */
  name?: string;
  comment?: string;
  extra?: Uint8Array;
  headerCrc?: boolean;
}

/** One gzip member holding `data`. */
export function gzipMember(data: Uint8Array, options: GzipOptions = {}): Uint8Array {
  const body = new Uint8Array(deflateRawSync(data, { level: options.level ?? 6 }));
  return concat([gzipHeader(options), body, trailer(crc32(data), data.length)]);
}

export function gzipHeader(options: GzipOptions = {}): Uint8Array {
  let flags = 0;
  const parts: Uint8Array[] = [];
  if (options.extra) {
    flags |= 4;
    parts.push(new Uint8Array([options.extra.length & 0xff, options.extra.length >>> 8]), options.extra);
  }
  if (options.name !== undefined) {
    flags |= 8;
    parts.push(new Uint8Array(Buffer.from(`${options.name}\0`, 'latin1')));
  }
  if (options.comment !== undefined) {
    flags |= 16;
    parts.push(new Uint8Array(Buffer.from(`${options.comment}\0`, 'latin1')));
  }
  if (options.headerCrc) flags |= 2;
  const fixed = new Uint8Array([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3]);
  const header = concat([fixed, ...parts]);
  if (!options.headerCrc) return header;
  const crc = crc32(header) & 0xffff;
  return concat([header, new Uint8Array([crc & 0xff, crc >>> 8])]);
}

export function trailer(crc: number, size: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, crc >>> 0, true);
  view.setUint32(4, size >>> 0, true);
  return out;
}

/** The same data as `parts` gzip members, concatenated (what pigz and bgzip write). */
export function multiMember(data: Uint8Array, parts: number): Uint8Array {
  const members: Uint8Array[] = [];
  for (let i = 0; i < parts; i++)
    members.push(
      gzipMember(data.subarray(Math.floor((i * data.length) / parts), Math.floor(((i + 1) * data.length) / parts))),
    );
  return concat(members);
}

export function gunzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}

/**
 * A valid gzip member of `head`, then `zeros` zero bytes, then `tail`, with the right CRC-32
 * and ISIZE (mod 2^32), built from one full-flushed deflate block of 1 MiB of zeros repeated:
 * 2 GiB of zeros cost about 2 MB.
 */
export function gzipZeroBomb(head: Uint8Array, zeros: number, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const chunk = 2 ** 20;
  if (zeros % chunk !== 0) throw new RangeError('zeros must be a multiple of 1 MiB');
  const zero = new Uint8Array(chunk);
  const block = new Uint8Array(deflateRawSync(zero, { finishFlush: constants.Z_FULL_FLUSH }));
  const parts: Uint8Array[] = [
    gzipHeader(),
    new Uint8Array(deflateRawSync(head, { finishFlush: constants.Z_FULL_FLUSH })),
  ];
  for (let n = 0; n < zeros / chunk; n++) parts.push(block);
  parts.push(new Uint8Array(deflateRawSync(tail)));
  const crc = crc32Combine(crc32Combine(crc32(head), crc32OfZeros(zeros), zeros), crc32(tail), tail.length);
  parts.push(trailer(crc, (head.length + zeros + tail.length) % 2 ** 32));
  return concat(parts);
}

/** Offset of the deflate stream in a single member without optional fields, and the trailer's. */
export function memberLayout(member: Uint8Array): { bodyStart: number; trailerStart: number } {
  if (member[0] !== 0x1f || member[1] !== 0x8b) throw new RangeError('not gzip');
  if (member[3] !== 0) throw new RangeError('member has optional header fields');
  return { bodyStart: 10, trailerStart: member.length - 8 };
}

/**
 * CRC-32 of the concatenation of two blocks from their CRCs and the second one's length
 * (zlib's crc32_combine: the CRC register advanced over len2 zero bytes by repeated squaring of
 * the GF(2) shift operator). Lets a bomb's CRC be computed without its gigabytes.
 */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const times = (mat: Uint32Array, vec: number) => {
    let sum = 0;
    for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i]!;
    return sum >>> 0;
  };
  const square = (out: Uint32Array, mat: Uint32Array) => {
    for (let n = 0; n < 32; n++) out[n] = times(mat, mat[n]!);
  };
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  square(even, odd); // two zero bits
  square(odd, even); // four zero bits
  let c = crc1 >>> 0;
  let len = len2;
  do {
    square(even, odd);
    if (len & 1) c = times(even, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
    square(odd, even);
    if (len & 1) c = times(odd, c);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (c ^ crc2) >>> 0;
}

/** CRC-32 of `n` zero bytes (n a multiple of 1 MiB), by doubling. */
export function crc32OfZeros(n: number): number {
  const mib = 2 ** 20;
  let crc = crc32(new Uint8Array(mib));
  let have = mib;
  let out = 0;
  let outLength = 0;
  let rest = n / mib;
  while (rest > 0) {
    if (rest & 1) {
      out = crc32Combine(out, crc, have);
      outLength += have;
    }
    rest = Math.floor(rest / 2);
    if (rest > 0) {
      crc = crc32Combine(crc, crc, have);
      have *= 2;
    }
  }
  return outLength === 0 ? 0 : out;
}
