import type { UnblindedCase } from '../../../core/ipc/contract';
import { buildStudyReport, type ReportStudy, type StudyReport } from '../../../core/report/studyReport';
import { assessRead } from '../../../core/studies/assessRead';
import { referenceProtocol, type Protocol } from '../../../core/studies/protocol';
import type { ReadEntry } from '../../../core/studies/readForm';

/**
 * A small unblinded two-reader study built by hand (no database): the reference protocol plus a
 * numeric question, four cases with two timepoints, categories computed by `assessRead` exactly as
 * the app does. The numbers it gives are checked in the tests against `itemAgreement` itself.
 */
export const fixtureProtocol: Protocol = {
  ...referenceProtocol,
  items: [
    ...referenceProtocol.items,
    {
      id: 'liver_span',
      label: 'Craniocaudal liver span',
      scope: 'baseline',
      kind: 'numeric',
      unit: 'cm',
      min: 5,
      max: 40,
    },
  ],
};

const measured = (lengthMm: number) => ({
  status: 'measured' as const,
  aLps: [0, 0, 0] as [number, number, number],
  bLps: [lengthMm, 0, 0] as [number, number, number],
  seriesKey: 't0-s1',
  lengthMm,
});
const lesion = (v: number | 'absent') => (v === 'absent' ? { status: 'absent' as const } : measured(v));

interface ReadSpec {
  /** Target 1 longest diameter, baseline → follow-up (mm). */
  longest: [number, number];
  /** Target 1 viable diameter, baseline → follow-up (mm), or absent. */
  viable: [number | 'absent', number | 'absent'];
  enhancement: string;
  burden: string;
  liverSpanCm: number;
  newLesion?: boolean;
}

function entries(r: ReadSpec): ReadEntry[] {
  return [
    { timepoint: 0, item: 'target1.longest', value: lesion(r.longest[0]) },
    { timepoint: 1, item: 'target1.longest', value: lesion(r.longest[1]) },
    { timepoint: 0, item: 'target1.viable', value: lesion(r.viable[0]) },
    { timepoint: 1, item: 'target1.viable', value: lesion(r.viable[1]) },
    { timepoint: 0, item: 'nontarget', value: 'absent' },
    { timepoint: 1, item: 'nontarget', value: 'absent' },
    { timepoint: 1, item: 'new_lesion', value: r.newLesion ?? false },
    { timepoint: 0, item: 'enhancement', value: r.enhancement },
    { timepoint: 0, item: 'burden', value: r.burden },
    { timepoint: 0, item: 'liver_span', value: r.liverSpanCm },
  ];
}

/** Per case: Reader 1's and Reader 2's reads. */
const reads: [string, ReadSpec, ReadSpec][] = [
  // R1 −30 % (PR), viable gone (CR); R2 −28.6 % (SD), viable −66.7 % (PR).
  [
    'C-001',
    { longest: [40, 28], viable: [30, 'absent'], enhancement: 'hyperenhancing', burden: '<25%', liverSpanCm: 15.2 },
    { longest: [42, 30], viable: [30, 10], enhancement: 'hyperenhancing', burden: '<25%', liverSpanCm: 15.8 },
  ],
  // Both PD.
  [
    'C-002',
    { longest: [50, 62], viable: [40, 50], enhancement: 'hyperenhancing', burden: '25-50%', liverSpanCm: 18.0 },
    { longest: [48, 60], viable: [40, 52], enhancement: 'iso-/hypoenhancing', burden: '>50-75%', liverSpanCm: 17.4 },
  ],
  // R1 SD / SD; R2 PR / PR.
  [
    'C-003',
    { longest: [35, 33], viable: [20, 15], enhancement: 'iso-/hypoenhancing', burden: '>50-75%', liverSpanCm: 21.5 },
    { longest: [36, 25], viable: [20, 12], enhancement: 'iso-/hypoenhancing', burden: '>50-75%', liverSpanCm: 22.3 },
  ],
  // R1 PR / CR; R2 PR / PR.
  [
    'C-004',
    { longest: [60, 30], viable: [50, 'absent'], enhancement: 'iso-/hypoenhancing', burden: '>75%', liverSpanCm: 17.1 },
    { longest: [58, 31], viable: [45, 5], enhancement: 'iso-/hypoenhancing', burden: '>75%', liverSpanCm: 16.0 },
  ],
];

export const fixtureReaders = ['Reader 1', 'Reader 2'] as const;

/** The four cases as `getUnblindedReads` returns them. */
export function fixtureCases(protocol: Protocol = fixtureProtocol): UnblindedCase[] {
  return reads.map(([caseCode, r1, r2], n) => ({
    caseId: n + 1,
    caseCode,
    timepoints: [
      { ordinal: 0, label: 'baseline' },
      { ordinal: 1, label: '+6 weeks' },
    ],
    reads: [r1, r2].map((spec, i) => {
      const e = entries(spec);
      return {
        readId: 10 * (n + 1) + i,
        readerId: i + 1,
        reader: fixtureReaders[i]!,
        submittedAt: '2025-03-01T10:00:00.000Z',
        entries: e,
        assessment: assessRead(protocol, 2, e),
        letb: null,
      };
    }),
  }));
}

export const fixtureStudy: ReportStudy = {
  name: 'TACE response study <pilot> & "test"',
  protocol: fixtureProtocol,
  randomizationSeed: 42,
  createdAt: '2025-02-01T08:00:00.000Z',
  frozenAt: '2025-02-02T09:15:00.000Z',
  unblindedAt: '2025-03-02T16:30:00.000Z',
  readers: [...fixtureReaders],
  software: { name: 'Concord', version: '0.1.0' },
  generatedAt: '2025-03-03T12:00:00.000Z',
};

/** ΔLETB per case (%), as the coordinator's ROIs would give. */
export const fixtureLetbChanges: ReadonlyMap<string, number> = new Map([
  ['C-001', -41.2],
  ['C-002', 18.5],
  ['C-003', -12.4],
  ['C-004', -30.1],
]);

/** Identity of the four cases, for the identifying copy only. */
export const fixtureIdentity = new Map([
  ['C-001', { patientName: 'DOE^JANE', patientId: 'PAT-9001' }],
  ['C-002', { patientName: 'ROE^RICHARD', patientId: 'PAT-9002' }],
  ['C-003', { patientName: 'MUSTERMANN^ERIKA', patientId: 'PAT-9003' }],
  ['C-004', { patientName: 'DUPONT^MARIE', patientId: 'PAT-9004' }],
]);

export function fixtureReport(): StudyReport {
  return buildStudyReport(fixtureStudy, fixtureCases(), fixtureLetbChanges);
}
