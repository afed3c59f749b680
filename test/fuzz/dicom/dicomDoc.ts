import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A DICOM Part 10 file taken apart into its top-level elements, each kept as the exact bytes it
 * was stored as, so a mutation can replace, insert or remove one element (or bend its header)
 * and put the file back together, byte for byte identical where nothing was touched.
 *
 * Written for the fuzz generator, independently of core/dicom (the code under test): it only
 * needs the element layout (PS3.5 §7.1: tag, VR, length; §7.5: items and delimiters; §A.4:
 * encapsulated fragments), never the meaning of a value.
 */

export const longVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
export const allVrs = [
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
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
] as const;
const vrSet = new Set<string>(allVrs);
const undefinedLength = 0xffffffff;

export const tagOf = (group: number, element: number): number => ((group << 16) | element) >>> 0;
export const Tags = {
  MetaGroupLength: tagOf(0x0002, 0x0000),
  MediaStorageSOPInstanceUID: tagOf(0x0002, 0x0003),
  TransferSyntaxUID: tagOf(0x0002, 0x0010),
  SOPClassUID: tagOf(0x0008, 0x0016),
  SOPInstanceUID: tagOf(0x0008, 0x0018),
  Modality: tagOf(0x0008, 0x0060),
  PatientName: tagOf(0x0010, 0x0010),
  PatientID: tagOf(0x0010, 0x0020),
  PatientBirthDate: tagOf(0x0010, 0x0030),
  SliceThickness: tagOf(0x0018, 0x0050),
  StudyInstanceUID: tagOf(0x0020, 0x000d),
  SeriesInstanceUID: tagOf(0x0020, 0x000e),
  SeriesNumber: tagOf(0x0020, 0x0011),
  AcquisitionNumber: tagOf(0x0020, 0x0012),
  InstanceNumber: tagOf(0x0020, 0x0013),
  ImagePositionPatient: tagOf(0x0020, 0x0032),
  ImageOrientationPatient: tagOf(0x0020, 0x0037),
  FrameOfReferenceUID: tagOf(0x0020, 0x0052),
  SliceLocation: tagOf(0x0020, 0x1041),
  SharedFunctionalGroupsSequence: tagOf(0x5200, 0x9229),
  PerFrameFunctionalGroupsSequence: tagOf(0x5200, 0x9230),
  ReferencedSeriesSequence: tagOf(0x0008, 0x1115),
  SamplesPerPixel: tagOf(0x0028, 0x0002),
  PhotometricInterpretation: tagOf(0x0028, 0x0004),
  PlanarConfiguration: tagOf(0x0028, 0x0006),
  NumberOfFrames: tagOf(0x0028, 0x0008),
  Rows: tagOf(0x0028, 0x0010),
  Columns: tagOf(0x0028, 0x0011),
  PixelSpacing: tagOf(0x0028, 0x0030),
  BitsAllocated: tagOf(0x0028, 0x0100),
  BitsStored: tagOf(0x0028, 0x0101),
  HighBit: tagOf(0x0028, 0x0102),
  PixelRepresentation: tagOf(0x0028, 0x0103),
  RescaleIntercept: tagOf(0x0028, 0x1052),
  RescaleSlope: tagOf(0x0028, 0x1053),
  PixelData: tagOf(0x7fe0, 0x0010),
  Item: tagOf(0xfffe, 0xe000),
  ItemDelimitation: tagOf(0xfffe, 0xe00d),
  SequenceDelimitation: tagOf(0xfffe, 0xe0dd),
} as const;

export const TransferSyntaxes = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflatedLE: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  rle: '1.2.840.10008.1.2.5',
  deflatedFrames: '1.2.840.10008.1.2.8.1',
} as const;

export interface Encoding {
  explicit: boolean;
  littleEndian: boolean;
}

/** One top-level element exactly as stored. */
export interface RawElement {
  tag: number;
  /** The VR bytes of an explicit-VR element (possibly not a real VR); undefined in implicit VR. */
  vr: string | undefined;
  /** Header, value and (undefined length) items and delimiter. */
  raw: Uint8Array;
  headerLength: number;
  /** Declared length (0xFFFFFFFF when undefined). */
  length: number;
  /** Encapsulated pixel data: every item (Basic Offset Table first), offsets into `raw`. */
  fragments?: { itemOffset: number; valueOffset: number; length: number }[];
}

export class DicomParseFailure extends Error {}

