import { describe, expect, it } from 'vitest';
import { decodeCoreFrame } from '../../../core/dicom/decodeCoreFrame';
import { decodeNativeFrame } from '../../../core/dicom/decodeNativeFrame';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { expectedSummary, gray16x4, parseShared, reference, summarize } from '../../fixtures/dicom/sharedData';

const gray16 = gray16x4;

const le16 = (...words: number[]) => new Uint8Array(words.flatMap((w) => [w & 0xff, w >>> 8]));

describe('decodeNativeFrame on hand-built cells', () => {
  it.each([
    // 12 bits stored in 16, signed: bit 11 is the sign; bits 12–15 (here set to junk) are ignored.
    // 0x0FFF → −1; 0x0800 → −2048; 0x07FF → 2047; 0xF001 → 0x001 → 1 (two's complement, hand-derived)
    [
      'signed 12 of 16',
      { bitsStored: 12, highBit: 11, pixelRepresentation: 1 },
      le16(0x0fff, 0x0800, 0x07ff, 0xf001),
      Int16Array,
      [-1, -2048, 2047, 1],
    ],
    // Same cells unsigned: 4095, 2048, 2047, 1
    [
      'unsigned 12 of 16',
      { bitsStored: 12, highBit: 11, pixelRepresentation: 0 },
      le16(0x0fff, 0x0800, 0x07ff, 0xf001),
      Uint16Array,
      [4095, 2048, 2047, 1],
    ],
    // High Bit 15 with 12 stored: value = cell >> 4; 0xFFF0 → 0xFFF → −1; 0x8000 → 0x800 → −2048
    [
      'signed 12 of 16, high bit 15',
      { bitsStored: 12, highBit: 15, pixelRepresentation: 1 },
      le16(0xfff0, 0x8000, 0x7ff0, 0x0010),
      Int16Array,
      [-1, -2048, 2047, 1],
    ],
    // Full 16 bits signed: 0xFFFF → −1, 0x8000 → −32768
    ['signed 16 of 16', {}, le16(0xffff, 0x8000, 0x7fff, 0x0000), Int16Array, [-1, -32768, 32767, 0]],
  ] as const)('%s', (_name, overrides, bytes, type, expected) => {
    const out = decodeNativeFrame(bytes, { ...gray16, ...overrides });
    expect(out).toBeInstanceOf(type);
    expect(Array.from(out)).toEqual(expected);
  });

  it('reads big-endian 16-bit cells', () => {
    const be = new Uint8Array([0xff, 0xfe, 0x00, 0x01, 0x80, 0x00, 0x7f, 0xff]);
    // 0xFFFE → −2, 0x0001 → 1, 0x8000 → −32768, 0x7FFF → 32767
    expect(Array.from(decodeNativeFrame(be, gray16, { littleEndian: false }))).toEqual([-2, 1, -32768, 32767]);
  });

  it('sign-extends 8-bit and 32-bit cells', () => {
    const info8 = { ...gray16, bitsAllocated: 8, bitsStored: 8, highBit: 7 };
    expect(Array.from(decodeNativeFrame(new Uint8Array([0xff, 0x80, 0x7f, 0]), info8))).toEqual([-1, -128, 127, 0]);
    const info32 = { ...gray16, columns: 2, bitsAllocated: 32, bitsStored: 20, highBit: 19 };
    // 20 bits stored: 0x000FFFFF → −1; 0xFFF80000 → 0x80000 → −524288
    const bytes = new Uint8Array([0xff, 0xff, 0x0f, 0x00, 0x00, 0x00, 0xf8, 0xff]);
    const out = decodeNativeFrame(bytes, info32);
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([-1, -524288]);
  });

  it('unpacks 1-bit cells least significant bit first, from a bit offset', () => {
    const info1 = {
      ...gray16,
      columns: 6,
      bitsAllocated: 1,
      bitsStored: 1,
      highBit: 0,
      pixelRepresentation: 0 as const,
    };
    // 0b1011_0100: bits 0..7 = 0,0,1,0,1,1,0,1; from bit 2: 1,0,1,1,0,1
    expect(Array.from(decodeNativeFrame(new Uint8Array([0b1011_0100]), info1, { bitOffset: 2 }))).toEqual([
      1, 0, 1, 1, 0, 1,
    ]);
  });

  it('reorders planar configuration 1 to pixel-interleaved samples', () => {
    const rgbPlanar = {
      ...gray16,
      columns: 2,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      bitsStored: 8,
      highBit: 7,
      pixelRepresentation: 0 as const,
      planarConfiguration: 1 as const,
    };
    // R plane 1,2; G plane 3,4; B plane 5,6 → pixel 1 (1,3,5), pixel 2 (2,4,6)
    expect(Array.from(decodeNativeFrame(new Uint8Array([1, 2, 3, 4, 5, 6]), rgbPlanar))).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('reads Float Pixel Data as float32', () => {
    const bytes = new Uint8Array(new Float32Array([1.5, -2.25, 0, 1e10]).buffer);
    const out = decodeNativeFrame(bytes, {
      ...gray16,
      bitsAllocated: 32,
      bitsStored: 32,
      highBit: 31,
      floatingPoint: true,
    });
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([1.5, -2.25, 0, Math.fround(1e10)]);
  });

  it('rejects a frame shorter than rows × columns × cells', () => {
    expect(() => decodeNativeFrame(le16(1, 2, 3), gray16)).toThrow(DicomDataError);
    expect(() => decodeNativeFrame(le16(1, 2, 3), gray16)).toThrow(/needs 8 bytes but only 6/);
  });
});

describe('native pixel data of real files equals the independent decode', () => {
  // Each reference comes from pydicom 2.3.1's numpy handler (test/fixtures/dicom/makeReferences.py).
  it.each([
    'pydicom-test-files/MR_small.dcm', // explicit LE, signed 16
    'pydicom-test-files/MR_small_implicit.dcm',
    'pydicom-test-files/MR_small_bigendian.dcm', // explicit BE
    'pydicom-test-files/MR_small_expb.dcm',
    'pydicom-test-files/CT_small.dcm',
    'pydicom-test-files/ExplVR_BigEnd.dcm', // BE, RGB 8-bit, planar configuration 1
    'pydicom-test-files/rtdose_expb.dcm', // BE, 32-bit unsigned, 15 frames
    'pydicom-test-files/image_dfl.dcm', // deflated data set, 8-bit
    'pydicom-data/693_UNCI.dcm', // signed, 14 of 16 bits stored
    'pydicom-data/eCT_Supplemental.dcm', // enhanced CT, 2 frames, unsigned 16
    'pydicom-data/liver.dcm', // 1-bit, 3 frames
    'pydicom-data/liver_nonbyte_aligned.dcm', // 1-bit, 510x510: frames 2 and 3 start mid-byte
    'dcmqi/segmentations/ct-3slice/01.dcm', // implicit LE, signed 16
  ])('%s', (rel) => {
    const parsed = parseShared(rel);
    const info = getPixelInfo(parsed);
    const frames = getEncodedFrames(parsed, info).map((f) => decodeCoreFrame(f, info, parsed.transferSyntax.uid));
    expect(summarize(frames, reference(rel))).toEqual(expectedSummary(reference(rel)));
  });
});
