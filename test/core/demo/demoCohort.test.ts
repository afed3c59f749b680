import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  demoCohortGroundTruthPath,
  generateDemoCohort,
  streamDemoCohort,
  type DemoCohort,
} from '../../../core/demo/demoCohort';
import { demoCohortDesigns } from '../../../core/demo/demoCohortDesigns';
import type { DemoCohortPatientTruth, DemoLesionTruth } from '../../../core/demo/demoCohortGroundTruth';
import { demoPaintOps, lesionLabels, type Vec3 } from '../../../core/demo/demoPhantom';
import { rasterizePhantom } from '../../../core/demo/rasterizePhantom';
import { demoGridSizes, generateDemoStudy, type DemoFile } from '../../../core/demo/demoStudy';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { getString } from '../../../core/dicom/values';
import { assessResponse } from '../../../core/recist/assessResponse';
import { caliperLengthMm } from '../../../core/recist/caliper';
import { dayNumber } from '../../../core/studies/relativeDate';

/**
 * Independent measurements: test/fixtures/demo/check_demo_cohort.py read the 'small' cohort of
 * the default seed, written by `concord demo`, with pydicom 2.3.1, nibabel 5.0.0, numpy 1.24.2
 * and dcmdump 3.6.7 (every .dcm parsed, exit 0): identifying headers, liver and enhancing voxel
 * counts, and per lesion the longest run along x of voxels that look like lesion (or viable
 * tumour) on the three phases.
 */
interface CohortCheck {
  digest: string;
  files: number;
  dicomFiles: number;
  dcmdumpFailures: string[];
  patients: {
    patientId: string;
    headers: { patientName: string; patientId: string; birthDate: string; sex: string; institutionName: string };
    timepoints: {
      key: string;
      studyDate: string;
      accessionNumber: string;
      studyInstanceUid: string;
      seriesInstanceUids: string[];
      dims: number[];
      spacingMm: number[];
      precontrastGeometryEqual: boolean;
      segEqualsNifti: boolean;
      liverVoxels: number;
      enhancingVoxels: number;
      lesions: { id: string; extentMm: number; viableExtentMm: number; viableVoxelsInSphere: number }[];
    }[];
  }[];
}
const pythonCheck = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'demo', 'demo-cohort-small-seed1.check.json'), 'utf8'),
) as CohortCheck;

function digest(files: readonly DemoFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1)))
    h.update(`${f.path}\n${createHash('sha256').update(f.bytes).digest('hex')}\n`);
  return h.digest('hex');
}

let cohort: DemoCohort & { files: DemoFile[] };
let files: Map<string, Uint8Array>;
const patients = () => cohort.cohort.patients;
const header = (path: string) => parseDicom(files.get(path)!).dataset;

beforeAll(() => {
  cohort = generateDemoCohort({ size: 'small' });
  files = new Map(cohort.files.map((f) => [f.path, f.bytes]));
});