export class DicomDoc {
  constructor(
    /** 128-byte preamble and "DICM", or undefined for a bare data set. */
    public preamble: Uint8Array | undefined,
    public meta: RawElement[],
    public dataset: RawElement[],
    /** How the data set is encoded (the meta group is always explicit VR little endian). */
    public encoding: Encoding,
    public deflated: boolean,
    /** Bytes after the last element (zero padding, or what the parser could not read). */
    public trailing: Uint8Array,
  ) {}

  get transferSyntaxUid(): string | undefined {
    const el = this.meta.find((e) => e.tag === Tags.TransferSyntaxUID);
    return el ? trimValue(ascii(valueOf(el))) : undefined;
  }

  get encapsulated(): boolean {
    return this.find(Tags.PixelData)?.length === undefinedLength;
  }

  find(tag: number): RawElement | undefined {
    return (tag >>> 16 === 0x0002 ? this.meta : this.dataset).find((e) => e.tag === tag);
  }

  value(tag: number): Uint8Array | undefined {
    const el = this.find(tag);
    return el ? valueOf(el) : undefined;
  }

  string(tag: number): string | undefined {
    const v = this.value(tag);
    return v ? trimValue(ascii(v)) : undefined;
  }

  /** An unsigned 16-bit value (US). */
  us(tag: number): number | undefined {
    const v = this.value(tag);
    if (!v || v.length < 2) return undefined;
    const le = tag >>> 16 === 0x0002 || this.encoding.littleEndian;
    return le ? v[0]! | (v[1]! << 8) : (v[0]! << 8) | v[1]!;
  }

  /** Sets (or inserts, in tag order) an element encoded the way its part of the file is. */
  set(tag: number, vr: string, value: Uint8Array): this {
    const enc = tag >>> 16 === 0x0002 ? { explicit: true, littleEndian: true } : this.encoding;
    return this.setRaw(tag, encodeElement(tag, vr, value, enc), vr);
  }

  setString(tag: number, vr: string, text: string): this {
    return this.set(tag, vr, stringValue(vr, text));
  }

  setUs(tag: number, n: number): this {
    const v = new Uint8Array(2);
    const le = tag >>> 16 === 0x0002 || this.encoding.littleEndian;
    v[le ? 0 : 1] = n & 0xff;
    v[le ? 1 : 0] = (n >>> 8) & 0xff;
    return this.set(tag, 'US', v);
  }

  /** Puts an element's bytes (any header) in place of the element with `tag`, or in tag order. */
  setRaw(tag: number, raw: Uint8Array, vr?: string): this {
    const list = tag >>> 16 === 0x0002 ? this.meta : this.dataset;
    const el: RawElement = { tag, vr, raw, headerLength: 0, length: raw.length };
    const at = list.findIndex((e) => e.tag === tag);
    if (at >= 0) list[at] = el;
    else {
      const after = list.findIndex((e) => e.tag > tag);
      list.splice(after < 0 ? list.length : after, 0, el);
    }
    return this;
  }

  remove(tag: number): this {
    const list = tag >>> 16 === 0x0002 ? this.meta : this.dataset;
    const at = list.findIndex((e) => e.tag === tag);
    if (at >= 0) list.splice(at, 1);
    return this;
  }

  clone(): DicomDoc {
    const copy = (e: RawElement): RawElement => ({
      ...e,
      raw: e.raw.slice(),
      ...(e.fragments ? { fragments: e.fragments.map((f) => ({ ...f })) } : {}),
    });
    return new DicomDoc(
      this.preamble?.slice(),
      this.meta.map(copy),
      this.dataset.map(copy),
      { ...this.encoding },
      this.deflated,
      this.trailing.slice(),
    );
  }

  /** The data set bytes as stored in the file (before deflation). */
  datasetBytes(): Uint8Array {
    return concat([...this.dataset.map((e) => e.raw), this.trailing]);
  }

  /** The file: preamble, meta (group length recomputed when present), data set (deflated if it was). */
  toBytes(): Uint8Array {
    const groupLength = this.meta.find((e) => e.tag === Tags.MetaGroupLength);
    if (groupLength && groupLength.raw.length === 12) {
      const rest = this.meta.filter((e) => e !== groupLength).reduce((n, e) => n + e.raw.length, 0);
      const raw = groupLength.raw.slice();
      new DataView(raw.buffer).setUint32(8, rest, true);
      groupLength.raw = raw;
    }
    const data = this.datasetBytes();
    return concat([
      this.preamble ?? new Uint8Array(0),
      ...this.meta.map((e) => e.raw),
      this.deflated ? new Uint8Array(deflateRawSync(data)) : data,
    ]);
  }
}

