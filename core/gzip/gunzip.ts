import { crc32 } from './crc32';
import { GzipError } from './gzipError';
import { inflateRaw, type InflateOutput } from './inflateRaw';

/** The most any gzip stream may inflate to unless a caller says otherwise: 2 GiB. */
export const gunzipDefaultMaxBytes = 2 ** 31;

export interface GunzipOptions {
  /** Refuse output beyond this many bytes (default `gunzipDefaultMaxBytes`). */
  maxBytes?: number;
  /**
   * For content whose header declares its own size (a NIfTI header: vox_offset + voxel bytes):
   * once `headerBytes` bytes are inflated, `fromHeader` receives them and returns the number of
   * bytes the whole content needs; inflating stops there, before any more memory is taken, if
   * the stream would go beyond it. `fromHeader` may throw to refuse the content (e.g. a size it
   * finds absurd); its error propagates as is. Not called when the output is shorter.
   */
  declaredSize?: { headerBytes: number; fromHeader: (header: Uint8Array) => number };
}

/** True when `bytes` starts with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const FRESERVED = 0xe0;

/**
 * Inflates gzip data (RFC 1952): every member in turn (multi-member files, as `cat a.gz b.gz`,
 * bgzip and some pigz modes write), each header checked (CM 8, no reserved flag, FEXTRA, FNAME,
 * FCOMMENT skipped, FHCRC verified), each DEFLATE stream inflated by `inflateRaw`, and each
 * member's CRC32 and ISIZE (length mod 2^32) verified against what it inflated to. Nothing may
 * follow the last member. The output is held in one buffer that grows as needed up to
 * `maxBytes`, or exactly to the size `declaredSize` returns (allocated once it is known), so a
 * gzip bomb costs at most that much memory before it is refused.
 * Reference: RFC 1952 (P. Deutsch, 1996) §2.3; RFC 1951 (DEFLATE).
 * @throws GzipError: 'not-gzip' without the magic; 'truncated' when the data ends inside a
 *   member; 'corrupt' for a bad header, DEFLATE data or trailing bytes; 'checksum' for a CRC32,
 *   ISIZE or header CRC16 mismatch; 'too-large' beyond `maxBytes` or the declared size
 * @throws whatever `declaredSize.fromHeader` throws
 */
