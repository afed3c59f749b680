import type { OutcomeAnalysis, OutcomeGrouping, UnblindedCase } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { letbChange, reportResponderThresholds, type LetbChange } from '../../../core/letb/letbChange';
import {
  caseEndpoints,
  daysPerMonth,
  firstTreatmentCases,
  outcomeEndpointDefinitions,
  outcomeEndpointKeys,
  patientLevelEndpoints,
  type CaseEndpoints,
} from '../../../core/outcomes/outcomeEndpoints';
import { survivalComparison } from '../../../core/outcomes/survivalComparison';
import type { ResponseCriteria } from '../../../core/recist/responseCategory';
import type { LetbTimepointSummary } from '../../../core/studies/assessLetb';
import { letbPlacementCount } from '../../../core/studies/readForm';
import type { Database } from '../../db/database';
import { caseTimepointLetb } from '../../db/repositories/caseLetb';
import { caseBaselines, studyOutcomes } from '../../db/repositories/outcomes';
import { getStudy, studyProtocol } from '../../db/repositories/reads';
import { unblindedCases } from './unblindedCases';

/** Why outcomes cannot be imported or analysed before unblinding. */
export const outcomesBlindedMessage =
  'The study is still blinded: outcomes exist only after unblinding, once every read is submitted and locked.';

const signed = (t: number) => `${t > 0 ? '+' : ''}${t}`;
const criteriaName: Record<ResponseCriteria, string> = { recist: 'RECIST 1.1', mrecist: 'mRECIST' };

/**
 * LETB responder status per case at every report threshold: the change from the baseline
 * timepoint (ordinal 0) to the first follow-up (ordinal 1), each the mean of the placements on
 * that exam's arterial series (`caseTimepointLetb`); responder as `letbChange` defines it
 * (change strictly below the threshold). A string is why the case has no status.
 */
async function letbStatus(
  db: Database,
  studyId: number,
  caseCodes: readonly string[],
): Promise<Map<string, LetbChange | string>> {
  const letb = await caseTimepointLetb(db, studyId);
  const out = new Map<string, LetbChange | string>();
  for (const code of caseCodes) {
    const timepoints = letb.get(code) ?? [];
    const pre = timepoints[0] ?? null;
    const post = timepoints[1] ?? null;
    const missing = [pre === null ? 'the baseline' : null, post === null ? 'the first follow-up' : null].filter(
      Boolean,
    );
    if (missing.length > 0) {
      out.set(code, `no LETB at ${missing.join(' nor at ')} (no ROI placements on its arterial series)`);
      continue;
    }
    const change = letbChange(pre!, post!, reportResponderThresholds);
    out.set(code, change.estimable ? change : `LETB change not estimable: ${change.reason}`);
  }
  return out;
}

/**
 * LETB responder status per case from one reader's blinded reads, when the protocol has the
 * readers measure LETB: the change from the baseline to the first follow-up of the read's
 * timepoint LETB (each the mean of the reader's three placements, `assessLetb`), recomputed by
 * `letbChange` at every report threshold. A string is why the case has no status in this reader's
 * read.
 */
function readerLetbStatus(
  cases: readonly UnblindedCase[],
  caseCodes: readonly string[],
  readerId: number,
  displayName: string,
): Map<string, LetbChange | string> {
  const out = new Map<string, LetbChange | string>();
  const where = (t: number) => (t === 0 ? 'the baseline' : 'the first follow-up');
  const why = (t: number, tp: LetbTimepointSummary | undefined) =>
    `${where(t)}${tp && tp.notEvaluable > 0 ? ` (${tp.notEvaluable} of ${letbPlacementCount} ROI placements not evaluable)` : tp === undefined && t > 0 ? ' (the case has no follow-up)' : ''}`;
  for (const code of caseCodes) {
    const read = cases
      .find((c) => c.caseCode === code)
      ?.reads.find((r) => r.readerId === readerId && r.submittedAt !== '');
    if (!read) {
      out.set(code, `no submitted read by ${displayName}`);
      continue;
    }
    const [pre, post] = read.letb?.timepoints ?? [];
    const missing = [pre, post].flatMap((tp, t) => (typeof tp?.letbPercent === 'number' ? [] : [why(t, tp)]));
    if (missing.length > 0) {
      out.set(code, `no LETB at ${missing.join(' nor at ')} in ${displayName}'s read`);
      continue;
    }
    const change = letbChange(pre!.letbPercent!, post!.letbPercent!, reportResponderThresholds);
    out.set(code, change.estimable ? change : `LETB change not estimable in ${displayName}'s read: ${change.reason}`);
  }
  return out;
}

/**
 * Survival by response of an unblinded study (SPEC §5): every LETB threshold of the report set —
 * from each reader's ROI placements, one grouping per reader and threshold, when the protocol has
 * the readers measure LETB, else from the coordinator's placements — then RECIST 1.1 and mRECIST
 * objective response per reader, each compared on every endpoint (`survivalComparison`). No
 * access check: callers check the caller's role (the `getOutcomeAnalysis` handler, the report
 * service behind a coordinator-only method).
 * @throws AppException CONFLICT while the study is blinded, NOT_FOUND for an unknown study
 * @returns the analysis, or null when no outcomes have been imported for the study
 */
