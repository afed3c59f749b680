import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoGroundTruth, DemoTimepointTruth, DemoTumourTruth } from '../../../core/demo/demoGroundTruth';
import type { DemoPhase, Vec3 } from '../../../core/demo/demoPhantom';
import { demoGridSizes, generateDemoStudy, type DemoFile } from '../../../core/demo/demoStudy';
import { parseDicom, readU16, type DicomDataset } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { getBytes, getItems, getNumber, getNumbers, getString, getStrings } from '../../../core/dicom/values';
import { voxelVolumeMl } from '../../../core/imaging/volume';
import { readNifti } from '../../../core/nifti/readNifti';

/**
 * Independent recomputation: test/fixtures/demo/check_demo_study.py read the 'small' study of
 * the default seed, written by `concord demo`, with pydicom 2.3.1, nibabel 5.0.0, numpy 1.24.2
 * and dcmdump 3.6.7 (every .dcm parsed, exit 0), and counted mask and enhancing voxels itself.
 */
const pythonCheck = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'demo', 'demo-small-seed1.check.json'), 'utf8'),
) as {
  digest: string;
  files: number;
  dcmdumpFailures: string[];
  thresholdHu: number;
  timepoints: {
    key: string;
    liverVoxels: number;
    enhancingVoxels: number;
    segEqualsNifti: boolean;
    segSourcesAreArterial: boolean;
    precontrastGeometryEqual: boolean;
  }[];
};

interface Series {
  slices: DicomDataset[];
  /** HU, k increasing with z, i fastest. */
  hu: Int16Array;
  originMm: Vec3;
  spacingMm: Vec3;
  dims: [number, number, number];
}

/** Reads a CT series from the generated files with Concord's parser alone (no generator code). */
function readSeries(files: Map<string, Uint8Array>, folder: string): Series {
  const slices = [...files.entries()]
    .filter(([p]) => p.startsWith(`${folder}/`))
    .map(([, bytes]) => parseDicom(bytes).dataset)
    .sort((a, b) => getNumbers(a, T.ImagePositionPatient)![2]! - getNumbers(b, T.ImagePositionPatient)![2]!);
  const first = slices[0]!;
  const rows = getNumber(first, T.Rows)!;
  const cols = getNumber(first, T.Columns)!;
  const [rowMm, colMm] = getNumbers(first, T.PixelSpacing)!;
  const z = slices.map((s) => getNumbers(s, T.ImagePositionPatient)![2]!);
  const hu = new Int16Array(rows * cols * slices.length);
  slices.forEach((s, k) => {
    const px = getBytes(s, T.PixelData)!;
    const intercept = getNumber(s, T.RescaleIntercept)!;
    const slope = getNumber(s, T.RescaleSlope)!;
    for (let p = 0; p < rows * cols; p++)
      hu[k * rows * cols + p] = ((readU16(px, 2 * p, true) << 16) >> 16) * slope + intercept;
  });
  const origin = getNumbers(first, T.ImagePositionPatient)!;
  return {
    slices,
    hu,
    originMm: [origin[0]!, origin[1]!, origin[2]!],
    spacingMm: [colMm!, rowMm!, z[1]! - z[0]!],
    dims: [cols, rows, slices.length],
  };
}

/** Indices of voxels whose centre lies within radiusMm of centre (LPS), on an axial series grid. */
function sphereIndices(s: Series, centre: Vec3, radiusMm: number, minRadiusMm = -1): number[] {
  const out: number[] = [];
  const [nx, ny, nz] = s.dims;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const d = Math.hypot(
          s.originMm[0] + i * s.spacingMm[0] - centre[0],
          s.originMm[1] + j * s.spacingMm[1] - centre[1],
          s.originMm[2] + k * s.spacingMm[2] - centre[2],
        );
        if (d <= radiusMm && d > minRadiusMm) out.push(i + j * nx + k * nx * ny);
      }
    }
  }
  return out;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sd = (values: number[]) => {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
};

function digest(files: readonly DemoFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1)))
    h.update(`${f.path}\n${createHash('sha256').update(f.bytes).digest('hex')}\n`);
  return h.digest('hex');
}

