import { DicomDataError } from './dicomDataError';

/** Decoded pixel values of one frame, samples of a pixel adjacent (R,G,B,R,G,B…), rows top to bottom. */
export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array;

/** The part of a pixel description that decides how values are stored. */
export interface PixelFormat {
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  /** Float Pixel Data (7FE0,0008): IEEE 754 binary32 values. */
  floatingPoint: boolean;
}

/**
 * A zeroed typed array of `length` values for the format: Bits Allocated 1 → Uint8Array (0/1);
 * 8 → Uint8Array or Int8Array; 16 → Uint16Array or Int16Array; 32 → Uint32Array or Int32Array
 * (Pixel Representation 0 or 1); Float Pixel Data → Float32Array. Reference: PS3.5 §8.1.1.
 * @throws DicomDataError('unsupported') for any other Bits Allocated (e.g. 12, 24, 64)
 */
export function createPixelArray(format: PixelFormat, length: number): PixelArray {
  if (format.floatingPoint) return new Float32Array(length);
  const signed = format.pixelRepresentation === 1;
  switch (format.bitsAllocated) {
    case 1:
      return new Uint8Array(length);
    case 8:
      return signed ? new Int8Array(length) : new Uint8Array(length);
    case 16:
      return signed ? new Int16Array(length) : new Uint16Array(length);
    case 32:
      return signed ? new Int32Array(length) : new Uint32Array(length);
    default:
      throw new DicomDataError(
        'unsupported',
        `Bits Allocated ${format.bitsAllocated} is not supported (only 1, 8, 16 and 32).`,
      );
  }
}
