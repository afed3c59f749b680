import { DicomDataError } from './dicomDataError';
import { createPixelArray, type PixelArray } from './pixelArray';
import type { PixelInfo } from './pixelData';

/** Where a native frame starts and how its pixel cells are ordered. */
export interface NativeLayout {
  /** Byte order of 16- and 32-bit pixel cells. Default true. */
  littleEndian?: boolean;
  /** For Bits Allocated 1: the bit of `bytes[0]` holding the first pixel (0 = least significant). Default 0. */
  bitOffset?: number;
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Unpacks one uncompressed frame (PS3.5 §8.1.1, §8.2): rows × columns × samples pixel cells of
 * Bits Allocated bits each. The value of a cell is its bits highBit − bitsStored + 1 … highBit;
 * with Pixel Representation 1 it is two's complement in Bits Stored bits, so a 12-bit stored
 * 0xFFF becomes −1 even inside a 16-bit cell (the bits above High Bit are ignored).
 * Bits Allocated 1 is packed eight pixels a byte, least significant bit first (PS3.5 §8.1.1
 * Note), and may start mid-byte (`bitOffset`) when frames are not byte-aligned.
 * Planar Configuration 1 (all reds, then greens, then blues) is reordered to pixel-interleaved.
 * @returns rows·columns·samplesPerPixel values in the array type of `createPixelArray`
 * @throws DicomDataError('malformed-pixel-data') when `bytes` is shorter than the frame
 * @throws DicomDataError('unsupported') for Bits Allocated other than 1, 8, 16, 32
 */
export function decodeNativeFrame(bytes: Uint8Array, info: PixelInfo, layout: NativeLayout = {}): PixelArray {
  const littleEndian = layout.littleEndian ?? true;
  const bitOffset = layout.bitOffset ?? 0;
  const count = info.rows * info.columns * info.samplesPerPixel;
  const out = createPixelArray(info, count);
  const bitsNeeded = bitOffset + count * info.bitsAllocated;
  if (bitsNeeded > bytes.length * 8) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `A frame of ${info.rows}x${info.columns}x${info.samplesPerPixel} at ${info.bitsAllocated} bits needs ${Math.ceil(bitsNeeded / 8)} bytes but only ${bytes.length} are present.`,
    );
  }

  if (info.floatingPoint) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * 4);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, littleEndian);
    return reorderPlanar(out, info);
  }
  if (info.bitsAllocated === 1) {
    for (let i = 0; i < count; i++) {
      const bit = bitOffset + i;
      out[i] = (bytes[bit >>> 3]! >>> (bit & 7)) & 1;
    }
    return out;
  }

  const shift = info.highBit + 1 - info.bitsStored;
  const fullWidth = shift === 0 && info.bitsStored === info.bitsAllocated;
  if (fullWidth && info.bitsAllocated === 16 && littleEndian === hostLittleEndian) {
    // The common CT case: reinterpret a copy (the source may sit at an odd byte offset; and
    // `slice` would not copy a Node Buffer, so copy explicitly).
    const copy = new Uint8Array(count * 2);
    copy.set(bytes.subarray(0, count * 2));
    return reorderPlanar(
      info.pixelRepresentation === 1 ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer),
      info,
    );
  }

  const read = cellReader(bytes, info.bitsAllocated, littleEndian);
  if (fullWidth) {
    // Typed-array stores wrap modulo 2^bits, which is exactly two's complement for signed cells.
    for (let i = 0; i < count; i++) out[i] = read(i);
  } else {
    const up = 32 - info.bitsStored;
    if (info.pixelRepresentation === 1) {
      for (let i = 0; i < count; i++) out[i] = ((read(i) >>> shift) << up) >> up;
    } else {
      for (let i = 0; i < count; i++) out[i] = ((read(i) >>> shift) << up) >>> up;
    }
  }
  return reorderPlanar(out, info);
}

/** Unsigned value of pixel cell `i`. */
function cellReader(b: Uint8Array, bitsAllocated: number, le: boolean): (i: number) => number {
  switch (bitsAllocated) {
    case 8:
      return (i) => b[i]!;
    case 16:
      return le ? (i) => b[2 * i]! | (b[2 * i + 1]! << 8) : (i) => (b[2 * i]! << 8) | b[2 * i + 1]!;
    case 32:
      return le
        ? (i) => (b[4 * i]! | (b[4 * i + 1]! << 8) | (b[4 * i + 2]! << 16) | (b[4 * i + 3]! << 24)) >>> 0
        : (i) => ((b[4 * i]! << 24) | (b[4 * i + 1]! << 16) | (b[4 * i + 2]! << 8) | b[4 * i + 3]!) >>> 0;
    default:
      throw new DicomDataError(
        'unsupported',
        `Bits Allocated ${bitsAllocated} is not supported (only 1, 8, 16 and 32).`,
      );
  }
}

/** Planar Configuration 1 → pixel-interleaved; a no-op for one sample or configuration 0. */
function reorderPlanar<T extends PixelArray>(values: T, info: PixelInfo): T {
  const samples = info.samplesPerPixel;
  if (samples === 1 || info.planarConfiguration === 0) return values;
  const pixels = info.rows * info.columns;
  const out = values.slice() as T;
  for (let s = 0; s < samples; s++) {
    for (let p = 0; p < pixels; p++) out[p * samples + s] = values[s * pixels + p]!;
  }
  return out;
}
