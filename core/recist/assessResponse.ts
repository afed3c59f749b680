import { bestOverallResponse } from './bestOverallResponse';
import { firstResponse } from './firstResponse';
import { isObjectiveResponse } from './objectiveResponse';
import { overallResponse } from './overallResponse';
import {
  nonTargetStatuses,
  type NonTargetStatus,
  type ResponseCategory,
  type ResponseCriteria,
} from './responseCategory';
import { sumOfDiameters } from './sumOfDiameters';
import { targetResponses, type TargetFollowUpResponse } from './targetResponses';

/** What the reader recorded at one follow-up besides the target diameters. */
export interface FollowUpFindings {
  /** Non-target status; default `'CR'` (no non-target lesion present). */
  nonTarget?: NonTargetStatus;
  /** An unequivocal new lesion; default false. */
  newLesion?: boolean;
}

/** The measurements of one case under one set of criteria. */
export interface ResponseAssessmentInput {
  criteria: ResponseCriteria;
  /**
   * `timepointsMm[t][i]`: diameter in mm of target lesion i at timepoint t (t = 0 baseline; for
   * mRECIST the viable diameter), null when not evaluable.
   */
  timepointsMm: readonly (readonly (number | null)[])[];
  /** `isNode[i]`: target lesion i is a lymph node measured by its short axis. */
  isNode?: readonly boolean[];
  /** One entry per follow-up (timepoints 1…n); missing entries take the defaults. */
  followUps?: readonly FollowUpFindings[];
}

/** The response at one follow-up: the target numbers, the findings and the overall response. */
export interface FollowUpResponse extends TargetFollowUpResponse {
  nonTarget: NonTargetStatus;
  newLesion: boolean;
  /** RECIST 1.1 Table 1 combination of the target response, `nonTarget` and `newLesion`. */
  overallResponse: ResponseCategory;
}

/** The response of one case over all its follow-ups. */
export interface ResponseAssessment {
  criteria: ResponseCriteria;
  baselineSumMm: number;
  followUps: FollowUpResponse[];
  /** Best overall response until progression; `'NE'` without follow-ups. */
  bestResponse: ResponseCategory;
  /** 1-based number of the first follow-up with CR or PR before any PD; null if none. */
  firstResponseFollowUp: number | null;
  /** The best response is CR or PR. */
  objectiveResponse: boolean;
}

/**
 * RECIST 1.1 or mRECIST response of one case: for every follow-up the sum of diameters, its change
 * versus the baseline and the nadir, the target response (`targetResponses`) and the overall
 * response (`overallResponse`, RECIST 1.1 Table 1: any new lesion or unequivocal non-target
 * progression is PD); over the follow-ups the best overall response, the first response and
 * whether there is an objective response (CR or PR).
 * For a reader who recorded both longest and viable diameters, call it once per criteria.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.3–4.4 and Table 1;
 * Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST).
 *
 * @param input criteria, target diameters per timepoint (mm), lymph-node flags and findings per follow-up
 * @returns the per-follow-up responses (empty when only a baseline is given: best response NE)
 * @throws RangeError for the invalid inputs listed at `targetResponses`, a `followUps` list longer
 *   than the number of follow-ups, or an unknown non-target status
 */
export function assessResponse(input: ResponseAssessmentInput): ResponseAssessment {
  const target = targetResponses(input.timepointsMm, input.criteria, input.isNode ? { isNode: input.isNode } : {});
  const findings = input.followUps ?? [];
  if (findings.length > target.length) {
    throw new RangeError(`${findings.length} follow-up findings for ${target.length} follow-up timepoints`);
  }
  const followUps = target.map((t, n): FollowUpResponse => {
    const nonTarget = findings[n]?.nonTarget ?? 'CR';
    const newLesion = findings[n]?.newLesion ?? false;
    if (!nonTargetStatuses.includes(nonTarget))
      throw new RangeError(`Unknown non-target status "${String(nonTarget)}" at follow-up ${n + 1}`);
    return { ...t, nonTarget, newLesion, overallResponse: overallResponse(t.targetResponse, nonTarget, newLesion) };
  });
  const overall = followUps.map((f) => f.overallResponse);
  const bestResponse = bestOverallResponse(overall);
  return {
    criteria: input.criteria,
    // targetResponses has validated the baseline: every lesion is measured.
    baselineSumMm: sumOfDiameters(input.timepointsMm[0]!).measuredSumMm,
    followUps,
    bestResponse,
    firstResponseFollowUp: firstResponse(overall),
    objectiveResponse: isObjectiveResponse(bestResponse),
  };
}
