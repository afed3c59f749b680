import { describe, expect, it } from 'vitest';
import type { ItemRatings } from '../../../core/agreement/groupRatings';
import { itemAgreement, type ItemAgreement } from '../../../core/agreement/itemAgreement';
import { cohenKappa } from '../../../core/stats/cohenKappa';
import { iccForms } from '../../../core/stats/icc';
import { expectAbsolutelyClose, readOracle } from '../stats/oracles';

/** Two raters' ratings from a count table (rows = rater A's level, columns = rater B's). */
function fromCounts(counts: number[][], levels: string[]): string[][] {
  const rows: string[][] = [];
  counts.forEach((row, i) =>
    row.forEach((c, j) => rows.push(...Array.from({ length: c }, () => [levels[i]!, levels[j]!]))),
  );
  return rows;
}

function categorical(
  ratings: string[][],
  levels: string[],
  scale: 'nominal' | 'ordinal' = 'nominal',
  raters?: string[],
): ItemRatings {
  const k = ratings[0]?.length ?? raters?.length ?? 0;
  return {
    item: 'item',
    timepoint: null,
    scale,
    levels,
    raters: raters ?? Array.from({ length: k }, (_, r) => String.fromCharCode(65 + r)),
    caseIds: ratings.map((_, i) => `C${i + 1}`),
    excludedCaseIds: [],
    ratings,
  };
}

function continuous(ratings: number[][], raters?: string[]): ItemRatings {
  const k = ratings[0]?.length ?? raters?.length ?? 0;
  return {
    item: 'sum_mm',
    timepoint: '1',
    scale: 'continuous',
    raters: raters ?? Array.from({ length: k }, (_, r) => `R${r + 1}`),
    caseIds: ratings.map((_, i) => `C${i + 1}`),
    excludedCaseIds: ['C99'],
    ratings,
  };
}

/** The fields of `ItemAgreement`, in the order they are printed (the JSON contract of `concord agreement`). */
const fieldOrder = [
  'item',
  'timepoint',
  'scale',
  'levels',
  'n',
  'raters',
  'excludedCases',
  'excludedCaseIds',
  'kappa',
  'kappaSe',
  'kappaCi',
  'observedAgreement',
  'expectedAgreement',
  'weightedKappaLinear',
  'weightedKappaLinearSe',
  'weightedKappaLinearCi',
  'weightedKappaQuadratic',
  'weightedKappaQuadraticSe',
  'weightedKappaQuadraticCi',
  'fleissKappa',
  'fleissKappaSe',
  'fleissKappaP',
  'band',
  'percentAgreement',
  'confusion',
  'pairwise',
  'icc',
  'blandAltman',
  'reason',
];
function expectContract(a: ItemAgreement): void {
  expect(Object.keys(a)).toEqual(fieldOrder);
  expect(JSON.stringify(a)).not.toMatch(/NaN|Infinity/);
  // JSON.stringify would turn a NaN into null silently: check the numbers themselves.
  const walk = (v: unknown): void => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(a);
}

const fce = [
  [106, 10, 4],
  [22, 28, 10],
  [2, 12, 6],
];

