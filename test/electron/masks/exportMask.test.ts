import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { getString } from '../../../core/dicom/values';
import type { Volume } from '../../../core/imaging/volume';
import { loadSeriesVolume } from '../../../electron/services/dicom/loadSeriesVolume';
import { exportMask } from '../../../electron/services/masks/exportMask';
import { loadMask } from '../../../electron/services/masks/loadMask';
import { maskReferences, sharedDicom, appFailure } from '../../fixtures/masks/maskFixtures';
import { makeTempDir } from '../../helpers/tempDir';

const ctFiles = maskReferences.grids['ct-3slice']!.files.map(sharedDicom);
let ct: Volume;
let liver: Volume<Uint8Array>;
const dir = makeTempDir();

beforeAll(async () => {
  ct = (await loadSeriesVolume(ctFiles, 'ct-3slice')).volume;
  liver = (await loadMask(sharedDicom('dcmqi/segmentations/liver.dcm'), ct)).mask;
});
afterAll(() => dir.cleanup());

describe('exportMask', () => {
  it('writes a SEG that references the CT and reads back voxel for voxel', async () => {
    const out = join(dir.path, 'liver.seg.dcm');
    const written = await exportMask(liver, { ctFilePaths: ctFiles }, out, 'seg', {
      now: new Date(2024, 0, 31, 10, 15, 0),
      seriesDescription: 'Liver (reader 1)',
    });
    const bytes = readFileSync(out);
    expect(written).toEqual({
      path: out,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    const ds = parseDicom(new Uint8Array(bytes)).dataset;
    expect(getString(ds, T.ContentDate)).toBe('20240131');
    expect(getString(ds, T.ContentTime)).toBe('101500');
    expect(getString(ds, T.SeriesDescription)).toBe('Liver (reader 1)');
    expect(getString(ds, T.SoftwareVersions)).toBe('0.1.0');
    expect(getString(ds, T.SOPInstanceUID)).toMatch(/^2\.25\.\d+$/);
    expect(getString(ds, T.StudyInstanceUID)).toBe('1.2.392.200103.20080913.113635.0.2009.6.22.21.43.10.22941.1');
    const back = await loadMask(out, ct);
    expect(back).toMatchObject({ source: 'seg', segmentLabel: 'Liver', voxels: 107_098, resampled: false });
    expect(Buffer.from(back.mask.voxels).equals(Buffer.from(liver.voxels))).toBe(true);
  });

  it('writes a NIfTI that reads back voxel for voxel, and a tumour SEG labelled as such', async () => {
    const nii = join(dir.path, 'liver.nii.gz');
    await exportMask(liver, undefined, nii, 'nifti');
    const back = await loadMask(nii, ct);
    expect(back).toMatchObject({ source: 'nifti', voxels: 107_098, resampled: false });
    expect(Buffer.from(back.mask.voxels).equals(Buffer.from(liver.voxels))).toBe(true);

    const tumour = join(dir.path, 'tumour.seg.dcm');
    await exportMask(liver, { ctFilePaths: ctFiles }, tumour, 'seg', { segment: 'tumour' });
    expect(await loadMask(tumour, ct, { segment: 'Neoplasm' })).toMatchObject({
      segmentLabel: 'Tumour',
      voxels: 107_098,
    });
  });

  it.each([
    [
      'a SEG without the CT files',
      () => exportMask(liver, undefined, join(dir.path, 'a.dcm'), 'seg'),
      /needs the CT series files/,
    ],
    [
      'an empty mask',
      () =>
        exportMask(
          { ...liver, voxels: new Uint8Array(liver.voxels.length) },
          { ctFilePaths: ctFiles },
          join(dir.path, 'b.dcm'),
          'seg',
        ),
      /empty/,
    ],
    [
      'CT files of another grid',
      () => exportMask(liver, { ctFilePaths: ctFiles.slice(0, 2) }, join(dir.path, 'c.dcm'), 'seg'),
      /do not match the mask grid: no slice lies at k = /,
    ],
  ])('answers INVALID_INPUT for %s and writes nothing', async (_what, run, message) => {
    const err = await appFailure(run());
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(message);
    expect(readdirSync(dir.path).filter((n) => /^[abc]\.dcm/.test(n))).toEqual([]);
  });

  it('answers IO for a folder that does not exist and leaves no temporary file', async () => {
    const err = await appFailure(exportMask(liver, undefined, join(dir.path, 'missing', 'liver.nii.gz'), 'nifti'));
    expect(err).toMatchObject({ code: 'IO', message: 'The mask cannot be written to liver.nii.gz (ENOENT).' });
    expect(existsSync(join(dir.path, 'missing'))).toBe(false);
  });
});
