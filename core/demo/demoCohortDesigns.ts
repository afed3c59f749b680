import type { ResponseCategory } from '../recist/responseCategory';
import type { DemoLesionDesign, PhaseHu } from './demoPhantom';
import { demoFirstPatient, demoGroundTruthPath, type DemoPatientDesign, type DemoSeriesDesign } from './demoStudy';

/** What a correct read of a cohort patient gives under one set of criteria, at the follow-up. */
export interface DemoExpectedCategories {
  targetResponse: ResponseCategory;
  overallResponse: ResponseCategory;
}

/** One patient of the demo cohort with what a reader should find. */
export interface DemoCohortPatientDesign {
  design: DemoPatientDesign;
  /** Grid of the patient's exams: DEMO-0001 follows the caller's size, the others are always 'small'. */
  grid: 'requested' | 'small';
  /** Where the patient's LETB ground truth goes (format of ground-truth.json). */
  groundTruthPath: string;
  /**
   * Target lesions in reading-form order (target1, target2): the largest lesion of each lobe at
   * baseline (SPEC §3: up to two liver targets, one per lobe when possible). Every other lesion
   * present at baseline is non-target; a lesion first seen at follow-up is new.
   */
  targetIds: readonly string[];
  /** Hand-derived from the designed diameters (sums in the comments), checked against core/recist in test/core/demo. */
  expected: { recist: DemoExpectedCategories; mrecist: DemoExpectedCategories };
  /** One line on what the case shows (for the coordinator; never shown to readers). */
  summary: string;
}

/** Seconds after midnight. */
const at = (h: number, m: number, s: number): number => h * 3600 + m * 60 + s;

/** The CT series of an exam: precontrast, then arterial and portal venous after the given delays (s). */
function phases(
  numbers: [number, number, number],
  descriptions: [string, string, string],
  arterialS: number,
  portalS: number,
): DemoSeriesDesign[] {
  return [
    { phase: 'precontrast', folder: 'PRE', number: numbers[0], description: descriptions[0], delaySeconds: null },
    { phase: 'arterial', folder: 'ART', number: numbers[1], description: descriptions[1], delaySeconds: arterialS },
    { phase: 'portal_venous', folder: 'PV', number: numbers[2], description: descriptions[2], delaySeconds: portalS },
  ];
}

const hu = (precontrast: number, arterial: number, portal_venous: number): PhaseHu => ({
  precontrast,
  arterial,
  portal_venous,
});

/**
 * A lesion of the cohort's extra patients. Their centres are whole multiples of 3 mm in x and y
 * and of 2.5 mm in z, and every exam's anatomy offset and first slice put such body points on
 * voxel centres of the 'small' grid (x, y ≡ 1.5 mod 3 mm from the −190.5 mm origin; z on a
 * slice), so each lesion's central section is an image and its diameters lie on voxel rows.
 */
const lesion = (
  id: string,
  couinaudSegment: string,
  centreBodyMm: [number, number, number],
  radiusMm: number,
  viableHu: PhaseHu,
  more: Partial<DemoLesionDesign> = {},
): DemoLesionDesign => ({
  id,
  couinaudSegment,
  centreBodyMm,
  radiusMm,
  necroticRadiusMm: 0,
  lipiodolRadiusMm: 0,
  viableHu,
  ...more,
});

/**
 * DEMO^SECOND, DEMO-0002: clear partial responder. TACE of segments III, VI and VII; every
 * lesion shrinks and stays solid. Targets L1 (VII) 48 → 30 mm and L2 (III) 30 → 18 mm:
 * sum 78 → 48 mm, −38.5 % → RECIST 1.1 PR; the viable diameters are the same → mRECIST PR.
 * Non-target L3 (VI) 16 → 12 mm, present; no new lesion.
 */
const second: DemoPatientDesign = {
  patient: { name: 'DEMO^SECOND', id: 'DEMO-0002', birthDate: '19490722', sex: 'M', age: '074Y' },
  folder: 'DEMO-0002',
  namespace: 'DEMO-0002/',
  treatedSegments: ['III', 'VI', 'VII'],
  timepoints: [
    {
      key: 'pre',
      isoDate: '2024-03-05',
      studyTime: '083914',
      accessionNumber: 'A240305118',
      studyId: '5120',
      description: 'CT LIVER 3 PHASE',
      anatomyOffsetMm: [1.5, 10.5, -140],
      firstSliceZMm: -227.5,
      precontrastStartS: at(8, 41, 2.37),
      contrastStartS: at(8, 43, 15),
      series: phases(
        [2, 3, 4],
        ['ABD NON CONTRAST 2.5mm', 'ARTERIAL PHASE 32s 2.5mm', 'PORTAL VENOUS 72s 2.5mm'],
        32,
        72,
      ),
      lesions: [
        lesion('L1', 'VII', [-90, 3, 0], 24, hu(40, 168, 92)),
        lesion('L2', 'III', [18, -48, 30], 15, hu(39, 175, 94)),
        lesion('L3', 'VI', [-60, 33, -30], 8, hu(42, 158, 90)),
      ],
    },
    {
      key: 'post',
      isoDate: '2024-04-23',
      studyTime: '112605',
      accessionNumber: 'A240423276',
      studyId: '5533',
      description: 'CT LIVER 3 PHASE',
      anatomyOffsetMm: [-4.5, 13.5, -152.5],
      firstSliceZMm: -242.5,
      precontrastStartS: at(11, 28, 40.8),
      contrastStartS: at(11, 30, 31),
      series: phases(
        [3, 4, 5],
        ['ABD NON CONTRAST 2.5mm', 'ARTERIAL PHASE 32s 2.5mm', 'PORTAL VENOUS 72s 2.5mm'],
        32,
        72,
      ),
      lesions: [
        lesion('L1', 'VII', [-90, 3, 0], 15, hu(41, 160, 90)),
        lesion('L2', 'III', [18, -48, 30], 9, hu(40, 166, 92)),
        lesion('L3', 'VI', [-60, 33, -30], 6, hu(42, 155, 90)),
      ],
    },
  ],
};

