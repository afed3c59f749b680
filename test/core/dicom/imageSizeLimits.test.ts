import { describe, expect, it } from 'vitest';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import {
  checkImageSize,
  checkVolumeSize,
  maxFrameSidePixels,
  maxImageBytes,
} from '../../../core/dicom/imageSizeLimits';
import { getPixelInfo } from '../../../core/dicom/pixelData';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../../../electron/platform/paths';

const gray16 = { rows: 512, columns: 512, samplesPerPixel: 1, bitsAllocated: 16, numberOfFrames: 1 };

describe('checkImageSize', () => {
  it('accepts the largest frame side and exactly 2 GiB', () => {
    expect(() => checkImageSize({ ...gray16, rows: maxFrameSidePixels, columns: maxFrameSidePixels })).not.toThrow();
    // 16384 · 16384 · 2 bytes · 4 frames = 2^31 bytes exactly (hand: 2^14 · 2^14 · 2 · 4 = 2^31)
    expect(() => checkImageSize({ ...gray16, rows: 16384, columns: 16384, numberOfFrames: 4 })).not.toThrow();
    expect(maxImageBytes).toBe(2 ** 31);
  });

  it.each([
    [
      { ...gray16, rows: 65535, columns: 65535 },
      'Rows 65535 x Columns 65535 is larger than the 16384 x 16384 pixels per frame that Concord decodes.',
    ],
    [
      { ...gray16, rows: 16385 },
      'Rows 16385 x Columns 512 is larger than the 16384 x 16384 pixels per frame that Concord decodes.',
    ],
    // 512 · 512 · 2 · 8193 = 4 295 491 584 bytes = 4.0 GiB (hand)
    [
      { ...gray16, numberOfFrames: 8193 },
      '8193 frame(s) of 512 x 512 x 1 sample(s) at 16 bits declare 4.0 GiB (4,295,491,584 bytes) of pixel data, more than the 2 GiB that Concord decodes per image.',
    ],
    // 1-bit frames decode to one byte a pixel: 16384² · 9 frames = 2.25 GiB
    [
      { rows: 16384, columns: 16384, samplesPerPixel: 1, bitsAllocated: 1, numberOfFrames: 9 },
      '9 frame(s) of 16384 x 16384 x 1 sample(s) at 1 bits declare 2.3 GiB (2,415,919,104 bytes) of pixel data, more than the 2 GiB that Concord decodes per image.',
    ],
  ])('refuses %o, saying what the header declared', (size, message) => {
    expect(() => checkImageSize(size)).toThrow(DicomDataError);
    expect(() => checkImageSize(size)).toThrow(expect.objectContaining({ kind: 'invalid-attribute', message }));
  });

  it('refuses a volume over 2 GiB before it is allocated', () => {
    expect(() => checkVolumeSize('Series "CT 1"', [512, 512, 4096], 2)).not.toThrow(); // exactly 2 GiB
    expect(() => checkVolumeSize('Series "CT 1"', [512, 512, 4097], 2)).toThrow(
      expect.objectContaining({
        message:
          'Series "CT 1": 512 x 512 x 4097 voxels at 2 byte(s) need 2.0 GiB (2,148,007,936 bytes), more than the 2 GiB that Concord loads per volume.',
      }),
    );
  });

  it('is applied by getPixelInfo (the committed RLE fixture with Rows = Columns = 65535)', () => {
    const bytes = new Uint8Array(
      readFileSync(join(projectRoot, 'test/fixtures/dicom/corrupt/mr-rle--rows-columns-65535.dcm')),
    );
    expect(() => getPixelInfo(parseDicom(bytes))).toThrow(/Rows 65535 x Columns 65535 is larger than/);
  });
});
