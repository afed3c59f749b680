import { Inflate, inflateSync } from 'fflate';
import { implicitVr, T, tagString } from './tags';
import { transferSyntaxInfo, TS, type TransferSyntaxInfo } from './transferSyntax';

/** A fragment of encapsulated pixel data: byte range in the data set's buffer. */
export interface Fragment {
  offset: number;
  length: number;
}

export interface DicomElement {
  tag: number;
  vr: string;
  /** Offset of the value in `DicomDataset.bytes`. */
  offset: number;
  /** Value length in bytes; for undefined-length elements, the bytes up to the delimiter. */
  length: number;
  /** Items of a sequence. */
  items?: DicomDataset[];
  /** Encapsulated pixel data: the Basic Offset Table item first, then the fragments. */
  fragments?: Fragment[];
}

export interface DicomDataset {
  elements: Map<number, DicomElement>;
  bytes: Uint8Array;
  littleEndian: boolean;
}

export interface ParsedDicom {
  /** The file meta group (0002,xxxx); empty for files without one. */
  meta: DicomDataset;
  dataset: DicomDataset;
  transferSyntax: TransferSyntaxInfo;
  /** True when the file has the 128-byte preamble and "DICM". */
  hasPreamble: boolean;
  /** True when parsing stopped at Pixel Data (header-only parse). */
  stoppedAtPixelData: boolean;
}

export type DicomErrorKind = 'not-dicom' | 'truncated' | 'malformed' | 'unsupported';

/**
 * A file that cannot be read as DICOM. `kind` lets callers tell "read more bytes and retry"
 * (truncated, when only a prefix was given) from a broken file.
 */
export class DicomParseError extends Error {
  constructor(
    readonly kind: DicomErrorKind,
    message: string,
    /**
     * For 'truncated' inside the value of a top-level (or file meta) element of defined length:
     * where that element is, so a header reader can skip the value in the file instead of
     * reading it (set its length to 0 at `lengthOffset` and go on after the value).
     */
    readonly element?: TruncatedElement,
  ) {
    super(message);
    this.name = 'DicomParseError';
  }
}

/** A top-level element whose value runs past the end of the bytes given to `parseDicom`. */
export interface TruncatedElement {
  tag: number;
  vr: string;
  /** Offset and size (2 or 4 bytes) of the value length field. */
  lengthOffset: number;
  lengthSize: 2 | 4;
  valueOffset: number;
  /** Declared value length, bytes. */
  length: number;
}

export interface ParseOptions {
  /** Stop at the top-level Pixel Data element (header-only parse). Default false. */
  untilPixelData?: boolean;
  /**
   * Header-only parse of a deflated data set: inflate at most this many bytes (default 8 MiB)
   * while looking for Pixel Data; a header that does not end within it is refused
   * ('unsupported'), so a small deflate bomb cannot fill memory.
   */
  maxInflatedHeaderBytes?: number;
  /** The bytes given are the whole file (lets a deflated stream be checked for its end). */
  complete?: boolean;
}

/** Default cap on an inflated header (PS3.5 puts no limit; real headers are kilobytes). */
export const defaultMaxInflatedHeaderBytes = 8 * 1024 * 1024;

const longLengthVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const validVrs = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FL',
  'FD',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);
const undefinedLength = 0xffffffff;
/**
 * Deepest sequence nesting parsed. Deeper undefined-length sequences are refused (their end can
 * only be found by parsing them); deeper defined-length ones are skipped by their length.
 */
const maxDepth = 16;

/**
 * Parses a DICOM Part 10 file (or a bare data set without preamble and meta header) held in
 * memory: implicit and explicit VR little endian, explicit VR big endian, deflated data sets,
 * nested sequences (defined and undefined length), encapsulated pixel data.
 * Values are not decoded here: elements keep byte offsets, read with `./values`.
 * Reference: DICOM PS3.5 §7 (data set encoding), §A.4 (encapsulation), PS3.10 §7.1 (file meta).
 * @throws DicomParseError ('not-dicom' | 'truncated' | 'malformed' | 'unsupported')
 */
