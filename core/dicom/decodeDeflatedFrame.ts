import { inflateSync } from 'fflate';
import { decodeNativeFrame } from './decodeNativeFrame';
import { DicomDataError } from './dicomDataError';
import type { PixelArray } from './pixelArray';
import type { PixelInfo } from './pixelData';

/**
 * Decodes one frame of Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 §8.2.16
 * and §A.4.13, added by Supplement 244): each frame is its native little-endian pixel cells compressed
 * with raw Deflate (RFC 1951); 1-bit frames start at bit 0 of their own bytes.
 * The frame inflates into a buffer of the size the header implies (plus an even-length pad
 * byte), never more, so a deflate bomb costs time, not memory.
 * @throws DicomDataError('malformed-pixel-data') when the frame cannot be inflated, or inflates
 *   to fewer or more bytes than the frame needs
 */
export function decodeDeflatedFrame(bytes: Uint8Array, info: PixelInfo): PixelArray {
  const needed = Math.ceil((info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated) / 8);
  // fflate writes into `out` without growing it and returns what fitted: one byte beyond the
  // pad byte tells "more than the frame" from "exactly the frame".
  const out = new Uint8Array(needed + 2);
  let native: Uint8Array;
  try {
    native = inflateSync(bytes, { out });
  } catch (err) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `Deflated image frame cannot be inflated (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
  if (native.length > needed + 1) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `Deflated image frame inflates to more than the ${needed} bytes the frame needs.`,
    );
  }
  return decodeNativeFrame(native, info, { littleEndian: true, bitOffset: 0 });
}
