import { DicomDataError } from './dicomDataError';
import { readJpegCodestream, type JpegHuffmanTable, type JpegScan } from './jpegCodestream';

/** Samples of one lossless JPEG frame, pixel-interleaved, and the codestream's precision. */
export interface JpegLosslessSamples {
  columns: number;
  rows: number;
  components: number;
  /** Sample precision P of the frame header, 2-16 bits. */
  precision: number;
  /** Uint8Array for P ≤ 8, else Uint16Array; values are the reconstructed samples << Pt. */
  samples: Uint8Array | Uint16Array;
}

/** IJG's bit buffer refills up to this many bits (BIT_BUF_SIZE 32 − 7, jdhuff.h). */
const minGetBits = 25;

/**
 * Decodes a lossless JPEG frame: process 14, Huffman coded, any predictor 1-7 and point
 * transform (ITU-T T.81 Annex H; DICOM JPEG Lossless and JPEG Lossless SV1, PS3.5 §8.2.1).
 * Strict where the usual decoders are lenient, and where they are lenient in the same way as
 * IJG's lossless decoder (dcmtk's libijg16): a Huffman code that is not in the table, entropy-
 * coded data that ends before the last sample (the IJG "premature end of data segment"
 * warning), whole bytes left over after the last sample or before a restart marker that the
 * IJG bit buffer would not already have read (its "extraneous bytes" warning), a wrong restart
 * marker, or structure errors of `readJpegCodestream` are errors, so a corrupt stream is refused
 * exactly when dcmtk reports it corrupt. Samples are (prediction + difference) mod 2^16, as in
 * IJG, then shifted left by the point transform.
 * Prediction (T.81 §H.1.2.1): the first row of the scan and of every restart interval uses the
 * sample to the left (2^(P − Pt − 1) for its first sample), the first column the sample above,
 * others predictor Ss: 1 Ra, 2 Rb, 3 Rc, 4 Ra + Rb − Rc, 5 Ra + ((Rb − Rc) >> 1),
 * 6 Rb + ((Ra − Rc) >> 1), 7 (Ra + Rb) >> 1.
 * @throws DicomDataError('malformed-pixel-data') for a corrupt stream, naming what is wrong
 * @throws DicomDataError('unsupported') for hierarchical/arithmetic processes, subsampled
 *   components or restart intervals that are not whole rows
 */
export function decodeJpegLosslessFrame(bytes: Uint8Array): JpegLosslessSamples {
  const cs = readJpegCodestream(bytes);
  const fail = (detail: string) => new DicomDataError('malformed-pixel-data', `JPEG lossless: ${detail}.`);
  if (cs.sofMarker !== 0xc3) {
    throw new DicomDataError(
      'unsupported',
      `JPEG lossless: frame header SOF${cs.sofMarker - 0xc0} is not the lossless Huffman process (SOF3).`,
    );
  }
  const { precision: p, rows, columns } = cs;
  const nc = cs.components.length;
  if (p < 2 || p > 16) throw fail(`sample precision ${p} is outside 2-16 bits`);
  if (rows === 0 || columns === 0) throw fail(`the frame header declares ${columns} x ${rows} samples`);
  if (nc < 1 || nc > 4) throw fail(`the frame header declares ${nc} components`);
  if (cs.components.some((c) => c.h !== 1 || c.v !== 1)) {
    throw new DicomDataError('unsupported', 'JPEG lossless: subsampled components are not supported.');
  }
  const count = rows * columns;
  const samples = p <= 8 ? new Uint8Array(count * nc) : new Uint16Array(count * nc);
  // Reconstructed samples before the point transform (mod 2^16, as IJG keeps them).
  const undiff = new Uint32Array(count * nc);
  const seen = new Set<number>();
  for (const [s, scan] of cs.scans.entries()) {
    const comps = scan.components.map((sc) => {
      const index = cs.components.findIndex((c) => c.id === sc.id);
      if (index < 0) throw fail(`scan ${s + 1} names component ${sc.id}, which the frame header does not declare`);
      if (seen.has(index)) throw fail(`component ${sc.id} is coded in more than one scan`);
      if (!sc.dcTable) throw fail(`scan ${s + 1} uses a Huffman table that no DHT defines`);
      seen.add(index);
      return { index, table: buildDecodeTable(sc.dcTable, fail) };
    });
    if (scan.ss < 1 || scan.ss > 7) throw fail(`scan ${s + 1} has predictor ${scan.ss} (Ss must be 1-7)`);
    if (scan.al >= p) throw fail(`scan ${s + 1} has point transform ${scan.al} for precision ${p}`);
    if (scan.restartInterval % columns !== 0) {
      throw new DicomDataError(
        'unsupported',
        `JPEG lossless: a restart interval of ${scan.restartInterval} samples is not a whole number of rows (${columns}).`,
      );
    }
    decodeScan(bytes, scan, comps, { rows, columns, nc, p }, undiff, fail);
    for (const { index } of comps) for (let k = index; k < undiff.length; k += nc) samples[k] = undiff[k]! << scan.al;
  }
  if (seen.size !== nc) throw fail(`only ${seen.size} of the ${nc} components are coded in a scan`);
  return { columns, rows, components: nc, precision: p, samples };
}

