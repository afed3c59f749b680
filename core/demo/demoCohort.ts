import type {
  DemoCohortGroundTruth,
  DemoCohortPatientTruth,
  DemoCriteriaResponse,
  DemoLesionTruth,
} from './demoCohortGroundTruth';
import { demoCohortDesigns, type DemoCohortPatientDesign } from './demoCohortDesigns';
import type { DemoGroundTruth } from './demoGroundTruth';
import type { Vec3 } from './demoPhantom';
import { demoJsonBytes, demoStudyOptions, streamDemoPatient, type DemoFile, type DemoStudyOptions } from './demoStudy';
import { lesionDiameters } from './lesionDiameters';

/** Root file of the cohort's lesion ground truth, written last. */
export const demoCohortGroundTruthPath = 'cohort-ground-truth.json';

/** What the cohort generator returns besides the files. */
export interface DemoCohort {
  /** The content of cohort-ground-truth.json. */
  cohort: DemoCohortGroundTruth;
  /** Each patient's LETB ground truth (content of its ground-truth file), in cohort order; DEMO-0001 first. */
  patients: DemoGroundTruth[];
}

/**
 * Generates the demo cohort: first the demo study exactly as `streamDemoStudy` writes it
 * (DEMO-0001 at the requested size, ground-truth.json at the root), then DEMO-0002…0004, each
 * on the 'small' grid in its own top folder with its own ground-truth.json, and finally
 * cohort-ground-truth.json (`DemoCohortGroundTruth`), so a complete cohort is one whose last
 * file exists. Deterministic like `streamDemoStudy`; files go to `onFile` one at a time.
 * @throws RangeError for an unknown size or a non-integer seed
 */
export function streamDemoCohort(options: DemoStudyOptions, onFile: (file: DemoFile) => void): DemoCohort {
  const { seed, size } = demoStudyOptions(options);
  const patients: DemoGroundTruth[] = [];
  const truths = demoCohortDesigns.map((p) => {
    const truth = streamDemoPatient(p.design, seed, p.grid === 'small' ? 'small' : size, p.groundTruthPath, onFile);
    patients.push(truth);
    return cohortPatientTruth(p, truth);
  });
  const cohort: DemoCohortGroundTruth = {
    generator: 'concord-demo-cohort',
    formatVersion: 1,
    seed,
    diameterRules: {
      longestDiameterMm:
        'longest axial diameter of the whole lesion (viable, necrotic and lipiodol parts): 2 x radius of the designed sphere',
      viableLongestDiameterMm:
        'longest axial segment lying wholly in viable (arterially enhancing) tumour: solid 2R; rim around a necrotic core of radius r: 2 sqrt(R^2 - r^2); residual nodule: its diameter; none: 0',
      calipers:
        'end points along x (LPS) on the axial section through the centre; for DEMO-0002..0004 the centres lie on voxel centres of their grid',
    },
    patients: truths,
  };
  onFile({ path: demoCohortGroundTruthPath, bytes: demoJsonBytes(cohort) });
  return { cohort, patients };
}

/** The whole cohort in memory (see `streamDemoCohort`): about 60 MB for 'small', 275 MB for 'standard'. */
export function generateDemoCohort(options: DemoStudyOptions = {}): DemoCohort & { files: DemoFile[] } {
  const files: DemoFile[] = [];
  const result = streamDemoCohort(options, (file) => files.push(file));
  return { ...result, files };
}

function cohortPatientTruth(p: DemoCohortPatientDesign, truth: DemoGroundTruth): DemoCohortPatientTruth {
  const { design } = p;
  const baselineIds = new Set(design.timepoints[0].lesions.map((l) => l.id));
  const timepoints = design.timepoints.map((tp, t) => {
    const tpTruth = truth.timepoints[t]!;
    const o = tp.anatomyOffsetMm;
    const lps = (b: Vec3): Vec3 => [b[0] + o[0], b[1] + o[1], b[2] + o[2]];
    const lesions = tp.lesions.map((l): DemoLesionTruth => {
      const d = lesionDiameters(l);
      const target = p.targetIds.indexOf(l.id);
      return {
        id: l.id,
        couinaudSegment: l.couinaudSegment,
        role: target >= 0 ? 'target' : baselineIds.has(l.id) ? 'non-target' : 'new',
        target: target >= 0 ? target + 1 : null,
        centreLpsMm: lps(l.centreBodyMm),
        longestDiameterMm: d.longestDiameterMm,
        longestCaliperLpsMm: [lps(d.longestCaliperBodyMm[0]), lps(d.longestCaliperBodyMm[1])],
        viablePattern: d.viablePattern,
        viableLongestDiameterMm: d.viableLongestDiameterMm,
        viableCaliperLpsMm: d.viableCaliperBodyMm && [lps(d.viableCaliperBodyMm[0]), lps(d.viableCaliperBodyMm[1])],
      };
    });
    return {
      key: tp.key,
      studyDate: tp.isoDate,
      accessionNumber: tp.accessionNumber,
      studyInstanceUid: tpTruth.studyInstanceUid,
      arterialSeriesInstanceUid: tpTruth.series.find((s) => s.phase === 'arterial')!.seriesInstanceUid,
      folder: tpTruth.folder,
      letbPercent: tpTruth.letbPercent,
      lesions,
    };
  });
  const [pre, post] = timepoints as [(typeof timepoints)[number], (typeof timepoints)[number]];
  const criteria = (
    measure: 'longestDiameterMm' | 'viableLongestDiameterMm',
    expected: DemoCohortPatientDesign['expected']['recist'],
  ): DemoCriteriaResponse => {
    // A target missing at follow-up has disappeared: 0 mm.
    const sum = (lesions: readonly DemoLesionTruth[]) =>
      p.targetIds.reduce((s, id) => s + (lesions.find((l) => l.id === id)?.[measure] ?? 0), 0);
    const baselineSumMm = sum(pre.lesions);
    const followUpSumMm = sum(post.lesions);
    const nonTargetsAtBaseline = pre.lesions.filter((l) => l.role === 'non-target').length;
    const nonTargetsPresent = post.lesions.filter((l) => l.role === 'non-target' && l[measure] > 0).length;
    return {
      baselineSumMm,
      followUpSumMm,
      changeMm: followUpSumMm - baselineSumMm,
      changePercent: ((followUpSumMm - baselineSumMm) / baselineSumMm) * 100,
      nonTarget: nonTargetsAtBaseline > 0 && nonTargetsPresent > 0 ? 'non-CR/non-PD' : 'CR',
      ...expected,
    };
  };
  return {
    patientId: design.patient.id,
    patientName: design.patient.name,
    birthDate: design.patient.birthDate,
    sex: design.patient.sex,
    folder: design.folder,
    size: truth.size,
    groundTruth: p.groundTruthPath,
    summary: p.summary,
    treatment: { kind: 'TACE', treatedSegments: [...design.treatedSegments] },
    timepoints,
    letbChangePercent: truth.letbChangePercent,
    response: {
      targetIds: [...p.targetIds],
      newLesion: post.lesions.some((l) => l.role === 'new'),
      recist: criteria('longestDiameterMm', p.expected.recist),
      mrecist: criteria('viableLongestDiameterMm', p.expected.mrecist),
    },
  };
}
