import { describe, expect, it } from 'vitest';
import { firstTreatmentCases, outcomeEndpointKeys, type CaseEndpoints } from '../../../core/outcomes/outcomeEndpoints';
import { compareSurvival, survivalComparison, type SurvivalSubject } from '../../../core/outcomes/survivalComparison';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from '../stats/oracles';

interface OracleCase {
  time: number[];
  event: boolean[];
  group: string[];
}
// test/fixtures/oracles/survival.R (R 4.2.2, survival 3.5-3): survfit / survdiff on survival::lung and survival::aml.
const oracle = readOracle<{ cases: { lungBySex: OracleCase; aml: OracleCase } }>('survival.json').cases;

const subjects = (c: OracleCase, positive: string): SurvivalSubject[] =>
  c.time.map((time, i) => ({ time, event: c.event[i]!, positive: c.group[i] === positive }));
/** The same follow-up on every endpoint: survivalComparison must then repeat compareSurvival four times. */
const sameOnEveryEndpoint = (time: number, event: boolean): CaseEndpoints =>
  Object.fromEntries(outcomeEndpointKeys.map((e) => [e, { timeMonths: time, event }])) as CaseEndpoints;

function expectNoNaN(value: unknown, path = 'result'): void {
  if (typeof value === 'number') expect(Number.isNaN(value), path).toBe(false);
  else if (Array.isArray(value)) value.forEach((v, i) => expectNoNaN(v, `${path}[${i}]`));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
}

describe('compareSurvival', () => {
  it('reproduces lung by sex with sex 1 as the positive group (ORACLES.md)', () => {
    const r = compareSurvival(subjects(oracle.lungBySex, '1'));
    expect([r.nPositive, r.nNegative, r.positive.events, r.negative.events]).toEqual([138, 90, 112, 53]);
    expect(r.positive.median).toEqual({ time: 270, lower: 212, upper: 310 });
    expect(r.negative.median).toEqual({ time: 426, lower: 348, upper: 550 });
    expect(r.medianDifference).toEqual({ estimable: true, time: 270 - 426 });
    if (!r.logRank.estimable) throw new Error(r.logRank.reason);
    expectAbsolutelyClose(r.logRank.chisq, 10.326742, 5e-7, 'chisq');
    expectRelativelyClose(r.logRank.p, 0.0013112, 5e-5, 'p');
    expect(r.logRank.df).toBe(1);
    // survdiff: observed 112 / 53, expected 91.5817390295728 / 73.4182609704272.
    expect([r.logRank.observedPositive, r.logRank.observedNegative]).toEqual([112, 53]);
    expectAbsolutelyClose(r.logRank.expectedPositive, 91.5817390295728, 1e-9, 'E sex 1');
    expectAbsolutelyClose(r.logRank.expectedNegative, 73.41826097042721, 1e-9, 'E sex 2');
  });

  it('draws the Kaplan-Meier curve from (0, 1) with censor marks (aml "Maintained", ORACLES.md)', () => {
    const { curve } = compareSurvival(subjects(oracle.aml, 'Maintained')).positive;
    expect(curve.steps[0]).toEqual({ time: 0, survival: 1, lower: 1, upper: 1, nRisk: 11 });
    const published: [number, number][] = [
      [9, 0.9091],
      [13, 0.8182],
      [18, 0.7159],
      [23, 0.6136],
      [31, 0.4909],
      [34, 0.3682],
      [48, 0.1841],
    ];
    expect(curve.steps.slice(1).map((s) => s.time)).toEqual(published.map(([t]) => t));
    curve.steps.slice(1).forEach((s, i) => expect(s.survival, `t = ${s.time}`).toBeCloseTo(published[i]![1], 4));
    // aml Maintained is censored at 13 (one of the two there), 28, 45 and 161.
    expect(curve.censored.map((c) => [c.time, c.count])).toEqual([
      [13, 1],
      [28, 1],
      [45, 1],
      [161, 1],
    ]);
    expect(curve.censored[0]!.survival).toBeCloseTo(0.8182, 4);
    expect(curve.endTime).toBe(161);
  });

  it('reports a median not reached and an empty group with reasons, never NaN', () => {
    // Positive: events at 1, censored at 5, 6, 7 → Ŝ = 3/4 to the end; negative: nobody.
    const r = compareSurvival(
      [
        { time: 1, event: true, positive: true },
        { time: 5, event: false, positive: true },
        { time: 6, event: false, positive: true },
        { time: 7, event: false, positive: true },
        { time: 2, event: true, positive: null },
      ],
      { labels: { positive: 'responder', negative: 'nonresponder' } },
    );
    expect([r.nPositive, r.nNegative]).toEqual([4, 0]);
    expect(r.positive.median.time).toBeNull();
    expect(r.positive.medianReason).toBe(
      'Not reached: the Kaplan–Meier estimate of the responder cases stays above 50 % (75.0 % at the last follow-up, 7).',
    );
    expect(r.negative).toMatchObject({
      n: 0,
      events: 0,
      medianReason: 'No nonresponder cases.',
      curve: { steps: [], censored: [], endTime: 0 },
    });
    expect(r.medianDifference).toEqual({
      estimable: false,
      reason:
        'the responder median is not available (not reached); the nonresponder median is not available (no cases)',
    });
    expect(r.logRank).toEqual({
      estimable: false,
      reason: 'Every grouped case is responder: there is no second group to compare.',
    });
    expectNoNaN(r);
  });

  it('passes the log-rank reason on when there are no events', () => {
    const r = compareSurvival([
      { time: 3, event: false, positive: true },
      { time: 4, event: false, positive: false },
    ]);
    expect(r.logRank).toEqual({ estimable: false, reason: 'No events: there is nothing to compare.' });
    expectNoNaN(r);
  });

  it('rejects a negative time', () => {
    expect(() => compareSurvival([{ time: -1, event: true, positive: true }])).toThrow(RangeError);
  });
});