export function parseDicom(bytes: Uint8Array, options: ParseOptions = {}): ParsedDicom {
  const hasPreamble =
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
  let start = hasPreamble ? 132 : 0;
  if (
    !hasPreamble &&
    bytes.length >= 4 &&
    bytes[0] === 0x44 &&
    bytes[1] === 0x49 &&
    bytes[2] === 0x43 &&
    bytes[3] === 0x4d
  )
    start = 4;

  const meta: DicomDataset = { elements: new Map(), bytes, littleEndian: true };
  let pos = start;
  // File meta: explicit VR little endian, group 0002.
  if (bytes.length >= pos + 6 && readU16(bytes, pos, true) === 0x0002) {
    const reader = new Reader(bytes, true, true, options.untilPixelData === true);
    while (pos + 6 <= bytes.length && readU16(bytes, pos, true) === 0x0002) {
      pos = reader.readElement(meta, pos, bytes.length, 0);
    }
  } else if (hasPreamble && bytes.length < start + 8) {
    throw new DicomParseError('truncated', 'The file ends right after the DICM prefix.');
  }

  const tsElement = meta.elements.get(T.TransferSyntaxUID);
  let transferSyntax: TransferSyntaxInfo;
  if (tsElement) {
    const uid = readAscii(bytes, tsElement.offset, tsElement.length).replace(/[\0 ]+$/, '');
    const info = transferSyntaxInfo(uid);
    if (!info) throw new DicomParseError('unsupported', `Unknown transfer syntax ${uid}.`);
    transferSyntax = info;
  } else {
    transferSyntax = guessTransferSyntax(bytes, pos, hasPreamble);
  }

  // Some writers label an implicit VR data set as explicit (pydicom and GDCM read these too):
  // when the first element's VR bytes are not a VR, but the implicit reading is plausible,
  // switch to implicit VR little endian.
  if (
    transferSyntax.explicitVr &&
    transferSyntax.littleEndian &&
    !transferSyntax.deflatedDataset &&
    bytes.length >= pos + 8 &&
    !validVrs.has(String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!)) &&
    readU16(bytes, pos, true) >= 0x0008 &&
    readU32(bytes, pos + 4, true) <= bytes.length - pos - 8
  ) {
    transferSyntax = {
      ...transferSyntaxInfo(TS.ImplicitVRLittleEndian)!,
      encapsulated: transferSyntax.encapsulated,
      uid: transferSyntax.uid,
    };
  }

  const readData = (dataBytes: Uint8Array, dataStart: number): ParsedDicom => {
    const dataset: DicomDataset = { elements: new Map(), bytes: dataBytes, littleEndian: transferSyntax.littleEndian };
    const reader = new Reader(
      dataBytes,
      transferSyntax.littleEndian,
      transferSyntax.explicitVr,
      options.untilPixelData === true,
    );
    reader.readDataset(dataset, dataStart, dataBytes.length, 0, true);
    if (dataset.elements.size === 0 && meta.elements.size === 0) {
      throw new DicomParseError('not-dicom', 'No DICOM data elements found.');
    }
    return { meta, dataset, transferSyntax, hasPreamble, stoppedAtPixelData: reader.stopped };
  };
  if (!transferSyntax.deflatedDataset) return readData(bytes, pos);
  if (options.untilPixelData) return readDeflatedHeader(bytes.subarray(pos), options, readData);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(bytes.subarray(pos));
  } catch {
    throw new DicomParseError('truncated', 'The deflated data set ends early or cannot be inflated.');
  }
  return readData(inflated, 0);
}

/**
 * Header-only parse of a deflated data set: inflates as a stream, 1 KiB of input at a time,
 * until the inflated bytes hold the header up to Pixel Data, growing the target 64 KiB → 8 MiB
 * (`maxInflatedHeaderBytes`). Memory stays within the cap plus one step (deflate expands 1 KiB
 * to at most ~1 MiB), whatever the file declares.
 */
