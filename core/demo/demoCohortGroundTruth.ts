import type { NonTargetStatus, ResponseCategory } from '../recist/responseCategory';
import type { Vec3 } from './demoPhantom';
import type { ViablePattern } from './lesionDiameters';

/**
 * cohort-ground-truth.json: every patient of the demo cohort with the lesion diameters a reader
 * should measure and the responses they give (SPEC §3). The LETB answers of each patient stay in
 * that patient's ground-truth file (format of ground-truth.json, `DemoGroundTruth`).
 */
export interface DemoCohortGroundTruth {
  generator: 'concord-demo-cohort';
  formatVersion: 1;
  seed: number;
  /** How the diameters below are defined. */
  diameterRules: { longestDiameterMm: string; viableLongestDiameterMm: string; calipers: string };
  /** DEMO-0001 first, then in patient ID order. */
  patients: DemoCohortPatientTruth[];
}

export interface DemoCohortPatientTruth {
  patientId: string;
  /** DICOM PN as written (family^given). */
  patientName: string;
  /** DICOM DA, YYYYMMDD. */
  birthDate: string;
  sex: 'F' | 'M' | 'O';
  /** Top folder of the patient's files. */
  folder: string;
  /** Grid of the patient's exams; the extra patients are always 'small'. */
  size: 'small' | 'standard';
  /** Path of the patient's LETB ground truth (format of ground-truth.json), relative to the root. */
  groundTruth: string;
  summary: string;
  treatment: { kind: 'TACE'; treatedSegments: string[] };
  timepoints: DemoCohortTimepointTruth[];
  /** LETB change from the patient's ground truth (counted over the written voxels). */
  letbChangePercent: number;
  response: DemoCohortResponse;
}

export interface DemoCohortTimepointTruth {
  key: 'pre' | 'post';
  /** ISO date, YYYY-MM-DD. */
  studyDate: string;
  accessionNumber: string;
  studyInstanceUid: string;
  arterialSeriesInstanceUid: string;
  folder: string;
  letbPercent: number;
  /** Every lesion present at this timepoint. */
  lesions: DemoLesionTruth[];
}

/** One lesion at one timepoint, with where to put the calipers. */
export interface DemoLesionTruth {
  id: string;
  couinaudSegment: string;
  /** 'target' (form items target<n>), 'non-target', or 'new' (first seen at follow-up). */
  role: 'target' | 'non-target' | 'new';
  /** 1-based target number for a target lesion, else null. */
  target: number | null;
  centreLpsMm: Vec3;
  /** True longest axial diameter (RECIST 1.1), mm. */
  longestDiameterMm: number;
  /** End points (LPS mm) of that diameter on the axial section through the centre. */
  longestCaliperLpsMm: [Vec3, Vec3];
  viablePattern: ViablePattern;
  /** True longest diameter of the viable, arterially enhancing part (mRECIST), mm; 0 when none. */
  viableLongestDiameterMm: number;
  /** End points (LPS mm) of that diameter; null when nothing enhances. */
  viableCaliperLpsMm: [Vec3, Vec3] | null;
}

/** The expected reading of the case: target sums and categories at the follow-up. */
export interface DemoCohortResponse {
  /** Target lesion ids in form order (target1, target2, …). */
  targetIds: string[];
  /** A lesion absent at baseline is present at the follow-up (RECIST 1.1 Table 1). */
  newLesion: boolean;
  recist: DemoCriteriaResponse;
  mrecist: DemoCriteriaResponse;
}

export interface DemoCriteriaResponse {
  /** Sum of the target diameters (RECIST: longest; mRECIST: viable), mm. */
  baselineSumMm: number;
  followUpSumMm: number;
  changeMm: number;
  /** (follow-up − baseline) / baseline × 100; with one follow-up the nadir is the baseline. */
  changePercent: number;
  /** Non-target status at the follow-up: 'CR' when none is present (mRECIST: none enhances). */
  nonTarget: NonTargetStatus;
  targetResponse: ResponseCategory;
  overallResponse: ResponseCategory;
}