describe('generateDemoCohort: patients, files, identity', () => {
  it('starts with the demo study, byte for byte as generateDemoStudy writes it', () => {
    const study = generateDemoStudy({ size: 'small' });
    const head = cohort.files.slice(0, study.files.length);
    expect(head.map((f) => f.path)).toEqual(study.files.map((f) => f.path));
    head.forEach((f, n) => expect(Buffer.from(f.bytes).equals(Buffer.from(study.files[n]!.bytes)), f.path).toBe(true));
    expect(cohort.patients[0]).toEqual(study.groundTruth);
  });

  it('lays out four patients of two exams, each in its own folder with its ground truth, and cohort-ground-truth.json last', () => {
    const paths = cohort.files.map((f) => f.path);
    expect(paths).toHaveLength(4 * (2 * (3 * 72 + 2) + 1) + 1);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.at(-1)).toBe(demoCohortGroundTruthPath);
    expect(patients().map((p) => [p.patientId, p.folder, p.groundTruth])).toEqual([
      ['DEMO-0001', 'DEMO-0001', 'ground-truth.json'],
      ['DEMO-0002', 'DEMO-0002', 'DEMO-0002/ground-truth.json'],
      ['DEMO-0003', 'DEMO-0003', 'DEMO-0003/ground-truth.json'],
      ['DEMO-0004', 'DEMO-0004', 'DEMO-0004/ground-truth.json'],
    ]);
    patients().forEach((p, n) => {
      expect(paths.filter((path) => path.startsWith(`${p.folder}/`) && path.endsWith('.dcm'))).toHaveLength(
        2 * (3 * 72 + 1),
      );
      expect(p.timepoints.map((t) => t.key)).toEqual(['pre', 'post']);
      for (const tp of p.timepoints) {
        expect(tp.folder).toBe(`${p.folder}/${tp.studyDate}_${tp.key}`);
        for (const s of ['PRE', 'ART', 'PV'])
          expect(paths.filter((path) => path.startsWith(`${tp.folder}/${s}/`))).toHaveLength(72);
        expect(paths).toContain(`${tp.folder}/SEG/IM0001.dcm`);
        expect(paths).toContain(`${tp.folder}/liver_mask_arterial.nii.gz`);
      }
      expect(JSON.parse(Buffer.from(files.get(p.groundTruth)!).toString('ascii'))).toEqual(
        JSON.parse(JSON.stringify(cohort.patients[n])),
      );
      expect(cohort.patients[n]!.patientId).toBe(p.patientId);
    });
    expect(JSON.parse(Buffer.from(files.get(demoCohortGroundTruthPath)!).toString('ascii'))).toEqual(
      JSON.parse(JSON.stringify(cohort.cohort)),
    );
  });

  it('gives the bytes the Python check read, every DICOM file accepted by dcmdump', () => {
    expect(digest(cohort.files)).toBe(pythonCheck.digest);
    expect(pythonCheck.files).toBe(cohort.files.length);
    expect(pythonCheck.dicomFiles).toBe(4 * 2 * (3 * 72 + 1));
    expect(pythonCheck.dcmdumpFailures).toEqual([]);
  });

  it('gives every patient their own name, ID, birth date, exam dates, accession numbers and UIDs', () => {
    const exams = patients().flatMap((p) =>
      p.timepoints.map((tp) => ({ p, tp, ds: header(`${tp.folder}/ART/IM0001.dcm`) })),
    );
    const identity = patients().map((p) => {
      const ds = header(`${p.timepoints[0]!.folder}/PV/IM0036.dcm`);
      return [T.PatientName, T.PatientID, T.PatientBirthDate, T.PatientSex].map((t) => getString(ds, t));
    });
    expect(identity).toEqual([
      ['DEMO^PATIENT', 'DEMO-0001', '19580314', 'F'],
      ['DEMO^SECOND', 'DEMO-0002', '19490722', 'M'],
      ['DEMO^THIRD', 'DEMO-0003', '19621103', 'F'],
      ['DEMO^QUARTUS', 'DEMO-0004', '19550217', 'M'],
    ]);
    for (const column of [0, 1, 2]) expect(new Set(identity.map((row) => row[column])).size).toBe(4);
    // Every exam: its own date, accession number, study and frame-of-reference UID.
    for (const tag of [T.StudyDate, T.AccessionNumber, T.StudyInstanceUID, T.FrameOfReferenceUID, T.StudyID]) {
      expect(new Set(exams.map((e) => getString(e.ds, tag))).size, String(tag)).toBe(8);
    }
    for (const { p, tp, ds } of exams) {
      expect(getString(ds, T.PatientID)).toBe(p.patientId);
      expect(getString(ds, T.StudyDate)).toBe(tp.studyDate.replaceAll('-', ''));
      expect(getString(ds, T.AccessionNumber)).toBe(tp.accessionNumber);
      expect(getString(ds, T.StudyInstanceUID)).toBe(tp.studyInstanceUid);
      expect(getString(ds, T.SeriesInstanceUID)).toBe(tp.arterialSeriesInstanceUid);
    }
    // Every SOP instance and series UID of the cohort is unique.
    const sop = new Set<string>();
    const seriesUids = new Set<string>();
    for (const f of cohort.files) {
      if (!f.path.endsWith('.dcm')) continue;
      const ds = parseDicom(f.bytes).dataset;
      sop.add(getString(ds, T.SOPInstanceUID)!);
      seriesUids.add(getString(ds, T.SeriesInstanceUID)!);
    }
    expect(sop.size).toBe(4 * 2 * (3 * 72 + 1));
    expect(seriesUids.size).toBe(4 * 2 * 4);
    // The Python reading of the headers agrees.
    expect(
      pythonCheck.patients.map((p) => [p.headers.patientName, p.headers.patientId, p.headers.birthDate, p.headers.sex]),
    ).toEqual(identity);
    expect(
      pythonCheck.patients.flatMap((p) =>
        p.timepoints.map((t) => [t.studyDate, t.accessionNumber, t.studyInstanceUid]),
      ),
    ).toEqual(exams.map((e) => [e.tp.studyDate.replaceAll('-', ''), e.tp.accessionNumber, e.tp.studyInstanceUid]));
    expect(new Set(pythonCheck.patients.map((p) => p.headers.institutionName))).toEqual(
      new Set(['Concord Demo Hospital']),
    );
  });

  it('follows each baseline 5 to 10 weeks later, after DEMO-0001, whose exams and name sort first', () => {
    const [first, ...others] = patients();
    const weeks = patients().map(
      (p) => (dayNumber(p.timepoints[1]!.studyDate) - dayNumber(p.timepoints[0]!.studyDate)) / 7,
    );
    expect(weeks).toEqual([6, 7, 5, 9]);
    for (const p of others) {
      expect(dayNumber(p.timepoints[0]!.studyDate)).toBeGreaterThan(dayNumber(first!.timepoints[1]!.studyDate));
      expect(p.patientName > first!.patientName).toBe(true);
    }
  });

  it('writes the extra patients on the small grid; the size option only sizes DEMO-0001', () => {
    const g = demoGridSizes.small;
    for (const truth of cohort.patients) {
      expect(truth.size).toBe('small');
      for (const tp of truth.timepoints) expect(tp.grid.dims).toEqual([g.matrix, g.matrix, g.slices]);
    }
    expect(demoCohortDesigns.map((d) => d.grid)).toEqual(['requested', 'small', 'small', 'small']);
    expect(pythonCheck.patients.flatMap((p) => p.timepoints.map((t) => t.dims))).toEqual(
      Array.from({ length: 8 }, () => [g.matrix, g.matrix, g.slices]),
    );
  });

  it('rejects a bad seed or size', () => {
    expect(() => streamDemoCohort({ seed: 1.5 }, () => {})).toThrow(RangeError);
    expect(() => streamDemoCohort({ size: 'huge' as 'small' }, () => {})).toThrow(RangeError);
  });
});

