import { describe, expect, it } from 'vitest';
import { decodedPixelInfo, decodesInCore } from '../../../core/dicom/decodeCoreFrame';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import type { ParsedDicom } from '../../../core/dicom/parseDicom';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { T } from '../../../core/dicom/tags';
import { TS } from '../../../core/dicom/transferSyntax';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { readFileSync } from 'node:fs';
import { parseShared, sharedPath } from '../../fixtures/dicom/sharedData';

/** A copy of `parsed` whose data set lacks `tag` or has it with other value bytes. */
function withElement(parsed: ParsedDicom, t: number, change: 'delete' | { length: number }): ParsedDicom {
  const elements = new Map(parsed.dataset.elements);
  if (change === 'delete') elements.delete(t);
  else elements.set(t, { ...elements.get(t)!, length: change.length });
  return { ...parsed, dataset: { ...parsed.dataset, elements } };
}

describe('getPixelInfo', () => {
  // Expected values transcribed from `dcmdump +P 0028,…` of each file.
  it.each([
    [
      'pydicom-data/693_UNCI.dcm',
      {
        rows: 512,
        columns: 512,
        samplesPerPixel: 1,
        bitsAllocated: 16,
        bitsStored: 14,
        highBit: 13,
        pixelRepresentation: 1,
        photometricInterpretation: 'MONOCHROME2',
        planarConfiguration: 0,
        numberOfFrames: 1,
        floatingPoint: false,
      },
    ],
    [
      'pydicom-test-files/ExplVR_BigEnd.dcm',
      {
        rows: 60,
        columns: 80,
        samplesPerPixel: 3,
        bitsAllocated: 8,
        bitsStored: 8,
        highBit: 7,
        pixelRepresentation: 0,
        photometricInterpretation: 'RGB',
        planarConfiguration: 1,
        numberOfFrames: 1,
        floatingPoint: false,
      },
    ],
    [
      'pydicom-data/liver_nonbyte_aligned.dcm',
      {
        rows: 510,
        columns: 510,
        samplesPerPixel: 1,
        bitsAllocated: 1,
        bitsStored: 1,
        highBit: 0,
        pixelRepresentation: 0,
        photometricInterpretation: 'MONOCHROME2',
        planarConfiguration: 0,
        numberOfFrames: 3,
        floatingPoint: false,
      },
    ],
    [
      'dcmqi/segmentations/ct-3slice/02.dcm',
      {
        rows: 512,
        columns: 512,
        samplesPerPixel: 1,
        bitsAllocated: 16,
        bitsStored: 16,
        highBit: 15,
        pixelRepresentation: 1,
        photometricInterpretation: 'MONOCHROME2',
        planarConfiguration: 0,
        numberOfFrames: 1,
        floatingPoint: false,
      },
    ],
  ])('%s', (rel, expected) => {
    expect(getPixelInfo(parseShared(rel))).toEqual(expected);
  });

  it('names what is missing or out of range', () => {
    const mr = parseShared('pydicom-test-files/MR_small.dcm');
    expect(() => getPixelInfo(withElement(mr, T.PixelData, 'delete'))).toThrow(
      expect.objectContaining({ kind: 'missing-attribute', message: 'The object has no Pixel Data.' }),
    );
    expect(() => getPixelInfo(withElement(mr, T.Rows, 'delete'))).toThrow(
      expect.objectContaining({ kind: 'missing-attribute', message: 'Rows is missing.' }),
    );
    // rtplan.dcm has no pixel data at all
    expect(() => getPixelInfo(parseShared('pydicom-test-files/rtplan.dcm'))).toThrow(DicomDataError);
  });
});

describe('getEncodedFrames', () => {
  it('slices native frames at bit offsets when frames are not byte-aligned', () => {
    // 510 × 510 = 260 100 bits per frame = 32 512.5 bytes: frame 2 starts at byte 32 512, bit 4.
    const parsed = parseShared('pydicom-data/liver_nonbyte_aligned.dcm');
    const frames = getEncodedFrames(parsed, getPixelInfo(parsed));
    expect(frames.map((f) => [f.bitOffset, f.bytes.byteOffset - frames[0]!.bytes.byteOffset])).toEqual([
      [0, 0],
      [4, 32512],
      [0, 65025],
    ]);
  });

  it('rejects native pixel data shorter than its frames', () => {
    const mr = parseShared('pydicom-test-files/MR_small.dcm');
    const short = withElement(mr, T.PixelData, { length: 64 * 64 * 2 - 2 });
    expect(() => getEncodedFrames(short, getPixelInfo(short))).toThrow(
      expect.objectContaining({
        kind: 'malformed-pixel-data',
        message: 'Pixel Data holds 8190 bytes but 1 frame(s) of 64x64x1 at 16 bits need 8192.',
      }),
    );
  });

  it('refuses chroma-subsampled native data clearly', () => {
    const parsed = parseShared('pydicom-test-files/SC_ybr_full_422_uncompressed.dcm');
    expect(() => getEncodedFrames(parsed, getPixelInfo(parsed))).toThrow(
      expect.objectContaining({ kind: 'unsupported' }),
    );
  });

  it('needs the pixel data: a header-only parse is a programmer error', () => {
    const headerOnly = parseDicom(new Uint8Array(readFileSync(sharedPath('pydicom-test-files/MR_small.dcm'))), {
      untilPixelData: true,
    });
    expect(() => getEncodedFrames(headerOnly, getPixelInfo(headerOnly))).toThrow(RangeError);
  });
});

describe('decodesInCore and decodedPixelInfo', () => {
  it.each([
    [TS.ImplicitVRLittleEndian, true],
    [TS.ExplicitVRBigEndian, true],
    [TS.DeflatedExplicitVRLittleEndian, true],
    [TS.RLELossless, true],
    [TS.DeflatedImageFrameCompression, true],
    [TS.EncapsulatedUncompressedExplicitVRLittleEndian, true],
    [TS.JPEGBaseline8Bit, false],
    [TS.JPEG2000Lossless, false],
    ['1.2.3.4', false],
  ])('%s → %s', (uid, expected) => {
    expect(decodesInCore(uid)).toBe(expected);
  });

  it('reports RGB after codecs that undo a colour transform, and planar configuration 0', () => {
    const info = getPixelInfo(parseShared('pydicom-test-files/ExplVR_BigEnd.dcm'));
    const ybr = { ...info, photometricInterpretation: 'YBR_FULL_422' };
    expect(decodedPixelInfo(ybr, TS.JPEGBaseline8Bit)).toMatchObject({
      photometricInterpretation: 'RGB',
      planarConfiguration: 0,
    });
    expect(decodedPixelInfo(ybr, TS.RLELossless)).toMatchObject({
      photometricInterpretation: 'YBR_FULL_422',
      planarConfiguration: 0,
    });
    expect(
      decodedPixelInfo({ ...info, photometricInterpretation: 'YBR_RCT' }, TS.JPEG2000Lossless)
        .photometricInterpretation,
    ).toBe('RGB');
  });
});