/** The value bytes of an element with a defined length (the items, for an undefined length). */
export function valueOf(el: RawElement): Uint8Array {
  return el.raw.subarray(el.headerLength, el.length === undefinedLength ? el.raw.length : el.headerLength + el.length);
}

/** Parses a Part 10 file (or a bare data set) into a DicomDoc. @throws DicomParseFailure */
export function parseDoc(bytes: Uint8Array): DicomDoc {
  const hasPreamble = bytes.length >= 132 && ascii(bytes.subarray(128, 132)) === 'DICM';
  let pos = hasPreamble ? 132 : 0;
  const meta: RawElement[] = [];
  const metaReader = new Walker(bytes, { explicit: true, littleEndian: true });
  while (pos + 8 <= bytes.length && u16(bytes, pos, true) === 0x0002) {
    const el = metaReader.element(pos);
    meta.push(el.element);
    pos = el.next;
  }
  const tsEl = meta.find((e) => e.tag === Tags.TransferSyntaxUID);
  const ts = tsEl ? trimValue(ascii(valueOf(tsEl))) : undefined;
  let encoding: Encoding;
  let deflated = false;
  if (ts === TransferSyntaxes.implicitLE) encoding = { explicit: false, littleEndian: true };
  else if (ts === TransferSyntaxes.explicitBE) encoding = { explicit: true, littleEndian: false };
  else if (ts !== undefined) {
    encoding = { explicit: true, littleEndian: true };
    deflated = ts === TransferSyntaxes.deflatedLE;
  } else encoding = guessEncoding(bytes, pos);

  let data = bytes.subarray(pos);
  if (deflated) {
    try {
      data = new Uint8Array(inflateRawSync(data));
    } catch (err) {
      throw new DicomParseFailure(`deflated data set cannot be inflated: ${(err as Error).message}`);
    }
  } else if (encoding.explicit && encoding.littleEndian && data.length >= 8 && !vrSet.has(ascii(data.subarray(4, 6)))) {
    // An implicit data set labelled explicit (some writers do this; Concord reads them too).
    encoding = { explicit: false, littleEndian: true };
  }
  const walker = new Walker(data, encoding);
  const dataset: RawElement[] = [];
  let at = 0;
  while (at + 8 <= data.length) {
    if (isZeros(data, at, data.length)) break;
    const el = walker.element(at);
    dataset.push(el.element);
    at = el.next;
  }
  return new DicomDoc(hasPreamble ? bytes.slice(0, 132) : undefined, meta, dataset, encoding, deflated, data.slice(at));
}

function guessEncoding(bytes: Uint8Array, pos: number): Encoding {
  if (bytes.length < pos + 8) throw new DicomParseFailure('too short for a data set');
  const explicit = vrSet.has(ascii(bytes.subarray(pos + 4, pos + 6)));
  const groupLe = u16(bytes, pos, true);
  // An image header starts with a low, even group (0008 typically): read both ways, keep the plausible one.
  const littleEndian = !explicit || (groupLe >= 0x0002 && groupLe <= 0x0028 && groupLe % 2 === 0);
  return { explicit, littleEndian };
}

class Walker {
  constructor(
    private readonly b: Uint8Array,
    private readonly enc: Encoding,
  ) {}