/**
 * DEMO^THIRD, DEMO-0003: progressor. TACE of segments II and VIII; both targets grow and a new
 * lesion appears in untreated segment V. Targets L1 (VIII) 40 → 50 mm and L2 (II) 24 → 30 mm:
 * sum 64 → 80 mm, +25 % and +16 mm → RECIST 1.1 PD (≥ 20 % and ≥ 5 mm); solid, so the viable
 * sums are the same → mRECIST PD. New lesion L4 (V, 14 mm) → overall PD under both.
 * Non-target L3 (VI) 14 → 16 mm, present.
 */
const third: DemoPatientDesign = {
  patient: { name: 'DEMO^THIRD', id: 'DEMO-0003', birthDate: '19621103', sex: 'F', age: '061Y' },
  folder: 'DEMO-0003',
  namespace: 'DEMO-0003/',
  treatedSegments: ['II', 'VIII'],
  timepoints: [
    {
      key: 'pre',
      isoDate: '2024-04-09',
      studyTime: '150148',
      accessionNumber: 'A240409053',
      studyId: '5391',
      description: 'CT ABDOMEN TRIPHASIC LIVER',
      anatomyOffsetMm: [4.5, 7.5, -131.2],
      firstSliceZMm: -218.7,
      precontrastStartS: at(15, 3, 55.6),
      contrastStartS: at(15, 5, 40),
      series: phases([2, 4, 5], ['NATIVE 2.5', 'HAP 35s 2.5', 'PVP 80s 2.5'], 35, 80),
      lesions: [
        lesion('L1', 'VIII', [-84, -30, 30], 20, hu(40, 172, 93)),
        lesion('L2', 'II', [12, -48, 20], 12, hu(41, 165, 90)),
        lesion('L3', 'VI', [-63, 27, -35], 7, hu(39, 160, 88)),
      ],
    },
    {
      key: 'post',
      isoDate: '2024-05-14',
      studyTime: '091722',
      accessionNumber: 'A240514431',
      studyId: '5688',
      description: 'CT ABDOMEN TRIPHASIC LIVER',
      anatomyOffsetMm: [-1.5, 16.5, -170],
      firstSliceZMm: -260,
      precontrastStartS: at(9, 19, 30.15),
      contrastStartS: at(9, 21, 12),
      series: phases([2, 4, 5], ['NATIVE 2.5', 'HAP 35s 2.5', 'PVP 80s 2.5'], 35, 80),
      lesions: [
        lesion('L1', 'VIII', [-84, -30, 30], 25, hu(40, 170, 92)),
        lesion('L2', 'II', [12, -48, 20], 15, hu(41, 168, 91)),
        lesion('L3', 'VI', [-63, 27, -35], 8, hu(39, 158, 88)),
        lesion('L4', 'V', [-39, -18, -25], 7, hu(40, 176, 95)),
      ],
    },
  ],
};

/**
 * DEMO^QUARTUS, DEMO-0004: stable size, viable tumour turned necrotic. Selective TACE of
 * segments III and VII; the targets keep their size but lose enhancement, with lipiodol
 * retained. Targets L1 (VII) 44 → 44 mm and L2 (III) 28 → 28 mm: sum 72 → 72 mm, 0 % →
 * RECIST 1.1 SD. Viable: L1 44 → 12 mm (a 6 mm-radius nodule at its posterior edge), L2
 * 28 → 0 mm (wholly necrotic): sum 72 → 12 mm, −83.3 % → mRECIST PR (not CR: L1 still
 * enhances). Non-target L3 (VI, untreated) 16 mm, present; no new lesion.
 */
