import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { readSeg } from '../../../core/masks/readSeg';
import { listSeries, loadableSeriesFiles } from '../../../electron/db/repositories/dicomIndex';
import { sharedDataDir } from '../../../electron/platform/paths';
import { importFolder } from '../../../electron/services/dicomImport/importFolder';
import { loadSeriesVolume } from '../../../electron/services/dicom/loadSeriesVolume';
import { tempDatabases } from '../../helpers/tempDatabases';

const dicom = join(sharedDataDir, 'dicom');
const { freshDb } = tempDatabases();

/**
 * The series list (index, `seriesGrid`), the loaded volume (`buildVolume`) and SEG frames
 * (`stackFrames`) stack slices with one function (`stackSlices`), so they agree on spacing.
 */
describe('one slice stacking for the index, the volume and masks, on every series of ../shared/data', () => {
  it('gives every loadable series the same spacing in the series list as in its loaded volume', async () => {
    const db = await freshDb();
    await importFolder(db, dicom);
    const series = (await listSeries(db)).filter((s) => s.loadable && s.modality !== 'SEG');
    const compared: string[] = [];
    for (const s of series) {
      const label = `${s.modality} ${s.seriesNumber ?? ''} ${s.description}`;
      const { volume, warnings } = await loadSeriesVolume(await loadableSeriesFiles(db, s.seriesInstanceUid), label);
      expect(s.dims, label).toEqual(volume.dims);
      if (volume.dims[2] === 1) {
        // One slice: no spacing from positions; only the volume takes a declared one, and says so.
        expect(s.spacingMm, label).toBeNull();
        expect(warnings.join(' '), label).toMatch(/has a single slice/);
      } else {
        expect(s.spacingMm, label).toEqual(volume.spacingMm);
        compared.push(label);
      }
    }
    // The multi-slice series of the corpus: ct-3slice, the enhanced CT, the two dcmqi 3-slice
    // CTs and pydicom's contiguous CT2 series, at least.
    expect(compared.length).toBeGreaterThanOrEqual(4);
  });

  it('stacks the liver SEG onto the grid of the loaded ct-3slice volume, with or without that target', async () => {
    const db = await freshDb();
    await importFolder(db, join(dicom, 'dcmqi/segmentations/ct-3slice'));
    const [ct] = await listSeries(db);
    const { volume } = await loadSeriesVolume(await loadableSeriesFiles(db, ct!.seriesInstanceUid), 'ct-3slice');
    const liver = parseDicom(new Uint8Array(readFileSync(join(dicom, 'dcmqi/segmentations/liver.dcm'))));
    const grid = {
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      originMm: volume.originMm,
      direction: volume.direction,
    };
    // Loading a mask passes the CT's grid (loadMask): its spacing is taken as it is.
    const onTarget = readSeg(liver, { targetGrid: grid }).grid;
    expect(onTarget.dims).toEqual(volume.dims);
    expect(onTarget.spacingMm).toEqual(volume.spacingMm);
    expect(onTarget.direction).toEqual(volume.direction);
    // The SEG writes its positions with fewer digits (-235.2 for the CT's -235.199997).
    onTarget.originMm.forEach((v, i) => expect(v).toBeCloseTo(volume.originMm[i]!, 5));
    // On its own, the SEG's frames fit the smallest gap between them (1 − 7e-15 mm here; a
    // sparse SEG has no mean gap to take): the same grid within rounding.
    const own = readSeg(liver).grid;
    expect(own.dims).toEqual(volume.dims);
    expect(own.direction).toEqual(volume.direction);
    own.spacingMm.forEach((v, i) => expect(v).toBeCloseTo(volume.spacingMm[i]!, 9));
    expect(own.originMm).toEqual(onTarget.originMm);
    expect(ct!.spacingMm).toEqual(volume.spacingMm);
  });
});
