import { T, tagString } from './tags';
import { encodeUtf8 } from '../text/utf8';
import { TS } from './transferSyntax';

/** Text VRs: one or more strings joined with "\" (PS3.5 §6.2). */
export type DicomTextVr =
  'AE' | 'AS' | 'CS' | 'DA' | 'DT' | 'LO' | 'LT' | 'PN' | 'SH' | 'ST' | 'TM' | 'UC' | 'UI' | 'UR' | 'UT';
/** Binary numeric VRs, written little endian. */
export type DicomBinaryNumberVr = 'US' | 'SS' | 'UL' | 'SL' | 'FL' | 'FD';

/**
 * One data element to write. Values are given as JavaScript values and encoded by the writer:
 * text joined with "\" and padded, DS/IS formatted from numbers, binary numbers little endian,
 * AT as tag numbers (`tag(g, e)`), OB/OW as bytes or 16-bit words, SQ as a list of items (each
 * item a list of elements). An empty string or empty array writes a zero-length (type 2) element.
 * Text is written as UTF-8: a data set with non-ASCII text must carry SpecificCharacterSet
 * (0008,0005) "ISO_IR 192" (PS3.5 §6.1.2.3); the writer does not add it.
 */
export type DicomElementInput =
  | { tag: number; vr: DicomTextVr; value: string | readonly string[] }
  | { tag: number; vr: 'DS' | 'IS'; value: number | string | readonly (number | string)[] }
  | { tag: number; vr: DicomBinaryNumberVr; value: number | readonly number[] }
  | { tag: number; vr: 'AT'; value: number | readonly number[] }
  | { tag: number; vr: 'OB' | 'UN'; value: Uint8Array }
  | { tag: number; vr: 'OW'; value: Uint8Array | Uint16Array | Int16Array }
  | { tag: number; vr: 'SQ'; value: readonly (readonly DicomElementInput[])[] };

/** Options of `writeDicomFile`. */
export interface WriteDicomOptions {
  /** Only Explicit VR Little Endian (1.2.840.10008.1.2.1) is written; default that. */
  transferSyntaxUid?: string;
  /** (0002,0012); default `concordImplementationClassUid`. */
  implementationClassUid?: string;
  /** (0002,0013), at most 16 characters; default `concordImplementationVersionName`. */
  implementationVersionName?: string;
}

/** Concord's Implementation Class UID: a UUID-derived UID (PS3.5 §B.2), fixed for all versions. */
export const concordImplementationClassUid = '2.25.260930752392844193470635144757175177679';
/** Concord's Implementation Version Name (SH, ≤ 16 characters). */
export const concordImplementationVersionName = 'CONCORD_1';

/** VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length (PS3.5 §7.1.2). */
const longLengthVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** Maximum characters per value (PS3.5 Table 6.2-1); undefined = limited only by the length field. */
const maxChars: Partial<Record<string, number>> = {
  AE: 16,
  AS: 4,
  CS: 16,
  DA: 8,
  DS: 16,
  DT: 26,
  IS: 12,
  LO: 64,
  PN: 64 * 3 + 2,
  SH: 16,
  TM: 16,
  UI: 64,
  LT: 10240,
  ST: 1024,
};

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A DICOM Part 10 file in Explicit VR Little Endian: the 128-byte preamble (zeros), "DICM",
 * the file meta group (0002,0000-0013) with its group length, then the data set with every
 * element (and every sequence item's elements) sorted by tag, values padded to even length
 * (space for text, NUL for UI, 0x00 for OB), sequences and items of defined length.
 * The Media Storage SOP Class/Instance UIDs are taken from the data set's (0008,0016)/(0008,0018).
 * Reference: DICOM PS3.10 §7.1 (file meta), PS3.5 §7.1.2 (explicit VR), §7.5 (sequences).
 * @throws RangeError when SOPClassUID/SOPInstanceUID are missing, the data set holds group 0002
 *   or a duplicate tag, a value is too long for its VR, or another transfer syntax is asked for
 */
export function writeDicomFile(dataset: readonly DicomElementInput[], options: WriteDicomOptions = {}): Uint8Array {
  const transferSyntaxUid = options.transferSyntaxUid ?? TS.ExplicitVRLittleEndian;
  if (transferSyntaxUid !== TS.ExplicitVRLittleEndian) {
    throw new RangeError(`writeDicomFile writes Explicit VR Little Endian only, not ${transferSyntaxUid}`);
  }
  const sopClass = dataset.find((e) => e.tag === T.SOPClassUID);
  const sopInstance = dataset.find((e) => e.tag === T.SOPInstanceUID);
  if (
    sopClass?.vr !== 'UI' ||
    sopInstance?.vr !== 'UI' ||
    typeof sopClass.value !== 'string' ||
    typeof sopInstance.value !== 'string'
  ) {
    throw new RangeError('The data set needs SOPClassUID and SOPInstanceUID (UI) to write a Part 10 file');
  }
  const body = encodeDataset(dataset);
  const metaElements: DicomElementInput[] = [
    { tag: T.FileMetaInformationVersion, vr: 'OB', value: new Uint8Array([0x00, 0x01]) },
    { tag: T.MediaStorageSOPClassUID, vr: 'UI', value: sopClass.value },
    { tag: T.MediaStorageSOPInstanceUID, vr: 'UI', value: sopInstance.value },
    { tag: T.TransferSyntaxUID, vr: 'UI', value: transferSyntaxUid },
    { tag: T.ImplementationClassUID, vr: 'UI', value: options.implementationClassUid ?? concordImplementationClassUid },
    {
      tag: T.ImplementationVersionName,
      vr: 'SH',
      value: options.implementationVersionName ?? concordImplementationVersionName,
    },
  ];
  const meta = encodeChunks(metaElements, true);
  const groupLength = encodeChunks([{ tag: T.FileMetaInformationGroupLength, vr: 'UL', value: meta.length }], true);
  const out = new Uint8Array(132 + groupLength.length + meta.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  let pos = 132;
  for (const chunk of [...groupLength.chunks, ...meta.chunks]) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  out.set(body, pos);
  return out;
}

/**
 * A bare data set (no preamble, no file meta) in Explicit VR Little Endian, elements sorted by tag.
 * Reference: DICOM PS3.5 §7.1.2.
 * @throws RangeError for group 0002 elements, duplicate tags or values too long for their VR
 */
export function encodeDataset(elements: readonly DicomElementInput[]): Uint8Array {
  const { chunks, length } = encodeChunks(elements, false);
  const out = new Uint8Array(length);
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/**
 * Formats a number as a DICOM Decimal String value: at most 16 characters, the shortest
 * round-trip form when it fits, else the most significant digits that fit. -0 becomes "0".
 * Reference: DICOM PS3.5 Table 6.2-1 (DS).
 * @throws RangeError for NaN or ±Infinity
 */
export function formatDecimalString(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`DS cannot hold ${x}`);
  if (x === 0) return '0';
  const plain = String(x);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits >= 1; digits--) {
    const s = trimMantissaZeros(x.toPrecision(digits));
    if (s.length <= 16) return s;
  }
  throw new RangeError(`DS cannot hold ${x} in 16 characters`);
}

function trimMantissaZeros(s: string): string {
  const [mantissa, exponent] = s.split('e') as [string, string | undefined];
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? m : `${m}e${exponent}`;
}

interface Encoded {
  chunks: Uint8Array[];
  length: number;
}

function encodeChunks(elements: readonly DicomElementInput[], metaGroup: boolean): Encoded {
  const sorted = [...elements].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let n = 0; n < sorted.length; n++) {
    const el = sorted[n]!;
    if (n > 0 && sorted[n - 1]!.tag === el.tag) throw new RangeError(`Duplicate element ${tagString(el.tag)}`);
    if (!metaGroup && el.tag >>> 16 === 0x0002)
      throw new RangeError(`File meta element ${tagString(el.tag)} in the data set`);
    const value = encodeValue(el);
    const long = longLengthVrs.has(el.vr);
    if (!long && value.length > 0xffff)
      throw new RangeError(`Value of ${tagString(el.tag)} (${el.vr}) is ${value.length} bytes, over 65535`);
    if (value.length > 0xfffffffe) throw new RangeError(`Value of ${tagString(el.tag)} is too long`);
    const header = new Uint8Array(long ? 12 : 8);
    const view = new DataView(header.buffer);
    view.setUint16(0, el.tag >>> 16, true);
    view.setUint16(2, el.tag & 0xffff, true);
    header[4] = el.vr.charCodeAt(0);
    header[5] = el.vr.charCodeAt(1);
    if (long) view.setUint32(8, value.length, true);
    else view.setUint16(6, value.length, true);
    chunks.push(header);
    length += header.length;
    if (value.length > 0) {
      chunks.push(value);
      length += value.length;
    }
  }
  return { chunks, length };
}

