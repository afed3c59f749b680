import { dayNumber } from '../studies/relativeDate';

/** The four time-to-event endpoints of SPEC §5 (the reference study's Tables 3 and 4). */
export const outcomeEndpointKeys = ['overallSurvival', 'hepaticPfs', 'pfs', 'timeToUntreatableProgression'] as const;
export type OutcomeEndpoint = (typeof outcomeEndpointKeys)[number];

/**
 * The endpoints that belong to a patient rather than a treatment (SPEC §5: overall survival and
 * time to untreatable progression are per patient, hepatic and whole-body PFS per case).
 */
export const patientLevelEndpoints: readonly OutcomeEndpoint[] = ['overallSurvival', 'timeToUntreatableProgression'];

/**
 * The case that stands for its patient in the patient-level endpoints: the patient's first
 * treatment (earliest baseline exam; ties by case key), so a patient treated several times is
 * counted once, from the first baseline and by the first treatment's response.
 * @param cases every case with its patient and baseline date (YYYYMMDD or ISO)
 * @returns the keys of the first case of each patient
 */
export function firstTreatmentCases(
  cases: readonly { caseKey: string; patientKey: string; baselineDate: string }[],
): Set<string> {
  const first = new Map<string, { caseKey: string; day: number }>();
  for (const c of cases) {
    const d = dayNumber(c.baselineDate);
    const cur = first.get(c.patientKey);
    if (!cur || d < cur.day || (d === cur.day && c.caseKey < cur.caseKey))
      first.set(c.patientKey, { caseKey: c.caseKey, day: d });
  }
  return new Set([...first.values()].map((x) => x.caseKey));
}

/** Days per month for follow-up times: the mean Gregorian month (365.25 / 12). */
export const daysPerMonth = 30.4375;

/**
 * The event dates of one case as imported (dates ISO YYYY-MM-DD). `lastFollowupDate` is the date
 * of death when `death` is true, else the date the patient was last known to be alive.
 * An event date of null means that event was not observed.
 */
export interface OutcomeDates {
  lastFollowupDate: string;
  death: boolean;
  hepaticProgressionDate: string | null;
  progressionDate: string | null;
  untreatableProgressionDate: string | null;
}

/** One endpoint of one case: months from the baseline exam, and whether it ended in the event (else censored). */
export interface EndpointTime {
  timeMonths: number;
  event: boolean;
}

export type CaseEndpoints = Record<OutcomeEndpoint, EndpointTime>;

/**
 * What each endpoint means, as the analysis reports it. These definitions are choices of this
 * program (SPEC §5 names the endpoints, not their censoring rules); they follow the usual
 * oncology conventions and are shown next to every table so a reader of the results knows them.
 */
export const outcomeEndpointDefinitions: Record<OutcomeEndpoint, { label: string; definition: string }> = {
  overallSurvival: {
    label: 'Overall survival',
    definition: 'From the baseline exam to death (event), or censored at the last follow-up.',
  },
  hepaticPfs: {
    label: 'Hepatic progression-free survival',
    definition:
      'From the baseline exam to hepatic progression or death, whichever comes first (event), or censored at the last follow-up.',
  },
  pfs: {
    label: 'Progression-free survival (whole body)',
    definition:
      'From the baseline exam to progression anywhere (the earlier of the whole-body and the hepatic progression dates) or death, whichever comes first (event), or censored at the last follow-up.',
  },
  timeToUntreatableProgression: {
    label: 'Time to untreatable progression',
    definition:
      'From the baseline exam to untreatable progression (event), or censored at the last follow-up or at death (death is not an event).',
  },
};

const day = (date: string, what: string): number => {
  const d = dayNumber(date);
  if (Number.isNaN(d)) throw new RangeError(`${what} "${date}" is not a date (YYYY-MM-DD or YYYYMMDD)`);
  return d;
};

/**
 * The four endpoints of a case from its baseline exam date and its event dates, in months
 * (days / 30.4375) from the baseline. Definitions (choices, see `outcomeEndpointDefinitions`):
 * - overall survival (OS): death → event at `lastFollowupDate` (the date of death); alive →
 *   censored at `lastFollowupDate`;
 * - hepatic PFS: event at the hepatic progression date when there is one, else at death, else
 *   censored at the last follow-up (progression dates are never after the last follow-up, so the
 *   progression always comes first);
 * - PFS (whole body): as hepatic PFS with progression anywhere, i.e. the earlier of
 *   `progressionDate` and `hepaticProgressionDate` (a hepatic progression is a progression of the
 *   disease; a file that records only hepatic progression still gives a consistent PFS);
 * - time to untreatable progression: event at the untreatable progression date, else censored at
 *   the last follow-up, which is the date of death for a patient who died (death without
 *   untreatable progression is a censoring, not an event: a competing risk handled as censoring).
 * SPEC §5 has OS and time to untreatable progression per patient and PFS per treatment: the
 * comparisons count a patient with several treatment cases once for the former
 * (`firstTreatmentCases`, `patientLevelEndpoints`). Reference for the KM conventions: Kaplan EL,
 * Meier P. J Am Stat Assoc 1958;53:457–481.
 * @param baselineDate the case's baseline exam date (DICOM YYYYMMDD or ISO YYYY-MM-DD)
 * @param dates the case's event dates (validated: `parseOutcomesCsv`)
 * @throws RangeError for an unreadable date, a date before the baseline, or an event date after
 *   the last follow-up (input that `parseOutcomesCsv` refuses with a message per row)
 * @returns each endpoint's time (months, ≥ 0) and event flag
 */
export function caseEndpoints(baselineDate: string, dates: OutcomeDates): CaseEndpoints {
  const baseline = day(baselineDate, 'baseline date');
  const last = day(dates.lastFollowupDate, 'last follow-up date');
  const optional = (d: string | null, what: string): number | null => {
    if (d === null) return null;
    const n = day(d, what);
    if (n > last) throw new RangeError(`${what} ${d} is after the last follow-up ${dates.lastFollowupDate}`);
    return n;
  };
  const hepatic = optional(dates.hepaticProgressionDate, 'hepatic progression date');
  const whole = optional(dates.progressionDate, 'progression date');
  const untreatable = optional(dates.untreatableProgressionDate, 'untreatable progression date');
  for (const [d, what] of [
    [last, 'last follow-up date'],
    [hepatic, 'hepatic progression date'],
    [whole, 'progression date'],
    [untreatable, 'untreatable progression date'],
  ] as const) {
    if (d !== null && d < baseline) throw new RangeError(`${what} is before the baseline exam`);
  }
  const months = (d: number) => (d - baseline) / daysPerMonth;
  const progressionFree = (progression: number | null): EndpointTime =>
    progression !== null
      ? { timeMonths: months(progression), event: true }
      : { timeMonths: months(last), event: dates.death };
  const anyProgression = whole === null ? hepatic : hepatic === null ? whole : Math.min(whole, hepatic);
  return {
    overallSurvival: { timeMonths: months(last), event: dates.death },
    hepaticPfs: progressionFree(hepatic),
    pfs: progressionFree(anyProgression),
    timeToUntreatableProgression:
      untreatable !== null
        ? { timeMonths: months(untreatable), event: true }
        : { timeMonths: months(last), event: false },
  };
}
