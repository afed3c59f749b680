import { assessResponse, type ResponseAssessment } from '../recist/assessResponse';
import type { NonTargetStatus, ResponseCriteria } from '../recist/responseCategory';
import type { Protocol } from './protocol';
import { entryKey, targetLesions, type LesionValue, type NonTargetAnswer, type ReadEntry } from './readForm';

/** The response of one read under one criteria, or why it cannot be computed yet. */
export type CriteriaAssessment =
  { estimable: true; assessment: ResponseAssessment } | { estimable: false; reason: string };

export type ReadAssessment = Partial<Record<ResponseCriteria, CriteriaAssessment>>;

/** The reader's non-target answer as a RECIST 1.1 non-target status (Table 1). */
export function nonTargetStatus(answer: NonTargetAnswer | undefined): NonTargetStatus {
  switch (answer) {
    case 'absent':
      return 'CR';
    case 'present':
      return 'non-CR/non-PD';
    case 'progression':
      return 'PD';
    default:
      return 'NE';
  }
}

/**
 * RECIST 1.1 and mRECIST categories of a read from its entries, recomputed on every change so a
 * category is never typed in. A target lesion counts when its baseline diameter of that criteria
 * is measured (viable 0 mm allowed); a missing or `not_evaluable` follow-up diameter is null
 * (NE unless the rest already makes PD); `absent` is 0 mm. The non-target status maps absent →
 * CR, present → non-CR/non-PD, progression → PD, unanswered / not evaluable → NE; a missing
 * new-lesion answer counts as no new lesion until answered (submit requires it).
 *
 * @param protocol which criteria to compute
 * @param timepointCount baseline + follow-ups of the case
 * @param entries the read's answers
 * @returns one entry per criteria of the protocol
 */
export function assessRead(protocol: Protocol, timepointCount: number, entries: readonly ReadEntry[]): ReadAssessment {
  const byKey = new Map(entries.map((e) => [entryKey(e.timepoint, e.item), e.value]));
  const out: ReadAssessment = {};
  const lesions = targetLesions(protocol, entries);
  for (const criteria of protocol.criteria) {
    const measure = criteria === 'recist' ? 'longest' : 'viable';
    const baselineStatus = (n: number) =>
      (byKey.get(entryKey(0, `target${n}.${measure}`)) as LesionValue | undefined)?.status;
    const counted = lesions.filter((n) => baselineStatus(n) === 'measured' || baselineStatus(n) === 'absent');
    if (counted.length === 0) {
      out[criteria] = {
        estimable: false,
        reason: `No target lesion has a baseline ${criteria === 'recist' ? 'longest' : 'viable'} diameter yet.`,
      };
      continue;
    }
    const mm = (t: number, n: number): number | null => {
      const v = byKey.get(entryKey(t, `target${n}.${measure}`)) as LesionValue | undefined;
      if (v?.status === 'measured') return v.lengthMm;
      if (v?.status === 'absent') return 0;
      return null;
    };
    const timepointsMm = [...Array(timepointCount).keys()].map((t) => counted.map((n) => mm(t, n)));
    const followUps = [...Array(timepointCount).keys()].slice(1).map((t) => ({
      nonTarget: nonTargetStatus(byKey.get(entryKey(t, 'nontarget')) as NonTargetAnswer | undefined),
      newLesion: byKey.get(entryKey(t, 'new_lesion')) === true,
    }));
    out[criteria] = { estimable: true, assessment: assessResponse({ criteria, timepointsMm, followUps }) };
  }
  return out;
}
