import type { DemoPhase, PhaseHu, Vec3 } from './demoPhantom';

/**
 * What one demo patient's files hold, with the answers a correct LETB implementation must find
 * (SPEC §2): ground-truth.json for DEMO-0001 (the demo study), <folder>/ground-truth.json for
 * each other patient of the cohort. Their lesion diameters are in cohort-ground-truth.json.
 */
export interface DemoGroundTruth {
  generator: 'concord-demo-study';
  formatVersion: 1;
  seed: number;
  size: 'small' | 'standard';
  patientId: string;
  /** SD of the Gaussian noise added to every voxel of every phase before rounding (HU). */
  noiseSdHu: number;
  /** Noise-free liver parenchyma per phase (HU). */
  parenchymaHu: PhaseHu;
  /** What a 1.0 cm³ ROI in tumour-free parenchyma of S = arterial − precontrast should show. */
  expectedRoiSubtraction: {
    meanHu: number;
    /** √(2·(noiseSd² + 1/12)): two independent phases, each rounded to integer HU. */
    sdHu: number;
    volumeMl: number;
    radiusMm: number;
  };
  /** The enhancement threshold the counts below use: meanHu + 2·sdHu of the ROI above (SPEC §2 step 3). */
  thresholdHu: number;
  thresholdRule: string;
  /** Expected share of tumour-free parenchyma voxels with S > thresholdHu (noise alone). */
  expectedParenchymaFalsePositiveFraction: number;
  treatment: { kind: 'TACE'; treatedSegments: string[] };
  timepoints: DemoTimepointTruth[];
  /** (LETB_post − LETB_pre) / LETB_pre × 100 with the counted LETBs (SPEC §2). */
  letbChangePercent: number;
  /** The same change with the designed viable tumour volumes (no noise, no false positives). */
  designedViableChangePercent: number;
}

export interface DemoSeriesTruth {
  phase: DemoPhase;
  folder: string;
  seriesInstanceUid: string;
  seriesNumber: number;
  seriesDescription: string;
  images: number;
  /** DICOM TM of the first slice's acquisition. */
  acquisitionStartTime: string;
  /** Acquisition start after the contrast injection start (s); null on the precontrast series. */
  secondsAfterContrastStart: number | null;
}

export interface DemoTumourTruth {
  id: string;
  couinaudSegment: string;
  centreLpsMm: Vec3;
  diameterMm: number;
  radiusMm: number;
  necroticRadiusMm: number;
  lipiodolRadiusMm: number;
  /** Designed (analytic sphere) volumes, cm³. */
  volumeMl: number;
  viableMl: number;
  necroticMl: number;
  lipiodolMl: number;
  /** Viable voxels actually drawn on this grid × voxel volume, cm³. */
  viableVoxelMl: number;
  /** Noise-free HU of the viable tumour. */
  viableHu: PhaseHu;
  /** The residual viable nodule of a wholly necrotic lesion; absent when there is none (all of DEMO-0001). */
  viableNodule?: { centreLpsMm: Vec3; radiusMm: number };
}

export interface DemoTimepointTruth {
  key: 'pre' | 'post';
  /** ISO date, YYYY-MM-DD. */
  studyDate: string;
  folder: string;
  studyInstanceUid: string;
  frameOfReferenceUid: string;
  series: DemoSeriesTruth[];
  segmentation: { file: string; seriesInstanceUid: string; sopInstanceUid: string; frames: number };
  liverMaskNifti: string;
  /** The arterial grid (shared by all three phases), k increasing with z (LPS). */
  grid: {
    dims: [number, number, number];
    spacingMm: [number, number, number];
    originMm: [number, number, number];
    direction: number[];
  };
  /** Where the phantom's anatomical centre lies in this exam's LPS space (mm). */
  anatomyOffsetMm: Vec3;
  liverVoxels: number;
  liverMl: number;
  /** Liver-mask voxels with (arterial − precontrast) > thresholdHu, over the written voxel values. */
  enhancingVoxels: number;
  enhancingMl: number;
  letbPercent: number;
  tumours: DemoTumourTruth[];
  designedTumourMl: number;
  designedViableMl: number;
  /** Centres (LPS mm) for three 1.0 cm³ ROIs in tumour-free parenchyma. */
  roiCentresLpsMm: Vec3[];
}

/**
 * The reference LETB count of the demo: voxels where `mask` ≠ 0, and among them those with
 * arterial − precontrast > thresholdHu, on one shared grid (SPEC §2 steps 1, 2, 4).
 * @throws RangeError when the three arrays differ in length
 */
export function countEnhancingVoxels(
  mask: Uint8Array,
  precontrastHu: Int16Array,
  arterialHu: Int16Array,
  thresholdHu: number,
): { liverVoxels: number; enhancingVoxels: number } {
  if (mask.length !== precontrastHu.length || mask.length !== arterialHu.length)
    throw new RangeError('mask and phases must have the same voxel count');
  let liverVoxels = 0;
  let enhancingVoxels = 0;
  for (let n = 0; n < mask.length; n++) {
    if (mask[n] === 0) continue;
    liverVoxels++;
    if (arterialHu[n]! - precontrastHu[n]! > thresholdHu) enhancingVoxels++;
  }
  return { liverVoxels, enhancingVoxels };
}
