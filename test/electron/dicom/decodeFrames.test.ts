import { describe, expect, it } from 'vitest';
import { transferSyntaxInfo, TS } from '../../../core/dicom/transferSyntax';
import { AppException } from '../../../core/ipc/result';
import { decodeFrames } from '../../../electron/services/dicom/decodeFrame';
import { expectedSummary, parseShared, reference, summarize } from '../../fixtures/dicom/sharedData';

async function decodeShared(rel: string) {
  return decodeFrames(parseShared(rel));
}

/** Largest absolute difference between two equally long frame lists. */
function maxAbsDiff(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let max = 0;
  a.forEach((frame, f) => {
    for (let i = 0; i < frame.length; i++) max = Math.max(max, Math.abs(frame[i]! - b[f]![i]!));
  });
  return max;
}

describe('decodeFrames: every MR_small encoding gives the pixels pydicom reads from MR_small.dcm', () => {
  const mr = reference('pydicom-test-files/MR_small.dcm');
  it.each([
    ['MR_small.dcm', 'Explicit VR Little Endian'],
    ['MR_small_implicit.dcm', 'Implicit VR Little Endian'],
    ['MR_small_bigendian.dcm', 'Explicit VR Big Endian'],
    ['MR_small_expb.dcm', 'Explicit VR Big Endian'],
    ['MR_small_RLE.dcm', 'RLE Lossless'],
    ['MR_small_jpeg_ls_lossless.dcm', 'JPEG-LS Lossless'],
    ['MR_small_jp2klossless.dcm', 'JPEG 2000 Lossless'],
  ])('%s (%s)', async (file, syntax) => {
    const parsed = parseShared(`pydicom-test-files/${file}`);
    expect(parsed.transferSyntax.name).toBe(syntax);
    const { info, frames } = await decodeFrames(parsed);
    expect(frames[0]).toBeInstanceOf(Int16Array);
    expect(info).toMatchObject({ rows: 64, columns: 64, pixelRepresentation: 1 });
    expect(summarize(frames, mr)).toEqual(expectedSummary(mr));
  });

  it('agrees with the codec-specific independent decodes too (dcmdjpls, Pillow/OpenJPEG)', () => {
    expect(reference('pydicom-test-files/MR_small_jpeg_ls_lossless.dcm').sha256).toBe(mr.sha256);
    expect(reference('pydicom-test-files/MR_small_jp2klossless.dcm').sha256).toBe(mr.sha256);
  });
});

