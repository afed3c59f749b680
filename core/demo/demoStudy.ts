import { writeDicomFile } from '../dicom/writeDicom';
import { liverSegmentCodes, writeSeg } from '../dicom/writeSeg';
import { voxelVolumeMl, type Volume } from '../imaging/volume';
import { writeNifti } from '../nifti/writeNifti';
import { createSeededRandom } from '../random/seededRandom';
import { hashString32 } from '../random/hashString32';
import {
  ctImageDataset,
  ctImageStorageSopClassUid,
  type CtEquipment,
  type CtPatient,
  type CtSeries,
  type CtStudy,
} from '../dicom/ctImageDataset';
import {
  countEnhancingVoxels,
  type DemoGroundTruth,
  type DemoTimepointTruth,
  type DemoTumourTruth,
} from './demoGroundTruth';
import {
  demoLesionsPost,
  demoLesionsPre,
  demoPaintOps,
  demoPhases,
  demoRoiCentresBodyMm,
  demoTreatedSegments,
  labelHu,
  lesionLabels,
  liverMaskLabels,
  tissueHu,
  tissue,
  type DemoLesionDesign,
  type DemoPhase,
  type Vec3,
} from './demoPhantom';
import { demoUid } from './demoUid';
import { rasterizePhantom, type AxialGrid } from './rasterizePhantom';
import { roundedNoiseExceedance } from './roundedNoiseExceedance';

export type DemoSize = 'small' | 'standard';

export interface DemoStudyOptions {
  /** Seeds the noise and every UID; default 1. */
  seed?: number;
  /** 'standard': 512 × 512 × 72, 0.75 × 0.75 × 2.5 mm; 'small': 128 × 128 × 72, 3 × 3 × 2.5 mm. Default 'standard'. */
  size?: DemoSize;
}

/** One file of the demo study; `path` is relative, with "/" separators. */
export interface DemoFile {
  path: string;
  bytes: Uint8Array;
}

/** Grid of each size: in-plane matrix and pixel size; both cover the same 384 mm field of view. */
export const demoGridSizes: Record<DemoSize, { matrix: number; pixelMm: number; slices: number; sliceMm: number }> = {
  small: { matrix: 128, pixelMm: 3, slices: 72, sliceMm: 2.5 },
  standard: { matrix: 512, pixelMm: 0.75, slices: 72, sliceMm: 2.5 },
};

/** Noise SD added to every voxel (HU) and the CT rescale (stored = HU − intercept). */
export const demoNoiseSdHu = 10;
export const demoRescaleInterceptHu = -1024;
/** Roots of the demo's paths. */
export const demoPatientFolder = 'DEMO-0001';
export const demoGroundTruthPath = 'ground-truth.json';

const equipment: CtEquipment = {
  manufacturer: 'Concord',
  modelName: 'Synthetic CT phantom',
  stationName: 'CT01',
  kvp: 120,
  tubeCurrentMa: 210,
  convolutionKernel: 'B30f',
};
const institutionName = 'Concord Demo Hospital';
const referringPhysicianName = 'DEMO^REFERRER';

/** One CT series (phase) of a demo exam. */
export interface DemoSeriesDesign {
  phase: DemoPhase;
  folder: string;
  number: number;
  description: string;
  /** Seconds after the contrast injection start; null = precontrast, acquired before it. */
  delaySeconds: number | null;
}

/** One exam (timepoint) of a demo patient. */
export interface DemoTimepointDesign {
  key: 'pre' | 'post';
  isoDate: string;
  studyTime: string;
  accessionNumber: string;
  studyId: string;
  description: string;
  anatomyOffsetMm: Vec3;
  firstSliceZMm: number;
  /** Precontrast acquisition start and contrast injection start, seconds after midnight. */
  precontrastStartS: number;
  contrastStartS: number;
  series: DemoSeriesDesign[];
  lesions: readonly DemoLesionDesign[];
}

