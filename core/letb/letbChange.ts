/** Thresholds (%) of LETB change below which a case is a responder: the reference study's two defaults. */
export const defaultResponderThresholds: readonly number[] = [-25.8, -10];
/** The set the reference study tested and reports side by side. */
export const reportResponderThresholds: readonly number[] = [10, 0, -10, -20, -25.8, -30, -40];

export type LetbChange =
  | {
      estimable: true;
      preLetbPercent: number;
      postLetbPercent: number;
      changePercent: number;
      responders: { thresholdPercent: number; responder: boolean }[];
    }
  | { estimable: false; preLetbPercent: number; postLetbPercent: number; reason: string };

/**
 * LETB change of a case (SPEC §2): (LETB_post − LETB_pre) / LETB_pre × 100, and for each
 * threshold whether the case is a responder (change strictly below the threshold).
 * Not estimable (with the reason, never NaN) when LETB_pre is 0 or either value is not a
 * finite percentage.
 */
export function letbChange(
  preLetbPercent: number,
  postLetbPercent: number,
  thresholds: readonly number[] = defaultResponderThresholds,
): LetbChange {
  const bad = (v: number) => !Number.isFinite(v) || v < 0 || v > 100;
  if (bad(preLetbPercent) || bad(postLetbPercent)) {
    return {
      estimable: false,
      preLetbPercent,
      postLetbPercent,
      reason: 'LETB values must be percentages between 0 and 100.',
    };
  }
  if (preLetbPercent === 0) {
    return {
      estimable: false,
      preLetbPercent,
      postLetbPercent,
      reason: 'Pretreatment LETB is 0%: the relative change is undefined.',
    };
  }
  const changePercent = ((postLetbPercent - preLetbPercent) / preLetbPercent) * 100;
  return {
    estimable: true,
    preLetbPercent,
    postLetbPercent,
    changePercent,
    responders: thresholds.map((t) => ({ thresholdPercent: t, responder: changePercent < t })),
  };
}
