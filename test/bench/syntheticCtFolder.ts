import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDicom } from '../../core/dicom/parseDicom';
import { T } from '../../core/dicom/tags';

/**
 * Writes a folder of realistic CT files by cloning a real scanner's file (the GE LightSpeed
 * slice in ../shared/data, implicit VR, 512x512 int16, ~130 header elements incl. private
 * tags) and patching, in place and at equal length, the UIDs and the slice position (the
 * 2-byte InstanceNumber cannot hold larger numbers and stays; readers sort by position).
 */
export function writeSyntheticCtFolder(
  template: string,
  outDir: string,
  seriesCount: number,
  slicesPerSeries: number,
  sliceSpacingMm = 1.25,
): string[] {
  const original = readFileSync(template);
  const parsed = parseDicom(new Uint8Array(original.buffer, original.byteOffset, original.byteLength));
  const at = (t: number, fromMeta = false) => {
    const el = (fromMeta ? parsed.meta : parsed.dataset).elements.get(t);
    if (!el) throw new Error(`template lacks ${t.toString(16)}`);
    return el;
  };
  const fields = {
    metaSop: at(T.MediaStorageSOPInstanceUID, true),
    sop: at(T.SOPInstanceUID),
    series: at(T.SeriesInstanceUID),
    position: at(T.ImagePositionPatient),
  };
  const put = (buf: Buffer, el: { offset: number; length: number }, value: string, pad: string) => {
    if (value.length > el.length) throw new Error(`"${value}" does not fit ${el.length} bytes`);
    buf.write(value.padEnd(el.length, pad), el.offset, 'latin1');
  };
  const uid = (base: string, series: number, slice: number) => {
    // Replace the last two components by one of the same total length: 1, series (2 digits), slice.
    const head = base.slice(0, base.lastIndexOf('.', base.lastIndexOf('.') - 1) + 1);
    const room = base.length - head.length;
    return `${head}1${String(series).padStart(2, '0')}${String(slice).padStart(room - 3, '0')}`;
  };
  const baseUid = original
    .toString('latin1', fields.sop.offset, fields.sop.offset + fields.sop.length)
    .replace(/[\0 ]+$/, '');
  const [x, y, z0] = original
    .toString('latin1', fields.position.offset, fields.position.offset + fields.position.length)
    .trim()
    .split('\\')
    .map(Number);
  const files: string[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const dir = join(outDir, `series-${String(s + 1).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    const seriesUid = uid(baseUid, s, 0).replace(/\.1(\d{2})(\d+)$/, (_m, a: string, b: string) => `.2${a}${b}`);
    for (let k = 0; k < slicesPerSeries; k++) {
      const buf = Buffer.from(original);
      const sop = uid(baseUid, s, k);
      put(buf, fields.metaSop, sop, '\0');
      put(buf, fields.sop, sop, '\0');
      put(buf, fields.series, seriesUid, '\0');
      put(buf, fields.position, `${x!.toFixed(2)}\\${y!.toFixed(2)}\\${(z0! - k * sliceSpacingMm).toFixed(3)}`, ' ');
      const file = join(dir, `IM${String(k + 1).padStart(5, '0')}.dcm`);
      writeFileSync(file, buf);
      files.push(file);
    }
  }
  return files;
}
