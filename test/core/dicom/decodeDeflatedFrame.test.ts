import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeCoreFrame } from '../../../core/dicom/decodeCoreFrame';
import { decodeDeflatedFrame } from '../../../core/dicom/decodeDeflatedFrame';
import { getEncodedFrames, getPixelInfo, type PixelInfo } from '../../../core/dicom/pixelData';
import { expectedSummary, parseShared, reference, summarize } from '../../fixtures/dicom/sharedData';

const info: PixelInfo = {
  rows: 2,
  columns: 2,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 12,
  highBit: 11,
  pixelRepresentation: 1,
  photometricInterpretation: 'MONOCHROME2',
  planarConfiguration: 0,
  numberOfFrames: 1,
  floatingPoint: false,
};

describe('Deflated Image Frame Compression (1.2.840.10008.1.2.8.1)', () => {
  it('inflates liver_deflate.dcm to the independent zlib + numpy decode', () => {
    const rel = 'pydicom-data/liver_deflate.dcm';
    const parsed = parseShared(rel);
    const pixelInfo = getPixelInfo(parsed);
    const frames = getEncodedFrames(parsed, pixelInfo).map((f) =>
      decodeCoreFrame(f, pixelInfo, parsed.transferSyntax.uid),
    );
    expect(summarize(frames, reference(rel))).toEqual(expectedSummary(reference(rel)));
    // …which is also the uncompressed liver.dcm as pydicom decodes it.
    expect(reference(rel).sha256).toBe(reference('pydicom-data/liver.dcm').sha256);
  });

  it('applies Bits Stored and sign to the inflated cells', () => {
    // Cells 0x0FFF, 0x0800, 0x0001, 0xF7FF with 12 bits stored, signed → −1, −2048, 1, 2047
    const cells = new Uint8Array([0xff, 0x0f, 0x00, 0x08, 0x01, 0x00, 0xff, 0xf7]);
    expect(Array.from(decodeDeflatedFrame(deflateSync(cells), info))).toEqual([-1, -2048, 1, 2047]);
  });

  it('inflates no further than the frame: a 1 MiB bomb for 8 bytes of pixels is refused', () => {
    const bomb = deflateSync(new Uint8Array(1 << 20));
    expect(bomb.length).toBeLessThan(2000);
    expect(() => decodeDeflatedFrame(bomb, info)).toThrow(
      expect.objectContaining({
        kind: 'malformed-pixel-data',
        message: 'Deflated image frame inflates to more than the 8 bytes the frame needs.',
      }),
    );
    expect(() => decodeDeflatedFrame(deflateSync(new Uint8Array(6)), info)).toThrow(
      /needs 8 bytes but only 6 are present/,
    );
  });

  it('rejects data that is not a deflate stream', () => {
    expect(() => decodeDeflatedFrame(new Uint8Array([0xff, 0xff, 0xff, 0xff]), info)).toThrow(
      expect.objectContaining({ kind: 'malformed-pixel-data' }),
    );
  });
});
