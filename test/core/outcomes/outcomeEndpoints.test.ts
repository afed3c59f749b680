import { describe, expect, it } from 'vitest';
import { caseEndpoints, daysPerMonth, type OutcomeDates } from '../../../core/outcomes/outcomeEndpoints';

// Baseline 2020-01-01; days counted by hand (2020 is a leap year): 2020-02-01 = 31,
// 03-01 = 60, 04-01 = 91, 05-01 = 121, 06-30 = 181, 07-01 = 182, 09-01 = 244, 10-01 = 274,
// 12-31 = 365, 2021-01-01 = 366. Months = days / 30.4375.
const m = (days: number) => days / daysPerMonth;
const dates = (d: Partial<OutcomeDates> & { lastFollowupDate: string }): OutcomeDates => ({
  death: false,
  hepaticProgressionDate: null,
  progressionDate: null,
  untreatableProgressionDate: null,
  ...d,
});

describe('caseEndpoints', () => {
  it.each([
    [
      'died after hepatic then untreatable progression',
      dates({
        lastFollowupDate: '2021-01-01',
        death: true,
        hepaticProgressionDate: '2020-07-01',
        untreatableProgressionDate: '2020-10-01',
      }),
      {
        overallSurvival: [366, true],
        hepaticPfs: [182, true],
        pfs: [182, true],
        timeToUntreatableProgression: [274, true],
      },
    ],
    [
      'alive without events: everything censored at the last follow-up',
      dates({ lastFollowupDate: '2020-12-31' }),
      {
        overallSurvival: [365, false],
        hepaticPfs: [365, false],
        pfs: [365, false],
        timeToUntreatableProgression: [365, false],
      },
    ],
    [
      'died without progression: death is the PFS event, a censoring for untreatable progression',
      dates({ lastFollowupDate: '2020-06-30', death: true }),
      {
        overallSurvival: [181, true],
        hepaticPfs: [181, true],
        pfs: [181, true],
        timeToUntreatableProgression: [181, false],
      },
    ],
    [
      'extrahepatic progression first: PFS at the whole-body date, hepatic PFS at the hepatic one',
      dates({ lastFollowupDate: '2020-09-01', progressionDate: '2020-03-01', hepaticProgressionDate: '2020-05-01' }),
      {
        overallSurvival: [244, false],
        hepaticPfs: [121, true],
        pfs: [60, true],
        timeToUntreatableProgression: [244, false],
      },
    ],
    [
      'hepatic progression before the whole-body date: PFS takes the earlier (hepatic) one',
      dates({ lastFollowupDate: '2020-09-01', progressionDate: '2020-04-01', hepaticProgressionDate: '2020-02-01' }),
      {
        overallSurvival: [244, false],
        hepaticPfs: [31, true],
        pfs: [31, true],
        timeToUntreatableProgression: [244, false],
      },
    ],
  ] as const)('%s', (_name, input, expected) => {
    const got = caseEndpoints('20200101', input);
    for (const [endpoint, [days, event]] of Object.entries(expected)) {
      const e = got[endpoint as keyof typeof got];
      expect(e.timeMonths, endpoint).toBeCloseTo(m(days), 12);
      expect(e.event, endpoint).toBe(event);
    }
  });

  it('measures in months of 30.4375 days: 487 days are exactly 16 months', () => {
    expect(caseEndpoints('2020-01-01', dates({ lastFollowupDate: '2021-05-02' })).overallSurvival.timeMonths).toBe(16);
  });

  it.each([
    [dates({ lastFollowupDate: '2019-12-31' }), /before the baseline/],
    [dates({ lastFollowupDate: '2020-06-01', progressionDate: '2020-07-01' }), /after the last follow-up/],
    [dates({ lastFollowupDate: '2020-02-30' }), /not a date/],
  ])('rejects input parseOutcomesCsv refuses (%#)', (input, message) => {
    expect(() => caseEndpoints('20200101', input)).toThrow(RangeError);
    expect(() => caseEndpoints('20200101', input)).toThrow(message);
  });
});
