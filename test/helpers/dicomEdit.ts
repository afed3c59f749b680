import { parseDicom, readU32 } from '../../core/dicom/parseDicom';
import { T } from '../../core/dicom/tags';

/**
 * Changes (or with `null` removes) one top-level element of a real DICOM file in little endian
 * (implicit or explicit VR, file meta included), keeping everything else byte for byte: how the
 * import tests make one defect at a time in files other tools wrote. Text values are padded to
 * an even length with a space (UIDs with NUL); the file meta group length is kept right.
 * @throws Error when the element is not in the file (this helper does not insert)
 */
export function editElement(file: Uint8Array, tag: number, value: string | Uint8Array | null): Uint8Array {
  const parsed = parseDicom(file);
  const inMeta = tag >>> 16 === 0x0002;
  const el = (inMeta ? parsed.meta : parsed.dataset).elements.get(tag);
  if (!el) throw new Error(`element ${tag.toString(16)} is not in the file`);
  const explicit = inMeta || parsed.transferSyntax.explicitVr;
  const shortLength =
    explicit && !['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'].includes(el.vr);
  const headerLength = !explicit ? 8 : shortLength ? 8 : 12;
  const start = el.offset - headerLength;
  const end = el.offset + el.length;
  let replacement = new Uint8Array(0);
  if (value !== null) {
    let v = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    if (v.length % 2 === 1) {
      const padded = new Uint8Array(v.length + 1);
      padded.set(v);
      padded[v.length] = el.vr === 'UI' ? 0 : typeof value === 'string' ? 0x20 : 0;
      v = padded;
    }
    replacement = new Uint8Array(headerLength + v.length);
    replacement.set(file.subarray(start, el.offset));
    const view = new DataView(replacement.buffer);
    if (shortLength) view.setUint16(6, v.length, true);
    else view.setUint32(headerLength - 4, v.length, true);
    replacement.set(v, headerLength);
  }
  const out = new Uint8Array(file.length - (end - start) + replacement.length);
  out.set(file.subarray(0, start));
  out.set(replacement, start);
  out.set(file.subarray(end), start + replacement.length);
  if (inMeta) {
    const groupLength = parsed.meta.elements.get(T.FileMetaInformationGroupLength);
    if (groupLength) {
      const old = readU32(file, groupLength.offset, true);
      new DataView(out.buffer).setUint32(groupLength.offset, old + replacement.length - (end - start), true);
    }
  }
  return out;
}

/** `editElement` for several elements in turn. */
export function editElements(file: Uint8Array, edits: readonly [number, string | Uint8Array | null][]): Uint8Array {
  return edits.reduce((bytes, [tag, value]) => editElement(bytes, tag, value), file);
}

/** A US value as two little-endian bytes. */
export const us = (v: number): Uint8Array => new Uint8Array([v & 0xff, v >> 8]);