function encodeValue(el: DicomElementInput): Uint8Array {
  switch (el.vr) {
    case 'SQ':
      return encodeSequence(el.value, el.tag);
    case 'OB':
    case 'UN':
      return padBytes(el.value);
    case 'OW':
      return wordBytes(el.value, el.tag);
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
      return binaryNumbers(el.vr, typeof el.value === 'number' ? [el.value] : el.value, el.tag);
    case 'AT': {
      const tags = typeof el.value === 'number' ? [el.value] : el.value;
      const out = new Uint8Array(tags.length * 4);
      const view = new DataView(out.buffer);
      tags.forEach((t, n) => {
        view.setUint16(n * 4, t >>> 16, true);
        view.setUint16(n * 4 + 2, t & 0xffff, true);
      });
      return out;
    }
    case 'DS':
    case 'IS': {
      const values = Array.isArray(el.value)
        ? (el.value as readonly (number | string)[])
        : [el.value as number | string];
      const strings = values.map((v) =>
        typeof v === 'string' ? v : el.vr === 'DS' ? formatDecimalString(v) : formatIntegerString(v, el.tag),
      );
      return textBytes(el.vr, strings, el.tag);
    }
    default: {
      const strings = typeof el.value === 'string' ? [el.value] : [...el.value];
      return textBytes(el.vr, strings, el.tag);
    }
  }
}

function encodeSequence(items: readonly (readonly DicomElementInput[])[], t: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const item of items) {
    const encoded = encodeChunks(item, false);
    const header = new Uint8Array(8);
    const view = new DataView(header.buffer);
    view.setUint16(0, 0xfffe, true);
    view.setUint16(2, 0xe000, true);
    view.setUint32(4, encoded.length, true);
    parts.push(header, ...encoded.chunks);
    length += 8 + encoded.length;
  }
  if (length > 0xfffffffe) throw new RangeError(`Sequence ${tagString(t)} is too long`);
  const out = new Uint8Array(length);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

function formatIntegerString(v: number, t: number): string {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1)
    throw new RangeError(`IS value ${v} of ${tagString(t)} is not a 32-bit integer`);
  return String(v);
}

function textBytes(vr: string, values: string[], t: number): Uint8Array {
  const limit = maxChars[vr];
  for (const v of values) {
    if (v.includes('\\') && vr !== 'LT' && vr !== 'ST' && vr !== 'UT')
      throw new RangeError(`Value of ${tagString(t)} contains "\\"`);
    if (limit !== undefined && v.length > limit)
      throw new RangeError(`${vr} value of ${tagString(t)} is ${v.length} characters, over ${limit}: "${v}"`);
    if (vr === 'UI' && v !== '' && !/^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(v))
      throw new RangeError(`Invalid UID "${v}" for ${tagString(t)}`);
  }
  const joined = values.join('\\');
  const bytes = utf8(joined);
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = vr === 'UI' ? 0x00 : 0x20;
  return out;
}

const integerRanges: Partial<Record<DicomBinaryNumberVr, [number, number]>> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: [-(2 ** 31), 2 ** 31 - 1],
};

function binaryNumbers(vr: DicomBinaryNumberVr, values: readonly number[], t: number): Uint8Array {
  const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, n) => {
    const at = n * size;
    const range = integerRanges[vr];
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1]))
      throw new RangeError(`${vr} value ${v} of ${tagString(t)} is out of range`);
    if (vr === 'US') view.setUint16(at, v, true);
    else if (vr === 'SS') view.setInt16(at, v, true);
    else if (vr === 'UL') view.setUint32(at, v, true);
    else if (vr === 'SL') view.setInt32(at, v, true);
    else if (vr === 'FL') view.setFloat32(at, v, true);
    else view.setFloat64(at, v, true);
  });
  return out;
}

function padBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** 16-bit words as little-endian bytes; a view without copying on a little-endian host. */
function wordBytes(value: Uint8Array | Uint16Array | Int16Array, t: number): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length % 2 !== 0) throw new RangeError(`OW value of ${tagString(t)} has an odd number of bytes`);
    return value;
  }
  if (hostLittleEndian) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  const out = new Uint8Array(value.length * 2);
  for (let n = 0; n < value.length; n++) {
    const w = value[n]! & 0xffff;
    out[2 * n] = w & 0xff;
    out[2 * n + 1] = w >>> 8;
  }
  return out;
}

/** UTF-8 bytes of a string (no TextEncoder in core's ES2022 lib). */
function utf8(s: string): Uint8Array {
  let ascii = true;
  for (let n = 0; n < s.length; n++) {
    if (s.charCodeAt(n) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const out = new Uint8Array(s.length);
    for (let n = 0; n < s.length; n++) out[n] = s.charCodeAt(n);
    return out;
  }
  return encodeUtf8(s);
}