describe('decodeFrames against independent decodes of each codec', () => {
  // Each reference names its tool in pixelReferences.json: dcmdjpeg for JPEG, Pillow (OpenJPEG)
  // via pydicom for JPEG 2000, pydicom's RLE and numpy handlers otherwise.
  it.each([
    'pydicom-test-files/SC_rgb_jpeg_gdcm.dcm', // JPEG Lossless SV1 (1.2.840.10008.1.2.4.70), RGB 8-bit
    'pydicom-test-files/SC_rgb_gdcm_KY.dcm', // JPEG 2000, RGB: samples come back pixel-interleaved
    'pydicom-test-files/J2K_pixelrep_mismatch.dcm', // 13-bit unsigned J2K in a signed data set: sign-extended
    'pydicom-test-files/SC_rgb_rle_32bit_2frame.dcm',
    'pydicom-data/eCT_Supplemental.dcm',
    'pydicom-data/liver_deflate.dcm', // Deflated Image Frame Compression
    'pydicom-test-files/image_dfl.dcm', // deflated data set
    'dcmqi/segmentations/ct-3slice/03.dcm',
  ])('%s', async (rel) => {
    const { frames } = await decodeShared(rel);
    expect(summarize(frames, reference(rel))).toEqual(expectedSummary(reference(rel)));
  });

  it('decodes 8-bit JPEG baseline (YBR_FULL) to the RGB dcmdjpeg gives, within ±2', async () => {
    // libjpeg-turbo (ours) and dcmtk's IJG-based decoder may round the colour conversion and
    // IDCT differently; both convert YCbCr to RGB.
    const rel = 'pydicom-test-files/SC_rgb_jpeg_dcmtk.dcm';
    const ref = reference(rel);
    const { info, frames } = await decodeShared(rel);
    expect(info.photometricInterpretation).toBe('RGB');
    for (const [f, r, c, s, value] of ref.values) {
      expect(Math.abs(frames[f]![(r * ref.columns + c) * 3 + s]! - value)).toBeLessThanOrEqual(2);
    }
    const sum = Array.from(frames[0]!).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - ref.sum) / (ref.rows * ref.columns * 3)).toBeLessThan(0.5);
  });

  it('decodes lossy JPEG 2000 (693_J2KI) within tolerance of its uncompressed original (693_UNCI)', async () => {
    // Pillow/OpenJPEG measured max |J2KI − UNCI| = 0 for this file (makeReferences.py); allow ±2
    // for a different OpenJPEG build, and check the Pillow decode itself the same way.
    const lossy = reference('pydicom-test-files/693_J2KI.dcm');
    expect(lossy.versusUncompressed).toEqual({ file: 'pydicom-data/693_UNCI.dcm', maxAbsDiff: 0, meanAbsDiff: 0 });
    const j2k = await decodeShared('pydicom-test-files/693_J2KI.dcm');
    const unc = await decodeShared('pydicom-data/693_UNCI.dcm');
    expect(j2k.frames[0]).toBeInstanceOf(Int16Array);
    expect(maxAbsDiff(j2k.frames, unc.frames)).toBeLessThanOrEqual(2);
    for (const [f, r, c, s, value] of lossy.values)
      expect(
        Math.abs(j2k.frames[f]![(r * lossy.columns + c) * lossy.samplesPerPixel + s]! - value),
      ).toBeLessThanOrEqual(2);
    expect(summarize(unc.frames, reference('pydicom-data/693_UNCI.dcm'))).toEqual(
      expectedSummary(reference('pydicom-data/693_UNCI.dcm')),
    );
  });
});

describe('decodeFrames errors', () => {
  it('refuses 12-bit JPEG (JPGExtended.dcm) with a clear DICOM error', async () => {
    const err = await decodeShared('pydicom-test-files/JPGExtended.dcm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppException);
    expect(err).toMatchObject({
      code: 'DICOM',
      message:
        'Frame 1 of 1 (JPEG Extended (Process 2 & 4)): JPEG with 12-bit precision (JPEG Extended, process 4) is not supported: convert the series to an uncompressed or lossless transfer syntax and import it again.',
    });
  });

  it('names an unsupported transfer syntax', async () => {
    // The same J2K data labelled HTJ2K, a syntax Concord knows but has no tested decoder for.
    const parsed = {
      ...parseShared('pydicom-test-files/MR_small_jp2klossless.dcm'),
      transferSyntax: transferSyntaxInfo(TS.HTJ2KLossless)!,
    };
    await expect(decodeFrames(parsed)).rejects.toMatchObject({
      code: 'DICOM',
      message: expect.stringMatching(
        /^Transfer syntax HTJ2K Lossless \(1\.2\.840\.10008\.1\.2\.4\.201\) is not supported/,
      ),
    });
  });

  it('reports a codestream whose structure is broken, naming the frame', async () => {
    // JPEG2000-embedded-sequence-delimiter.dcm: 4 bytes of SIZ overwritten with FFFE E0DD (pydicom #1140)
    await expect(decodeShared('pydicom-test-files/JPEG2000-embedded-sequence-delimiter.dcm')).rejects.toMatchObject({
      code: 'DICOM',
      message:
        'Frame 1 of 1 (JPEG 2000): JPEG 2000 codestream: SIZ declares 14540801 tiles; a codestream holds at most 65,535.',
    });
  });

  it('turns core pixel-data errors into DICOM AppExceptions', async () => {
    await expect(decodeShared('pydicom-test-files/SC_ybr_full_422_uncompressed.dcm')).rejects.toMatchObject({
      code: 'DICOM',
      message: 'Uncompressed YBR_FULL_422 (chroma-subsampled) pixel data is not supported.',
    });
  });
});