let study: { files: DemoFile[]; groundTruth: DemoGroundTruth };
let files: Map<string, Uint8Array>;
const seriesCache = new Map<string, Series>();
const series = (folder: string) => {
  if (!seriesCache.has(folder)) seriesCache.set(folder, readSeries(files, folder));
  return seriesCache.get(folder)!;
};
const phaseFolder = (tp: DemoTimepointTruth, phase: DemoPhase) => tp.series.find((s) => s.phase === phase)!.folder;

beforeAll(() => {
  study = generateDemoStudy({ size: 'small' });
  files = new Map(study.files.map((f) => [f.path, f.bytes]));
});

describe('generateDemoStudy: size, layout, determinism', () => {
  it('lays out two timepoints of three CT series, a SEG and a NIfTI mask, and ground-truth.json', () => {
    const paths = study.files.map((f) => f.path);
    expect(paths).toHaveLength(2 * (3 * 72 + 2) + 1);
    expect(new Set(paths).size).toBe(paths.length);
    for (const folder of ['DEMO-0001/2024-01-10_pre', 'DEMO-0001/2024-02-21_post']) {
      for (const s of ['PRE', 'ART', 'PV']) {
        expect(paths.filter((p) => p.startsWith(`${folder}/${s}/`))).toHaveLength(72);
        expect(paths).toContain(`${folder}/${s}/IM0001.dcm`);
        expect(paths).toContain(`${folder}/${s}/IM0072.dcm`);
      }
      expect(paths).toContain(`${folder}/SEG/IM0001.dcm`);
      expect(paths).toContain(`${folder}/liver_mask_arterial.nii.gz`);
    }
    expect(paths.at(-1)).toBe('ground-truth.json');
    expect(JSON.parse(Buffer.from(files.get('ground-truth.json')!).toString('ascii'))).toEqual(
      JSON.parse(JSON.stringify(study.groundTruth)),
    );
  });

  it('gives identical bytes for the same seed, the bytes the Python check read', () => {
    const again = generateDemoStudy({ size: 'small', seed: 1 });
    expect(again.files.map((f) => f.path)).toEqual(study.files.map((f) => f.path));
    again.files.forEach((f, n) =>
      expect(Buffer.from(f.bytes).equals(Buffer.from(study.files[n]!.bytes)), f.path).toBe(true),
    );
    expect(digest(study.files)).toBe(pythonCheck.digest);
  });

  it('changes the noise and the UIDs, not the anatomy, with another seed', () => {
    const other = generateDemoStudy({ size: 'small', seed: 2 });
    expect(other.files.map((f) => f.path)).toEqual(study.files.map((f) => f.path));
    const a = parseDicom(files.get('DEMO-0001/2024-01-10_pre/ART/IM0030.dcm')!).dataset;
    const b = parseDicom(other.files.find((f) => f.path === 'DEMO-0001/2024-01-10_pre/ART/IM0030.dcm')!.bytes).dataset;
    expect(getNumbers(b, T.ImagePositionPatient)).toEqual(getNumbers(a, T.ImagePositionPatient));
    expect(getString(b, T.SOPInstanceUID)).not.toBe(getString(a, T.SOPInstanceUID));
    const pa = getBytes(a, T.PixelData)!;
    const pb = getBytes(b, T.PixelData)!;
    let differing = 0;
    for (let n = 0; n < pa.length; n += 2) if (readU16(pa, n, true) !== readU16(pb, n, true)) differing++;
    expect(differing / (pa.length / 2)).toBeGreaterThan(0.8); // independent noise: equal values only by chance
    other.groundTruth.timepoints.forEach((tp, n) => {
      expect(tp.liverVoxels).toBe(study.groundTruth.timepoints[n]!.liverVoxels);
      expect(tp.enhancingVoxels).not.toBe(study.groundTruth.timepoints[n]!.enhancingVoxels);
    });
  });
});

