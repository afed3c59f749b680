import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../core/gzip/crc32';
import { gunzip, isGzip } from '../../../core/gzip/gunzip';
import { GzipError } from '../../../core/gzip/gzipError';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { thrown } from '../../helpers/thrown';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'gzip');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
/** Sizes and SHA-256 of the inflated sources, as make_gzip_fixtures.sh recorded them with sha256sum. */
const expected = JSON.parse(readFileSync(join(fixtures, 'gzip-fixtures.json'), 'utf8')) as Record<
  'liver.nii' | 'part.bin',
  { bytes: number; sha256: string }
>;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const failure = (run: () => unknown): GzipError => thrown(run, GzipError);

describe('crc32', () => {
  it('gives the check value of the CRC-32 catalogue and agrees with zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // reveng CRC-32/ISO-HDLC check value
    const random = createSeededRandom(12);
    for (const n of [0, 1, 7, 8, 9, 1000, 65_537]) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(random.uniform() * 256));
      expect(crc32(bytes)).toBe(zlib.crc32(bytes));
      // Continuing from a prefix's CRC gives the CRC of the whole.
      expect(crc32(bytes.subarray(n >> 1), crc32(bytes.subarray(0, n >> 1)))).toBe(zlib.crc32(bytes));
    }
  });
});

