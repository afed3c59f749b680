import { defaultResponderThresholds, letbChange, type LetbChange } from '../letb/letbChange';
import { entryKey, letbPlacementCount, letbRoiItem, type LetbRoiValue, type ReadEntry } from './readForm';

/** The LETB of one timepoint of a read. */
export interface LetbTimepointSummary {
  timepoint: number;
  /** ROIs placed (measured) and marked not evaluable, of the three. */
  placed: number;
  notEvaluable: number;
  /** Mean LETB of the three placements (SPEC §2 step 6); null unless all three are placed. */
  letbPercent: number | null;
  /** Change from the baseline's LETB (follow-ups), as `letbChange` defines it; null at the baseline or when either LETB is missing. */
  change: LetbChange | null;
}

/** A read's LETB: every timepoint, and the case's change at the first follow-up (the pre/post comparison of SPEC §2). */
export interface LetbReadSummary {
  timepoints: LetbTimepointSummary[];
  /** Change at the first follow-up with the responder flags at `thresholds`; null when not available. */
  change: LetbChange | null;
}

/**
 * The LETB of a read from its ROI answers (`letb.roi1..3`): per timepoint the mean of the three
 * placements' LETB when all three are placed (a not evaluable placement makes the timepoint's
 * LETB missing, never a mean of fewer), and the change of every follow-up from the baseline.
 * @param timepointCount baseline + follow-ups of the case
 * @param entries the read's answers
 * @param thresholds responder thresholds (%) for the first follow-up's change; the reference study's two by default
 */
export function assessLetb(
  timepointCount: number,
  entries: readonly ReadEntry[],
  thresholds: readonly number[] = defaultResponderThresholds,
): LetbReadSummary {
  const byKey = new Map(entries.map((e) => [entryKey(e.timepoint, e.item), e.value]));
  const letbAt = (t: number) => {
    const values = [...Array(letbPlacementCount).keys()].map(
      (k) => byKey.get(entryKey(t, letbRoiItem(k + 1))) as LetbRoiValue | undefined,
    );
    const placed = values.flatMap((v) => (v?.status === 'placed' ? [v.measurement.letbPercent] : []));
    return {
      placed: placed.length,
      notEvaluable: values.filter((v) => v?.status === 'not_evaluable').length,
      letbPercent: placed.length === letbPlacementCount ? placed.reduce((s, x) => s + x, 0) / placed.length : null,
    };
  };
  const base = letbAt(0);
  const timepoints = [...Array(timepointCount).keys()].map((t): LetbTimepointSummary => {
    const at = t === 0 ? base : letbAt(t);
    const change =
      t === 0 || base.letbPercent === null || at.letbPercent === null
        ? null
        : letbChange(base.letbPercent, at.letbPercent, t === 1 ? thresholds : []);
    return { timepoint: t, ...at, change };
  });
  return { timepoints, change: timepoints[1]?.change ?? null };
}
