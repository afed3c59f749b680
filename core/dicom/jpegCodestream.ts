import { DicomDataError } from './dicomDataError';

/** A Huffman table as DHT defines it (ITU-T T.81 §B.2.4.2): code counts per length 1-16, then symbols. */
export interface JpegHuffmanTable {
  counts: Uint8Array;
  symbols: Uint8Array;
}

export interface JpegFrameComponent {
  id: number;
  h: number;
  v: number;
}

export interface JpegScan {
  components: { id: number; dcTable: JpegHuffmanTable | undefined }[];
  /** Ss: the predictor (lossless) or spectral start. */
  ss: number;
  se: number;
  ah: number;
  /** Al: the point transform (lossless). */
  al: number;
  /** Restart interval in MCUs in force for this scan (0: none). */
  restartInterval: number;
  /** First byte of the entropy-coded data. */
  dataStart: number;
  /** The byte after the entropy-coded data (where the next marker's FF is). */
  dataEnd: number;
}

/** The structure of one JPEG or JPEG-LS codestream (ITU-T T.81 Annex B, T.87 Annex C). */
export interface JpegCodestream {
  /** SOF marker code: 0xC0-0xCF (T.81) or 0xF7 (JPEG-LS). */
  sofMarker: number;
  precision: number;
  rows: number;
  columns: number;
  components: JpegFrameComponent[];
  scans: JpegScan[];
  /** The byte after EOI; the bytes after it are padding (00 or FF). */
  end: number;
}