export function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Uint8Array {
  if (!isGzip(bytes)) throw new GzipError('not-gzip', 'The data is not gzip (no 1f 8b magic number).');
  const out = new GrowingOutput(bytes, options);
  const n = bytes.length;
  const u32 = (p: number) => (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
  let p = 0;
  for (let member = 1; p < n; member++) {
    const which = `member ${member} at byte ${p}`;
    const cut = () => new GzipError('truncated', `The gzip data ends inside the header of ${which}.`);
    if (p + 1 === n && bytes[p] === 0x1f) throw cut();
    if (bytes[p] !== 0x1f || bytes[p + 1] !== 0x8b) {
      throw new GzipError('corrupt', `The ${n - p} bytes after gzip member ${member - 1} are not a gzip member.`);
    }
    if (p + 10 > n) throw cut();
    if (bytes[p + 2] !== 8)
      throw new GzipError('corrupt', `Gzip ${which} uses compression method ${bytes[p + 2]}, not DEFLATE (8).`);
    const flags = bytes[p + 3]!;
    if (flags & FRESERVED) throw new GzipError('corrupt', `Gzip ${which} sets reserved header flags (FLG ${flags}).`);
    let q = p + 10;
    if (flags & FEXTRA) {
      if (q + 2 > n) throw cut();
      q += 2 + (bytes[q]! | (bytes[q + 1]! << 8));
      if (q > n) throw cut();
    }
    for (const flag of [FNAME, FCOMMENT]) {
      if (!(flags & flag)) continue;
      const zero = bytes.indexOf(0, q);
      if (zero < 0) throw cut();
      q = zero + 1;
    }
    if (flags & FHCRC) {
      if (q + 2 > n) throw cut();
      const stored = bytes[q]! | (bytes[q + 1]! << 8);
      const actual = crc32(bytes.subarray(p, q)) & 0xffff;
      if (stored !== actual)
        throw new GzipError(
          'checksum',
          `The header CRC16 of gzip ${which} is ${hex(stored, 4)}; its header gives ${hex(actual, 4)}.`,
        );
      q += 2;
    }
    const start = out.length;
    let end: number;
    try {
      end = inflateRaw(bytes, q, out);
    } catch (err) {
      if (err instanceof GzipError && err.kind !== 'too-large')
        throw new GzipError(err.kind, `${err.message.replace(/\.$/, '')}, in gzip ${which}.`);
      throw err;
    }
    if (end + 8 > n) throw new GzipError('truncated', `The gzip data ends before the CRC32 and length of ${which}.`);
    const produced = out.length - start;
    const crc = crc32(out.buf.subarray(start, out.length));
    if (crc !== u32(end))
      throw new GzipError(
        'checksum',
        `Gzip ${which} inflates to data with CRC32 ${hex(crc, 8)}, but its trailer says ${hex(u32(end), 8)}: the file is damaged.`,
      );
    if (produced % 2 ** 32 !== u32(end + 4))
      throw new GzipError(
        'checksum',
        `Gzip ${which} inflates to ${produced} bytes, but its trailer says ${u32(end + 4)} (mod 2^32): the file is damaged.`,
      );
    p = end + 8;
  }
  return out.result();
}

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;

/** The output buffer: grown by doubling up to the limit, or allocated once at the declared size. */
class GrowingOutput implements InflateOutput {
  buf: Uint8Array;
  length = 0;
  private limit: number;
  private pending: GunzipOptions['declaredSize'];
  private declared: number | undefined;

  constructor(input: Uint8Array, options: GunzipOptions) {
    this.limit = options.maxBytes ?? gunzipDefaultMaxBytes;
    this.pending = options.declaredSize;
    // First guess: the last member's ISIZE (the whole output for a single member), no more than
    // DEFLATE can give for this input (at most 1032 bytes per input byte) nor the limit.
    const n = input.length;
    const isize =
      n >= 18 ? (input[n - 4]! | (input[n - 3]! << 8) | (input[n - 2]! << 16) | (input[n - 1]! << 24)) >>> 0 : 0;
    const guess = this.pending ? this.pending.headerBytes + 4096 : Math.max(Math.min(isize, 1032 * n), 64 * 1024);
    this.buf = new Uint8Array(Math.min(this.limit, guess));
  }

  grow(used: number, need: number): Uint8Array {
    const required = used + need;
    if (this.pending && used >= this.pending.headerBytes) {
      const size = this.pending.fromHeader(this.buf.subarray(0, this.pending.headerBytes));
      if (!Number.isSafeInteger(size) || size < 0)
        throw new RangeError(`declaredSize.fromHeader returned ${size}, not a byte count`);
      if (size > this.limit)
        throw new GzipError(
          'too-large',
          `The content's header declares ${size} bytes, more than the ${this.limit} that are read.`,
        );
      this.pending = undefined;
      this.declared = size;
      this.limit = size;
      if (required <= this.limit) return this.replace(used, this.limit);
    }
    if (required > this.limit) {
      throw new GzipError(
        'too-large',
        this.declared !== undefined
          ? `The gzip data inflates beyond the ${this.declared} bytes its content's header declares.`
          : `The gzip data inflates beyond ${this.limit} bytes, the most that is read.`,
      );
    }
    return this.replace(
      used,
      Math.min(this.limit, Math.max(required, this.pending ? required + 4096 : 2 * this.buf.length)),
    );
  }

  result(): Uint8Array {
    const n = this.length;
    // A short stream may never have grown its first buffer: its header is judged here instead.
    if (this.pending && n >= this.pending.headerBytes) {
      const size = this.pending.fromHeader(this.buf.subarray(0, this.pending.headerBytes));
      this.pending = undefined;
      if (n > size)
        throw new GzipError(
          'too-large',
          `The gzip data inflates beyond the ${size} bytes its content's header declares.`,
        );
    }
    // Doubling may leave much unused room: hand back a compact copy then, else a view.
    return this.buf.length - n > n / 4 ? this.buf.slice(0, n) : this.buf.subarray(0, n);
  }

  private replace(used: number, size: number): Uint8Array {
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, used));
    this.buf = next;
    return next;
  }
}