function readDeflatedHeader(
  compressed: Uint8Array,
  options: ParseOptions,
  readData: (b: Uint8Array, start: number) => ParsedDicom,
): ParsedDicom {
  const cap = options.maxInflatedHeaderBytes ?? defaultMaxInflatedHeaderBytes;
  let out = new Uint8Array(Math.min(cap, 64 * 1024));
  let length = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (length + chunk.length > out.length) {
      const grown = new Uint8Array(Math.max(out.length * 2, length + chunk.length));
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(chunk, length);
    length += chunk.length;
    if (final) ended = true;
  });
  let consumed = 0;
  let target = Math.min(cap, 64 * 1024);
  for (;;) {
    try {
      while (length < target && consumed < compressed.length) {
        const next = Math.min(compressed.length, consumed + 1024);
        inflater.push(compressed.subarray(consumed, next), next === compressed.length && options.complete === true);
        consumed = next;
      }
    } catch (err) {
      throw new DicomParseError(
        'malformed',
        `The deflated data set cannot be inflated (${err instanceof Error ? err.message : String(err)}).`,
      );
    }
    try {
      return readData(out.subarray(0, length), 0);
    } catch (err) {
      if (!(err instanceof DicomParseError) || err.kind !== 'truncated') throw err;
      const el = err.element;
      if (el && el.valueOffset + el.length > cap) {
        // Known at once: inflating further cannot bring the header within the cap.
        throw new DicomParseError(
          'unsupported',
          `The deflated header is larger than ${cap / 1024 / 1024} MiB inflated before any pixel data: element ${tagString(el.tag)} of ${el.length} bytes ends past it; refused so that a small file cannot fill memory.`,
        );
      }
      if (ended || (consumed >= compressed.length && options.complete === true)) {
        throw new DicomParseError('truncated', `The deflated data set ends inside its header: ${err.message}`);
      }
      if (consumed >= compressed.length)
        throw new DicomParseError('truncated', 'The deflated data set ends early (more of the file is needed).');
      if (length >= cap) {
        throw new DicomParseError(
          'unsupported',
          `The deflated header is larger than ${cap / 1024 / 1024} MiB inflated before any pixel data; refused so that a small file cannot fill memory.`,
        );
      }
      target = Math.min(cap, target * 4);
    }
  }
}

/** A file without file meta: decide the encoding from its first element (PS3.5 Annex A). */
function guessTransferSyntax(bytes: Uint8Array, pos: number, hasPreamble: boolean): TransferSyntaxInfo {
  if (bytes.length < pos + 8) {
    throw new DicomParseError(
      hasPreamble ? 'truncated' : 'not-dicom',
      hasPreamble ? 'The file ends inside its header.' : 'Too short to be DICOM.',
    );
  }
  const groupLe = readU16(bytes, pos, true);
  const groupBe = readU16(bytes, pos, false);
  const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
  // Without a preamble only a data set that starts like an image header is accepted; behind a
  // DICM prefix any group up to Pixel Data is (the meta header vouches for the file).
  const plausible = (g: number) =>
    hasPreamble ? g >= 0x0001 && g <= 0x7fe0 : g >= 0x0008 && g <= 0x0028 && g % 2 === 0;
  if (plausible(groupLe) && groupLe !== 0x0002)
    return transferSyntaxInfo(validVrs.has(vr) ? TS.ExplicitVRLittleEndian : TS.ImplicitVRLittleEndian)!;
  if (plausible(groupBe) && validVrs.has(vr)) return transferSyntaxInfo(TS.ExplicitVRBigEndian)!;
  throw new DicomParseError(
    'not-dicom',
    hasPreamble
      ? 'DICM prefix but no file meta or data set.'
      : 'Not a DICOM file (no DICM prefix and no recognisable data set).',
  );
}

