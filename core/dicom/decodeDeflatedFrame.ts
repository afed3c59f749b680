import { inflateSync } from 'fflate';
import { decodeNativeFrame } from './decodeNativeFrame';
import { DicomDataError } from './dicomDataError';
import type { PixelArray } from './pixelArray';
import type { PixelInfo } from './pixelData';

/**
 * Decodes one frame of Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 §8.2.16
 * and §A.4.13, added by Supplement 244): each frame is its native little-endian pixel cells compressed
 * with raw Deflate (RFC 1951); 1-bit frames start at bit 0 of their own bytes.
 * @throws DicomDataError('malformed-pixel-data') when the frame cannot be inflated or is short
 */
export function decodeDeflatedFrame(bytes: Uint8Array, info: PixelInfo): PixelArray {
  let native: Uint8Array;
  try {
    native = inflateSync(bytes);
  } catch (err) {
    throw new DicomDataError('malformed-pixel-data', `Deflated image frame cannot be inflated (${err instanceof Error ? err.message : String(err)}).`);
  }
  return decodeNativeFrame(native, info, { littleEndian: true, bitOffset: 0 });
}