describe('generateDemoStudy: DICOM headers', () => {
  it.each(['pre', 'post'] as const)('%s: three CT series on one grid and frame of reference, one study', (key) => {
    const tp = study.groundTruth.timepoints.find((t) => t.key === key)!;
    const heads = tp.series.map((s) => parseDicom(files.get(`${s.folder}/IM0001.dcm`)!).dataset);
    const studyUids = new Set(heads.map((h) => getString(h, T.StudyInstanceUID)));
    expect([...studyUids]).toEqual([tp.studyInstanceUid]);
    expect(new Set(heads.map((h) => getString(h, T.SeriesInstanceUID))).size).toBe(3);
    expect(new Set(heads.map((h) => getString(h, T.FrameOfReferenceUID)))).toEqual(new Set([tp.frameOfReferenceUid]));
    const grids = tp.series.map((s) => series(s.folder)).map((s) => JSON.stringify([s.dims, s.originMm, s.spacingMm]));
    expect(new Set(grids).size).toBe(1);
    const g = demoGridSizes.small;
    expect(series(tp.series[0]!.folder).dims).toEqual([g.matrix, g.matrix, g.slices]);
    expect(series(tp.series[0]!.folder).spacingMm).toEqual([g.pixelMm, g.pixelMm, g.sliceMm]);
    expect(series(tp.series[0]!.folder).originMm).toEqual(tp.grid.originMm);
  });

  it('writes what a phase recogniser reads, in the real acquisition order', () => {
    const rows = study.groundTruth.timepoints.flatMap((tp) =>
      tp.series.map((s) => {
        const ds = parseDicom(files.get(`${s.folder}/IM0001.dcm`)!).dataset;
        return {
          key: tp.key,
          phase: s.phase,
          date: getString(ds, T.StudyDate),
          description: getString(ds, T.SeriesDescription),
          agent: getString(ds, T.ContrastBolusAgent),
          agentPresent: ds.elements.has(T.ContrastBolusAgent),
          start: getString(ds, T.ContrastBolusStartTime),
          acquisition: getString(ds, T.AcquisitionTime)!,
          seriesTime: getString(ds, T.SeriesTime)!,
        };
      }),
    );
    expect(
      rows.map((r) => [r.key, r.phase, r.date, r.description, r.agent, r.agentPresent, r.start, r.acquisition]),
    ).toEqual([
      ['pre', 'precontrast', '20240110', 'ABD NATIVE 2.5mm', '', true, undefined, '101805.120000'],
      ['pre', 'arterial', '20240110', 'LIVER LATE ART 35s 2.5mm', 'IOMEPROL 350', true, '102010', '102045'],
      ['pre', 'portal_venous', '20240110', 'ABD PORTAL VENOUS 2.5mm', 'IOMEPROL 350', true, '102010', '102125'],
      ['post', 'precontrast', '20240221', 'PRE', '', true, undefined, '140511.400000'],
      ['post', 'arterial', '20240221', 'ARTERIAL 35s', 'IOMEPROL 350', true, '140702', '140737'],
      ['post', 'portal_venous', '20240221', 'PORTAL VENOUS', 'IOMEPROL 350', true, '140702', '140817'],
    ]);
    for (const r of rows) expect(r.seriesTime <= r.acquisition).toBe(true);
  });

  it('numbers instances craniocaudally with per-slice positions and acquisition times', () => {
    const folder = study.groundTruth.timepoints[0]!.series[1]!.folder;
    const heads = Array.from(
      { length: 72 },
      (_, n) => parseDicom(files.get(`${folder}/IM${String(n + 1).padStart(4, '0')}.dcm`)!).dataset,
    );
    expect(heads.map((h) => getNumber(h, T.InstanceNumber))).toEqual(Array.from({ length: 72 }, (_, n) => n + 1));
    const z = heads.map((h) => getNumbers(h, T.ImagePositionPatient)![2]!);
    z.slice(1).forEach((v, n) => expect(v - z[n]!).toBeCloseTo(-2.5, 10));
    const t = heads.map((h) => getString(h, T.AcquisitionTime)!);
    expect([...t].sort()).toEqual(t);
    expect(heads.map((h) => getNumber(h, T.SliceLocation))).toEqual(z);
  });

  it('carries a realistic CT image header, patient identity included on purpose', () => {
    const ds = parseDicom(files.get('DEMO-0001/2024-02-21_post/PV/IM0010.dcm')!).dataset;
    expect({
      sopClass: getString(ds, T.SOPClassUID),
      modality: getString(ds, T.Modality),
      imageType: getStrings(ds, T.ImageType),
      position: getString(ds, T.PatientPosition),
      orientation: getNumbers(ds, T.ImageOrientationPatient),
      pixelSpacing: getNumbers(ds, T.PixelSpacing),
      thickness: getNumber(ds, T.SliceThickness),
      bits: [T.BitsAllocated, T.BitsStored, T.HighBit, T.PixelRepresentation].map((t) => getNumber(ds, t)),
      rescale: [getNumber(ds, T.RescaleIntercept), getNumber(ds, T.RescaleSlope)],
      patient: [T.PatientName, T.PatientID, T.PatientBirthDate, T.AccessionNumber, T.InstitutionName].map((t) =>
        getString(ds, t),
      ),
      seriesNumber: getNumber(ds, T.SeriesNumber),
    }).toEqual({
      sopClass: '1.2.840.10008.5.1.4.1.1.2',
      modality: 'CT',
      imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      position: 'HFS',
      orientation: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [3, 3],
      thickness: 2.5,
      bits: [16, 16, 15, 1],
      rescale: [-1024, 1],
      patient: ['DEMO^PATIENT', 'DEMO-0001', '19580314', 'A240221342', 'Concord Demo Hospital'],
      seriesNumber: 6,
    });
  });
});