describe('gunzip of files written by gzip, pigz and bgzip', () => {
  it.each([
    ['liver.gzip-name.nii.gz', 'gzip -9, FNAME'],
    ['liver.gzip-fast.nii.gz', 'gzip -1 -n'],
    ['liver.pigz-comment.nii.gz', 'pigz, FNAME and FCOMMENT'],
    ['liver.pigz-independent.nii.gz', 'pigz -i: independent 32 kB blocks'],
    ['liver.bgzip.nii.gz', 'bgzip: 13 members with FEXTRA and an empty EOF member'],
    ['liver.cat2.nii.gz', 'two gzip members concatenated'],
  ])('%s (%s) inflates to the source recorded by sha256sum, as zlib does', (name) => {
    const bytes = fixture(name);
    const out = gunzip(bytes);
    expect(out.length).toBe(expected['liver.nii'].bytes);
    expect(sha256(out)).toBe(expected['liver.nii'].sha256);
    expect(Buffer.from(out).equals(zlib.gunzipSync(bytes))).toBe(true);
  });

  it('recognises the magic number only', () => {
    expect(isGzip(fixture('part.gzip.gz'))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(failure(() => gunzip(new TextEncoder().encode('NRRD0004'))).kind).toBe('not-gzip');
  });

  it('matches zlib on seeded data at every level and strategy (stored, fixed, dynamic, RLE, Huffman-only blocks)', () => {
    const random = createSeededRandom(2024);
    const strategies = [
      zlib.constants.Z_DEFAULT_STRATEGY,
      zlib.constants.Z_FIXED,
      zlib.constants.Z_RLE,
      zlib.constants.Z_HUFFMAN_ONLY,
      zlib.constants.Z_FILTERED,
    ];
    for (let t = 0; t < 60; t++) {
      const n = Math.floor(random.uniform() * 150_000);
      const alphabet = 1 + Math.floor(random.uniform() * 255);
      const data = new Uint8Array(n);
      let value = 0;
      for (let i = 0, run = 0; i < n; i++, run--) {
        if (run <= 0) {
          run = Math.floor(random.uniform() * 60);
          value = Math.floor(random.uniform() * alphabet);
        }
        data[i] = random.uniform() < 0.05 ? Math.floor(random.uniform() * 256) : value;
      }
      const gz = new Uint8Array(zlib.gzipSync(data, { level: t % 10, strategy: strategies[t % strategies.length]! }));
      expect(Buffer.from(gunzip(gz)).equals(Buffer.from(data)), `case ${t}: ${n} bytes, level ${t % 10}`).toBe(true);
    }
  });
});

describe('gunzip refuses damaged data', () => {
  /**
   * Bits no checksum covers (without FHCRC), whose flip leaves the data intact: MTIME (bytes
   * 4-7 of a member), XFL (8), OS (9) and FTEXT (bit 0 of FLG), RFC 1952 §2.3, and the padding
   * after a DEFLATE stream's last block, in the byte before the member's 8-byte trailer. Every
   * other bit is covered by its member's CRC32 and ISIZE, or makes the header or the stream invalid.
   */
  const informational = (memberStarts: number[], memberEnds: number[]) => (bit: number) => {
    const byte = bit >> 3;
    return (
      memberStarts.some((s) => (byte >= s + 4 && byte <= s + 9) || bit === (s + 3) * 8) ||
      memberEnds.some((e) => byte === e - 9)
    );
  };

  it.each([
    ['part.gzip.gz', [0]],
    ['part.cat2.gz', [0, -1]],
  ])('refuses every bit flip of %s that changes anything (or inflates it unchanged)', (name, starts) => {
    const bytes = fixture(name);
    const original = gunzip(bytes);
    expect(sha256(original)).toBe(expected['part.bin'].sha256);
    // The second member starts where the first one's trailer ends (found by inflating it alone).
    const memberStarts = starts.map((s) => (s >= 0 ? s : secondMemberStart(bytes)));
    const memberEnds = [...memberStarts.slice(1), bytes.length];
    const harmless = informational(memberStarts, memberEnds);
    let refused = 0;
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      let out: Uint8Array | undefined;
      try {
        out = gunzip(flipped);
      } catch (err) {
        expect(err).toBeInstanceOf(GzipError);
        refused++;
        continue;
      }
      expect(harmless(bit), `bit ${bit} (byte ${bit >> 3}) was accepted`).toBe(true);
      expect(Buffer.from(out).equals(Buffer.from(original))).toBe(true);
    }
    // At most 6 bytes + FTEXT + one byte of padding per member are not covered.
    expect(refused).toBeGreaterThanOrEqual(bytes.length * 8 - memberStarts.length * (49 + 8));
  });

  /**
   * Cut points: every length for the small files; for bgzip's 14 members, every length within 4 bytes of a
   * member boundary and 150 seeded others.
   */
  function cutPoints(name: string, bytes: Uint8Array): number[] {
    if (name !== 'liver.bgzip.nii.gz') return Array.from({ length: bytes.length }, (_, n) => n);
    const points = new Set<number>([0, 1]);
    // bgzip's FEXTRA "BC" field holds each member's size less one (SAM/BAM specification §4.1).
    for (let p = 0; p < bytes.length; p += (bytes[p + 16]! | (bytes[p + 17]! << 8)) + 1)
      for (let d = -4; d <= 4; d++) points.add(p + d);
    const random = createSeededRandom(7);
    for (let k = 0; k < 150; k++) points.add(Math.floor(random.uniform() * bytes.length));
    return [...points].filter((n) => n >= 0 && n < bytes.length).sort((a, b) => a - b);
  }

  it.each(['part.gzip.gz', 'part.cat2.gz', 'liver.bgzip.nii.gz'])(
    'refuses every truncation of %s, except at a member boundary',
    (name) => {
      const bytes = fixture(name);
      const whole = gunzip(bytes);
      let boundaries = 0;
      for (const n of cutPoints(name, bytes)) {
        let out: Uint8Array;
        try {
          out = gunzip(bytes.subarray(0, n));
        } catch (err) {
          expect(err).toBeInstanceOf(GzipError);
          expect((err as GzipError).kind).toBe(n < 2 ? 'not-gzip' : 'truncated');
          continue;
        }
        // Cut between members, what is left is a valid gzip file (RFC 1952 §2.2) holding a prefix of
        // the data: zlib reads it alike. Readers with a declared size (NIfTI, NRRD) refuse it as short.
        boundaries++;
        expect(out.length).toBeLessThanOrEqual(whole.length); // equal when only bgzip's empty EOF member is cut
        expect(Buffer.from(out).equals(Buffer.from(whole.subarray(0, out.length)))).toBe(true);
        expect(Buffer.from(out).equals(zlib.gunzipSync(bytes.subarray(0, n)))).toBe(true);
      }
      // part.gzip.gz has one member; part.cat2.gz two; bgzip 13 members and its empty EOF member.
      expect(boundaries).toBe({ 'part.gzip.gz': 0, 'part.cat2.gz': 1, 'liver.bgzip.nii.gz': 13 }[name]);
    },
  );

  it('names what is wrong: trailing bytes, reserved flags, method, block type, stored length, header CRC', () => {
    const good = fixture('part.gzip.gz');
    const withTail = (tail: number[]) => Uint8Array.from([...good, ...tail]);
    expect(failure(() => gunzip(withTail([0, 0, 0, 0]))).message).toBe(
      'The 4 bytes after gzip member 1 are not a gzip member.',
    );
    expect(failure(() => gunzip(withTail([0x1f, 0x8b, 8]))).kind).toBe('truncated');
    const patched = (at: number, value: number) => {
      const b = good.slice();
      b[at] = value;
      return b;
    };
    expect(failure(() => gunzip(patched(3, 0x20))).message).toBe(
      'Gzip member 1 at byte 0 sets reserved header flags (FLG 32).',
    );
    expect(failure(() => gunzip(patched(2, 7))).message).toBe(
      'Gzip member 1 at byte 0 uses compression method 7, not DEFLATE (8).',
    );

    // Hand-built members (RFC 1951 §3.2.3-4): a header, then DEFLATE blocks, then CRC32 and ISIZE.
    const member = (deflate: number[], data: Uint8Array, flags = 0, extra: number[] = []) => {
      const header = [0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3, ...extra];
      const trailer = new Uint8Array(8);
      new DataView(trailer.buffer).setUint32(0, zlib.crc32(data), true);
      new DataView(trailer.buffer).setUint32(4, data.length, true);
      return Uint8Array.from([...header, ...deflate, ...trailer]);
    };
    const abc = new TextEncoder().encode('abc');
    // A final stored block: BFINAL 1, BTYPE 00, then LEN 3, NLEN ~3, the bytes.
    expect(new TextDecoder().decode(gunzip(member([0x01, 3, 0, 0xfc, 0xff, ...abc], abc)))).toBe('abc');
    expect(failure(() => gunzip(member([0x01, 3, 0, 0xfc, 0xfe, ...abc], abc))).message).toMatch(
      /a stored block length does not match its complement, in gzip member 1 at byte 0\./,
    );
    expect(failure(() => gunzip(member([0x07], abc))).message).toMatch(/block type 3 is reserved/);
    // FHCRC: the two low bytes of the CRC32 of the header before them (RFC 1952 §2.3.1).
    const header = [0x1f, 0x8b, 8, 2, 0, 0, 0, 0, 0, 3];
    const crc16 = zlib.crc32(Uint8Array.from(header)) & 0xffff;
    const deflate = [0x01, 3, 0, 0xfc, 0xff, ...abc];
    expect(new TextDecoder().decode(gunzip(member(deflate, abc, 2, [crc16 & 0xff, crc16 >> 8])))).toBe('abc');
    expect(failure(() => gunzip(member(deflate, abc, 2, [(crc16 & 0xff) ^ 1, crc16 >> 8]))).kind).toBe('checksum');
    // A match before any output: fixed Huffman (BFINAL 1, BTYPE 01), length symbol 257 (3 bytes,
    // 7-bit code 0000001), distance symbol 0 (1 byte back, 5-bit code 00000), end of block (0000000).
    const bitsOut: number[] = [];
    const put = (value: number, n: number) => {
      for (let b = 0; b < n; b++) bitsOut.push((value >> b) & 1);
    }; // fields: first bit lowest
    const putCode = (code: number, n: number) => {
      for (let b = n - 1; b >= 0; b--) bitsOut.push((code >> b) & 1);
    }; // Huffman codes: first bit highest
    put(1, 1);
    put(1, 2);
    putCode(0b0000001, 7);
    putCode(0, 5);
    putCode(0, 7);
    const matchFirst = Array.from({ length: Math.ceil(bitsOut.length / 8) }, (_, i) =>
      bitsOut.slice(8 * i, 8 * i + 8).reduce((v, bit, b) => v | (bit << b), 0),
    );
    const aaa = new TextEncoder().encode('aaa');
    expect(failure(() => gunzip(member(matchFirst, aaa))).message).toBe(
      'The DEFLATE data is corrupt: a distance of 1 reaches before the start of the stream, in gzip member 1 at byte 0.',
    );
    // Members are independent: the second may not reach back into the first one's output either.
    const first = member([0x01, 1, 0, 0xfe, 0xff, 0x61], new TextEncoder().encode('a'));
    expect(failure(() => gunzip(Uint8Array.from([...first, ...member(matchFirst, aaa)]))).message).toMatch(
      /reaches before the start of the stream, in gzip member 2 at byte 24\./,
    );
  });
});