/** One patient of the demo: identity, the two exams and where the files and names go. */
export interface DemoPatientDesign {
  patient: CtPatient;
  /** Top folder of the patient's files. */
  folder: string;
  /**
   * Prefix of the names behind the patient's UIDs (`demoUid`) and noise streams: '' for
   * DEMO-0001, whose bytes must never change, "<folder>/" for the others.
   */
  namespace: string;
  treatedSegments: readonly string[];
  timepoints: readonly [DemoTimepointDesign, DemoTimepointDesign];
}

/** DEMO^PATIENT, DEMO-0001: the demo study itself (before and 6 weeks after TACE of the right lobe). */
export const demoFirstPatient: DemoPatientDesign = {
  patient: { name: 'DEMO^PATIENT', id: 'DEMO-0001', birthDate: '19580314', sex: 'F', age: '065Y' },
  folder: demoPatientFolder,
  namespace: '',
  treatedSegments: demoTreatedSegments,
  timepoints: [
    {
      key: 'pre',
      isoDate: '2024-01-10',
      studyTime: '101452',
      accessionNumber: 'A240110017',
      studyId: '4711',
      description: 'CT ABDOMEN LIVER 3 PHASE',
      anatomyOffsetMm: [0, 10, -150],
      firstSliceZMm: -238.75,
      precontrastStartS: hms(10, 18, 5.12),
      contrastStartS: hms(10, 20, 10),
      series: [
        { phase: 'precontrast', folder: 'PRE', number: 2, description: 'ABD NATIVE 2.5mm', delaySeconds: null },
        { phase: 'arterial', folder: 'ART', number: 3, description: 'LIVER LATE ART 35s 2.5mm', delaySeconds: 35 },
        { phase: 'portal_venous', folder: 'PV', number: 4, description: 'ABD PORTAL VENOUS 2.5mm', delaySeconds: 75 },
      ],
      lesions: demoLesionsPre,
    },
    {
      key: 'post',
      isoDate: '2024-02-21',
      studyTime: '140230',
      accessionNumber: 'A240221342',
      studyId: '4980',
      description: 'CT LIVER TRIPHASIC',
      anatomyOffsetMm: [-6, 14, -166.2],
      firstSliceZMm: -255,
      precontrastStartS: hms(14, 5, 11.4),
      contrastStartS: hms(14, 7, 2),
      series: [
        { phase: 'precontrast', folder: 'PRE', number: 3, description: 'PRE', delaySeconds: null },
        { phase: 'arterial', folder: 'ART', number: 5, description: 'ARTERIAL 35s', delaySeconds: 35 },
        { phase: 'portal_venous', folder: 'PV', number: 6, description: 'PORTAL VENOUS', delaySeconds: 75 },
      ],
      lesions: demoLesionsPost,
    },
  ],
};

/** Seconds between slice acquisitions within a series (helical table feed). */
const sliceIntervalS = 0.055;

/**
 * Generates the demo study: one patient (DEMO^PATIENT, DEMO-0001) with NELM before and about
 * 6 weeks after TACE; each timepoint a three-phase liver CT (precontrast, late hepatic arterial
 * 35 s, portal venous 75 s) as real DICOM CT series, plus the liver mask on the arterial grid
 * as NIfTI (.nii.gz) and DICOM SEG, and ground-truth.json with the LETB answers (SPEC §2).
 * Deterministic: the same options give byte-identical files; the seed changes the noise and
 * the UIDs, never the anatomy. Files are handed to `onFile` one at a time, in a fixed order,
 * so a caller can write them without holding the whole study in memory.
 * Layout: DEMO-0001/<date>_<pre|post>/{PRE,ART,PV}/IM0001.dcm… (InstanceNumber 1 = most cranial),
 * …/SEG/IM0001.dcm, …/liver_mask_arterial.nii.gz, and ground-truth.json at the root.
 * The demo cohort (`streamDemoCohort`) writes exactly these files first, then three more patients.
 * @throws RangeError for an unknown size or a non-integer seed
 */
export function streamDemoStudy(options: DemoStudyOptions, onFile: (file: DemoFile) => void): DemoGroundTruth {
  const { seed, size } = demoStudyOptions(options);
  return streamDemoPatient(demoFirstPatient, seed, size, demoGroundTruthPath, onFile);
}