describe('itemAgreement: two raters, categorical', () => {
  it('matches a hand calculation (nominal)', () => {
    // a = (1, 1, 0, 0), b = (1, 0, 0, 0): p_o = 3/4, p_e = .5·.25 + .5·.75 = .5 → κ = .5.
    const a = itemAgreement(
      categorical(
        [
          ['1', '1'],
          ['1', '0'],
          ['0', '0'],
          ['0', '0'],
        ],
        ['0', '1'],
      ),
    );
    expectContract(a);
    expect(a).toMatchObject({
      scale: 'nominal',
      n: 4,
      raters: ['A', 'B'],
      excludedCases: 0,
      observedAgreement: 0.75,
      expectedAgreement: 0.5,
      band: 'moderate',
      percentAgreement: 75,
      weightedKappaLinear: null,
      weightedKappaQuadratic: null,
      fleissKappa: null,
      pairwise: null,
      icc: null,
      blandAltman: null,
      reason: null,
      confusion: {
        rowRater: 'A',
        columnRater: 'B',
        levels: ['0', '1'],
        counts: [
          [2, 0],
          [1, 1],
        ],
      },
    });
    expect(a.kappa).toBeCloseTo(0.5, 12);
  });

  it('reproduces Fleiss, Cohen & Everitt 1969 (ORACLES.md): κ 0.4285714 (SE 0.053711), linear 0.4923077, quadratic 0.5666667', () => {
    const a = itemAgreement(categorical(fromCounts(fce, ['x', 'y', 'z']), ['x', 'y', 'z'], 'ordinal'));
    expectContract(a);
    expect(a.n).toBe(200);
    expect(a.kappa).toBeCloseTo(0.4285714, 7);
    expect(a.kappaSe).toBeCloseTo(0.053711, 6);
    expect(a.weightedKappaLinear).toBeCloseTo(0.4923077, 7);
    expect(a.weightedKappaQuadratic).toBeCloseTo(0.5666667, 7);
    expect(a.confusion!.counts).toEqual(fce);
    // Its SE, CI etc. are cohenKappa's (checked against vcd in test/core/stats).
    const linear = cohenKappa(fce, { weighting: 'linear' });
    if (!linear.estimable) throw new Error(linear.reason);
    expect(a.weightedKappaLinearSe).toBe(linear.standardError);
    expect(a.weightedKappaLinearCi).toEqual(linear.ci);
    expect(a.band).toBe('moderate');
    expect(a.percentAgreement).toBeCloseTo(70, 12);
  });

  it('keeps a level nobody used in the table: in the middle of the scale it changes the weighted kappas', () => {
    const ratings = fromCounts(fce, ['x', 'y', 'z']);
    const plain = itemAgreement(categorical(ratings, ['x', 'y', 'z'], 'ordinal'));
    const middle = itemAgreement(categorical(ratings, ['x', 'unused', 'y', 'z'], 'ordinal'));
    const end = itemAgreement(categorical(ratings, ['x', 'y', 'z', 'unused'], 'ordinal'));
    expect(middle.confusion!.counts).toEqual([
      [106, 0, 10, 4],
      [0, 0, 0, 0],
      [22, 0, 28, 10],
      [2, 0, 12, 6],
    ]);
    expect(end.confusion!.counts).toEqual([
      [106, 10, 4, 0],
      [22, 28, 10, 0],
      [2, 12, 6, 0],
      [0, 0, 0, 0],
    ]);
    expect(middle.kappa).toBeCloseTo(plain.kappa!, 14);
    // In the middle: x–y is now 2 steps of 3 (weight 1/3 instead of 1/2), so the kappas change.
    const expected = cohenKappa(middle.confusion!.counts, { weighting: 'linear' });
    expect(middle.weightedKappaLinear).toBe(expected.estimable ? expected.kappa : NaN);
    expect(middle.weightedKappaLinear).not.toBeCloseTo(plain.weightedKappaLinear!, 3);
    expect(middle.weightedKappaQuadratic).not.toBeCloseTo(plain.weightedKappaQuadratic!, 3);
    // At an end, every disagreement weight is scaled by the same factor, which kappa ignores.
    expect(end.weightedKappaLinear).toBeCloseTo(plain.weightedKappaLinear!, 14);
    expect(end.weightedKappaQuadratic).toBeCloseTo(plain.weightedKappaQuadratic!, 14);
  });

  it('reports a degenerate item (both readers always the same single level) as not estimable, never NaN', () => {
    const a = itemAgreement(
      categorical(
        Array.from({ length: 5 }, () => ['present', 'present']),
        ['present', 'absent'],
        'ordinal',
      ),
    );
    expectContract(a);
    expect(a).toMatchObject({
      n: 5,
      kappa: null,
      kappaSe: null,
      kappaCi: null,
      observedAgreement: null,
      weightedKappaLinear: null,
      weightedKappaQuadratic: null,
      band: null,
      percentAgreement: 100,
      confusion: {
        counts: [
          [5, 0],
          [0, 0],
        ],
      },
      reason: expect.stringMatching(
        /Both readers rated all 5 items "present": expected agreement is 1 and kappa is 0\/0/,
      ),
    });
  });

  it('gives kappa 0 with SE 0 when one reader used a single level and the other did not', () => {
    const a = itemAgreement(
      categorical(
        [
          ['a', 'a'],
          ['a', 'b'],
          ['a', 'a'],
        ],
        ['a', 'b'],
      ),
    );
    expect(a).toMatchObject({ kappa: 0, kappaSe: 0, kappaCi: [0, 0], band: 'slight', reason: null });
  });

  it('reports no cases (every case excluded) as not estimable', () => {
    const a = itemAgreement({ ...categorical([], ['a', 'b'], 'nominal', ['A', 'B']), excludedCaseIds: ['C1', 'C2'] });
    expectContract(a);
    expect(a).toMatchObject({
      n: 0,
      excludedCases: 2,
      excludedCaseIds: ['C1', 'C2'],
      kappa: null,
      percentAgreement: null,
      confusion: {
        counts: [
          [0, 0],
          [0, 0],
        ],
      },
    });
    expect(a.reason).toMatch(/at least one rated item/);
  });

  it.each([
    [[] as string[], /^No ratings of "item" in the reads file\.$/],
    [['A'], /^Only reader A rated "item": agreement needs at least 2 readers\.$/],
  ])('needs two readers (raters %j)', (raters, reason) => {
    const a = itemAgreement(categorical(raters.length === 0 ? [] : [['x'], ['y']], ['x', 'y'], 'nominal', raters));
    expectContract(a);
    expect(a).toMatchObject({
      kappa: null,
      fleissKappa: null,
      band: null,
      percentAgreement: null,
      confusion: null,
      pairwise: null,
    });
    expect(a.reason).toMatch(reason);
  });
});