export async function studyOutcomeAnalysis(db: Database, studyId: number): Promise<OutcomeAnalysis | null> {
  const study = await getStudy(db, studyId);
  if (!study.unblinded_at) throw new AppException('CONFLICT', outcomesBlindedMessage);
  const stored = await studyOutcomes(db, studyId);
  if (stored.length === 0) return null;
  const endpointsByCase = new Map<string, CaseEndpoints>(
    stored.map((o) => [o.caseCode, caseEndpoints(o.baselineDate, o.dates)]),
  );
  // Overall survival and time to untreatable progression are per patient (SPEC §5): a patient
  // with several treatment cases counts once there, with the first treatment's case.
  const patientLevelCases = firstTreatmentCases(
    stored.map((o) => ({ caseKey: o.caseCode, patientKey: String(o.patientRef), baselineDate: o.baselineDate })),
  );
  const laterTreatments = stored.filter((o) => !patientLevelCases.has(o.caseCode)).map((o) => o.caseCode);
  // Every case is grouped (so each comparison counts those without outcomes); only cases
  // with outcomes are listed as left out, the others are listed once in casesWithoutOutcome.
  const allCases = await caseBaselines(db, studyId);
  const codes = allCases.map((c) => c.caseCode);
  const leaveOut = (list: OutcomeGrouping['leftOut'], caseCode: string, reason: string) => {
    if (endpointsByCase.has(caseCode)) list.push({ caseCode, reason });
  };
  const groupings: OutcomeGrouping[] = [];

  const protocol = studyProtocol(study);
  const unblinded = await unblindedCases(db, studyId);
  const readers = new Map<number, string>();
  for (const c of unblinded) for (const r of c.reads) readers.set(r.readerId, r.reader);
  const readerIds = [...readers.keys()].sort((a, b) => a - b);

  const letbGroupings = (status: ReadonlyMap<string, LetbChange | string>, reader: OutcomeGrouping['reader']) => {
    const whose = reader ? `, ${reader.displayName}` : '';
    for (const [j, t] of reportResponderThresholds.entries()) {
      const grouping = new Map<string, boolean | null>();
      const leftOut: OutcomeGrouping['leftOut'] = [];
      for (const code of codes) {
        const s = status.get(code)!;
        if (typeof s === 'string') {
          grouping.set(code, null);
          leaveOut(leftOut, code, s);
        } else if (s.estimable) {
          grouping.set(code, s.responders[j]!.responder);
        }
      }
      groupings.push({
        key: `letb${t}`,
        kind: 'letb',
        thresholdPercent: t,
        reader,
        positiveLabel: `LETB change < ${signed(t)} %${whose}`,
        negativeLabel: `LETB change ≥ ${signed(t)} %${whose}`,
        leftOut,
        comparison: survivalComparison(endpointsByCase, grouping, {
          labels: { positive: 'responder', negative: 'nonresponder' },
          patientLevelCases,
        }),
      });
    }
  };
  if (protocol.letb) {
    for (const readerId of readerIds) {
      const displayName = readers.get(readerId)!;
      letbGroupings(readerLetbStatus(unblinded, codes, readerId, displayName), { readerId, displayName });
    }
  } else {
    letbGroupings(await letbStatus(db, studyId, codes), null);
  }

  for (const criteria of (['recist', 'mrecist'] as const).filter((c) => protocol.criteria.includes(c))) {
    for (const readerId of readerIds) {
      const displayName = readers.get(readerId)!;
      const grouping = new Map<string, boolean | null>();
      const leftOut: OutcomeGrouping['leftOut'] = [];
      for (const code of codes) {
        const read = unblinded
          .find((c) => c.caseCode === code)
          ?.reads.find((r) => r.readerId === readerId && r.submittedAt !== '');
        const assessment = read?.assessment[criteria];
        const reason = !read
          ? `no submitted read by ${displayName}`
          : !assessment
            ? `the read has no ${criteriaName[criteria]} assessment`
            : !assessment.estimable
              ? assessment.reason
              : null;
        if (reason !== null) leaveOut(leftOut, code, reason);
        grouping.set(code, assessment?.estimable ? assessment.assessment.objectiveResponse : null);
      }
      groupings.push({
        key: criteria,
        kind: criteria,
        thresholdPercent: null,
        reader: { readerId, displayName },
        positiveLabel: `${criteriaName[criteria]} objective response (CR or PR), ${displayName}`,
        negativeLabel: `${criteriaName[criteria]} no objective response (SD, PD or NE), ${displayName}`,
        leftOut,
        comparison: survivalComparison(endpointsByCase, grouping, {
          labels: { positive: 'objective responder', negative: 'non-responder' },
          patientLevelCases,
        }),
      });
    }
  }

  return {
    studyId,
    importedAt: stored[0]!.importedAt,
    sourceSha256: stored[0]!.sourceSha256,
    cases: stored.length,
    casesWithoutOutcome: allCases.filter((c) => !endpointsByCase.has(c.caseCode)).map((c) => c.caseCode),
    timeUnit: 'months',
    daysPerMonth,
    endpoints: outcomeEndpointKeys.map((endpoint) => {
      const d = outcomeEndpointDefinitions[endpoint];
      const perPatient = laterTreatments.length > 0 && patientLevelEndpoints.includes(endpoint);
      return {
        endpoint,
        label: d.label,
        definition: perPatient
          ? `${d.definition} Per patient: a patient treated more than once counts once, from the first treatment's baseline and by its response (not counted here: ${laterTreatments.join(', ')}).`
          : d.definition,
      };
    }),
    groupings,
  };
}