describe('generateDemoStudy: masks and ground truth recomputed from the files', () => {
  it.each([0, 1])('timepoint %i: NIfTI mask on the arterial grid, SEG frames equal to it', (n) => {
    const tp = study.groundTruth.timepoints[n]!;
    const art = series(phaseFolder(tp, 'arterial'));
    const nifti = readNifti(files.get(tp.liverMaskNifti)!);
    expect(nifti.volume.dims).toEqual(art.dims);
    nifti.volume.originMm.forEach((o, a) => expect(o).toBeCloseTo(art.originMm[a]!, 4));
    nifti.volume.spacingMm.forEach((s, a) => expect(s).toBeCloseTo(art.spacingMm[a]!, 5));
    expect(nifti.volume.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);

    const seg = parseDicom(files.get(tp.segmentation.file)!).dataset;
    expect(getString(seg, T.FrameOfReferenceUID)).toBe(tp.frameOfReferenceUid);
    expect(getString(getItems(seg, T.ReferencedSeriesSequence)[0]!, T.SeriesInstanceUID)).toBe(
      tp.series.find((s) => s.phase === 'arterial')!.seriesInstanceUid,
    );
    const [nx, ny, nz] = art.dims;
    const fromSeg = new Uint8Array(nx * ny * nz);
    const bits = getBytes(seg, T.PixelData)!;
    getItems(seg, T.PerFrameFunctionalGroupsSequence).forEach((frame, f) => {
      const z = getNumbers(getItems(frame, T.PlanePositionSequence)[0]!, T.ImagePositionPatient)![2]!;
      const k = Math.round((z - art.originMm[2]) / art.spacingMm[2]);
      for (let p = 0; p < nx * ny; p++) {
        const b = f * nx * ny + p;
        fromSeg[k * nx * ny + p] = (bits[b >> 3]! >> (b & 7)) & 1;
      }
    });
    expect(getNumber(seg, T.NumberOfFrames)).toBe(tp.segmentation.frames);
    expect(Buffer.from(fromSeg).equals(Buffer.from(nifti.volume.voxels as Uint8Array))).toBe(true);
  });

  it.each([0, 1])('timepoint %i: liver and enhancing volumes, LETB, as counted over the written voxels', (n) => {
    const gt = study.groundTruth;
    const tp = gt.timepoints[n]!;
    const mask = readNifti(files.get(tp.liverMaskNifti)!).volume.voxels;
    const pre = series(phaseFolder(tp, 'precontrast')).hu;
    const art = series(phaseFolder(tp, 'arterial')).hu;
    let liver = 0;
    let enhancing = 0;
    for (let v = 0; v < mask.length; v++) {
      if (mask[v] === 0) continue;
      liver++;
      if (art[v]! - pre[v]! > gt.thresholdHu) enhancing++;
    }
    const voxelMl = voxelVolumeMl(series(phaseFolder(tp, 'arterial')).spacingMm);
    expect([tp.liverVoxels, tp.enhancingVoxels]).toEqual([liver, enhancing]);
    expect(tp.liverMl).toBeCloseTo(liver * voxelMl, 9);
    expect(tp.enhancingMl).toBeCloseTo(enhancing * voxelMl, 9);
    expect(tp.letbPercent).toBeCloseTo((enhancing / liver) * 100, 9);
    // The same counts from pydicom + nibabel + numpy (check_demo_study.py).
    const py = pythonCheck.timepoints[n]!;
    expect(pythonCheck.thresholdHu).toBe(gt.thresholdHu);
    expect([py.liverVoxels, py.enhancingVoxels]).toEqual([liver, enhancing]);
    expect(py).toMatchObject({ segEqualsNifti: true, segSourcesAreArterial: true, precontrastGeometryEqual: true });
    // Meaning of the count: the drawn viable tumour plus noise-only false positives in the rest of
    // the liver (expected fraction from the rounded-Gaussian model); 4 binomial SDs of slack.
    const viableMl = tp.tumours.reduce((s, t) => s + t.viableVoxelMl, 0);
    const restVoxels = liver - tp.tumours.reduce((s, t) => s + t.volumeMl, 0) / voxelMl;
    const p = gt.expectedParenchymaFalsePositiveFraction;
    const expectedMl = viableMl + restVoxels * p * voxelMl;
    expect(Math.abs(tp.enhancingMl - expectedMl)).toBeLessThan(
      (4 * Math.sqrt(restVoxels * p * (1 - p)) + (0.02 * viableMl) / voxelMl) * voxelMl,
    );
  });

  it('states the threshold, the ROI noise model and the LETB change (SPEC §2)', () => {
    const gt = study.groundTruth;
    // Hand derivation: parenchyma 70 − 55 = 15 HU; SD of a difference of two independent
    // rounded N(μ, 10²) values = √(2·(100 + 1/12)) = 14.1480; threshold 15 + 2·14.1480.
    expect(gt.expectedRoiSubtraction.meanHu).toBe(15);
    expect(gt.expectedRoiSubtraction.sdHu).toBeCloseTo(14.148, 3);
    expect(gt.thresholdHu).toBeCloseTo(43.296, 3);
    expect(gt.expectedRoiSubtraction.radiusMm).toBeCloseTo(6.2035, 4); // (3·1000 / 4π)^(1/3)
    // P(S > 43.296) = P(Ra − Rp ≥ 29) ≈ 1 − Φ(28.5 / 14.148) = 1 − Φ(2.0144) ≈ 0.0220.
    expect(gt.expectedParenchymaFalsePositiveFraction).toBeCloseTo(0.022, 3);
    const [pre, post] = gt.timepoints as [DemoTimepointTruth, DemoTimepointTruth];
    expect(gt.letbChangePercent).toBeCloseTo(((post.letbPercent - pre.letbPercent) / pre.letbPercent) * 100, 9);
    expect(pre.letbPercent).toBeGreaterThan(post.letbPercent);
    expect(gt.letbChangePercent).toBeLessThan(-25.8); // a responder at both reference thresholds
  });
});

