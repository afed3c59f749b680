import type { OutcomeAnalysis, OutcomeGrouping, UnblindedCase } from '../../../core/ipc/contract';
import { letbChange, reportResponderThresholds } from '../../../core/letb/letbChange';
import {
  caseEndpoints,
  daysPerMonth,
  outcomeEndpointDefinitions,
  outcomeEndpointKeys,
  type CaseEndpoints,
} from '../../../core/outcomes/outcomeEndpoints';
import { survivalComparison } from '../../../core/outcomes/survivalComparison';
import { fixtureCases, fixtureLetbChanges } from './reportFixture';

/** The baseline exam of every fixture case (DICOM DA). */
const baselineDate = '20240115';

/** An ISO date `days` after the baseline. */
const after = (days: number) => new Date(Date.UTC(2024, 0, 15) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Event days after the baseline per case; 487, 974, 1461 and 1948 days are exactly 16, 32, 48 and
 * 64 months of 30.4375 days. C-001 alive at 64 months; C-002 died at 16; C-003 died at 32;
 * C-004 died at 48.
 */
const outcomeDays: Record<
  string,
  { last: number; death: boolean; hepatic?: number; progression?: number; untreatable?: number }
> = {
  'C-001': { last: 1948, death: false, hepatic: 974 },
  'C-002': { last: 487, death: true, hepatic: 243, progression: 243 },
  'C-003': { last: 974, death: true, hepatic: 487 },
  'C-004': { last: 1461, death: true, hepatic: 974, untreatable: 1461 },
};

/**
 * The outcome analysis of the report fixture's four cases built by hand the way
 * `studyOutcomeAnalysis` builds it from the database (no database here): the LETB groupings at
 * every report threshold from `letbChanges` (a case missing there is left out), then RECIST 1.1
 * and mRECIST objective response of Reader 1 and Reader 2 from the fixture's assessments.
 * With `letbFromReads`, the LETB groupings are those of a study whose readers measured LETB: per
 * reader and threshold from the change of each read's timepoint LETB (`read.letb`).
 * @param withOutcome the cases that have an outcome row (default all four)
 */
export function fixtureOutcomeAnalysis(
  options: {
    withOutcome?: readonly string[];
    letbChanges?: ReadonlyMap<string, number>;
    cases?: UnblindedCase[];
    letbFromReads?: boolean;
  } = {},
): OutcomeAnalysis {
  const cases = options.cases ?? fixtureCases();
  const letbChanges = options.letbChanges ?? fixtureLetbChanges;
  const codes = cases.map((c) => c.caseCode);
  const withOutcome = new Set(options.withOutcome ?? codes);
  const endpointsByCase = new Map<string, CaseEndpoints>(
    [...withOutcome].map((code) => {
      const d = outcomeDays[code]!;
      const iso = (days?: number) => (days === undefined ? null : after(days));
      return [
        code,
        caseEndpoints(baselineDate, {
          lastFollowupDate: after(d.last),
          death: d.death,
          hepaticProgressionDate: iso(d.hepatic),
          progressionDate: iso(d.progression),
          untreatableProgressionDate: iso(d.untreatable),
        }),
      ];
    }),
  );
  const groupings: OutcomeGrouping[] = [];
  for (const readerId of options.letbFromReads ? [1, 2] : []) {
    const displayName = cases[0]!.reads.find((r) => r.readerId === readerId)!.reader;
    for (const t of reportResponderThresholds) {
      const grouping = new Map<string, boolean | null>();
      const leftOut: OutcomeGrouping['leftOut'] = [];
      for (const c of cases) {
        const [pre, post] = c.reads.find((r) => r.readerId === readerId)!.letb?.timepoints ?? [];
        const change =
          pre?.letbPercent != null && post?.letbPercent != null
            ? letbChange(pre.letbPercent, post.letbPercent, [t])
            : null;
        if (!change?.estimable) {
          grouping.set(c.caseCode, null);
          if (endpointsByCase.has(c.caseCode))
            leftOut.push({ caseCode: c.caseCode, reason: `no LETB at the first follow-up in ${displayName}'s read` });
        } else grouping.set(c.caseCode, change.responders[0]!.responder);
      }
      groupings.push({
        key: `letb${t}`,
        kind: 'letb',
        thresholdPercent: t,
        reader: { readerId, displayName },
        positiveLabel: `LETB change < ${t} %, ${displayName}`,
        negativeLabel: `LETB change ≥ ${t} %, ${displayName}`,
        leftOut,
        comparison: survivalComparison(endpointsByCase, grouping, {
          labels: { positive: 'responder', negative: 'nonresponder' },
        }),
      });
    }
  }
  for (const t of options.letbFromReads ? [] : reportResponderThresholds) {
    const grouping = new Map<string, boolean | null>();
    const leftOut: OutcomeGrouping['leftOut'] = [];
    for (const code of codes) {
      const change = letbChanges.get(code);
      if (change === undefined) {
        grouping.set(code, null);
        if (endpointsByCase.has(code))
          leftOut.push({
            caseCode: code,
            reason: 'no LETB at the first follow-up (no ROI placements on its arterial series)',
          });
        continue;
      }
      // A responder as `letbChange` has it: the change strictly below the threshold.
      grouping.set(code, change < t);
    }
    groupings.push({
      key: `letb${t}`,
      kind: 'letb',
      thresholdPercent: t,
      reader: null,
      positiveLabel: `LETB change < ${t} %`,
      negativeLabel: `LETB change ≥ ${t} %`,
      leftOut,
      comparison: survivalComparison(endpointsByCase, grouping, {
        labels: { positive: 'responder', negative: 'nonresponder' },
      }),
    });
  }
  for (const criteria of ['recist', 'mrecist'] as const) {
    for (const readerId of [1, 2]) {
      const grouping = new Map<string, boolean | null>();
      const leftOut: OutcomeGrouping['leftOut'] = [];
      let displayName = '';
      for (const c of cases) {
        const read = c.reads.find((r) => r.readerId === readerId)!;
        displayName = read.reader;
        const a = read.assessment[criteria];
        if (!a?.estimable) {
          grouping.set(c.caseCode, null);
          if (endpointsByCase.has(c.caseCode))
            leftOut.push({ caseCode: c.caseCode, reason: a ? a.reason : 'no assessment' });
        } else grouping.set(c.caseCode, a.assessment.objectiveResponse);
      }
      groupings.push({
        key: criteria,
        kind: criteria,
        thresholdPercent: null,
        reader: { readerId, displayName },
        positiveLabel: `${criteria} objective response, ${displayName}`,
        negativeLabel: `${criteria} no objective response, ${displayName}`,
        leftOut,
        comparison: survivalComparison(endpointsByCase, grouping, {
          labels: { positive: 'objective responder', negative: 'non-responder' },
        }),
      });
    }
  }
  return {
    studyId: 1,
    importedAt: '2025-03-04T10:00:00.000Z',
    sourceSha256: 'ab'.repeat(32),
    cases: endpointsByCase.size,
    casesWithoutOutcome: codes.filter((c) => !endpointsByCase.has(c)),
    timeUnit: 'months',
    daysPerMonth,
    endpoints: outcomeEndpointKeys.map((endpoint) => ({ endpoint, ...outcomeEndpointDefinitions[endpoint] })),
    groupings,
  };
}
