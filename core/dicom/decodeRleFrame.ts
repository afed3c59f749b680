import { decodeNativeFrame } from './decodeNativeFrame';
import { DicomDataError } from './dicomDataError';
import type { PixelArray } from './pixelArray';
import type { PixelInfo } from './pixelData';

const headerLength = 64;
const maxSegments = 15;

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G). The 64-byte header gives the segment count
 * (≤ 15) and each segment's offset; segment s·B + b holds byte b (0 = most significant) of
 * sample s for every pixel, B = Bits Allocated / 8, PackBits-encoded: a header byte n in 0…127
 * copies the next n + 1 bytes, −127…−1 repeats the next byte 1 − n times, −128 is skipped
 * (PS3.5 §G.3.1). Bits Allocated 1 (used by some SEG writers) is one segment of the frame's
 * packed bytes. Segments are reassembled into little-endian cells and read by
 * `decodeNativeFrame`, so Bits Stored, sign and High Bit apply as for native data; the output is
 * pixel-interleaved whatever the Planar Configuration says (the segments define the layout).
 * @throws DicomDataError('malformed-pixel-data') for a bad header, wrong segment count, or a
 *   segment that decodes to fewer bytes than the frame needs
 */
export function decodeRleFrame(bytes: Uint8Array, info: PixelInfo): PixelArray {
  if (bytes.length < headerLength)
    throw malformed(`the frame is ${bytes.length} bytes, shorter than the 64-byte RLE header`);
  const segmentCount = u32(bytes, 0);
  const pixels = info.rows * info.columns;
  const packed = info.bitsAllocated === 1;
  const bytesPerSample = packed ? 1 : info.bitsAllocated / 8;
  const expected = packed ? 1 : info.samplesPerPixel * bytesPerSample;
  if (segmentCount !== expected || segmentCount > maxSegments) {
    throw malformed(
      `the RLE header lists ${segmentCount} segments; ${info.samplesPerPixel} sample(s) of ${info.bitsAllocated} bits need ${expected}`,
    );
  }
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(u32(bytes, 4 + 4 * s));
  const segmentLength = packed ? Math.ceil(pixels / 8) : pixels;
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s]!;
    const end = s + 1 < segmentCount ? offsets[s + 1]! : bytes.length;
    if (start < headerLength)
      throw malformed(`segment ${s + 1} starts at byte ${start}, inside the 64-byte RLE header`);
    if (end > bytes.length || end < start)
      throw malformed(`segment ${s + 1} runs from byte ${start} to ${end}, outside the ${bytes.length}-byte frame`);
    // A PackBits run of 2 bytes yields at most 128: refuse before allocating what cannot be there.
    if (segmentLength > 64 * (end - start))
      throw malformed(
        `segment ${s + 1} is ${end - start} bytes, too short to hold the ${segmentLength} bytes the frame needs`,
      );
  }

  const native = new Uint8Array(packed ? segmentLength : pixels * info.samplesPerPixel * bytesPerSample);
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s]!;
    const end = s + 1 < segmentCount ? offsets[s + 1]! : bytes.length;
    const segment = unpackBits(bytes.subarray(start, end), segmentLength, s + 1);
    if (packed) {
      native.set(segment);
      continue;
    }
    const sample = Math.floor(s / bytesPerSample);
    // Segments run from the most significant byte; little-endian cells store it last.
    const byteInCell = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = info.samplesPerPixel * bytesPerSample;
    const first = sample * bytesPerSample + byteInCell;
    for (let p = 0; p < pixels; p++) native[p * stride + first] = segment[p]!;
  }
  return decodeNativeFrame(native, { ...info, planarConfiguration: 0 }, { littleEndian: true, bitOffset: 0 });
}

/** PackBits (PS3.5 §G.3.1) until `length` bytes are out; trailing padding is ignored. */
function unpackBits(src: Uint8Array, length: number, segment: number): Uint8Array {
  const out = new Uint8Array(length);
  let i = 0;
  let o = 0;
  while (o < length && i < src.length) {
    const n = src[i++]!;
    if (n < 0x80) {
      const count = Math.min(n + 1, length - o, src.length - i);
      out.set(src.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n > 0x80) {
      if (i >= src.length) break;
      const count = Math.min(257 - n, length - o);
      out.fill(src[i++]!, o, o + count);
      o += count;
    }
  }
  if (o < length) throw malformed(`segment ${segment} decodes to ${o} bytes; the frame needs ${length}`);
  return out;
}

function u32(b: Uint8Array, pos: number): number {
  return (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0;
}

function malformed(detail: string): DicomDataError {
  return new DicomDataError('malformed-pixel-data', `RLE Lossless: ${detail}.`);
}
