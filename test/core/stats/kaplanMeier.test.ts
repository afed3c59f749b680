import { describe, expect, it } from 'vitest';
import {
  kaplanMeier,
  kaplanMeierQuantile,
  type KaplanMeierEstimate,
  type KaplanMeierResult,
} from '../../../core/stats/kaplanMeier';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { expectAbsolutelyClose, readOracle } from './oracles';

type RNumber = number | 'Inf' | null;
interface GroupFit {
  n: number;
  table: {
    time: number[];
    nRisk: number[];
    nEvent: number[];
    nCensor: number[];
    survival: number[];
    stdErr: RNumber[];
    lower: RNumber[];
    upper: RNumber[];
  };
  median: { median: number | null; lower: number | null; upper: number | null };
  quantiles: { probs: number[]; quantile: (number | null)[]; lower: (number | null)[]; upper: (number | null)[] };
}
interface SurvivalCase {
  description: string;
  confidenceLevel: number;
  time: number[];
  event: boolean[];
  group: string[];
  groups: string[];
  kaplanMeier: Record<string, GroupFit>;
  logRank?: {
    n: number[];
    observed: number[];
    expected: number[];
    variance: number[][];
    chisq: number;
    df: number;
    p: number;
  };
}
// test/fixtures/oracles/survival.R: survfit / summary(fit)$table / quantile(fit) of survival 3.5-3, R 4.2.2.
const oracle = readOracle<{ rVersion: string; survivalVersion: string; cases: Record<string, SurvivalCase> }>(
  'survival.json',
);

function estimate(result: KaplanMeierResult): KaplanMeierEstimate {
  if (!result.estimable) throw new Error(`expected an estimable Kaplan-Meier fit, got: ${result.reason}`);
  return result;
}
function fitGroup(c: SurvivalCase, group: string): KaplanMeierEstimate {
  const times = c.time.filter((_, i) => c.group[i] === group);
  const events = c.event.filter((_, i) => c.group[i] === group);
  return estimate(kaplanMeier(times, events, { confidenceLevel: c.confidenceLevel }));
}
const rNumber = (v: RNumber): number | null => (v === 'Inf' ? Infinity : v);
const close9 = (actual: number | null, expected: number | null, label: string) => {
  if (expected === null || actual === null || !Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  expectAbsolutelyClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)), label);
};

describe('kaplanMeier: published values (ORACLES.md)', () => {
  it('lung by sex: medians 270 (95 % CI 212-310) and 426 (348-550)', () => {
    const lung = oracle.cases.lungBySex!;
    expect(fitGroup(lung, '1').median).toEqual({ time: 270, lower: 212, upper: 310 });
    expect(fitGroup(lung, '2').median).toEqual({ time: 426, lower: 348, upper: 550 });
    expect([
      fitGroup(lung, '1').n,
      fitGroup(lung, '1').events,
      fitGroup(lung, '2').n,
      fitGroup(lung, '2').events,
    ]).toEqual([138, 112, 90, 53]);
  });

  it('aml "Maintained": S = .9091 (t 9), .8182 (13), .7159 (18), .6136 (23), .4909 (31), .3682 (34), .1841 (48)', () => {
    const fit = fitGroup(oracle.cases.aml!, 'Maintained');
    const at = (t: number) => fit.table.find((r) => r.time === t)!.survival;
    const published: [number, number][] = [
      [9, 0.9091],
      [13, 0.8182],
      [18, 0.7159],
      [23, 0.6136],
      [31, 0.4909],
      [34, 0.3682],
      [48, 0.1841],
    ];
    for (const [t, s] of published) expect(at(t), `t = ${t}`).toBeCloseTo(s, 4);
  });

  it('matches a hand calculation: events at 1, 2, 4, censored at 3 and 6', () => {
    // S = 4/5, 4/5·3/4 = 3/5, censored at 3 (S unchanged), 3/5·1/2 = 3/10 at 4; median: first S ≤ .5 → 4.
    const fit = estimate(kaplanMeier([1, 2, 3, 4, 6], [1, 1, 0, 1, 0]));
    expect(fit.table.map((r) => [r.time, r.nRisk, r.nEvent, r.nCensor])).toEqual([
      [1, 5, 1, 0],
      [2, 4, 1, 0],
      [3, 3, 0, 1],
      [4, 2, 1, 0],
      [6, 1, 0, 1],
    ]);
    const survival = [0.8, 0.6, 0.6, 0.3, 0.3];
    fit.table.forEach((r, i) => expect(r.survival).toBeCloseTo(survival[i]!, 15));
    // Greenwood on the log scale: √(1/(5·4) + 1/(4·3) + 1/(2·1)) at t = 4.
    expect(fit.table[3]!.standardErrorLogSurvival).toBeCloseTo(Math.sqrt(1 / 20 + 1 / 12 + 1 / 2), 15);
    expect(fit.median.time).toBe(4);
  });
});