describe('gunzip keeps memory bounded', () => {
  // 64 MiB of zeros deflate to about 64 kB: a small gzip bomb.
  const bomb = new Uint8Array(zlib.gzipSync(new Uint8Array(64 * 2 ** 20), { level: 9 }));

  it('stops a bomb at maxBytes', () => {
    expect(bomb.length).toBeLessThan(100_000);
    const err = failure(() => gunzip(bomb, { maxBytes: 2 ** 20 }));
    expect(err).toMatchObject({
      kind: 'too-large',
      message: 'The gzip data inflates beyond 1048576 bytes, the most that is read.',
    });
  });

  it('stops at the size the content declares, and lets the header refuse an absurd one before inflating further', () => {
    // A 16-byte "header" whose first 4 bytes give the content's length.
    const declaring = (size: number) => ({
      headerBytes: 16,
      fromHeader: (h: Uint8Array) => new DataView(h.buffer, h.byteOffset).getUint32(0, true) || size,
    });
    const err = failure(() => gunzip(bomb, { declaredSize: declaring(4096) }));
    expect(err).toMatchObject({
      kind: 'too-large',
      message: "The gzip data inflates beyond the 4096 bytes its content's header declares.",
    });
    expect(gunzip(bomb, { declaredSize: declaring(64 * 2 ** 20) }).length).toBe(64 * 2 ** 20);
    expect(failure(() => gunzip(bomb, { maxBytes: 2 ** 20, declaredSize: declaring(2 ** 30) })).message).toBe(
      "The content's header declares 1073741824 bytes, more than the 1048576 that are read.",
    );
    // A stream short enough never to grow its first buffer is held to its header all the same.
    const small = new Uint8Array(zlib.gzipSync(new Uint8Array(100)));
    expect(gunzip(small, { declaredSize: declaring(100) }).length).toBe(100);
    expect(failure(() => gunzip(small, { declaredSize: { headerBytes: 16, fromHeader: () => 60 } }))).toMatchObject({
      kind: 'too-large',
      message: "The gzip data inflates beyond the 60 bytes its content's header declares.",
    });
    const absurd = new Error('absurd header');
    expect(() =>
      gunzip(bomb, {
        declaredSize: {
          headerBytes: 16,
          fromHeader: () => {
            throw absurd;
          },
        },
      }),
    ).toThrow(absurd);
  });
});

/** Byte offset of the second member of a two-member file: the shortest prefix zlib inflates as a whole member. */
function secondMemberStart(bytes: Uint8Array): number {
  for (let p = 18; p < bytes.length; p++) {
    try {
      zlib.gunzipSync(bytes.subarray(0, p));
      return p;
    } catch {
      // the first member is not complete yet
    }
  }
  throw new Error('no second member');
}
