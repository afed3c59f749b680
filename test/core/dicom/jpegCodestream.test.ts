import { describe, expect, it } from 'vitest';
import { decodeJpegLosslessFrame } from '../../../core/dicom/decodeJpegLosslessFrame';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { readJpeg2000Codestream } from '../../../core/dicom/jpeg2000Codestream';
import { readJpegCodestream } from '../../../core/dicom/jpegCodestream';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { parseShared } from '../../fixtures/dicom/sharedData';

function firstFrame(rel: string): Uint8Array {
  const parsed = parseShared(rel);
  return getEncodedFrames(parsed, getPixelInfo(parsed))[0]!.bytes;
}

/**
 * A 2 x 1 lossless JPEG (T.81 Annex H) written by hand: P = 8, predictor 1, one Huffman table
 * with categories 0 and 1 of one bit each (codes 0 and 1). Samples 128 (diff 0 from 2^7) and
 * 129 (diff +1: category 1, extra bit 1): entropy bits 0 | 1 1 → 011 padded with ones → 0x7F.
 */
function tinyLossless(entropy: number[] = [0x7f], tail: number[] = [0xff, 0xd9]): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xc3,
    0x00,
    0x0b,
    0x08,
    0x00,
    0x01,
    0x00,
    0x02,
    0x01,
    0x01,
    0x11,
    0x00, // SOF3 8-bit 1 x 2, 1 component
    0xff,
    0xc4,
    0x00,
    0x15,
    0x00,
    2,
    ...new Array<number>(15).fill(0),
    0x00,
    0x01, // DHT: two 1-bit codes
    0xff,
    0xda,
    0x00,
    0x08,
    0x01,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00, // SOS predictor 1
    ...entropy,
    ...tail,
  ]);
}

describe('readJpegCodestream', () => {
  it('reads the frame header and scans of a real stream (SC_rgb_jpeg_gdcm: 100 x 100 RGB, SOF3)', () => {
    const cs = readJpegCodestream(firstFrame('pydicom-test-files/SC_rgb_jpeg_gdcm.dcm'));
    expect(cs).toMatchObject({ sofMarker: 0xc3, precision: 8, rows: 100, columns: 100 });
    expect(cs.components).toHaveLength(3);
    expect(cs.scans).toHaveLength(1);
  });

  it.each([
    ['no SOI', new Uint8Array([0x00, 0x00, 0xff, 0xd9]), /does not start with SOI \(FFD8\) but with 0000/],
    ['no EOI', tinyLossless([0x7f], []), /without an EOI marker \(truncated\?\)/],
    [
      'a segment running past the end',
      tinyLossless([0x7f], [0xff, 0xfe, 0x00, 0x40]),
      /the COM segment at byte \d+ declares 64 bytes, past the end/,
    ],
    [
      'a second codestream after EOI',
      new Uint8Array([...tinyLossless(), ...tinyLossless()]),
      /follow EOI .*holding a second codestream/,
    ],
  ])('refuses %s', (_name, bytes, message) => {
    expect(() => readJpegCodestream(bytes)).toThrow(DicomDataError);
    expect(() => readJpegCodestream(bytes)).toThrow(message);
  });

  it('accepts 00 and FF padding after EOI (pydicom JPGExtended.dcm ends FFD9 FF)', () => {
    expect(readJpegCodestream(new Uint8Array([...tinyLossless(), 0x00, 0xff])).end).toBe(tinyLossless().length);
  });
});

describe('decodeJpegLosslessFrame', () => {
  it('decodes the hand-made stream to 128, 129', () => {
    expect(Array.from(decodeJpegLosslessFrame(tinyLossless()).samples)).toEqual([128, 129]);
  });

  it('refuses data that ends before the last sample and whole bytes left over', () => {
    // Entropy 0x3F: bits 0 0 1 1 1 1 1 1 → diff 0, diff 0 then padding: a valid stream of 128, 128.
    expect(Array.from(decodeJpegLosslessFrame(tinyLossless([0x3f])).samples)).toEqual([128, 128]);
    // No entropy data at all: the first code needs a bit that is not there.
    expect(() => decodeJpegLosslessFrame(tinyLossless([]))).toThrow(/ends before the last sample/);
    // IJG's bit buffer reads up to 25 bits ahead: 4 spare bytes are more than it has buffered.
    expect(() => decodeJpegLosslessFrame(tinyLossless([0x7f, 0x00, 0x00, 0x00, 0x00]))).toThrow(
      /1 byte\(s\) of unused data after the last sample/,
    );
  });
});

describe('readJpeg2000Codestream', () => {
  it('reads SIZ and the tile-parts of real codestreams', () => {
    expect(readJpeg2000Codestream(firstFrame('pydicom-test-files/MR_small_jp2klossless.dcm'))).toMatchObject({
      columns: 64,
      rows: 64,
      components: 1,
      precision: [16],
      signed: [true],
      tiles: 1,
      tileParts: 1,
    });
    // GDCMJ2K_TextGBR.dcm: several tiles, each in its own tile-part (hand count from the SOT markers).
    const gbr = readJpeg2000Codestream(firstFrame('pydicom-test-files/GDCMJ2K_TextGBR.dcm'));
    expect(gbr.tiles).toBeGreaterThan(1);
    expect(gbr.tileParts).toBeGreaterThanOrEqual(gbr.tiles);
  });

  it('refuses truncation, a missing EOC and a damaged SIZ', () => {
    const cs = firstFrame('pydicom-test-files/MR_small_jp2klossless.dcm');
    expect(() => readJpeg2000Codestream(cs.subarray(0, 3000))).toThrow(
      /tile-part 1 \(tile 0\) declares 4190 bytes from byte 122, but the codestream ends \d+ bytes sooner \(truncated\?\)/,
    );
    expect(() => readJpeg2000Codestream(cs.subarray(0, cs.length - 2))).toThrow(/without EOC \(FFD9\)/);
    expect(() =>
      readJpeg2000Codestream(new Uint8Array([...cs.subarray(0, cs.length - 2), 0x12, 0x34, 0xff, 0xd9])),
    ).toThrow(/expected SOT \(FF90\) or EOC \(FFD9\)/);
    expect(() => readJpeg2000Codestream(cs.subarray(2))).toThrow(/does not start with SOC/);
  });
});
