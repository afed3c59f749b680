import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import { loadSeriesVolume } from '../../electron/services/dicom/loadSeriesVolume';
import { readNifti } from '../../core/nifti/readNifti';
import { buildLetbField, countAbove, type LetbField } from '../../core/letb/letbField';
import { evaluatePlacement, timepointLetb } from '../../core/letb/evaluatePlacement';
import { letbChange } from '../../core/letb/letbChange';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import type { Volume } from '../../core/imaging/volume';
import { makeTempDir } from '../helpers/tempDir';

// The demo study's ground truth counts enhancing voxels over the voxel values it wrote, for a
// stated threshold; here the same numbers must come out of the DICOM files and NIfTI mask as
// Concord reads them (SPEC §2), within 0.1 percentage point.
let temp: ReturnType<typeof makeTempDir>;
let truth: DemoGroundTruth;
const fields: LetbField[] = [];

async function series(folder: string): Promise<Volume> {
  const files = readdirSync(folder).map((f) => join(folder, f));
  return (await loadSeriesVolume(files, folder)).volume;
}

beforeAll(async () => {
  temp = makeTempDir();
  const demo = await writeDemoStudy(join(temp.path, 'demo'), { size: 'small' });
  truth = demo.truth;
  for (const tp of truth.timepoints) {
    const root = join(demo.out, tp.folder);
    const mask = readNifti(new Uint8Array(readFileSync(join(demo.out, tp.liverMaskNifti)))).volume as Volume<Uint8Array>;
    fields.push(buildLetbField(await series(join(root, 'ART')), await series(join(root, 'PRE')), mask));
  }
}, 60_000);
afterAll(() => temp.cleanup());

describe('LETB on the demo study', () => {
  it('matches the ground truth liver volume, enhancing volume and LETB at the stated threshold', () => {
    truth.timepoints.forEach((tp, n) => {
      const field = fields[n]!;
      expect(field.resampledPrecontrast).toBe(false);
      expect(field.liverVoxels).toBe(tp.liverVoxels);
      expect(field.liverMl).toBeCloseTo(tp.liverMl, 6);
      const enhancing = countAbove(field, truth.thresholdHu);
      expect(enhancing).toBe(tp.enhancingVoxels);
      const letb = (enhancing / field.liverVoxels) * 100;
      expect(Math.abs(letb - tp.letbPercent)).toBeLessThan(0.1);
    });
  });

  it('finds ROI statistics close to the noise model and LETB close to the truth with three 1 mL ROIs', () => {
    truth.timepoints.forEach((tp, n) => {
      const placements = tp.roiCentresLpsMm.map((c) => evaluatePlacement(fields[n]!, { centerLps: c, volumeMl: 1, shape: 'sphere' }));
      for (const p of placements) {
        expect(p.flags).toMatchObject({ leavesImage: false, leavesLiver: false });
        // 1 mL at 3 x 3 x 2.5 mm holds ~44 voxels: the mean is within ~3 SE of 15 HU, the SD within ~30 % of 14.15.
        expect(Math.abs(p.meanHu - truth.expectedRoiSubtraction.meanHu)).toBeLessThan(7);
        expect(Math.abs(p.sdHu / truth.expectedRoiSubtraction.sdHu - 1)).toBeLessThan(0.35);
      }
      // The ROI thresholds scatter around the stated one, so the mean LETB is near the truth.
      expect(Math.abs(timepointLetb(placements) - tp.letbPercent)).toBeLessThan(2);
    });
  });

  it('reports the demo as a responder at both default thresholds', () => {
    const [pre, post] = truth.timepoints;
    const change = letbChange(pre!.letbPercent, post!.letbPercent);
    expect(change.estimable && change.changePercent).toBeCloseTo(truth.letbChangePercent, 9);
    expect(change.estimable && change.responders.every((r) => r.responder)).toBe(true);
  });
});