describe('kaplanMeier against survival::survfit', () => {
  it('fixtures come from R 4.2.2 and survival 3.5-3', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
    expect(oracle.survivalVersion).toBe('3.5.3');
  });

  const groups = Object.entries(oracle.cases).flatMap(([name, c]) =>
    c.groups.map((g) => [`${name} / ${g}`, c, g] as const),
  );
  describe.each(groups)('%s', (label, c, group) => {
    const r = c.kaplanMeier[group]!;
    const fit = fitGroup(c, group);

    it('table: times and counts exact; S, std.err, limits to 1e-9 (confirmed in R)', () => {
      expect(fit.n).toBe(r.n);
      expect(fit.table.map((row) => row.time)).toEqual(r.table.time);
      expect(fit.table.map((row) => row.nRisk)).toEqual(r.table.nRisk);
      expect(fit.table.map((row) => row.nEvent)).toEqual(r.table.nEvent);
      expect(fit.table.map((row) => row.nCensor)).toEqual(r.table.nCensor);
      fit.table.forEach((row, i) => {
        close9(row.survival, r.table.survival[i]!, `${label} S[${i}]`);
        close9(row.standardErrorLogSurvival, rNumber(r.table.stdErr[i]!), `${label} std.err[${i}]`);
        close9(row.lower, rNumber(r.table.lower[i]!), `${label} lower[${i}]`);
        close9(row.upper, rNumber(r.table.upper[i]!), `${label} upper[${i}]`);
      });
    });

    it('median and limits as print.survfit / summary(fit)$table (confirmed in R)', () => {
      expect(fit.median).toEqual({ time: r.median.median, lower: r.median.lower, upper: r.median.upper });
    });

    it('quartiles and limits as quantile.survfit (confirmed in R)', () => {
      r.quantiles.probs.forEach((p, i) => {
        expect(kaplanMeierQuantile(fit, p), `p = ${p}`).toEqual({
          time: r.quantiles.quantile[i],
          lower: r.quantiles.lower[i],
          upper: r.quantiles.upper[i],
        });
      });
    });
  });
});

