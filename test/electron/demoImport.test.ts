import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { recognizePhases } from '../../core/phases/recognizePhases';
import type { SeriesSummary, VolumePayload } from '../../core/ipc/contract';
import { ijkToLps, lpsToIjk, voxelAt } from '../../core/imaging/coordinates';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import type { DemoCohortGroundTruth } from '../../core/demo/demoCohortGroundTruth';
import { makeTempDir } from '../helpers/tempDir';

let temp: ReturnType<typeof makeTempDir>;
let services: Services;
let series: SeriesSummary[];
let truth: DemoGroundTruth;
let cohort: DemoCohortGroundTruth;

beforeAll(async () => {
  temp = makeTempDir();
  const demo = await writeDemoStudy(join(temp.path, 'demo'), { size: 'small' });
  truth = demo.truth;
  cohort = demo.cohort;
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
  await importFolder(services.context.db, demo.out);
  series = await listSeries(services.context.db);
}, 60_000);
afterAll(async () => {
  await services.close();
  temp.cleanup();
});

describe('the demo cohort, imported', () => {
  it('has four patients of two studies, each of three CT phases and a liver SEG, with every phase recognised', async () => {
    const ct = series.filter((s) => s.modality === 'CT');
    expect(ct).toHaveLength(4 * 2 * 3);
    expect(series.filter((s) => s.modality === 'SEG')).toHaveLength(4 * 2);
    const byStudy = new Map<string, string[]>();
    for (const s of ct) byStudy.set(s.studyInstanceUid, [...(byStudy.get(s.studyInstanceUid) ?? []), s.phase]);
    expect([...byStudy.values()].map((p) => p.sort())).toEqual(
      Array.from({ length: 8 }, () => ['arterial', 'portal_venous', 'precontrast']),
    );
    for (const s of ct) {
      expect(s.dims).toEqual([128, 128, 72]);
      expect(s.spacingMm).toEqual([3, 3, 2.5]);
      expect(s.phaseConfidence).toBeGreaterThanOrEqual(0.9);
    }
    const patients = await services.context.db.all<{ patient_id: string; patient_name: string; exams: number }>(
      'SELECT p.patient_id, p.patient_name, COUNT(*) AS exams FROM patients p JOIN studies st ON st.patient_ref = p.id GROUP BY p.id ORDER BY p.patient_id',
    );
    expect(patients.map((p) => [p.patient_id, p.patient_name, p.exams])).toEqual(
      cohort.patients.map((p) => [p.patientId, p.patientName, 2]),
    );
    // The series list starts with DEMO-0001's baseline, as before the cohort.
    expect(series[0]!.studyInstanceUid).toBe(truth.timepoints[0]!.studyInstanceUid);
  });

  it('still finds the phases from contrast timing when every description is renamed', async () => {
    const db = services.context.db;
    for (const studyUid of new Set(series.map((s) => s.studyInstanceUid))) {
      const rows = await db.all<{
        uid: string;
        modality: string;
        agent: string;
        start: string;
        acq: string;
        n: number;
      }>(
        `SELECT s.series_instance_uid AS uid, s.modality, MAX(i.contrast_agent) AS agent, MAX(i.contrast_start_time) AS start,
                MIN(i.acquisition_time) AS acq, COUNT(*) AS n
           FROM series s JOIN studies st ON st.id = s.study_ref JOIN instances i ON i.series_ref = s.id
          WHERE st.study_instance_uid = ? GROUP BY s.id`,
        [studyUid],
      );
      const renamed = recognizePhases(
        rows.map((r, k) => ({
          seriesInstanceUid: r.uid,
          modality: r.modality,
          description: `Series ${k + 1}`,
          imageType: ['ORIGINAL'],
          contrastAgent: r.agent,
          contrastStartTime: r.start,
          acquisitionTime: r.acq,
          images: r.n,
        })),
      );
      for (const g of renamed) {
        const original = series.find((s) => s.seriesInstanceUid === g.seriesInstanceUid)!;
        expect(g.phase, `${original.description} renamed`).toBe(original.phase);
      }
    }
  });

  it('loads the arterial phase as an HU volume with parenchyma at the designed HU', async () => {
    const arterial = series.find((s) => s.phase === 'arterial' && s.description === 'LIVER LATE ART 35s 2.5mm')!;
    const res = await services.dispatch('loadVolume', { seriesInstanceUid: arterial.seriesInstanceUid });
    expect(res.ok).toBe(true);
    const v = (res as { value: VolumePayload }).value;
    expect(v.dims).toEqual([128, 128, 72]);
    expect(v.voxels).toBeInstanceOf(Int16Array);
    expect(v.warnings).toEqual([]);
    // Mean HU in a 3x3x3 block around a suggested parenchyma ROI centre: liver 70 HU arterial (design), noise SD 10.
    const centre = truth.timepoints[0]!.roiCentresLpsMm[0]!;
    const ijk = lpsToIjk(v, centre).map(Math.round);
    let sum = 0;
    let n = 0;
    for (let dk = -1; dk <= 1; dk++)
      for (let dj = -1; dj <= 1; dj++)
        for (let di = -1; di <= 1; di++) {
          sum += voxelAt(v, [ijk[0]! + di, ijk[1]! + dj, ijk[2]! + dk])!;
          n++;
        }
    expect(sum / n).toBeGreaterThan(70 - 10);
    expect(sum / n).toBeLessThan(70 + 10);
    // The volume's geometry puts that voxel back at the same LPS point (within half a voxel).
    const back = ijkToLps(v, ijk);
    back.forEach((x, c) => expect(Math.abs(x - centre[c]!)).toBeLessThanOrEqual(v.spacingMm[c]! / 2 + 1e-9));
  });
});