interface DecodeTable {
  maxCode: Int32Array;
  valOffset: Int32Array;
  symbols: Uint8Array;
  /** For each 8-bit prefix: (code length << 8) | symbol when a code of ≤ 8 bits matches, else 0. */
  look: Int32Array;
}

/** T.81 §F.2.2.3 (MAXCODE, VALPTR) and an 8-bit look-ahead, as IJG builds them (jpeg_make_d_derived_tbl). */
function buildDecodeTable(table: JpegHuffmanTable, fail: (d: string) => DicomDataError): DecodeTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valOffset = new Int32Array(17);
  const look = new Int32Array(256);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    const n = table.counts[l - 1]!;
    if (n > 0) {
      valOffset[l] = k - code;
      for (let c = 0; c < n && l <= 8; c++) {
        const prefix = (code + c) << (8 - l);
        look.fill((l << 8) | table.symbols[k + c]!, prefix, prefix + (1 << (8 - l)));
      }
      code += n;
      k += n;
      maxCode[l] = code - 1;
    }
    if (code > 1 << l) throw fail('a Huffman table has more codes than its lengths allow');
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel: stops the code search
  if (k > table.symbols.length) throw fail('a Huffman table lists more codes than symbols');
  for (const v of table.symbols)
    if (v > 16) throw fail(`a Huffman table holds the difference category ${v} (at most 16)`);
  return { maxCode, valOffset, symbols: table.symbols, look };
}

/**
 * IJG's bit buffer (jdhuff.h): bytes are loaded only when bits are wanted, then until at least
 * 25 bits are held or a marker is reached (jpeg_fill_bit_buffer); FF00 is a stuffed FF.
 * Emulating it exactly makes "bytes left unread before the next marker" the count IJG warns of.
 */
class BitReader {
  buffer = 0;
  bitsLeft = 0;
  markerHit = false;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  fill(): void {
    const bytes = this.bytes;
    while (!this.markerHit && this.bitsLeft < minGetBits) {
      if (this.pos >= this.end) {
        this.markerHit = true;
        return;
      }
      const c = bytes[this.pos]!;
      if (c === 0xff) {
        let q = this.pos + 1;
        while (q < this.end && bytes[q] === 0xff) q++;
        if (q >= this.end || bytes[q] !== 0) {
          this.markerHit = true;
          return;
        }
        this.pos = q + 1;
      } else {
        this.pos++;
      }
      // Only the low bitsLeft (< 25) bits are still wanted: keeping 24 keeps the buffer an int32.
      this.buffer = ((this.buffer & 0xffffff) << 8) | c;
      this.bitsLeft += 8;
    }
  }

  /** n bits, or -1 when the data ends before them (IJG's premature-end warning). */
  bits(n: number): number {
    if (this.bitsLeft < n) {
      this.fill();
      if (this.bitsLeft < n) return -1;
    }
    this.bitsLeft -= n;
    return (this.buffer >>> this.bitsLeft) & ((1 << n) - 1);
  }

  /** A Huffman symbol; -1 when the data ends first, -2 for a code not in the table. */
  symbol(t: DecodeTable): number {
    if (this.bitsLeft < 8) this.fill(); // HUFF_DECODE's look-ahead refill
    if (this.bitsLeft >= 8) {
      const e = t.look[(this.buffer >>> (this.bitsLeft - 8)) & 0xff]!;
      if (e !== 0) {
        this.bitsLeft -= e >> 8;
        return e & 0xff;
      }
    }
    let code = this.bits(1);
    if (code < 0) return -1;
    let l = 1;
    while (code > t.maxCode[l]!) {
      const bit = this.bits(1);
      if (bit < 0) return -1;
      code = (code << 1) | bit;
      l++;
    }
    return l > 16 ? -2 : t.symbols[t.valOffset[l]! + code]!;
  }
}

