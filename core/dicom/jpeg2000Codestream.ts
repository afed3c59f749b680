import { DicomDataError } from './dicomDataError';

/** What the main header of a JPEG 2000 codestream declares (ITU-T T.800 §A.5.1, SIZ). */
export interface Jpeg2000Codestream {
  /** Xsiz − XOsiz and Ysiz − YOsiz: the image size on the reference grid. */
  columns: number;
  rows: number;
  components: number;
  /** Bit depth and signedness of each component (Ssiz). */
  precision: number[];
  signed: boolean[];
  /** Whether any component is subsampled (XRsiz or YRsiz other than 1). */
  subsampled: boolean;
  tiles: number;
  tileParts: number;
}

const jp2Signature = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20];

/**
 * Checks the structure of a JPEG 2000 Part 1 codestream (or a JP2 file holding one, PS3.5
 * §8.2.4) before it reaches a decoder, because OpenJPEG decodes some partial codestreams
 * without a word: SOC then SIZ (T.800 §A.4.1, §A.5.1); main-header marker segments within the
 * data; tile-parts chained by their SOT lengths (Psot, §A.4.2; 0 only for the last, which then
 * runs to EOC) each within the data; every tile present (TNsot is not checked: GDCM writes it
 * one short, pydicom's GDCMJ2K_TextGBR.dcm, and OpenJPEG tolerates that); EOC (FFD9) right after the last
 * tile-part, followed by nothing but padding (00 or FF bytes).
 * @returns the SIZ values and the tile counts
 * @throws DicomDataError('malformed-pixel-data') naming the marker or byte at fault
 */
