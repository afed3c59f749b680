import { diameterMicrometres, micrometresToMm } from './diameterMicrometres';
import { percentChange } from './percentChange';
import type { ResponseCategory, ResponseCriteria } from './responseCategory';

/** Short axis (µm) below which a lymph-node target counts as normal, i.e. at CR (< 10 mm). */
const nodeCrShortAxisUm = 10_000;
/** Minimum absolute increase of the sum over the nadir for RECIST 1.1 PD (5 mm). */
const recistMinIncreaseUm = 5_000;

/** The target response at one follow-up, with the numbers it was decided on. */
export interface TargetFollowUpResponse {
  /** 1-based follow-up number (timepoint 0 is the baseline). */
  followUp: number;
  /** Sum of diameters in mm; null when a target lesion was not evaluable. */
  sumMm: number | null;
  /** Sum over the measured lesions in mm: a lower bound of the sum when some are not evaluable. */
  measuredSumMm: number;
  /** 0-based indices of the target lesions without a measurement at this follow-up. */
  notEvaluableLesions: number[];
  /** Baseline sum in mm. */
  baselineSumMm: number;
  /** The nadir this follow-up is compared with: the smallest evaluable sum before it, baseline included (mm). */
  nadirMm: number;
  /** 100 · (sum − baseline) / baseline in %; null (with the reason) when not estimable. */
  changeFromBaselinePercent: number | null;
  /** Why the change from baseline is not estimable; null when it is. */
  changeFromBaselineReason: string | null;
  /** 100 · (sum − nadir) / nadir in %; null (with the reason) when not estimable. */
  changeFromNadirPercent: number | null;
  /** Why the change from the nadir is not estimable; null when it is. */
  changeFromNadirReason: string | null;
  /** The target response. */
  targetResponse: ResponseCategory;
  /** The rule that decided the target response, in words (for the reader and the audit trail). */
  basis: string;
}

/** Per-lesion facts that do not change over time. */
export interface TargetLesionOptions {
  /**
   * `isNode[i]`: target lesion i is a lymph node, measured by its short axis; it counts as
   * disappeared for CR when the short axis is < 10 mm. Default: no nodes.
   */
  isNode?: readonly boolean[];
}

const fmt = (mm: number) => `${mm} mm`;
const fmtPercent = (p: number) => `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p).toFixed(1)} %`;

/**
 * Target-lesion response at every follow-up from the sums of diameters (timepoint 0 = baseline).
 *
 * RECIST 1.1 (`criteria = 'recist'`; dᵢ = longest diameter, short axis for lymph nodes):
 * - CR: all non-nodal targets disappeared (0 mm) and every nodal target has a short axis < 10 mm
 *   (so a CR sum can be > 0 when there are nodes);
 * - PD: S − N ≥ 0.20 · N and S − N ≥ 5 mm, with N the nadir (smallest sum before this follow-up,
 *   baseline included); also PD when, after a target CR at an earlier follow-up, a non-nodal
 *   target reappears (> 0 mm) — RECIST 1.1 §4.3 "lesions that disappear and reappear";
 * - PR: S − B ≤ −0.30 · B, with B the baseline sum;
 * - SD otherwise.
 * mRECIST (`criteria = 'mrecist'`; dᵢ = longest diameter of the viable, arterially enhancing
 * part): CR = no intratumoral arterial enhancement in any target (viable sum 0; nodes as above);
 * PR and PD as RECIST 1.1 but PD has no 5 mm minimum (Lencioni & Llovet 2010, Table 2).
 * Precedence: PD, then NE, then CR, then PR, then SD.
 *
 * Not evaluable lesions (null): the follow-up is NE unless the measured lesions alone already
 * make PD (their sum is a lower bound of the true sum). An NE follow-up never becomes the nadir.
 *
 * Exactness: diameters are summed as whole micrometres and the thresholds are compared as
 * integers (100·(S − B) ≤ −30·B, 100·(S − N) ≥ 20·N), so 100 → 70 mm is PR (exactly −30 %),
 * 100 → 71 mm SD, 20 → 24 mm SD under RECIST (+4 mm) but PD under mRECIST, 20 → 25 mm PD under
 * both, and 50 → 40 → 48 mm PD at the second follow-up (+20 % and +8 mm over the nadir 40).
 *
 * Edge cases: a baseline sum of 0 mm (possible for a viable sum) makes the change from baseline
 * not estimable (null with the reason, never NaN) and PR impossible; a nadir of 0 mm makes the
 * change from the nadir not estimable, and any increase is then ≥ 20 % (PD under mRECIST; under
 * RECIST 1.1 when ≥ 5 mm or a reappearance after CR). Only a baseline gives an empty list.
 * Not modelled: confirmation of CR/PR and the minimum duration of SD (best-response rules).
 *
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.3.1 and
 * Appendix I; Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST), Table 2.
 *
 * @param timepointsMm `timepointsMm[t][i]`: diameter in mm of target lesion i at timepoint t
 *   (t = 0 baseline), null when not evaluable; every timepoint lists the same lesions in order
 * @param criteria `'recist'` or `'mrecist'`
 * @param options which lesions are lymph nodes
 * @returns one result per follow-up (timepoints 1…n), in order
 * @throws RangeError if there is no baseline, no target lesion, timepoints list different numbers
 *   of lesions, a baseline lesion is not measured, a diameter is negative or not finite,
 *   `isNode` has the wrong length, or `criteria` is unknown
 */