  element(pos: number, depth = 0): { element: RawElement; next: number } {
    const { b, enc } = this;
    if (depth > 64) throw new DicomParseFailure('nesting too deep for the generator');
    if (pos + 8 > b.length) throw new DicomParseFailure(`element header cut at ${pos}`);
    const tag = tagOf(u16(b, pos, enc.littleEndian), u16(b, pos + 2, enc.littleEndian));
    let vr: string | undefined;
    let length: number;
    let headerLength: number;
    if (enc.explicit) {
      vr = ascii(b.subarray(pos + 4, pos + 6));
      if (!vrSet.has(vr)) throw new DicomParseFailure(`bad VR at ${pos}`);
      if (longVrs.has(vr)) {
        if (pos + 12 > b.length) throw new DicomParseFailure(`element header cut at ${pos}`);
        length = u32(b, pos + 8, enc.littleEndian);
        headerLength = 12;
      } else {
        length = u16(b, pos + 6, enc.littleEndian);
        headerLength = 8;
      }
    } else {
      length = u32(b, pos + 4, enc.littleEndian);
      headerLength = 8;
    }
    const valueStart = pos + headerLength;
    if (length !== undefinedLength) {
      const end = valueStart + length;
      if (end > b.length) throw new DicomParseFailure(`element ${tag.toString(16)} runs past the end`);
      return { element: { tag, vr, raw: b.slice(pos, end), headerLength, length }, next: end };
    }
    if (tag === Tags.PixelData) {
      const fragments: NonNullable<RawElement['fragments']> = [];
      let at = valueStart;
      for (;;) {
        if (at + 8 > b.length) throw new DicomParseFailure('fragments run past the end');
        const t = tagOf(u16(b, at, true), u16(b, at + 2, true));
        const len = u32(b, at + 4, true);
        if (t === Tags.SequenceDelimitation) {
          at += 8;
          break;
        }
        if (t !== Tags.Item || at + 8 + len > b.length) throw new DicomParseFailure('bad fragment');
        fragments.push({ itemOffset: at - pos, valueOffset: at + 8 - pos, length: len });
        at += 8 + len;
      }
      return { element: { tag, vr, raw: b.slice(pos, at), headerLength, length, fragments }, next: at };
    }
    // A sequence (or UN holding implicit VR little endian items) of undefined length.
    const inner = vr === 'UN' ? new Walker(b, { explicit: false, littleEndian: true }) : this;
    const next = inner.skipItems(valueStart, depth + 1);
    return { element: { tag, vr, raw: b.slice(pos, next), headerLength, length }, next };
  }

  /** Skips the items of an undefined-length sequence; returns the offset after its delimiter. */
  private skipItems(pos: number, depth: number): number {
    const { b, enc } = this;
    for (;;) {
      if (pos + 8 > b.length) throw new DicomParseFailure('sequence runs past the end');
      const t = tagOf(u16(b, pos, enc.littleEndian), u16(b, pos + 2, enc.littleEndian));
      const len = u32(b, pos + 4, enc.littleEndian);
      if (t === Tags.SequenceDelimitation) return pos + 8;
      if (t !== Tags.Item) throw new DicomParseFailure(`expected an item at ${pos}`);
      if (len !== undefinedLength) {
        pos += 8 + len;
        continue;
      }
      pos += 8;
      for (;;) {
        if (pos + 8 > b.length) throw new DicomParseFailure('item runs past the end');
        const it = tagOf(u16(b, pos, enc.littleEndian), u16(b, pos + 2, enc.littleEndian));
        if (it === Tags.ItemDelimitation) {
          pos += 8;
          break;
        }
        pos = this.element(pos, depth).next;
      }
    }
  }
}

/** One element's bytes: tag, VR (explicit), length and value. */
export function encodeElement(
  tag: number,
  vr: string,
  value: Uint8Array,
  enc: Encoding,
  length = value.length,
): Uint8Array {
  const long = longVrs.has(vr);
  const headerLength = enc.explicit ? (long ? 12 : 8) : 8;
  if (enc.explicit && !long && length > 0xffff)
    throw new RangeError(`${vr} value of ${length} bytes does not fit a 16-bit length`);
  const out = new Uint8Array(headerLength + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, enc.littleEndian);
  view.setUint16(2, tag & 0xffff, enc.littleEndian);
  if (enc.explicit) {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (long) view.setUint32(8, length >>> 0, enc.littleEndian);
    else view.setUint16(6, length, enc.littleEndian);
  } else view.setUint32(4, length >>> 0, enc.littleEndian);
  out.set(value, headerLength);
  return out;
}

/** A text value padded to even length (UI with NUL, others with a space), as PS3.5 §6.2 asks. */
export function stringValue(vr: string, text: string): Uint8Array {
  const bytes = Buffer.from(text, 'latin1');
  const even = bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
  return new Uint8Array(even);
}

export function ascii(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

export function trimValue(s: string): string {
  return s.replace(/[\0 ]+$/, '').replace(/^ +/, '');
}

export function u16(b: Uint8Array, pos: number, le: boolean): number {
  return le ? b[pos]! | (b[pos + 1]! << 8) : (b[pos]! << 8) | b[pos + 1]!;
}

export function u32(b: Uint8Array, pos: number, le: boolean): number {
  return le
    ? (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0
    : ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function isZeros(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}