class Reader {
  stopped = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly le: boolean,
    private readonly explicit: boolean,
    private readonly untilPixelData: boolean,
  ) {}

  /** Reads elements from `pos` to `end`, or to an Item Delimitation Item when `end` is open. */
  readDataset(ds: DicomDataset, pos: number, end: number, depth: number, topLevel: boolean): number {
    while (pos < end) {
      if (pos + 8 > end) {
        // Trailing zero padding after the last element is common; anything else is a cut file.
        if (this.isZeroPadding(pos, end)) return end;
        throw this.truncated(pos);
      }
      const group = readU16(this.bytes, pos, this.le);
      const element = readU16(this.bytes, pos + 2, this.le);
      const t = ((group << 16) | element) >>> 0;
      if (t === T.ItemDelimitationItem) return pos + 8;
      if (t === T.SequenceDelimitationItem)
        throw new DicomParseError('malformed', `Unexpected sequence delimiter at byte ${pos}.`);
      if (topLevel && t === T.PixelData && this.untilPixelData) {
        // Record where the value starts and its declared length (undefined length, 0xFFFFFFFF,
        // for encapsulated data) without reading it, so callers can check the file is complete.
        const headerLength = this.explicit ? 12 : 8;
        if (pos + headerLength > end) throw this.truncated(pos);
        const vr = this.explicit ? String.fromCharCode(this.bytes[pos + 4]!, this.bytes[pos + 5]!) : 'OW';
        // Checked as the full parse checks it, so a header-only import and a load agree.
        if (!validVrs.has(vr))
          throw new DicomParseError(
            'malformed',
            `Invalid VR "${printable(vr)}" for element ${tagString(t)} at byte ${pos}.`,
          );
        const length = readU32(this.bytes, pos + (this.explicit ? 8 : 4), this.le);
        ds.elements.set(t, { tag: t, vr, offset: pos + headerLength, length });
        this.stopped = true;
        return end;
      }
      if (t === 0 && this.isZeroPadding(pos, Math.min(end, pos + 256))) return end;
      pos = this.readElement(ds, pos, end, depth);
    }
    return pos;
  }

  readElement(ds: DicomDataset, pos: number, end: number, depth: number): number {
    const b = this.bytes;
    const group = readU16(b, pos, this.le);
    const le = group === 0x0002 ? true : this.le;
    const explicit = group === 0x0002 ? true : this.explicit;
    const t = ((group << 16) | readU16(b, pos + 2, le)) >>> 0;
    let vr: string;
    let length: number;
    let valueOffset: number;
    if (explicit) {
      if (pos + 8 > end) throw this.truncated(pos);
      vr = String.fromCharCode(b[pos + 4]!, b[pos + 5]!);
      if (!validVrs.has(vr)) {
        throw new DicomParseError(
          'malformed',
          `Invalid VR "${printable(vr)}" for element ${tagString(t)} at byte ${pos}.`,
        );
      }
      if (longLengthVrs.has(vr)) {
        if (pos + 12 > end) throw this.truncated(pos);
        length = readU32(b, pos + 8, le);
        valueOffset = pos + 12;
      } else {
        length = readU16(b, pos + 6, le);
        valueOffset = pos + 8;
      }
    } else {
      vr = implicitVr.get(t) ?? 'UN';
      length = readU32(b, pos + 4, le);
      valueOffset = pos + 8;
    }

    if (length === undefinedLength) {
      if (t === T.PixelData) {
        const { fragments, next } = this.readFragments(valueOffset, end);
        ds.elements.set(t, { tag: t, vr, offset: valueOffset, length: next - valueOffset, fragments });
        return next;
      }
      if (vr === 'SQ' || vr === 'UN') {
        // UN of undefined length holds an implicit VR little endian sequence (PS3.5 §6.2.2).
        const inner = vr === 'UN' ? new Reader(b, true, false, false) : this;
        const { items, next } = inner.readItems(valueOffset, end, undefined, depth + 1, le);
        ds.elements.set(t, { tag: t, vr: 'SQ', offset: valueOffset, length: next - valueOffset, items });
        return next;
      }
      throw new DicomParseError('malformed', `Undefined length on ${vr} element ${tagString(t)} at byte ${pos}.`);
    }

    const valueEnd = valueOffset + length;
    if (valueEnd > end) {
      if (valueEnd > b.length) {
        const error = this.truncated(pos, t, length);
        if (depth !== 0) throw error;
        const lengthSize: 2 | 4 = explicit && !longLengthVrs.has(vr) ? 2 : 4;
        throw new DicomParseError('truncated', error.message, {
          tag: t,
          vr,
          lengthOffset: valueOffset - lengthSize,
          lengthSize,
          valueOffset,
          length,
        });
      }
      throw new DicomParseError(
        'malformed',
        `Element ${tagString(t)} (length ${length}) runs past its enclosing item at byte ${pos}.`,
      );
    }
    if (vr === 'SQ' && depth + 1 > maxDepth) {
      // A defined-length sequence this deep is kept whole but unread: its length bounds it, and
      // nothing Concord reads lies 16 levels down. (Header-only and full parses agree on it.)
      ds.elements.set(t, { tag: t, vr, offset: valueOffset, length, items: [] });
    } else if (vr === 'SQ') {
      const { items } = this.readItems(valueOffset, valueEnd, valueEnd, depth + 1, le);
      ds.elements.set(t, { tag: t, vr, offset: valueOffset, length, items });
    } else {
      ds.elements.set(t, { tag: t, vr, offset: valueOffset, length });
    }
    return valueEnd;
  }

  private readItems(
    pos: number,
    end: number,
    definedEnd: number | undefined,
    depth: number,
    le: boolean,
  ): { items: DicomDataset[]; next: number } {
    if (depth > maxDepth) throw new DicomParseError('malformed', `Sequences nested deeper than ${maxDepth} levels.`);
    const items: DicomDataset[] = [];
    const limit = definedEnd ?? end;
    while (pos < limit) {
      if (pos + 8 > this.bytes.length) throw this.truncated(pos);
      const t = ((readU16(this.bytes, pos, le) << 16) | readU16(this.bytes, pos + 2, le)) >>> 0;
      const length = readU32(this.bytes, pos + 4, le);
      if (t === T.SequenceDelimitationItem) {
        if (definedEnd !== undefined)
          throw new DicomParseError('malformed', `Sequence delimiter inside a defined-length sequence at byte ${pos}.`);
        return { items, next: pos + 8 };
      }
      if (t !== T.Item)
        throw new DicomParseError('malformed', `Expected an item in a sequence at byte ${pos}, found ${tagString(t)}.`);
      const item: DicomDataset = { elements: new Map(), bytes: this.bytes, littleEndian: this.le };
      if (length === undefinedLength) {
        pos = this.readDataset(item, pos + 8, limit, depth, false);
      } else {
        const itemEnd = pos + 8 + length;
        if (itemEnd > limit) {
          if (itemEnd > this.bytes.length) throw this.truncated(pos);
          throw new DicomParseError('malformed', `Item of length ${length} runs past its sequence at byte ${pos}.`);
        }
        this.readDataset(item, pos + 8, itemEnd, depth, false);
        pos = itemEnd;
      }
      items.push(item);
    }
    if (definedEnd === undefined) throw this.truncated(pos);
    return { items, next: pos };
  }

  private readFragments(pos: number, end: number): { fragments: Fragment[]; next: number } {
    const fragments: Fragment[] = [];
    for (;;) {
      if (pos + 8 > end) throw this.truncated(pos);
      const t = ((readU16(this.bytes, pos, true) << 16) | readU16(this.bytes, pos + 2, true)) >>> 0;
      const length = readU32(this.bytes, pos + 4, true);
      if (t === T.SequenceDelimitationItem) return { fragments, next: pos + 8 };
      if (t !== T.Item)
        throw new DicomParseError('malformed', `Expected a pixel data fragment at byte ${pos}, found ${tagString(t)}.`);
      if (pos + 8 + length > end) throw this.truncated(pos, T.PixelData, length);
      fragments.push({ offset: pos + 8, length });
      pos += 8 + length;
    }
  }

  private isZeroPadding(pos: number, end: number): boolean {
    for (let i = pos; i < end; i++) if (this.bytes[i] !== 0) return false;
    return true;
  }

  private truncated(pos: number, t?: number, length?: number): DicomParseError {
    const what =
      t === undefined
        ? ''
        : ` inside element ${tagString(t)}${length === undefined ? '' : ` (declared length ${length})`}`;
    return new DicomParseError(
      'truncated',
      `The file ends at byte ${this.bytes.length}${what}; expected more data at byte ${pos}.`,
    );
  }
}

export function readU16(b: Uint8Array, pos: number, le: boolean): number {
  return le ? b[pos]! | (b[pos + 1]! << 8) : (b[pos]! << 8) | b[pos + 1]!;
}

export function readU32(b: Uint8Array, pos: number, le: boolean): number {
  return le
    ? (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0
    : ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
}

export function readAscii(b: Uint8Array, offset: number, length: number): string {
  let s = '';
  const end = Math.min(b.length, offset + length);
  for (let i = offset; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** `s` with every character outside printable ASCII as '?'. */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