export function targetResponses(
  timepointsMm: readonly (readonly (number | null)[])[],
  criteria: ResponseCriteria,
  options: TargetLesionOptions = {},
): TargetFollowUpResponse[] {
  if (criteria !== 'recist' && criteria !== 'mrecist')
    throw new RangeError(`Unknown response criteria "${String(criteria)}" (recist or mrecist)`);
  const baseline = timepointsMm[0];
  if (baseline === undefined) throw new RangeError('A response needs a baseline timepoint');
  const lesionCount = baseline.length;
  if (lesionCount === 0) throw new RangeError('A response needs at least one target lesion at baseline');
  timepointsMm.forEach((tp, t) => {
    if (tp.length !== lesionCount) {
      throw new RangeError(
        `Timepoint ${t} lists ${tp.length} target lesions, the baseline ${lesionCount}: every timepoint must list the same lesions`,
      );
    }
  });
  const isNode = options.isNode ?? new Array<boolean>(lesionCount).fill(false);
  if (isNode.length !== lesionCount)
    throw new RangeError(`isNode lists ${isNode.length} lesions, the baseline ${lesionCount}`);
  const baselineNotMeasured = baseline.flatMap((d, i) => (d === null ? [i] : []));
  if (baselineNotMeasured.length > 0)
    throw new RangeError(
      `No baseline measurement for ${targetLesions(baselineNotMeasured)}: a target must be measured at baseline`,
    );

  const um = timepointsMm.map((tp) => tp.map((d) => (d === null ? null : diameterMicrometres(d))));
  const baselineUm = um[0]!.reduce<number>((s, d) => s + d!, 0);
  const baselineSumMm = micrometresToMm(baselineUm);
  const atCrLevel = (i: number, d: number) => (isNode[i] ? d < nodeCrShortAxisUm : d === 0);
  const crWords =
    criteria === 'mrecist'
      ? 'no intratumoral arterial enhancement in any target lesion'
      : 'all target lesions disappeared';
  const nodeWords = isNode.some(Boolean) ? ' (nodal targets < 10 mm short axis)' : '';

  let nadirUm = baselineUm;
  let reachedCr = false;
  const out: TargetFollowUpResponse[] = [];
  for (let t = 1; t < um.length; t++) {
    const lesions = um[t]!;
    const notEvaluableLesions = lesions.flatMap((d, i) => (d === null ? [i] : []));
    const measuredUm = lesions.reduce<number>((s, d) => s + (d ?? 0), 0);
    const evaluable = notEvaluableLesions.length === 0;
    const nadirMm = micrometresToMm(nadirUm);
    const measuredSumMm = micrometresToMm(measuredUm);
    const sumMm = evaluable ? measuredSumMm : null;

    // A missing diameter is ≥ 0, so PD shown by the measured lesions holds for the full sum.
    const increaseUm = measuredUm - nadirUm;
    const pdBySum =
      increaseUm > 0 &&
      100 * increaseUm >= 20 * nadirUm &&
      (criteria === 'mrecist' || increaseUm >= recistMinIncreaseUm);
    const reappeared = reachedCr ? lesions.flatMap((d, i) => (d !== null && !isNode[i] && d > 0 ? [i] : [])) : [];

    let targetResponse: ResponseCategory;
    let basis: string;
    if (pdBySum) {
      targetResponse = 'PD';
      const increase = `+${micrometresToMm(increaseUm)} mm`;
      const rule = criteria === 'recist' ? 'PD: ≥ +20 % and ≥ +5 mm' : 'PD: ≥ +20 %, no 5 mm minimum under mRECIST';
      basis =
        (evaluable ? '' : 'the measured lesions alone show ') +
        (nadirUm > 0
          ? `${fmtPercent((100 * increaseUm) / nadirUm)} and ${increase} over the nadir ${fmt(nadirMm)} (${rule})`
          : `${increase} over a nadir of 0 mm (any increase is ≥ +20 %; ${rule})`);
    } else if (reappeared.length > 0) {
      targetResponse = 'PD';
      basis = `${targetLesions(reappeared)} reappeared after a target CR`;
    } else if (!evaluable) {
      targetResponse = 'NE';
      basis = `${targetLesions(notEvaluableLesions)} not evaluable and the measured lesions do not show progression`;
    } else if (lesions.every((d, i) => atCrLevel(i, d!))) {
      targetResponse = 'CR';
      basis = `${crWords}${nodeWords}`;
    } else if (baselineUm > 0 && 100 * (measuredUm - baselineUm) <= -30 * baselineUm) {
      targetResponse = 'PR';
      basis = `${fmtPercent((100 * (measuredUm - baselineUm)) / baselineUm)} versus the baseline ${fmt(baselineSumMm)} (PR: ≤ −30 %)`;
    } else {
      targetResponse = 'SD';
      basis =
        baselineUm > 0
          ? 'neither a 30 % decrease versus the baseline nor progression versus the nadir'
          : 'baseline sum 0 mm (no PR possible) and no progression versus the nadir';
    }
    if (targetResponse === 'CR') reachedCr = true;

    const fromBaseline = percentChange(baselineSumMm, sumMm, 'baseline');
    const fromNadir = percentChange(nadirMm, sumMm, 'nadir');
    out.push({
      followUp: t,
      sumMm,
      measuredSumMm,
      notEvaluableLesions,
      baselineSumMm,
      nadirMm,
      changeFromBaselinePercent: fromBaseline.percent,
      changeFromBaselineReason: fromBaseline.reason,
      changeFromNadirPercent: fromNadir.percent,
      changeFromNadirReason: fromNadir.reason,
      targetResponse,
      basis,
    });
    if (evaluable && measuredUm < nadirUm) nadirUm = measuredUm;
  }
  return out;
}

/** "target lesion 2" / "target lesions 1, 3" from 0-based indices. */
function targetLesions(indices: readonly number[]): string {
  return `target lesion${indices.length === 1 ? '' : 's'} ${indices.map((i) => i + 1).join(', ')}`;
}