describe('generateDemoCohort: LETB ground truth of every patient', () => {
  it('counts the liver and enhancing voxels the Python check counts over the files', () => {
    cohort.patients.forEach((truth, n) => {
      const py = pythonCheck.patients[n]!;
      expect(py.patientId).toBe(truth.patientId);
      truth.timepoints.forEach((tp, t) => {
        const pt = py.timepoints[t]!;
        expect([pt.liverVoxels, pt.enhancingVoxels], `${truth.patientId} ${tp.key}`).toEqual([
          tp.liverVoxels,
          tp.enhancingVoxels,
        ]);
        expect(pt).toMatchObject({ segEqualsNifti: true, precontrastGeometryEqual: true });
        expect(new Set(pt.seriesInstanceUids)).toEqual(new Set(tp.series.map((s) => s.seriesInstanceUid)));
      });
    });
  });

  it('moves LETB with the designed viable tumour: down for the responders, up for the progressor', () => {
    const change = cohort.patients.map((p) => p.letbChangePercent);
    expect(change[0]).toBeLessThan(-25.8); // DEMO-0001, as before
    expect(change[1]).toBeLessThan(-25.8);
    expect(change[2]).toBeGreaterThan(10);
    expect(change[3]).toBeLessThan(-25.8);
    cohort.patients.forEach((p, n) => expect(patients()[n]!.letbChangePercent).toBe(p.letbChangePercent));
  });
});

/**
 * Longest run of consecutive voxels along x (i) with a label in `accept`, over every row and slice, × the
 * pixel size.
 */
function longestRunMm(labels: Uint8Array, dims: number[], pixelMm: number, accept: Set<number>): number {
  const [nx, ny, nz] = dims as [number, number, number];
  let best = 0;
  for (let row = 0; row < ny * nz; row++) {
    let run = 0;
    for (let i = 0; i < nx; i++) {
      run = accept.has(labels[row * nx + i]!) ? run + 1 : 0;
      if (run > best) best = run;
    }
  }
  return best * pixelMm;
}