/**
 * The whole demo study in memory (see `streamDemoStudy`): about 230 MB for 'standard',
 * 15 MB for 'small'.
 */
export function generateDemoStudy(options: DemoStudyOptions = {}): { files: DemoFile[]; groundTruth: DemoGroundTruth } {
  const files: DemoFile[] = [];
  const groundTruth = streamDemoStudy(options, (file) => files.push(file));
  return { files, groundTruth };
}

/**
 * The options with their defaults (seed 1, size 'standard').
 * @throws RangeError for an unknown size or a non-integer seed
 */
export function demoStudyOptions(options: DemoStudyOptions): { seed: number; size: DemoSize } {
  const seed = options.seed ?? 1;
  const size = options.size ?? 'standard';
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Object.hasOwn(demoGridSizes, size))
    throw new RangeError(`size must be 'small' or 'standard', got ${String(size)}`);
  return { seed, size };
}

/**
 * The LETB threshold every demo patient's counts use: parenchyma arterial − precontrast plus
 * 2 SD of the subtraction of two independently noised, integer-rounded phases,
 * SD = √(2·(σ² + 1/12)) (SPEC §2 step 3).
 */
export function demoThreshold(): { meanHu: number; sdHu: number; thresholdHu: number } {
  const parenchyma = tissueHu[tissue.liver]!;
  const meanHu = parenchyma.arterial - parenchyma.precontrast;
  const sdHu = Math.sqrt(2 * (demoNoiseSdHu * demoNoiseSdHu + 1 / 12));
  return { meanHu, sdHu, thresholdHu: meanHu + 2 * sdHu };
}

/**
 * Generates one demo patient (two exams of three CT phases, a liver SEG and NIfTI mask each)
 * and writes its LETB ground truth, in the format of ground-truth.json, to `groundTruthPath`
 * last. `streamDemoStudy` is this with DEMO-0001 and "ground-truth.json".
 * @throws RangeError for an unknown size
 */
export function streamDemoPatient(
  design: DemoPatientDesign,
  seed: number,
  size: DemoSize,
  groundTruthPath: string,
  onFile: (file: DemoFile) => void,
): DemoGroundTruth {
  if (!Object.hasOwn(demoGridSizes, size))
    throw new RangeError(`size must be 'small' or 'standard', got ${String(size)}`);
  const parenchyma = tissueHu[tissue.liver]!;
  const { meanHu, sdHu, thresholdHu } = demoThreshold();

  const truths = design.timepoints.map((tp) => generateTimepoint(design, tp, seed, size, thresholdHu, onFile));
  const [pre, post] = truths as [DemoTimepointTruth, DemoTimepointTruth];
  const truth: DemoGroundTruth = {
    generator: 'concord-demo-study',
    formatVersion: 1,
    seed,
    size,
    patientId: design.patient.id,
    noiseSdHu: demoNoiseSdHu,
    parenchymaHu: { ...parenchyma },
    expectedRoiSubtraction: { meanHu, sdHu, volumeMl: 1, radiusMm: Math.cbrt((3 * 1000) / (4 * Math.PI)) },
    thresholdHu,
    thresholdRule: 'parenchyma (arterial - precontrast) + 2 x SD of the subtraction noise, sqrt(2 (noiseSd^2 + 1/12))',
    expectedParenchymaFalsePositiveFraction: roundedNoiseExceedance(meanHu, demoNoiseSdHu, thresholdHu),
    treatment: { kind: 'TACE', treatedSegments: [...design.treatedSegments] },
    timepoints: truths,
    letbChangePercent: ((post.letbPercent - pre.letbPercent) / pre.letbPercent) * 100,
    designedViableChangePercent:
      ((post.designedViableMl / post.liverMl - pre.designedViableMl / pre.liverMl) /
        (pre.designedViableMl / pre.liverMl)) *
      100,
  };
  onFile({ path: groundTruthPath, bytes: demoJsonBytes(truth) });
  return truth;
}