/** Entropy decoding of one scan with IJG's bit-buffer discipline (jdhuff.h, jdlhuff.c). */
function decodeScan(
  bytes: Uint8Array,
  scan: JpegScan,
  comps: { index: number; table: DecodeTable }[],
  frame: { rows: number; columns: number; nc: number; p: number },
  undiff: Uint32Array,
  fail: (d: string) => DicomDataError,
): void {
  const { rows, columns, nc, p } = frame;
  const initial = 1 << (p - scan.al - 1);
  const ri = scan.restartInterval;
  const end = scan.dataEnd;
  const ss = scan.ss;
  const reader = new BitReader(bytes, scan.dataStart, end);
  const scanLabel = comps.length === nc ? '1' : `of component ${comps.map((c) => c.index + 1).join(',')}`;
  const premature = () =>
    fail(`the entropy-coded data of scan ${scanLabel} ends before the last sample (truncated or corrupt)`);
  const badCode = () => fail(`a Huffman code in scan ${scanLabel} is not in its table (corrupt data)`);
  // Bytes the IJG decoder would skip, unread, before the next marker (its extraneous-bytes
  // warning); at a restart it also drops the whole bytes still in its bit buffer.
  const leftover = (countBuffered: boolean) =>
    (countBuffered ? reader.bitsLeft >> 3 : 0) +
    (reader.markerHit ? 0 : nextMarker(bytes, reader.pos, end) - reader.pos);
  const stride = columns * nc;
  let restartNumber = 0;
  let rowStart = 0; // first row of the current restart interval
  for (let y = 0; y < rows; y++) {
    if (ri > 0 && y > 0 && (y * columns) % ri === 0) {
      // Restart: IJG discards buffered whole bytes, then expects RSTn at the next marker.
      const discarded = leftover(true);
      if (discarded > 0) throw fail(`${discarded} byte(s) of unused data before restart marker ${restartNumber}`);
      let at = reader.pos;
      while (bytes[at + 1] === 0xff) at++;
      if (bytes[at] !== 0xff || bytes[at + 1] !== 0xd0 + restartNumber)
        throw fail(`restart marker RST${restartNumber} is missing at row ${y}`);
      reader.pos = at + 2;
      reader.buffer = 0;
      reader.bitsLeft = 0;
      reader.markerHit = false;
      restartNumber = (restartNumber + 1) & 7;
      rowStart = y;
    }
    const rowBase = y * stride;
    for (let x = 0; x < columns; x++) {
      for (let c = 0; c < comps.length; c++) {
        const { index, table } = comps[c]!;
        const s = reader.symbol(table);
        if (s < 0) throw s === -1 ? premature() : badCode();
        let diff = 0;
        if (s === 16) diff = 32768;
        else if (s > 0) {
          const r = reader.bits(s);
          if (r < 0) throw premature();
          diff = r < 1 << (s - 1) ? r - (1 << s) + 1 : r;
        }
        const i = rowBase + x * nc + index;
        let pred: number;
        if (y === rowStart) pred = x === 0 ? initial : undiff[i - nc]!;
        else if (x === 0) pred = undiff[i - stride]!;
        else if (ss === 1) pred = undiff[i - nc]!;
        else pred = predict(ss, undiff[i - nc]!, undiff[i - stride]!, undiff[i - stride - nc]!);
        undiff[i] = (pred + diff) & 0xffff;
      }
    }
  }
  const extra = leftover(false);
  if (extra > 0)
    throw fail(`${extra} byte(s) of unused data after the last sample of scan ${scanLabel} (corrupt data)`);
}

function predict(ss: number, ra: number, rb: number, rc: number): number {
  switch (ss) {
    case 1:
      return ra;
    case 2:
      return rb;
    case 3:
      return rc;
    case 4:
      return ra + rb - rc;
    case 5:
      return ra + ((rb - rc) >> 1);
    case 6:
      return rb + ((ra - rc) >> 1);
    default:
      return (ra + rb) >> 1;
  }
}

/**
 * The index of the next marker at or after `from`, at the first of its fill bytes (IJG's
 * next_marker does not count FF fill bytes as extraneous), stuffed FF00 skipped; else `end`.
 */
function nextMarker(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (bytes[i] !== 0xff) continue;
    let last = i;
    while (last + 1 < end && bytes[last + 1] === 0xff) last++;
    if (last + 1 >= end || bytes[last + 1] !== 0x00) return i;
    i = last + 1;
  }
  return end;
}
