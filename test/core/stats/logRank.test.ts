import { describe, expect, it } from 'vitest';
import { logRank, type LogRankEstimate, type LogRankResult } from '../../../core/stats/logRank';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from './oracles';

interface SurvivalCase {
  description: string;
  time: number[];
  event: boolean[];
  group: string[];
  groups: string[];
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
// test/fixtures/oracles/survival.R: survdiff(Surv(time, event) ~ group) of survival 3.5-3, R 4.2.2.
const oracle = readOracle<{ cases: Record<string, SurvivalCase> }>('survival.json');

function estimate<G>(result: LogRankResult<G>): LogRankEstimate<G> {
  if (!result.estimable) throw new Error(`expected an estimable log-rank test, got: ${result.reason}`);
  return result;
}
const run = (c: SurvivalCase) => logRank(c.time, c.event, c.group, { groupOrder: c.groups });

describe('logRank: published values (ORACLES.md)', () => {
  it('lung by sex: chi-square 10.326742 on 1 df, p 0.0013112', () => {
    const e = estimate(run(oracle.cases.lungBySex!));
    expect(e.chiSquare).toBeCloseTo(10.326742, 6);
    expect(e.df).toBe(1);
    expect(e.p).toBeCloseTo(0.0013112, 7);
    expect(e.groups.map((g) => [g.group, g.n, g.observed])).toEqual([
      ['1', 138, 112],
      ['2', 90, 53],
    ]);
  });

  it('aml by maintenance: chi-square 3.3963887, p 0.0653393', () => {
    const e = estimate(run(oracle.cases.aml!));
    expect(e.chiSquare).toBeCloseTo(3.3963887, 7);
    expect(e.p).toBeCloseTo(0.0653393, 7);
  });

  it('matches a hand calculation: one event in each group at times 1 and 3 (R: chisq 1)', () => {
    // t = 1: N = 4 (2 + 2), d = 1 in A: E_A = 1/2, V = 1·3/3·(1/2)(1/2) = 1/4.
    // t = 3: N = 2 (B only) → E_A = 0, V = 0. O_A − E_A = 1/2, χ² = (1/2)² / (1/4) = 1.
    const e = estimate(logRank([1, 2, 3, 4], [1, 0, 1, 0], ['a', 'a', 'b', 'b']));
    expect(e.groups.map((g) => g.expected)).toEqual([0.5, 1.5]);
    expect(e.variance).toEqual([
      [0.25, -0.25],
      [-0.25, 0.25],
    ]);
    expect(e.chiSquare).toBe(1);
    expect(e.p).toBeCloseTo(0.31731050786291415, 14);
  });
});

describe('logRank against survival::survdiff', () => {
  const withTests = Object.entries(oracle.cases).filter(([, c]) => c.logRank !== undefined);
  it('covers the two-, three-group and no-event-group cases', () => {
    expect(withTests.map(([name]) => name)).toEqual([
      'lungBySex',
      'aml',
      'threeGroupsTies',
      'respondersLevel90',
      'groupWithoutEvents',
    ]);
  });

  it.each(withTests)('%s: n, O exact; E, V, chi-square to 1e-9; df exact; p to 1e-6 (confirmed in R)', (name, c) => {
    const r = c.logRank!;
    const e = estimate(run(c));
    expect(e.groups.map((g) => g.group)).toEqual(c.groups);
    expect(e.groups.map((g) => g.n)).toEqual(r.n);
    expect(e.groups.map((g) => g.observed)).toEqual(r.observed);
    e.groups.forEach((g, j) =>
      expectAbsolutelyClose(g.expected, r.expected[j]!, 1e-9 * Math.max(1, r.expected[j]!), `${name} E[${j}]`),
    );
    e.variance.forEach((row, j) =>
      row.forEach((v, h) =>
        expectAbsolutelyClose(
          v,
          r.variance[j]![h]!,
          1e-9 * Math.max(1, Math.abs(r.variance[j]![h]!)),
          `${name} V[${j}][${h}]`,
        ),
      ),
    );
    expectRelativelyClose(e.chiSquare, r.chisq, 1e-9, `${name} chi-square`);
    expect(e.df).toBe(r.df);
    expectAbsolutelyClose(e.p, r.p, 1e-6, `${name} p`);
    expectRelativelyClose(e.p, r.p, 1e-9, `${name} p (relative)`);
  });

  it('does not depend on the order of the subjects or of the groups', () => {
    const c = oracle.cases.threeGroupsTies!;
    const reference = estimate(run(c));
    const reversed = estimate(
      logRank([...c.time].reverse(), [...c.event].reverse(), [...c.group].reverse(), { groupOrder: ['C', 'A', 'B'] }),
    );
    expectRelativelyClose(reversed.chiSquare, reference.chiSquare, 1e-12, 'chi-square');
    expect(reversed.groups.map((g) => g.group)).toEqual(['C', 'A', 'B']);
  });
});

describe('logRank: degenerate input', () => {
  it('is not estimable with one group only', () => {
    const result = logRank([1, 2, 3], [1, 1, 0], ['x', 'x', 'x']);
    expect(result.estimable).toBe(false);
    if (!result.estimable) {
      expect(result.reason).toMatch(/at least 2 groups/);
      expect(result.groups).toEqual([{ group: 'x', n: 3, observed: 2, expected: 2 }]);
    }
  });

  it('is not estimable without events (R: chisq 0 on −1 df, p NA)', () => {
    const result = logRank([1, 2, 3, 4], [0, 0, 0, 0], ['a', 'a', 'b', 'b']);
    expect(result.estimable).toBe(false);
    if (!result.estimable) expect(result.reason).toMatch(/No events/);
  });

  it('is not estimable when the variance is singular: everyone has the event at once (R: solve() stops)', () => {
    const result = logRank([1, 1, 1, 1], [1, 1, 1, 1], ['a', 'a', 'b', 'b']);
    expect(result.estimable).toBe(false);
    if (!result.estimable) expect(result.reason).toMatch(/singular/);
  });

  it('reports a listed group without subjects with n = 0 and leaves it out of df (R drops unused levels)', () => {
    const e = estimate(logRank([1, 2, 3, 4], [1, 0, 1, 0], ['a', 'a', 'b', 'b'], { groupOrder: ['a', 'b', 'c'] }));
    expect(e.groups.map((g) => [g.group, g.n])).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 0],
    ]);
    expect(e.df).toBe(1);
    expect(e.chiSquare).toBe(1);
  });

  it('never returns NaN: seeded random data with ties', () => {
    const random = createSeededRandom(1966);
    const hasNaN = (value: unknown): boolean =>
      typeof value === 'number'
        ? Number.isNaN(value)
        : typeof value === 'object' && value !== null && Object.values(value).some(hasNaN);
    for (let trial = 0; trial < 1000; trial++) {
      const n = Math.floor(random.uniform() * 9);
      const times = Array.from({ length: n }, () => Math.floor(random.uniform() * 4));
      const events = times.map(() => random.uniform() < 0.6);
      const groups = times.map(() => Math.floor(random.uniform() * 3));
      const result = logRank(times, events, groups);
      expect(hasNaN(result), JSON.stringify({ times, events, groups })).toBe(false);
      if (result.estimable) expect(result.chiSquare >= 0 && result.p >= 0 && result.p <= 1).toBe(true);
    }
  });

  it('rejects mismatched lengths, bad times or indicators, and groups outside groupOrder (programmer errors)', () => {
    expect(() => logRank([1, 2], [1, 1], ['a'])).toThrow(RangeError);
    expect(() => logRank([1, -2], [1, 1], ['a', 'b'])).toThrow(RangeError);
    expect(() => logRank([1, 2], [1, 'yes' as unknown as 1], ['a', 'b'])).toThrow(RangeError);
    expect(() => logRank([1, 2], [1, 1], ['a', 'b'], { groupOrder: ['a'] })).toThrow(/not in groupOrder/);
    expect(() => logRank([1, 2], [1, 1], ['a', 'b'], { groupOrder: ['a', 'b', 'a'] })).toThrow(/twice/);
  });
});