export function readJpeg2000Codestream(data: Uint8Array): Jpeg2000Codestream {
  const fail = (detail: string) => new DicomDataError('malformed-pixel-data', `JPEG 2000 codestream: ${detail}.`);
  const bytes = jp2Signature.every((b, i) => data[i] === b) ? jp2Codestream(data, fail) : data;
  const u16 = (p: number) => (bytes[p]! << 8) | bytes[p + 1]!;
  const u32 = (p: number) => ((bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!) >>> 0;
  if (bytes.length < 4 || u16(0) !== 0xff4f) throw fail('it does not start with SOC (FF4F)');
  if (u16(2) !== 0xff51) throw fail('SIZ (FF51) does not follow SOC');
  // SOC 0, SIZ marker 2, Lsiz 4, Rsiz 6, Xsiz 8 … YTOsiz 36, Csiz 40, components from 42.
  if (bytes.length < 42) throw fail(`it ends inside SIZ at byte ${bytes.length} (truncated?)`);
  const lsiz = u16(4);
  const csiz = u16(40);
  if (csiz < 1 || lsiz !== 38 + 3 * csiz || 4 + lsiz > bytes.length)
    throw fail(`SIZ declares ${csiz} components in ${lsiz} bytes`);
  const [xsiz, ysiz, xo, yo, xt, yt, xto, yto] = [8, 12, 16, 20, 24, 28, 32, 36].map(u32);
  if (!(xsiz! > xo! && ysiz! > yo!))
    throw fail(`SIZ declares an empty image (Xsiz ${xsiz}, XOsiz ${xo}, Ysiz ${ysiz}, YOsiz ${yo})`);
  if (!(xt! > 0 && yt! > 0) || xto! > xo! || yto! > yo! || xto! + xt! <= xo! || yto! + yt! <= yo!)
    throw fail('SIZ declares an impossible tiling');
  const precision: number[] = [];
  const signed: boolean[] = [];
  let subsampled = false;
  for (let c = 0; c < csiz; c++) {
    const p = 42 + 3 * c;
    precision.push((bytes[p]! & 0x7f) + 1);
    signed.push((bytes[p]! & 0x80) !== 0);
    if (bytes[p + 1] !== 1 || bytes[p + 2] !== 1) subsampled = true;
  }
  const tilesX = Math.ceil((xsiz! - xto!) / xt!);
  const tilesY = Math.ceil((ysiz! - yto!) / yt!);
  const tiles = tilesX * tilesY;

  if (tiles > 65535) throw fail(`SIZ declares ${tiles} tiles; a codestream holds at most 65,535`);

  // Trailing padding (DICOM fragments have even length; 00 or FF) is not part of the codestream.
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0xff)) end--;

  let pos = 4 + lsiz;
  for (;;) {
    if (pos + 4 > end) throw fail(`it ends in the main header at byte ${pos} without a tile (truncated?)`);
    const marker = u16(pos);
    if (marker === 0xff90) break;
    if (marker >>> 8 !== 0xff) throw fail(`expected a marker at byte ${pos} in the main header`);
    const length = u16(pos + 2);
    if (length < 2 || pos + 2 + length > end)
      throw fail(
        `the marker segment FF${(marker & 0xff).toString(16).toUpperCase()} at byte ${pos} runs past the data`,
      );
    pos += 2 + length;
  }
  const partsSeen = new Map<number, number>();
  let tileParts = 0;
  for (;;) {
    if (pos + 2 > end) throw fail(`it ends at byte ${end} without EOC (FFD9) (truncated?)`);
    const marker = u16(pos);
    if (marker === 0xffd9) {
      if (pos + 2 !== end) throw fail(`${end - pos - 2} byte(s) follow EOC at byte ${pos}`);
      break;
    }
    if (marker !== 0xff90)
      throw fail(
        `expected SOT (FF90) or EOC (FFD9) at byte ${pos} after tile-part ${tileParts}, found ${marker.toString(16).toUpperCase()}`,
      );
    if (pos + 12 > end) throw fail(`it ends inside SOT at byte ${pos} (truncated?)`);
    const isot = u16(pos + 4);
    const psot = u32(pos + 6);
    if (u16(pos + 2) !== 10) throw fail(`SOT at byte ${pos} has length ${u16(pos + 2)}, not 10`);
    if (isot >= tiles) throw fail(`tile-part ${tileParts + 1} names tile ${isot} of ${tiles}`);
    let next: number;
    if (psot === 0) {
      if (end < pos + 14 || u16(end - 2) !== 0xffd9)
        throw fail(`the last tile-part (Psot 0, running to EOC) has no EOC at its end (truncated?)`);
      next = end - 2;
    } else {
      next = pos + psot;
      if (psot < 14 || next > end) {
        throw fail(
          `tile-part ${tileParts + 1} (tile ${isot}) declares ${psot} bytes from byte ${pos}, but ${psot < 14 ? 'a tile-part needs at least 14' : `the codestream ends ${next - end} bytes sooner (truncated?)`}`,
        );
      }
    }
    partsSeen.set(isot, (partsSeen.get(isot) ?? 0) + 1);
    tileParts++;
    pos = next;
  }
  for (let t = 0; t < tiles; t++) {
    const seen = partsSeen.get(t) ?? 0;
    if (seen === 0) throw fail(`tile ${t} of ${tiles} is missing`);
  }
  return { columns: xsiz! - xo!, rows: ysiz! - yo!, components: csiz, precision, signed, subsampled, tiles, tileParts };
}

/** The contiguous codestream box (jp2c) of a JP2 file (ISO/IEC 15444-1 §I.5). */
function jp2Codestream(data: Uint8Array, fail: (d: string) => DicomDataError): Uint8Array {
  let pos = 0;
  while (pos + 8 <= data.length) {
    const view = new DataView(data.buffer, data.byteOffset + pos);
    let length = view.getUint32(0);
    const type = String.fromCharCode(data[pos + 4]!, data[pos + 5]!, data[pos + 6]!, data[pos + 7]!);
    let header = 8;
    if (length === 1) {
      if (pos + 16 > data.length) break;
      length = Number(view.getBigUint64(8));
      header = 16;
    } else if (length === 0) {
      length = data.length - pos;
    }
    if (length < header || pos + length > data.length)
      throw fail(`the JP2 box "${type}" at byte ${pos} runs past the data`);
    if (type === 'jp2c') return data.subarray(pos + header, pos + length);
    pos += length;
  }
  throw fail('the JP2 file holds no codestream box (jp2c)');
}