describe('generateDemoCohort: lesion diameters match the voxels', () => {
  const lesionRows = () =>
    patients().flatMap((p, n) =>
      p.timepoints.flatMap((tp, t) => tp.lesions.map((lesion, index) => ({ p, n, t, tp, lesion, index }))),
    );

  it('states diameters that the rasterised phantom shows along x within one voxel', () => {
    const rows = lesionRows();
    expect(rows).toHaveLength(12 + 6 + 7 + 6);
    for (const [n, p] of patients().entries()) {
      for (const [t, tp] of p.timepoints.entries()) {
        const truth = cohort.patients[n]!.timepoints[t]!;
        const design = demoCohortDesigns[n]!.design.timepoints[t]!;
        const g = truth.grid;
        const labels = rasterizePhantom(
          demoPaintOps(design.lesions),
          { dims: g.dims, spacingMm: g.spacingMm, originMm: g.originMm },
          truth.anatomyOffsetMm,
        ).voxels;
        tp.lesions.forEach((lesion, index) => {
          const own = lesionLabels(index);
          const whole = longestRunMm(labels, g.dims, g.spacingMm[0], new Set([own.viable, own.necrotic, own.lipiodol]));
          const viable = longestRunMm(labels, g.dims, g.spacingMm[0], new Set([own.viable]));
          const name = `${p.patientId} ${tp.key} ${lesion.id}`;
          expect(Math.abs(whole - lesion.longestDiameterMm), name).toBeLessThanOrEqual(g.spacingMm[0]);
          expect(Math.abs(viable - lesion.viableLongestDiameterMm), name).toBeLessThanOrEqual(g.spacingMm[0]);
        });
      }
    }
  });

  it('states diameters that the images show (Python check) within one voxel, and no viable voxel where nothing enhances', () => {
    for (const { p, n, t, tp, lesion } of lesionRows()) {
      const measured = pythonCheck.patients[n]!.timepoints[t]!.lesions.find((l) => l.id === lesion.id)!;
      const pixelMm = cohort.patients[n]!.timepoints[t]!.grid.spacingMm[0];
      const name = `${p.patientId} ${tp.key} ${lesion.id}`;
      expect(Math.abs(measured.extentMm - lesion.longestDiameterMm), name).toBeLessThanOrEqual(pixelMm);
      expect(Math.abs(measured.viableExtentMm - lesion.viableLongestDiameterMm), name).toBeLessThanOrEqual(pixelMm);
      expect(measured.viableVoxelsInSphere === 0, name).toBe(lesion.viablePattern === 'none');
    }
  });

  it('puts the calipers at the truth: lengths equal the diameters, centres of DEMO-0002…0004 on voxel centres', () => {
    for (const { p, n, t, lesion } of lesionRows()) {
      const name = `${p.patientId} ${lesion.id}`;
      const [a, b] = lesion.longestCaliperLpsMm;
      expect(caliperLengthMm(a, b), name).toBeCloseTo(lesion.longestDiameterMm, 9);
      expect(
        a.map((v, c) => (v + b[c]!) / 2),
        name,
      ).toEqual(lesion.centreLpsMm.map((v) => expect.closeTo(v, 9)));
      if (lesion.viableCaliperLpsMm) {
        expect(caliperLengthMm(...lesion.viableCaliperLpsMm), name).toBeCloseTo(lesion.viableLongestDiameterMm, 9);
        // Both ends inside the lesion (an axial segment of the sphere).
        for (const end of lesion.viableCaliperLpsMm)
          expect(distance(end, lesion.centreLpsMm), name).toBeLessThanOrEqual(lesion.longestDiameterMm / 2 + 1e-9);
      } else {
        expect(lesion.viableLongestDiameterMm, name).toBe(0);
      }
      if (n === 0) continue;
      const g = cohort.patients[n]!.timepoints[t]!.grid;
      const ijk = lesion.centreLpsMm.map((v, c) => (v - g.originMm[c]!) / g.spacingMm[c]!);
      for (const v of ijk) expect(Math.abs(v - Math.round(v)), name).toBeLessThan(1e-6);
    }
  });
});

/** Target diameters per timepoint, in target order; a target missing at follow-up has disappeared (0 mm). */
function targetDiameters(p: DemoCohortPatientTruth, measure: (l: DemoLesionTruth) => number): number[][] {
  return p.timepoints.map((tp) =>
    p.response.targetIds.map((id) => {
      const lesion = tp.lesions.find((l) => l.id === id);
      return lesion ? measure(lesion) : 0;
    }),
  );
}

