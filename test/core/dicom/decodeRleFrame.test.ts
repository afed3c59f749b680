import { describe, expect, it } from 'vitest';
import { decodeCoreFrame } from '../../../core/dicom/decodeCoreFrame';
import { decodeRleFrame } from '../../../core/dicom/decodeRleFrame';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { expectedSummary, gray16x4, parseShared, reference, summarize } from '../../fixtures/dicom/sharedData';

const info16 = gray16x4;

/** An RLE frame: the 64-byte header (count, offsets) followed by the given encoded segments. */
function rleFrame(...segments: number[][]): Uint8Array {
  const header = new Uint32Array(16);
  header[0] = segments.length;
  let offset = 64;
  segments.forEach((s, i) => {
    header[i + 1] = offset;
    offset += s.length;
  });
  return new Uint8Array([...new Uint8Array(header.buffer), ...segments.flat()]);
}

describe('decodeRleFrame on hand-built segments (PS3.5 §G.3.1)', () => {
  it('reassembles high and low byte segments of 16-bit signed pixels', () => {
    // High bytes: literal run n = 3 → FF 00 80 7F; low bytes: replicate −3 → 4 × 0xFE, then −128 no-op.
    // Cells 0xFFFE, 0x00FE, 0x80FE, 0x7FFE → −2, 254, −32514, 32766 (two's complement, hand-derived)
    const frame = rleFrame([3, 0xff, 0x00, 0x80, 0x7f], [0x80, 0xfd, 0xfe]);
    expect(Array.from(decodeRleFrame(frame, info16))).toEqual([-2, 254, -32514, 32766]);
  });

  it('interleaves RGB segments', () => {
    const rgb = {
      ...info16,
      columns: 2,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      bitsStored: 8,
      highBit: 7,
      pixelRepresentation: 0 as const,
    };
    // R = 1,2; G = 3,3 (replicate −1); B = 5,6 → (1,3,5), (2,3,6)
    expect(Array.from(decodeRleFrame(rleFrame([1, 1, 2], [0xff, 3], [1, 5, 6]), rgb))).toEqual([1, 3, 5, 2, 3, 6]);
  });

  it('rejects a wrong segment count or a short segment', () => {
    expect(() => decodeRleFrame(rleFrame([3, 1, 2, 3, 4]), info16)).toThrow(
      expect.objectContaining({
        kind: 'malformed-pixel-data',
        message: 'RLE Lossless: the RLE header lists 1 segments; 1 sample(s) of 16 bits need 2.',
      }),
    );
    expect(() => decodeRleFrame(rleFrame([1, 1, 2], [3, 1, 2, 3, 4]), info16)).toThrow(
      /segment 1 decodes to 2 bytes; the frame needs 4/,
    );
    expect(() => decodeRleFrame(new Uint8Array(10), info16)).toThrow(/shorter than the 64-byte RLE header/);
  });

  it('refuses segments too short for the frame before allocating it', () => {
    // 16384 x 16384 needs 268 435 456 bytes per segment; 4 bytes of PackBits give at most 2 · 128.
    const huge = { ...info16, rows: 16384, columns: 16384 };
    expect(() => decodeRleFrame(rleFrame([0x81, 0, 0x81, 0], [0x81, 0, 0x81, 0]), huge)).toThrow(
      /segment 1 is 4 bytes, too short to hold the 268435456 bytes the frame needs/,
    );
  });
});

describe('RLE Lossless files equal the independent decode', () => {
  // References: pydicom 2.3.1's RLE handler for the RLE files; for the 1-bit SEGs, which neither
  // pydicom 2.3 nor dcmtk 3.6 decode from RLE, the same masks stored uncompressed (pydicom numpy).
  it.each([
    ['pydicom-test-files/MR_small_RLE.dcm', 'pydicom-test-files/MR_small_RLE.dcm'],
    ['pydicom-test-files/MR_small_RLE.dcm', 'pydicom-test-files/MR_small.dcm'],
    ['pydicom-test-files/SC_rgb_rle_16bit.dcm', 'pydicom-test-files/SC_rgb_rle_16bit.dcm'],
    ['pydicom-test-files/SC_rgb_rle_32bit_2frame.dcm', 'pydicom-test-files/SC_rgb_rle_32bit_2frame.dcm'],
    ['pydicom-data/liver_rle.dcm', 'pydicom-data/liver.dcm'],
    ['pydicom-data/liver_nonbyte_aligned_rle.dcm', 'pydicom-data/liver_nonbyte_aligned.dcm'],
  ])('%s vs reference of %s', (rel, refRel) => {
    const parsed = parseShared(rel);
    const info = getPixelInfo(parsed);
    const frames = getEncodedFrames(parsed, info).map((f) => decodeCoreFrame(f, info, parsed.transferSyntax.uid));
    expect(summarize(frames, reference(refRel))).toEqual(expectedSummary(reference(refRel)));
  });

  it('gives the liver mask per-slice counts of the data README (36 233 / 35 645 / 35 220)', () => {
    const parsed = parseShared('pydicom-data/liver_rle.dcm');
    const info = getPixelInfo(parsed);
    const sums = getEncodedFrames(parsed, info).map((f) =>
      Array.from(decodeCoreFrame(f, info, parsed.transferSyntax.uid)).reduce((a, b) => a + b, 0),
    );
    expect(sums).toEqual([36233, 35645, 35220]);
  });
});