describe('itemAgreement: three or more raters, categorical', () => {
  // test/fixtures/oracles/fleissKappa.R: irr's diagnoses data (Fleiss 1971), 30 subjects × 6 raters.
  const diagnoses = readOracle<{ cases: { diagnoses: { levels: number[]; ratings: number[][] } } }>('fleissKappa.json')
    .cases.diagnoses;
  const levels = diagnoses.levels.map(String);
  const ratings = diagnoses.ratings.map((row) => row.map(String));

  it("gives Fleiss' kappa 0.4302445 (ORACLES.md) and every pair's Cohen kappa", () => {
    const a = itemAgreement(categorical(ratings, levels));
    expectContract(a);
    expect(a.fleissKappa).toBeCloseTo(0.4302445, 7);
    expect(a).toMatchObject({
      n: 30,
      kappa: null,
      kappaSe: null,
      confusion: null,
      weightedKappaLinear: null,
      band: 'moderate',
      reason: null,
    });
    expect(a.fleissKappaP).toBeGreaterThan(0);
    expect(a.fleissKappaP).toBeLessThan(1e-60);
    // Cases on which all six raters agree: rows 1, 4, 10, 26, 28 (counted by hand from the table).
    expect(a.percentAgreement).toBeCloseTo((100 * ratings.filter((r) => r.every((v) => v === r[0])).length) / 30, 12);
    expect(a.pairwise).toHaveLength(15);
    const [first] = a.pairwise!;
    const pair = cohenKappa(
      Array.from({ length: 5 }, (_, i) =>
        Array.from({ length: 5 }, (_, j) => ratings.filter((r) => r[0] === levels[i] && r[1] === levels[j]).length),
      ),
    );
    if (!pair.estimable) throw new Error(pair.reason);
    expect(first).toMatchObject({
      raters: ['A', 'B'],
      kappa: pair.kappa,
      kappaSe: pair.standardError,
      kappaCi: pair.ci,
      weightedKappaLinear: null,
      reason: null,
    });
  });

  it('reports pairwise weighted kappas for ordinal items', () => {
    const a = itemAgreement(categorical(ratings, levels, 'ordinal'));
    expect(
      a.pairwise!.every(
        (p) => typeof p.weightedKappaLinear === 'number' && typeof p.weightedKappaQuadratic === 'number',
      ),
    ).toBe(true);
    expect(a.weightedKappaLinear).toBeNull();
  });

  it('reports every rating in one level as not estimable', () => {
    const a = itemAgreement(
      categorical(
        Array.from({ length: 4 }, () => ['SD', 'SD', 'SD']),
        ['CR', 'PR', 'SD', 'PD'],
        'ordinal',
      ),
    );
    expectContract(a);
    expect(a).toMatchObject({
      fleissKappa: null,
      band: null,
      percentAgreement: 100,
      reason: expect.stringMatching(/All 12 ratings are "SD"/),
    });
    expect(a.pairwise!.map((p) => p.kappa)).toEqual([null, null, null]);
  });
});