describe('generateDemoCohort: expected RECIST 1.1 and mRECIST responses', () => {
  // Hand sums from the designs (core/demo/demoCohortDesigns.ts):
  // DEMO-0001 L1 + L4: 64 + 26 = 90 → 60 + 28 = 88 (−2.2 %); viable 2√(32² − 10²) + 26 = 86.79 → 2√(30² −
  // 24²) + 28 = 64 (−26.3 %)
  // DEMO-0002 L1 + L2: 48 + 30 = 78 → 30 + 18 = 48 (−38.5 %); solid, viable the same
  // DEMO-0003 L1 + L2: 40 + 24 = 64 → 50 + 30 = 80 (+25 %, +16 mm), new L4; solid
  // DEMO-0004 L1 + L2: 44 + 28 = 72 → 44 + 28 = 72 (0 %); viable 72 → 12 + 0 = 12 (−83.3 %)
  it.each([
    ['DEMO-0001', [90, 88], [86.7947, 64], 'SD', 'SD', 'non-CR/non-PD', false],
    ['DEMO-0002', [78, 48], [78, 48], 'PR', 'PR', 'non-CR/non-PD', false],
    ['DEMO-0003', [64, 80], [64, 80], 'PD', 'PD', 'non-CR/non-PD', true],
    ['DEMO-0004', [72, 72], [72, 12], 'SD', 'PR', 'non-CR/non-PD', false],
  ] as const)(
    '%s: sums %j (RECIST), %j (mRECIST) → %s / %s',
    (id, recistSums, mrecistSums, recist, mrecist, nonTarget, newLesion) => {
      const p = patients().find((x) => x.patientId === id)!;
      expect([p.response.recist.baselineSumMm, p.response.recist.followUpSumMm]).toEqual(recistSums);
      expect(p.response.mrecist.baselineSumMm).toBeCloseTo(mrecistSums[0], 3);
      expect(p.response.mrecist.followUpSumMm).toBeCloseTo(mrecistSums[1], 3);
      expect(p.response.newLesion).toBe(newLesion);
      expect([p.response.recist.nonTarget, p.response.mrecist.nonTarget]).toEqual([nonTarget, nonTarget]);
      expect([p.response.recist.overallResponse, p.response.mrecist.overallResponse]).toEqual([recist, mrecist]);
      // core/recist on the stated diameters gives the stated categories.
      for (const criteria of ['recist', 'mrecist'] as const) {
        const measure =
          criteria === 'recist'
            ? (l: DemoLesionTruth) => l.longestDiameterMm
            : (l: DemoLesionTruth) => l.viableLongestDiameterMm;
        const stated = p.response[criteria];
        const a = assessResponse({
          criteria,
          timepointsMm: targetDiameters(p, measure),
          followUps: [{ nonTarget: stated.nonTarget, newLesion: p.response.newLesion }],
        });
        // core/recist decides on whole micrometres.
        expect(a.baselineSumMm).toBeCloseTo(stated.baselineSumMm, 3);
        expect(a.followUps[0]!.sumMm).toBeCloseTo(stated.followUpSumMm, 3);
        expect([a.followUps[0]!.targetResponse, a.followUps[0]!.overallResponse], `${id} ${criteria}`).toEqual([
          stated.targetResponse,
          stated.overallResponse,
        ]);
        expect(stated.changePercent).toBeCloseTo(
          ((stated.followUpSumMm - stated.baselineSumMm) / stated.baselineSumMm) * 100,
          9,
        );
      }
    },
  );

  it('differs between the patients as designed: a partial responder, a progressor, mRECIST response with RECIST SD', () => {
    const [, second, third, fourth] = patients() as [
      DemoCohortPatientTruth,
      DemoCohortPatientTruth,
      DemoCohortPatientTruth,
      DemoCohortPatientTruth,
    ];
    expect(second.response.recist.changePercent).toBeLessThanOrEqual(-30);
    expect(third.response.recist.changePercent).toBeGreaterThanOrEqual(20);
    expect(third.response.recist.changeMm).toBeGreaterThanOrEqual(5);
    expect(
      third.timepoints[1]!.lesions.filter((l) => l.role === 'new').map((l) => [l.id, l.longestDiameterMm]),
    ).toEqual([['L4', 14]]);
    expect(Math.abs(fourth.response.recist.changePercent)).toBeLessThan(20);
    expect(fourth.response.mrecist.changePercent).toBeLessThanOrEqual(-30);
    expect(fourth.timepoints[1]!.lesions.map((l) => l.viablePattern)).toEqual(['nodule', 'none', 'solid']);
    expect(
      new Set(patients().map((p) => `${p.response.recist.overallResponse}/${p.response.mrecist.overallResponse}`)).size,
    ).toBe(4);
  });

  it('keeps DEMO-0001 stable by mRECIST also for a reader who measures its rims across the necrotic core', () => {
    const p = patients()[0]!;
    const a = assessResponse({
      criteria: 'mrecist',
      timepointsMm: targetDiameters(p, (l) => (l.viableLongestDiameterMm > 0 ? l.longestDiameterMm : 0)),
      followUps: [{ nonTarget: 'non-CR/non-PD' }],
    });
    expect(a.followUps[0]!.overallResponse).toBe('SD');
  });
});

function distance(a: readonly number[], b: Vec3): number {
  return Math.hypot(a[0]! - b[0], a[1]! - b[1], a[2]! - b[2]);
}
