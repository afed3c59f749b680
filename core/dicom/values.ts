import { readAscii, readU16, readU32, type DicomDataset, type DicomElement } from './parseDicom';
import { decodeUtf8 } from '../text/utf8';

/**
 * Value readers over parsed elements. Strings are trimmed of DICOM padding (trailing spaces
 * and NULs); multi-valued strings split on "\". Missing elements give undefined.
 */
export function getString(ds: DicomDataset, t: number): string | undefined {
  const el = ds.elements.get(t);
  if (!el) return undefined;
  return decodeText(ds, el)
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
}

export function getStrings(ds: DicomDataset, t: number): string[] | undefined {
  const s = getString(ds, t);
  return s === undefined ? undefined : s.split('\\').map((v) => v.trim());
}

/**
 * Numeric values: DS and IS are decimal strings; US, SS, UL, SL, FL, FD binary (in the data
 * set's byte order). Strings that are not decimal numbers as PS3.5 §6.2 writes them (an optional
 * sign, digits with an optional fraction, an optional exponent: not "1.2.3", "+", "0x10" or
 * "Infinity") give NaN entries; a number too large for a double gives ±Infinity; missing
 * elements undefined.
 */
export function getNumbers(ds: DicomDataset, t: number): number[] | undefined {
  const el = ds.elements.get(t);
  if (!el) return undefined;
  const b = ds.bytes;
  const le = ds.littleEndian;
  const out: number[] = [];
  switch (el.vr) {
    case 'US':
      for (let i = 0; i + 2 <= el.length; i += 2) out.push(readU16(b, el.offset + i, le));
      return out;
    case 'SS':
      for (let i = 0; i + 2 <= el.length; i += 2) out.push((readU16(b, el.offset + i, le) << 16) >> 16);
      return out;
    case 'UL':
      for (let i = 0; i + 4 <= el.length; i += 4) out.push(readU32(b, el.offset + i, le));
      return out;
    case 'SL':
      for (let i = 0; i + 4 <= el.length; i += 4) out.push(readU32(b, el.offset + i, le) | 0);
      return out;
    case 'FL':
    case 'FD': {
      const size = el.vr === 'FL' ? 4 : 8;
      const view = new DataView(b.buffer, b.byteOffset + el.offset, el.length);
      for (let i = 0; i + size <= el.length; i += size)
        out.push(size === 4 ? view.getFloat32(i, le) : view.getFloat64(i, le));
      return out;
    }
    default: {
      const s = getString(ds, t);
      if (s === undefined || s === '') return [];
      return s.split('\\').map(parseDecimalString);
    }
  }
}

const decimalString = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One DS or IS value: NaN unless it is a decimal number (Number() alone takes "0x10" and ""). */
export function parseDecimalString(value: string): number {
  const v = value.trim();
  return decimalString.test(v) ? Number(v) : Number.NaN;
}

export function getNumber(ds: DicomDataset, t: number): number | undefined {
  const values = getNumbers(ds, t);
  const v = values?.[0];
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/** Items of a sequence (empty when absent). */
export function getItems(ds: DicomDataset, t: number): DicomDataset[] {
  return ds.elements.get(t)?.items ?? [];
}

/** Raw value bytes of an element (a view, not a copy). */
export function getBytes(ds: DicomDataset, t: number): Uint8Array | undefined {
  const el = ds.elements.get(t);
  return el ? ds.bytes.subarray(el.offset, el.offset + el.length) : undefined;
}

/** Text as ASCII/Latin-1, or UTF-8 when the bytes are valid UTF-8 with multi-byte sequences. */
function decodeText(ds: DicomDataset, el: DicomElement): string {
  const b = ds.bytes;
  let ascii = true;
  for (let i = el.offset; i < el.offset + el.length; i++) {
    if (b[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return readAscii(b, el.offset, el.length);
  return decodeUtf8(b.subarray(el.offset, el.offset + el.length)) ?? readAscii(b, el.offset, el.length);
}