const fourth: DemoPatientDesign = {
  patient: { name: 'DEMO^QUARTUS', id: 'DEMO-0004', birthDate: '19550217', sex: 'M', age: '069Y' },
  folder: 'DEMO-0004',
  namespace: 'DEMO-0004/',
  treatedSegments: ['III', 'VII'],
  timepoints: [
    {
      key: 'pre',
      isoDate: '2024-05-07',
      studyTime: '130307',
      accessionNumber: 'A240507209',
      studyId: '5602',
      description: 'CT LEBER 3 PHASEN',
      anatomyOffsetMm: [-1.5, 4.5, -145],
      firstSliceZMm: -235,
      precontrastStartS: at(13, 5, 18.9),
      contrastStartS: at(13, 7, 1),
      series: phases([3, 4, 5], ['LEBER NATIV 2.5', 'LEBER ARTERIELL 2.5', 'LEBER PORTALVENOES 2.5'], 34, 85),
      lesions: [
        lesion('L1', 'VII', [-93, 0, -5], 22, hu(40, 170, 92)),
        lesion('L2', 'III', [15, -45, 25], 14, hu(41, 162, 90)),
        lesion('L3', 'VI', [-57, 33, -30], 8, hu(39, 158, 89)),
      ],
    },
    {
      key: 'post',
      isoDate: '2024-07-09',
      studyTime: '101155',
      accessionNumber: 'A240709388',
      studyId: '6014',
      description: 'CT LEBER 3 PHASEN',
      anatomyOffsetMm: [1.5, 10.5, -158.8],
      firstSliceZMm: -246.3,
      precontrastStartS: at(10, 13, 44.05),
      contrastStartS: at(10, 15, 30),
      series: phases([3, 4, 5], ['LEBER NATIV 2.5', 'LEBER ARTERIELL 2.5', 'LEBER PORTALVENOES 2.5'], 34, 85),
      lesions: [
        lesion('L1', 'VII', [-93, 0, -5], 22, hu(40, 160, 90), {
          necroticRadiusMm: 22,
          lipiodolRadiusMm: 8,
          viableNodule: { centreBodyMm: [-93, 15, -5], radiusMm: 6 },
        }),
        lesion('L2', 'III', [15, -45, 25], 14, hu(41, 162, 90), { necroticRadiusMm: 14, lipiodolRadiusMm: 5 }),
        lesion('L3', 'VI', [-57, 33, -30], 8, hu(39, 158, 89)),
      ],
    },
  ],
};

/**
 * The demo cohort: DEMO-0001 (the demo study, unchanged) and three patients whose RECIST 1.1
 * and mRECIST responses differ, so a reader study on the demo has cases to disagree on.
 * Names sort after DEMO^PATIENT and every exam date falls after DEMO-0001's, so DEMO-0001 stays
 * first in the coordinator's patient and series lists.
 */
export const demoCohortDesigns: readonly DemoCohortPatientDesign[] = [
  {
    design: demoFirstPatient,
    grid: 'requested',
    groundTruthPath: demoGroundTruthPath,
    // L1 (VII) 64 → 60 mm and L4 (III) 26 → 28 mm: sum 90 → 88 mm, −2.2 % → SD. Viable (rim
    // chords 2√(R² − r²)): L1 2√(32² − 10²) = 60.79 → 2√(30² − 24²) = 36 mm, L4 26 → 28 mm:
    // 86.79 → 64 mm, −26.3 % → SD (measured across the rims, 90 → 88 mm: SD as well).
    targetIds: ['L1', 'L4'],
    expected: {
      recist: { targetResponse: 'SD', overallResponse: 'SD' },
      mrecist: { targetResponse: 'SD', overallResponse: 'SD' },
    },
    summary:
      'TACE of the right lobe: treated lesions turn necrotic, untreated left-lobe lesions grow; stable by RECIST 1.1 and mRECIST, LETB responder',
  },
  {
    design: second,
    grid: 'small',
    groundTruthPath: `${second.folder}/${demoGroundTruthPath}`,
    targetIds: ['L1', 'L2'],
    expected: {
      recist: { targetResponse: 'PR', overallResponse: 'PR' },
      mrecist: { targetResponse: 'PR', overallResponse: 'PR' },
    },
    summary: 'Clear partial response: every lesion shrinks, target sum -38.5 %',
  },
  {
    design: third,
    grid: 'small',
    groundTruthPath: `${third.folder}/${demoGroundTruthPath}`,
    targetIds: ['L1', 'L2'],
    expected: {
      recist: { targetResponse: 'PD', overallResponse: 'PD' },
      mrecist: { targetResponse: 'PD', overallResponse: 'PD' },
    },
    summary: 'Progression: target sum +25 % (+16 mm) and a new lesion in segment V',
  },
  {
    design: fourth,
    grid: 'small',
    groundTruthPath: `${fourth.folder}/${demoGroundTruthPath}`,
    targetIds: ['L1', 'L2'],
    expected: {
      recist: { targetResponse: 'SD', overallResponse: 'SD' },
      mrecist: { targetResponse: 'PR', overallResponse: 'PR' },
    },
    summary:
      'Same size, viable tumour turned necrotic: RECIST 1.1 stable, mRECIST partial response (viable sum -83.3 %)',
  },
];