describe('kaplanMeier: flat stretches, S = 0 and other edges', () => {
  it('midpoint rule: S = 0.5 exactly on [2, 5) gives median 3.5 (print.survfit and quantile.survfit alike)', () => {
    const fit = estimate(kaplanMeier([1, 2, 3, 5], [true, true, false, true]));
    expect(fit.median.time).toBe(3.5);
    expect(kaplanMeierQuantile(fit, 0.5).time).toBe(3.5);
  });

  it('S = 0.5 up to the last follow-up: print.survfit gives 2, quantile.survfit (2 + 4)/2 = 3', () => {
    const fit = estimate(kaplanMeier([1, 2, 3, 4], [true, true, false, false]));
    expect(fit.median.time).toBe(2);
    expect(kaplanMeierQuantile(fit, 0.5).time).toBe(3);
    expect(oracle.cases.flatHalfToEnd!.kaplanMeier.all!.median.median).toBe(2);
    expect(oracle.cases.flatHalfToEnd!.kaplanMeier.all!.quantiles.quantile[1]).toBe(3);
  });

  it('S = 0 at the last time: std.err +∞, no limits there (R: Inf, NA)', () => {
    const fit = estimate(kaplanMeier([1, 2, 2, 3, 4], [1, 1, 0, 1, 1]));
    const last = fit.table[fit.table.length - 1]!;
    expect([last.survival, last.standardErrorLogSurvival, last.lower, last.upper]).toEqual([0, Infinity, null, null]);
    expect(fit.median).toEqual({ time: 3, lower: 2, upper: null });
  });

  it('all censored: S = 1 throughout, median not reached (null), limits [1, 1]', () => {
    const fit = estimate(kaplanMeier([3, 5, 5, 8], [0, 0, 0, 0]));
    expect(fit.events).toBe(0);
    expect(
      fit.table.every((r) => r.survival === 1 && r.lower === 1 && r.upper === 1 && r.standardErrorLogSurvival === 0),
    ).toBe(true);
    expect(fit.median).toEqual({ time: null, lower: null, upper: null });
    expect(kaplanMeierQuantile(fit, 0.25)).toEqual({ time: null, lower: null, upper: null });
  });

  it('one subject, and a tie of an event and a censoring at the same time (the censored subject is at risk)', () => {
    expect(estimate(kaplanMeier([7], [true])).table).toEqual([
      {
        time: 7,
        nRisk: 1,
        nEvent: 1,
        nCensor: 0,
        survival: 0,
        standardErrorLogSurvival: Infinity,
        lower: null,
        upper: null,
      },
    ]);
    const tie = estimate(kaplanMeier([5, 5, 9], [true, false, true]));
    expect(tie.table[0]).toMatchObject({ time: 5, nRisk: 3, nEvent: 1, nCensor: 1 });
    expect(tie.table[0]!.survival).toBeCloseTo(2 / 3, 15);
  });

  it('is not estimable without subjects', () => {
    const result = kaplanMeier([], []);
    expect(result.estimable).toBe(false);
    if (!result.estimable) expect(result.reason).toMatch(/at least one subject/);
  });

  it('p = 0 is the start of follow-up (time 0), as quantile.survfit', () => {
    const fit = estimate(kaplanMeier([1, 2, 3], [1, 1, 1]));
    expect(kaplanMeierQuantile(fit, 0).time).toBe(0);
    expect(kaplanMeierQuantile(fit, 1).time).toBe(3);
  });

  it('never returns NaN: seeded random data with ties', () => {
    const random = createSeededRandom(1958);
    const hasNaN = (value: unknown): boolean =>
      typeof value === 'number'
        ? Number.isNaN(value)
        : typeof value === 'object' && value !== null && Object.values(value).some(hasNaN);
    for (let trial = 0; trial < 1000; trial++) {
      const n = Math.floor(random.uniform() * 8);
      const times = Array.from({ length: n }, () => Math.floor(random.uniform() * 5));
      const events = times.map(() => random.uniform() < 0.6);
      const result = kaplanMeier(times, events);
      expect(hasNaN(result), JSON.stringify({ times, events })).toBe(false);
      if (result.estimable)
        for (const p of [0, 0.25, 0.5, 0.75, 1]) expect(hasNaN(kaplanMeierQuantile(result, p))).toBe(false);
    }
  });

  it('rejects mismatched lengths, negative or non-finite times, bad indicators and options (programmer errors)', () => {
    expect(() => kaplanMeier([1, 2], [true])).toThrow(RangeError);
    expect(() => kaplanMeier([-1], [true])).toThrow(RangeError);
    expect(() => kaplanMeier([NaN], [true])).toThrow(RangeError);
    expect(() => kaplanMeier([1], [2 as 1])).toThrow(RangeError);
    expect(() => kaplanMeier([1], [true], { confidenceLevel: 95 })).toThrow(RangeError);
    const fit = estimate(kaplanMeier([1], [true]));
    expect(() => kaplanMeierQuantile(fit, 1.5)).toThrow(RangeError);
  });
});
