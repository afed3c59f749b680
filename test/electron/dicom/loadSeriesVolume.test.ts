import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TS } from '../../../core/dicom/transferSyntax';
import { AppException } from '../../../core/ipc/result';
import { loadSeriesVolume } from '../../../electron/services/dicom/loadSeriesVolume';
import { pixelReferences, sharedPath } from '../../fixtures/dicom/sharedData';
import { makeTempDir } from '../../helpers/tempDir';

/** The file with its (0002,0010) Transfer Syntax UID element replaced (explicit VR LE meta, PS3.10 §7.1). */
function withTransferSyntax(file: Uint8Array, uid: string): Uint8Array {
  const header = [0x02, 0x00, 0x10, 0x00, 0x55, 0x49]; // (0002,0010) UI
  const at = file.findIndex((_, i) => header.every((b, k) => file[i + k] === b));
  const oldLength = file[at + 6]! | (file[at + 7]! << 8);
  const value = uid.length % 2 === 0 ? uid : `${uid}\0`;
  const element = new Uint8Array([
    ...header,
    value.length & 0xff,
    value.length >>> 8,
    ...Array.from(value, (c) => c.charCodeAt(0)),
  ]);
  return new Uint8Array([...file.subarray(0, at), ...element, ...file.subarray(at + 8 + oldLength)]);
}

const ct = (n: string) => sharedPath(`dcmqi/segmentations/ct-3slice/${n}.dcm`);

describe('loadSeriesVolume', () => {
  it('loads ct-3slice into the volume numpy derives from the pydicom headers', async () => {
    const ref = pixelReferences.volumes['ct-3slice']!;
    const { volume, warnings } = await loadSeriesVolume([ct('02'), ct('01'), ct('03')], 'CT ct-3slice');
    expect(warnings).toEqual([]);
    expect(volume.dims).toEqual(ref.dims);
    volume.spacingMm.forEach((v, i) => expect(v).toBeCloseTo(ref.spacingMm[i]!, 6));
    volume.originMm.forEach((v, i) => expect(v).toBeCloseTo(ref.originMm[i]!, 6));
    expect(volume.direction).toEqual(ref.direction);
    expect(volume.voxels).toBeInstanceOf(Int16Array);
    const [ni, nj] = volume.dims;
    // HU = stored × 1 − 1024, from pydicom's pixel_array with the file's slope/intercept
    for (const [i, j, k, hu] of ref.voxelsHu) expect(volume.voxels[i + j * ni + k * ni * nj]).toBe(hu);
  });

  it('loads an enhanced multi-frame CT from one file', async () => {
    const ref = pixelReferences.volumes['eCT_Supplemental']!;
    const { volume } = await loadSeriesVolume([sharedPath('pydicom-data/eCT_Supplemental.dcm')], 'eCT');
    expect(volume.dims).toEqual(ref.dims);
    expect(volume.originMm).toEqual(ref.originMm);
    expect(volume.direction).toEqual(ref.direction);
    expect(volume.spacingMm).toEqual(ref.spacingMm);
  });

  it('names the series and the file when a file is broken', async () => {
    const err = await loadSeriesVolume([ct('01'), sharedPath('pydicom-test-files/MR_truncated.dcm')], 'MR 7').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppException);
    expect(err).toMatchObject({
      code: 'DICOM',
      message: expect.stringMatching(/^Series "MR 7": file MR_truncated\.dcm: The file ends at byte 9630/),
    });
  });

  it('names the series and the file for an unsupported transfer syntax', async () => {
    // A copy of MR_small_jp2klossless.dcm relabelled HTJ2K Lossless in its file meta.
    const dir = makeTempDir();
    try {
      const path = join(dir.path, 'relabelled.dcm');
      writeFileSync(
        path,
        withTransferSyntax(readFileSync(sharedPath('pydicom-test-files/MR_small_jp2klossless.dcm')), TS.HTJ2KLossless),
      );
      await expect(loadSeriesVolume([path], 'MR 4')).rejects.toMatchObject({
        code: 'DICOM',
        message: expect.stringMatching(
          /^Series "MR 4": file relabelled\.dcm: Transfer syntax HTJ2K Lossless \(1\.2\.840\.10008\.1\.2\.4\.201\) is not supported/,
        ),
      });
    } finally {
      dir.cleanup();
    }
  });

  it('names the series when its slices do not stack', async () => {
    await expect(
      loadSeriesVolume([ct('01'), sharedPath('pydicom-test-files/MR_small.dcm')], 'mixed'),
    ).rejects.toMatchObject({
      code: 'DICOM',
      message: 'Series "mixed": MR_small.dcm is 64x64 pixels but 01.dcm is 512x512.',
    });
    await expect(loadSeriesVolume([ct('01'), ct('01')], 'twice')).rejects.toMatchObject({
      code: 'DICOM',
      message: expect.stringMatching(/^Series "twice": 01\.dcm and 01\.dcm are both at/),
    });
    // Two slices have one gap, which is its own median: 01 and 03 stack 2 mm apart without complaint.
    await expect(loadSeriesVolume([ct('01'), ct('03')], 'pair')).resolves.toMatchObject({
      volume: { dims: [512, 512, 2], spacingMm: [0.810547, 0.810547, expect.closeTo(2, 6)] },
    });
  });

  it('reports a file that cannot be read as IO', async () => {
    await expect(loadSeriesVolume([sharedPath('no-such-file.dcm')], 'CT 1')).rejects.toMatchObject({
      code: 'IO',
      message: 'Series "CT 1": file no-such-file.dcm cannot be read (ENOENT).',
    });
  });
});