/** A case whose OS is `os` and whose other endpoints are `other` (time to untreatable progression censored). */
const endpoint = (os: [number, boolean], other: [number, boolean]): CaseEndpoints => ({
  overallSurvival: { timeMonths: os[0], event: os[1] },
  hepaticPfs: { timeMonths: other[0], event: other[1] },
  pfs: { timeMonths: other[0], event: other[1] },
  timeToUntreatableProgression: { timeMonths: other[0], event: false },
});

describe('survivalComparison', () => {
  it('compares every endpoint of the grouped cases (aml as cases, Maintained positive: χ² 3.3963887, p 0.0653393)', () => {
    const aml = oracle.aml;
    const cases = new Map(aml.time.map((t, i) => [`case${i}`, sameOnEveryEndpoint(t, aml.event[i]!)]));
    cases.set('ungrouped', sameOnEveryEndpoint(1, true));
    const grouping = new Map<string, boolean | null>(aml.group.map((g, i) => [`case${i}`, g === 'Maintained']));
    grouping.set('without outcome', true);
    const r = survivalComparison(cases, grouping);
    expect([r.nPositive, r.nNegative, r.nUngrouped, r.nWithoutOutcome]).toEqual([11, 12, 1, 1]);
    expect(Object.keys(r.endpoints)).toEqual([...outcomeEndpointKeys]);
    for (const e of outcomeEndpointKeys) {
      const c = r.endpoints[e];
      // R: print(survfit(Surv(time, status) ~ x, aml)): 31 (18, NA) and 23 (8, NA).
      expect(c.positive.median).toEqual({ time: 31, lower: 18, upper: null });
      expect(c.negative.median).toEqual({ time: 23, lower: 8, upper: null });
      expect(c.medianDifference).toEqual({ estimable: true, time: 8 });
      if (!c.logRank.estimable) throw new Error(c.logRank.reason);
      expectAbsolutelyClose(c.logRank.chisq, 3.3963887, 5e-7, `${e} chisq`);
      expectRelativelyClose(c.logRank.p, 0.0653393, 5e-6, `${e} p`);
    }
  });

  it('keeps the endpoints apart (hand example, confirmed in R survival 3.5-3)', () => {
    // OS: positive 16 (event), 64 (censored); negative 32, 48 (events).
    // Positive Ŝ = 1/2 from 16 to the end: median 16; negative Ŝ = 1/2 on [32, 48), 0 from 48:
    // median (32 + 48)/2 = 40, lower limit 32. Log-rank: O − E = 1 − (1/2 + 1/3 + 1/2) = −1/3,
    // V = 1/4 + 2/9 + 1/4 = 13/18, χ² = (1/9)/(13/18) = 2/13, p = 0.694886602372473 (R survdiff).
    const cases = new Map([
      ['A', endpoint([16, true], [8, true])],
      ['B', endpoint([64, false], [10, true])],
      ['C', endpoint([32, true], [4, true])],
      ['D', endpoint([48, true], [6, true])],
    ]);
    const r = survivalComparison(
      cases,
      new Map([
        ['A', true],
        ['B', true],
        ['C', false],
        ['D', false],
      ]),
    );
    const os = r.endpoints.overallSurvival;
    expect(os.positive.median).toEqual({ time: 16, lower: 16, upper: null });
    expect(os.negative.median).toEqual({ time: 40, lower: 32, upper: null });
    expect(os.medianDifference).toEqual({ estimable: true, time: -24 });
    expect(os.logRank).toMatchObject({ estimable: true, df: 1, observedPositive: 1, observedNegative: 2 });
    if (!os.logRank.estimable) throw new Error(os.logRank.reason);
    expect(os.logRank.chisq).toBeCloseTo(2 / 13, 12);
    expect(os.logRank.p).toBeCloseTo(0.694886602372473, 9);
    // PFS: positive 8, 10 → median (8 + 10)/2 = 9; negative 4, 6 → 5.
    expect(r.endpoints.pfs.medianDifference).toEqual({ estimable: true, time: 4 });
    // No untreatable progression at all.
    expect(r.endpoints.timeToUntreatableProgression.logRank).toEqual({
      estimable: false,
      reason: 'No events: there is nothing to compare.',
    });
    expectNoNaN(r);
  });

  it('counts only the given case per patient in overall survival and time to untreatable progression (the same hand example with a later treatment added)', () => {
    const cases = new Map([
      ['A', endpoint([16, true], [8, true])],
      ['B', endpoint([64, false], [10, true])],
      ['C', endpoint([32, true], [4, true])],
      ['D', endpoint([48, true], [6, true])],
      // D's patient treated again: a second case whose OS would count the death twice.
      ['D2', endpoint([20, true], [3, true])],
    ]);
    const grouping = new Map([
      ['A', true],
      ['B', true],
      ['C', false],
      ['D', false],
      ['D2', false],
    ]);
    const first = firstTreatmentCases([
      { caseKey: 'A', patientKey: 'p1', baselineDate: '20240101' },
      { caseKey: 'B', patientKey: 'p2', baselineDate: '20240101' },
      { caseKey: 'C', patientKey: 'p3', baselineDate: '20240101' },
      { caseKey: 'D2', patientKey: 'p4', baselineDate: '2024-06-01' },
      { caseKey: 'D', patientKey: 'p4', baselineDate: '2024-01-15' },
    ]);
    expect([...first].sort()).toEqual(['A', 'B', 'C', 'D']);
    const r = survivalComparison(cases, grouping, { patientLevelCases: first });
    // OS is the hand example's again (χ² 2/13), PFS has all five cases.
    const os = r.endpoints.overallSurvival;
    expect([os.nPositive, os.nNegative]).toEqual([2, 2]);
    if (!os.logRank.estimable) throw new Error(os.logRank.reason);
    expect(os.logRank.chisq).toBeCloseTo(2 / 13, 12);
    expect([
      r.endpoints.timeToUntreatableProgression.nPositive,
      r.endpoints.timeToUntreatableProgression.nNegative,
    ]).toEqual([2, 2]);
    expect([r.endpoints.hepaticPfs.nPositive, r.endpoints.hepaticPfs.nNegative]).toEqual([2, 3]);
    expect([r.nPositive, r.nNegative]).toEqual([2, 3]);
    expect(survivalComparison(cases, grouping).endpoints.overallSurvival.nNegative).toBe(3);
  });
});