function generateTimepoint(
  design: DemoPatientDesign,
  tp: DemoTimepointDesign,
  seed: number,
  size: DemoSize,
  thresholdHu: number,
  onFile: (file: DemoFile) => void,
): DemoTimepointTruth {
  const g = demoGridSizes[size];
  const half = ((g.matrix - 1) / 2) * g.pixelMm;
  const grid: AxialGrid = {
    dims: [g.matrix, g.matrix, g.slices],
    spacingMm: [g.pixelMm, g.pixelMm, g.sliceMm],
    originMm: [-half, -half, tp.firstSliceZMm],
  };
  const [nx, ny, nz] = grid.dims;
  const sliceSize = nx * ny;
  const labels = rasterizePhantom(demoPaintOps(tp.lesions), grid, tp.anatomyOffsetMm);

  const huByPhase = new Map<DemoPhase, Int16Array>();
  const lut = labelHu(tp.lesions);
  for (const phase of demoPhases) {
    const mean = new Float64Array(256);
    for (const [label, hu] of lut) mean[label] = hu[phase];
    const rng = createSeededRandom(hashString32(`${design.namespace}${tp.key}/${phase}`, seed));
    const hu = new Int16Array(labels.voxels.length);
    for (let n = 0; n < hu.length; n++) {
      const v = Math.round(mean[labels.voxels[n]!]! + demoNoiseSdHu * rng.normal());
      hu[n] = v < -1024 ? -1024 : v > 3071 ? 3071 : v;
    }
    huByPhase.set(phase, hu);
  }

  const inMask = new Uint8Array(256);
  for (const label of liverMaskLabels(tp.lesions.length)) inMask[label] = 1;
  const mask = new Uint8Array(labels.voxels.length);
  for (let n = 0; n < mask.length; n++) mask[n] = inMask[labels.voxels[n]!]!;
  const { liverVoxels, enhancingVoxels } = countEnhancingVoxels(
    mask,
    huByPhase.get('precontrast')!,
    huByPhase.get('arterial')!,
    thresholdHu,
  );
  const voxelMl = voxelVolumeMl(grid.spacingMm);

  const folder = `${design.folder}/${tp.isoDate}_${tp.key}`;
  const dateDa = tp.isoDate.replaceAll('-', '');
  const uid = (name: string) => demoUid(seed, `${design.namespace}${tp.key}/${name}`);
  const { patient } = design;
  const study: CtStudy = {
    instanceUid: uid('study'),
    date: dateDa,
    time: tp.studyTime,
    id: tp.studyId,
    accessionNumber: tp.accessionNumber,
    description: tp.description,
    referringPhysicianName,
    institutionName,
  };
  const frameOfReferenceUid = uid('frame-of-reference');
  const sopUidsByPhase = new Map<DemoPhase, string[]>();
  const seriesTruths = tp.series.map((s) => {
    const startS = s.delaySeconds === null ? tp.precontrastStartS : tp.contrastStartS + s.delaySeconds;
    const series: CtSeries = {
      instanceUid: uid(`series/${s.phase}`),
      number: s.number,
      description: s.description,
      protocolName: 'LIVER 3-PHASE',
      time: formatTm(Math.floor(startS)),
      frameOfReferenceUid,
      ...(s.delaySeconds === null
        ? {}
        : {
            contrast: {
              agent: 'IOMEPROL 350',
              route: 'IV',
              volumeMl: 100,
              startTime: formatTm(tp.contrastStartS),
              ingredient: 'IODINE',
            },
          }),
    };
    const hu = huByPhase.get(s.phase)!;
    const sopUids: string[] = new Array<string>(nz);
    for (let n = 1; n <= nz; n++) {
      // Craniocaudal acquisition: instance 1 is the most cranial slice (largest z, k = nz − 1).
      const k = nz - n;
      const stored = new Int16Array(sliceSize);
      const offset = k * sliceSize;
      for (let p = 0; p < sliceSize; p++) stored[p] = hu[offset + p]! - demoRescaleInterceptHu;
      const sopInstanceUid = uid(`series/${s.phase}/image/${n}`);
      sopUids[k] = sopInstanceUid;
      const dataset = ctImageDataset(patient, study, series, equipment, {
        sopInstanceUid,
        instanceNumber: n,
        acquisitionTime: formatTm(startS + (n - 1) * sliceIntervalS),
        positionMm: [grid.originMm[0], grid.originMm[1], grid.originMm[2] + k * grid.spacingMm[2]],
        rows: ny,
        columns: nx,
        pixelSpacingMm: [grid.spacingMm[1], grid.spacingMm[0]],
        sliceThicknessMm: grid.spacingMm[2],
        storedValues: stored,
        rescaleInterceptHu: demoRescaleInterceptHu,
      });
      onFile({ path: `${folder}/${s.folder}/${imageFileName(n)}`, bytes: writeDicomFile(dataset) });
    }
    sopUidsByPhase.set(s.phase, sopUids);
    return {
      phase: s.phase,
      folder: `${folder}/${s.folder}`,
      seriesInstanceUid: series.instanceUid,
      seriesNumber: s.number,
      seriesDescription: s.description,
      images: nz,
      acquisitionStartTime: formatTm(startS),
      secondsAfterContrastStart: s.delaySeconds,
    };
  });

  const arterial = seriesTruths.find((s) => s.phase === 'arterial')!;
  const maskVolume: Volume<Uint8Array> = { ...labels, voxels: mask };
  const segUid = uid('seg/series');
  const segSopUid = uid('seg/instance');
  const lastSeries = Math.max(...tp.series.map((s) => s.number));
  const segContentS = tp.contrastStartS + 1800;
  const segBytes = writeSeg({
    mask: maskVolume,
    segment: {
      label: 'Liver',
      algorithmType: 'AUTOMATIC',
      algorithmName: 'Concord demo phantom',
      category: liverSegmentCodes.category,
      type: liverSegmentCodes.type,
    },
    source: {
      seriesInstanceUid: arterial.seriesInstanceUid,
      frameOfReferenceUid,
      sopClassUid: ctImageStorageSopClassUid,
      sopInstanceUidsByK: sopUidsByPhase.get('arterial')!,
    },
    patientStudy: {
      patientName: patient.name,
      patientId: patient.id,
      patientBirthDate: patient.birthDate,
      patientSex: patient.sex,
      studyInstanceUid: study.instanceUid,
      studyDate: study.date,
      studyTime: study.time,
      studyId: study.id,
      accessionNumber: study.accessionNumber,
      referringPhysicianName: study.referringPhysicianName,
    },
    seriesInstanceUid: segUid,
    sopInstanceUid: segSopUid,
    dimensionOrganizationUid: uid('seg/dimension-organization'),
    seriesNumber: lastSeries + 100,
    seriesDescription: 'Liver mask (arterial)',
    contentDate: dateDa,
    contentTime: formatTm(segContentS),
    contentLabel: 'LIVER',
    contentDescription: 'Whole-liver mask on the arterial phase (demo ground truth)',
    contentCreatorName: 'CONCORD^DEMO',
    manufacturer: equipment.manufacturer,
    manufacturerModelName: 'Concord demo generator',
    deviceSerialNumber: 'DEMO-1',
    softwareVersions: '1',
  });
  let segFrames = 0;
  for (let k = 0; k < nz; k++) if (mask.subarray(k * sliceSize, (k + 1) * sliceSize).some((v) => v !== 0)) segFrames++;
  const segPath = `${folder}/SEG/${imageFileName(1)}`;
  onFile({ path: segPath, bytes: segBytes });
  const niftiPath = `${folder}/liver_mask_arterial.nii.gz`;
  onFile({
    path: niftiPath,
    bytes: writeNifti(maskVolume, {
      gzip: true,
      intent: 'label',
      description: 'Concord demo: liver mask, arterial grid',
    }),
  });

  const labelCounts = new Float64Array(256);
  for (let n = 0; n < labels.voxels.length; n++) labelCounts[labels.voxels[n]!]!++;
  const sphereMl = (r: number) => ((4 / 3) * Math.PI * r ** 3) / 1000;
  const toLps = (p: Vec3): Vec3 => [
    p[0] + tp.anatomyOffsetMm[0],
    p[1] + tp.anatomyOffsetMm[1],
    p[2] + tp.anatomyOffsetMm[2],
  ];
  const tumours: DemoTumourTruth[] = tp.lesions.map((l, n) => {
    // A residual nodule lies in the necrotic part, clear of the lipiodol (checked by lesionDiameters).
    const noduleMl = l.viableNodule ? sphereMl(l.viableNodule.radiusMm) : 0;
    return {
      id: l.id,
      couinaudSegment: l.couinaudSegment,
      centreLpsMm: toLps(l.centreBodyMm),
      diameterMm: 2 * l.radiusMm,
      radiusMm: l.radiusMm,
      necroticRadiusMm: l.necroticRadiusMm,
      lipiodolRadiusMm: l.lipiodolRadiusMm,
      volumeMl: sphereMl(l.radiusMm),
      viableMl: sphereMl(l.radiusMm) - sphereMl(l.necroticRadiusMm) + noduleMl,
      necroticMl: sphereMl(l.necroticRadiusMm) - sphereMl(l.lipiodolRadiusMm) - noduleMl,
      lipiodolMl: sphereMl(l.lipiodolRadiusMm),
      viableVoxelMl: labelCounts[lesionLabels(n).viable]! * voxelMl,
      viableHu: { ...l.viableHu },
      ...(l.viableNodule
        ? { viableNodule: { centreLpsMm: toLps(l.viableNodule.centreBodyMm), radiusMm: l.viableNodule.radiusMm } }
        : {}),
    };
  });
  const liverMl = liverVoxels * voxelMl;
  const enhancingMl = enhancingVoxels * voxelMl;
  return {
    key: tp.key,
    studyDate: tp.isoDate,
    folder,
    studyInstanceUid: study.instanceUid,
    frameOfReferenceUid,
    series: seriesTruths,
    segmentation: { file: segPath, seriesInstanceUid: segUid, sopInstanceUid: segSopUid, frames: segFrames },
    liverMaskNifti: niftiPath,
    grid: {
      dims: [...grid.dims],
      spacingMm: [...grid.spacingMm],
      originMm: [...grid.originMm],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    },
    anatomyOffsetMm: [...tp.anatomyOffsetMm],
    liverVoxels,
    liverMl,
    enhancingVoxels,
    enhancingMl,
    letbPercent: (enhancingMl / liverMl) * 100,
    tumours,
    designedTumourMl: tumours.reduce((s, t) => s + t.volumeMl, 0),
    designedViableMl: tumours.reduce((s, t) => s + t.viableMl, 0),
    roiCentresLpsMm: demoRoiCentresBodyMm.map(toLps),
  };
}

function imageFileName(n: number): string {
  return `IM${String(n).padStart(4, '0')}.dcm`;
}

function hms(h: number, m: number, s: number): number {
  return h * 3600 + m * 60 + s;
}

/** DICOM TM (HHMMSS, with .FFFFFF when there is a fraction) of seconds after midnight. */
function formatTm(seconds: number): string {
  const micro = Math.round(seconds * 1e6);
  const whole = Math.floor(micro / 1e6);
  const frac = micro - whole * 1e6;
  const two = (v: number) => String(v).padStart(2, '0');
  const base = `${two(Math.floor(whole / 3600))}${two(Math.floor((whole % 3600) / 60))}${two(whole % 60)}`;
  return frac === 0 ? base : `${base}.${String(frac).padStart(6, '0')}`;
}

/** Pretty-printed JSON (2-space indent, final newline) as ASCII bytes, as every demo truth file is written. */
export function demoJsonBytes(value: unknown): Uint8Array {
  return asciiBytes(`${JSON.stringify(value, null, 2)}\n`);
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let n = 0; n < text.length; n++) {
    const c = text.charCodeAt(n);
    if (c > 0x7e) throw new RangeError('ground truth JSON must be ASCII');
    out[n] = c;
  }
  return out;
}