describe('generateDemoStudy: HU design visible in the files', () => {
  const tps = () => study.groundTruth.timepoints;

  it.each([0, 1])(
    'timepoint %i: parenchyma ≈ 55 / 70 / 110 HU and ROI subtraction ≈ N(15, 14.15) around the suggested centres',
    (n) => {
      const tp = tps()[n]!;
      const art = series(phaseFolder(tp, 'arterial'));
      const r = study.groundTruth.expectedRoiSubtraction;
      const mask = readNifti(files.get(tp.liverMaskNifti)!).volume.voxels;
      const pooled: number[] = [];
      const byPhase: Record<DemoPhase, number[]> = { precontrast: [], arterial: [], portal_venous: [] };
      for (const centre of tp.roiCentresLpsMm) {
        const roi = sphereIndices(art, centre, r.radiusMm);
        expect(roi.length).toBeGreaterThan(30); // 1 cm³ / 22.5 mm³ ≈ 44 voxels
        expect(roi.every((v) => mask[v] === 1)).toBe(true);
        const sub = roi.map((v) => art.hu[v]! - series(phaseFolder(tp, 'precontrast')).hu[v]!);
        // One ROI: mean within 4 SE of 15.
        expect(Math.abs(mean(sub) - r.meanHu)).toBeLessThan((4 * r.sdHu) / Math.sqrt(sub.length));
        pooled.push(...sub);
        for (const phase of Object.keys(byPhase) as DemoPhase[])
          byPhase[phase].push(...roi.map((v) => series(phaseFolder(tp, phase)).hu[v]!));
      }
      // SD of the pooled ROIs (≈130 values): relative SE ≈ 1/√(2n) ≈ 6%; allow 4 SE.
      expect(Math.abs(sd(pooled) / r.sdHu - 1)).toBeLessThan(0.25);
      const se = 4 * (10 / Math.sqrt(byPhase.precontrast.length));
      expect(Math.abs(mean(byPhase.precontrast) - 55)).toBeLessThan(se);
      expect(Math.abs(mean(byPhase.arterial) - 70)).toBeLessThan(se);
      expect(Math.abs(mean(byPhase.portal_venous) - 110)).toBeLessThan(se);
    },
  );

  it.each([0, 1])(
    'timepoint %i: viable metastases ≈ 40 pre, ≥ 150 arterial, ≈ 90 portal venous (hyperenhancing, washout)',
    (n) => {
      const tp = tps()[n]!;
      const art = series(phaseFolder(tp, 'arterial'));
      const sampled = tp.tumours.filter((t) => t.radiusMm - t.necroticRadiusMm >= 6);
      expect(sampled.length).toBeGreaterThanOrEqual(3);
      for (const t of sampled) {
        // Voxels well inside the viable shell (1.5 mm from its inner and outer surfaces).
        const shell = sphereIndices(art, t.centreLpsMm, t.radiusMm - 1.5, t.necroticRadiusMm + 1.5);
        expect(shell.length, t.id).toBeGreaterThan(10);
        for (const phase of ['precontrast', 'arterial', 'portal_venous'] as const) {
          const m = mean(shell.map((v) => series(phaseFolder(tp, phase)).hu[v]!));
          expect(Math.abs(m - t.viableHu[phase]), `${t.id} ${phase}`).toBeLessThan((4 * 10) / Math.sqrt(shell.length));
        }
        expect(t.viableHu.arterial - t.viableHu.precontrast).toBeGreaterThan(study.groundTruth.thresholdHu + 60);
      }
    },
  );

  it('lipiodol is ≈ 700 HU on every phase, so the subtraction removes it', () => {
    const withOil = tps().flatMap((tp) =>
      tp.tumours.filter((t) => t.lipiodolRadiusMm >= 5).map((t) => [tp, t] as [DemoTimepointTruth, DemoTumourTruth]),
    );
    expect(withOil.length).toBeGreaterThanOrEqual(2);
    for (const [tp, t] of withOil) {
      const art = series(phaseFolder(tp, 'arterial'));
      const core = sphereIndices(art, t.centreLpsMm, t.lipiodolRadiusMm - 1);
      expect(core.length, t.id).toBeGreaterThan(0);
      for (const phase of ['precontrast', 'arterial', 'portal_venous'] as const) {
        expect(Math.abs(mean(core.map((v) => series(phaseFolder(tp, phase)).hu[v]!)) - 700)).toBeLessThan(
          40 / Math.sqrt(core.length) + 1,
        );
      }
      const sub = core.map((v) => art.hu[v]! - series(phaseFolder(tp, 'precontrast')).hu[v]!);
      expect(sub.filter((s) => s > study.groundTruth.thresholdHu).length).toBeLessThanOrEqual(1);
    }
  });

  it('treatment lowers the enhancing tumour burden: necrosis grows in treated lesions', () => {
    const [pre, post] = tps() as [DemoTimepointTruth, DemoTimepointTruth];
    expect(post.designedViableMl).toBeLessThan(pre.designedViableMl * 0.6);
    expect(post.enhancingMl).toBeLessThan(pre.enhancingMl);
    expect(post.liverMl).toBeCloseTo(pre.liverMl, -1); // same liver, different exam grid
    expect(pre.tumours.length).toBeGreaterThanOrEqual(4);
    expect(pre.tumours.length).toBeLessThanOrEqual(6);
    expect(new Set(pre.tumours.map((t) => t.diameterMm)).size).toBe(pre.tumours.length);
  });
});
