import type { UnblindedCase } from '../../../core/ipc/contract';
import { buildStudyReport, type ReportStudy, type StudyReport } from '../../../core/report/studyReport';
import { assessLetb } from '../../../core/studies/assessLetb';
import { assessRead } from '../../../core/studies/assessRead';
import type { Protocol } from '../../../core/studies/protocol';
import type { LetbRoiMeasurement, LetbRoiValue, ReadEntry } from '../../../core/studies/readForm';
import { fixtureCases, fixtureProtocol, fixtureStudy } from './reportFixture';

/** The report fixture's protocol with every reader placing the three LETB ROIs per timepoint. */
export const letbFixtureProtocol: Protocol = { ...fixtureProtocol, letb: true };

/** LETB (%) of one placement, or 'ne' for a placement marked not evaluable. */
type Placed = number | 'ne';
type Triplet = [Placed, Placed, Placed];

/**
 * Per case: [Reader 1, Reader 2], each [baseline, follow-up] × three placements. The values have
 * more decimals than reads.csv keeps (3), so a statistic computed from the stored values and one
 * computed from the CSV text differ: the report must use the CSV text. Reader 2's C-003
 * follow-up has a not evaluable placement, so that timepoint has no LETB and the case no change.
 */
export const letbPlacements: Record<string, [[Triplet, Triplet], [Triplet, Triplet]]> = {
  'C-001': [
    [
      [30.12344, 31.04561, 29.87912],
      [17.50123, 18.23337, 17.01091],
    ],
    [
      [32.00071, 30.55512, 31.22226],
      [19.11134, 18.00045, 18.77771],
    ],
  ],
  'C-002': [
    [
      [12.34567, 12.98761, 11.87654],
      [15.43219, 16.01012, 15.11115],
    ],
    [
      [13.33331, 12.12129, 12.88884],
      [14.99996, 15.82823, 16.26261],
    ],
  ],
  'C-003': [
    [
      [45.67891, 44.32104, 46.00053],
      [40.04046, 41.14142, 39.93937],
    ],
    [
      [44.44448, 47.07073, 45.50506],
      [39.39392, 'ne', 40.40407],
    ],
  ],
  'C-004': [
    [
      [22.22228, 21.21215, 23.23231],
      [14.14149, 15.15154, 13.13137],
    ],
    [
      [20.20203, 22.02208, 21.12117],
      [15.55553, 14.44449, 16.66661],
    ],
  ],
};

/** A measurement as the main process stores it; only `letbPercent` matters to the report. */
function measurement(letbPercent: number): LetbRoiMeasurement {
  const liverMl = 1500;
  return {
    roiVoxels: 524,
    meanHu: 12.5,
    sdHu: 9.1,
    thresholdHu: 30.7,
    enhancingVoxels: Math.round((letbPercent / 100) * 200_000),
    enhancingMl: (letbPercent / 100) * liverMl,
    liverMl,
    letbPercent,
    flags: { leavesImage: false, leavesLiver: false, liverFraction: 1 },
    maskSha256: 'ab'.repeat(32),
    resampledPrecontrast: false,
    softwareVersion: '0.1.0',
  };
}

/** The three `letb.roi<k>` answers of every timepoint of one read. */
export function letbEntries(timepoints: readonly Triplet[]): ReadEntry[] {
  return timepoints.flatMap((triplet, timepoint) =>
    triplet.map((v, k): ReadEntry => {
      const value: LetbRoiValue =
        v === 'ne'
          ? { status: 'not_evaluable' }
          : {
              status: 'placed',
              centerLps: [10 * k, 20, -30 - timepoint],
              volumeMl: 1,
              shape: 'sphere',
              measurement: measurement(v),
            };
      return { timepoint, item: `letb.roi${k + 1}`, value };
    }),
  );
}

/** The report fixture's four cases with the readers' LETB placements, `letb` filled by `assessLetb` as the app does. */
export function letbFixtureCases(
  placements: Record<string, [[Triplet, Triplet], [Triplet, Triplet]]> = letbPlacements,
): UnblindedCase[] {
  return fixtureCases(letbFixtureProtocol).map((c) => ({
    ...c,
    reads: c.reads.map((r, i) => {
      const entries = [...r.entries, ...letbEntries(placements[c.caseCode]![i]!)];
      return { ...r, entries, assessment: assessRead(letbFixtureProtocol, 2, entries), letb: assessLetb(2, entries) };
    }),
  }));
}

export const letbFixtureStudy: ReportStudy = {
  ...fixtureStudy,
  name: 'LETB reader study',
  protocol: letbFixtureProtocol,
};

export function letbFixtureReport(cases: UnblindedCase[] = letbFixtureCases()): StudyReport {
  return buildStudyReport(letbFixtureStudy, cases);
}