/** SOF markers: C0-CF except DHT (C4), JPG (C8) and DAC (CC); F7 is JPEG-LS SOF55. */
function isSof(marker: number): boolean {
  return (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xf7;
}

/**
 * Reads the marker structure of a JPEG (T.81) or JPEG-LS (T.87) codestream without decoding it:
 * SOI first; marker segments within the data; exactly one frame header (SOF) before the first
 * scan; every scan (SOS) with its entropy-coded data, whose end is the next marker that is
 * not a stuffed byte (FF00; FF followed by a byte below 80 in JPEG-LS) nor a restart marker;
 * EOI after the last scan; nothing after EOI but padding (00 or FF bytes) (a second codestream in one
 * frame is a frame the header does not declare).
 * Huffman tables (DHT) in force at each scan are recorded for the lossless decoder.
 * @param bytes one frame's codestream
 * @throws DicomDataError('malformed-pixel-data') naming the marker or byte at fault
 */
export function readJpegCodestream(bytes: Uint8Array): JpegCodestream {
  const fail = (detail: string) => new DicomDataError('malformed-pixel-data', `JPEG codestream: ${detail}.`);
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw fail(`it does not start with SOI (FFD8) but with ${hex(bytes.subarray(0, 2))}`);
  }
  const tables = new Map<number, JpegHuffmanTable>();
  let frame: Omit<JpegCodestream, 'scans' | 'end'> | undefined;
  const scans: JpegScan[] = [];
  let restartInterval = 0;
  let pos = 2;
  for (;;) {
    if (pos >= bytes.length) throw fail(`it ends at byte ${bytes.length} without an EOI marker (truncated?)`);
    if (bytes[pos] !== 0xff) throw fail(`expected a marker at byte ${pos}, found ${hex(bytes.subarray(pos, pos + 2))}`);
    while (bytes[pos + 1] === 0xff) pos++; // fill bytes (T.81 §B.1.1.2)
    if (pos + 1 >= bytes.length) throw fail(`it ends at byte ${bytes.length} without an EOI marker (truncated?)`);
    const marker = bytes[pos + 1]!;
    if (marker === 0xd9) {
      if (!frame) throw fail('EOI before any frame header (SOF)');
      if (scans.length === 0) throw fail('EOI before any scan (SOS): the image data is missing');
      const end = pos + 2;
      const extra = firstNonPadding(bytes, end);
      if (extra >= 0) {
        const soi = bytes.subarray(end).findIndex((b, i, rest) => b === 0xff && rest[i + 1] === 0xd8);
        throw fail(
          `${bytes.length - end} byte(s) follow EOI at byte ${pos}${soi >= 0 ? ', holding a second codestream' : ''}: the frame holds more than one image`,
        );
      }
      return { ...frame, scans, end };
    }
    if (marker === 0xd8) throw fail(`a second SOI at byte ${pos}`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    if (pos + 4 > bytes.length)
      throw fail(`it ends inside the ${markerName(marker)} marker at byte ${pos} (truncated?)`);
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    const segmentEnd = pos + 2 + length;
    if (length < 2 || segmentEnd > bytes.length)
      throw fail(
        `the ${markerName(marker)} segment at byte ${pos} declares ${length} bytes, ${length < 2 ? 'too few' : `past the end of the data (${bytes.length} bytes; truncated?)`}`,
      );
    const seg = bytes.subarray(pos + 4, segmentEnd);
    if (isSof(marker)) {
      if (frame) throw fail(`a second frame header (${markerName(marker)}) at byte ${pos}`);
      if (seg.length < 6 || seg.length < 6 + 3 * seg[5]!)
        throw fail(`the ${markerName(marker)} segment at byte ${pos} is too short for its components`);
      const components: JpegFrameComponent[] = [];
      for (let c = 0; c < seg[5]!; c++)
        components.push({ id: seg[6 + 3 * c]!, h: seg[7 + 3 * c]! >> 4, v: seg[7 + 3 * c]! & 15 });
      frame = {
        sofMarker: marker,
        precision: seg[0]!,
        rows: (seg[1]! << 8) | seg[2]!,
        columns: (seg[3]! << 8) | seg[4]!,
        components,
      };
    } else if (marker === 0xc4) {
      readHuffmanTables(seg, tables, (detail) => fail(`the DHT segment at byte ${pos} ${detail}`));
    } else if (marker === 0xdd) {
      if (seg.length < 2) throw fail(`the DRI segment at byte ${pos} is too short`);
      restartInterval = (seg[0]! << 8) | seg[1]!;
    } else if (marker === 0xda) {
      if (!frame) throw fail(`a scan (SOS) at byte ${pos} before the frame header (SOF)`);
      const n = seg[0] ?? 0;
      if (n < 1 || seg.length < 1 + 2 * n + 3)
        throw fail(`the SOS segment at byte ${pos} is too short for its ${n} component(s)`);
      const components = [];
      for (let c = 0; c < n; c++) components.push({ id: seg[1 + 2 * c]!, dcTable: tables.get(seg[2 + 2 * c]! >> 4) });
      const tail = 1 + 2 * n;
      const dataStart = segmentEnd;
      const dataEnd = entropyDataEnd(bytes, dataStart, frame.sofMarker === 0xf7);
      scans.push({
        components,
        ss: seg[tail]!,
        se: seg[tail + 1]!,
        ah: seg[tail + 2]! >> 4,
        al: seg[tail + 2]! & 15,
        restartInterval,
        dataStart,
        dataEnd,
      });
      pos = dataEnd;
      continue;
    }
    pos = segmentEnd;
  }
}

/**
 * The index of the marker that ends entropy-coded data starting at `from` (bytes.length if
 * none): the first FF of the fill bytes before it, so fill bytes are not data (T.81 §B.1.1.2).
 */
function entropyDataEnd(bytes: Uint8Array, from: number, jpegLs: boolean): number {
  let i = from;
  const n = bytes.length;
  for (;;) {
    const ff = bytes.indexOf(0xff, i);
    if (ff < 0) return n;
    let last = ff;
    while (bytes[last + 1] === 0xff) last++;
    if (last + 1 >= n) return ff;
    const next = bytes[last + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || (jpegLs && next < 0x80)) {
      i = last + 2;
      continue;
    }
    return ff;
  }
}

function readHuffmanTables(
  seg: Uint8Array,
  tables: Map<number, JpegHuffmanTable>,
  fail: (detail: string) => DicomDataError,
): void {
  let p = 0;
  while (p < seg.length) {
    if (p + 17 > seg.length) throw fail('ends inside a table');
    const tcTh = seg[p]!;
    const counts = seg.slice(p + 1, p + 17);
    const total = counts.reduce((a, b) => a + b, 0);
    if (p + 17 + total > seg.length) throw fail('ends inside a table');
    // Only DC/lossless tables (class 0) are used by the lossless decoder; keep them by id.
    if (tcTh >> 4 === 0) tables.set(tcTh & 15, { counts, symbols: seg.slice(p + 17, p + 17 + total) });
    p += 17 + total;
  }
}

/** Padding after EOI: writers pad odd-length codestreams with 00 or FF (pydicom's JPGExtended.dcm). */
function firstNonPadding(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0 && bytes[i] !== 0xff) return i;
  return -1;
}

function markerName(marker: number): string {
  const names: Record<number, string> = {
    0xc4: 'DHT',
    0xda: 'SOS',
    0xdb: 'DQT',
    0xdd: 'DRI',
    0xfe: 'COM',
    0xf7: 'SOF55',
    0xf8: 'LSE',
  };
  if (names[marker]) return names[marker]!;
  if (isSof(marker)) return `SOF${marker - 0xc0}`;
  if (marker >= 0xe0 && marker <= 0xef) return `APP${marker - 0xe0}`;
  return `FF${marker.toString(16).toUpperCase().padStart(2, '0')}`;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join('') || 'nothing';
}