describe('itemAgreement: continuous', () => {
  // Shrout & Fleiss 1979, 6 targets × 4 judges (ORACLES.md, psych::ICC).
  const shroutFleiss = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  it.each([
    ['ICC1', 0.165742, -0.132932, 0.72256],
    ['ICC2', 0.289764, 0.018787, 0.761084],
    ['ICC3', 0.714841, 0.342465, 0.945858],
    ['ICC1k', 0.442797, -0.884442, 0.912415],
    ['ICC2k', 0.620051, 0.071137, 0.927232],
    ['ICC3k', 0.909316, 0.675675, 0.985892],
  ] as const)('Shrout & Fleiss 1979: %s %f (%f, %f)', (form, value, lower, upper) => {
    const a = itemAgreement(continuous(shroutFleiss));
    expectContract(a);
    const f = a.icc![form];
    expect(f.value).toBeCloseTo(value, 6);
    expect(f.ci![0]).toBeCloseTo(lower, 6);
    expect(f.ci![1]).toBeCloseTo(upper, 6);
    expect(f.reason).toBeNull();
    expect(a).toMatchObject({
      n: 6,
      raters: ['R1', 'R2', 'R3', 'R4'],
      timepoint: '1',
      levels: null,
      blandAltman: null,
      kappa: null,
      band: null,
      percentAgreement: null,
      reason: null,
    });
  });

  it('adds Bland–Altman for two raters (first minus second)', () => {
    // Sums of diameters (test/fixtures/oracles/blandAltman.R): d = −3, −3, 1, −6, 1, −5, −2, −4, −4, 2; mean −2.3.
    const a = [52, 88, 34, 120, 61, 45, 97, 23, 70, 140];
    const b = [55, 91, 33, 126, 60, 50, 99, 27, 74, 138];
    const result = itemAgreement(
      continuous(
        a.map((x, i) => [x, b[i]!]),
        ['alice', 'bob'],
      ),
    );
    expectContract(result);
    const ba = result.blandAltman!;
    expect(ba.raters).toEqual(['alice', 'bob']);
    expectAbsolutelyClose(ba.bias!, -2.3, 1e-12, 'bias');
    expectAbsolutelyClose(ba.upperLimit! - ba.lowerLimit!, 2 * 1.96 * ba.sdDifference!, 1e-12, 'limits');
    expect(ba.biasCi![0]).toBeLessThan(-2.3);
    expect(result.excludedCases).toBe(1);
  });

  it('reports identical measurements as not estimable, form by form, never NaN', () => {
    const a = itemAgreement(
      continuous([
        [5, 5],
        [5, 5],
        [5, 5],
      ]),
    );
    expectContract(a);
    expect(a.reason).toMatch(/All 3 × 2 ratings are identical/);
    for (const form of iccForms) expect(a.icc![form]).toEqual({ value: null, ci: null, reason: a.reason });
    // Bland–Altman still exists: bias 0, SD 0.
    expect(a.blandAltman).toMatchObject({ bias: 0, sdDifference: 0, reason: null });
  });

  it('reports a single case as not estimable (ICC and Bland–Altman)', () => {
    const a = itemAgreement(continuous([[5, 6]]));
    expectContract(a);
    expect(a.reason).toMatch(/at least 2 targets/);
    expect(a.blandAltman).toMatchObject({
      bias: null,
      lowerLimitCi: null,
      reason: expect.stringMatching(/at least 2 pairs/),
    });
  });

  it('needs two readers', () => {
    const a = itemAgreement(continuous([[5], [6]]));
    expectContract(a);
    expect(a.reason).toMatch(/^Only reader R1 rated "sum_mm" at timepoint 1/);
    expect(a.icc!.ICC2).toEqual({ value: null, ci: null, reason: a.reason });
    expect(a.blandAltman).toBeNull();
  });
});

describe('itemAgreement: programmer errors', () => {
  it.each([
    ['a ragged row', { ...categorical([['a', 'b'], ['a']], ['a', 'b']) }, /case C2: 1 ratings for 2 raters/],
    ['rows without cases', { ...categorical([['a', 'b']], ['a', 'b']), caseIds: [] }, /1 rows of ratings for 0 cases/],
    ['a rating that is not a level', categorical([['a', 'c']], ['a', 'b']), /"c" is not one of the levels/],
  ])('throws RangeError for %s', (_, ratings, message) => {
    expect(() => itemAgreement(ratings as ItemRatings)).toThrow(RangeError);
    expect(() => itemAgreement(ratings as ItemRatings)).toThrow(message);
  });
  it('rejects a confidence level outside (0, 1)', () => {
    expect(() => itemAgreement(categorical([['a', 'b']], ['a', 'b']), { confidenceLevel: 95 })).toThrow(RangeError);
  });
});
