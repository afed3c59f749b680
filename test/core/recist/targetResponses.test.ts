import { describe, expect, it } from 'vitest';
import { targetResponses } from '../../../core/recist/targetResponses';
import type { ResponseCategory, ResponseCriteria } from '../../../core/recist/responseCategory';

/**
 * Truth table derived by hand from the definitions (Eisenhauer 2009 §4.3.1; Lencioni & Llovet
 * 2010 Table 2), B = baseline sum, N = nadir (smallest evaluable sum before the follow-up,
 * baseline included), S = sum at the follow-up, all in mm:
 *   PD  ⇔ S − N > 0 and 100·(S − N) ≥ 20·N and (mRECIST or S − N ≥ 5)   (or reappearance after CR)
 *   CR  ⇔ every non-nodal target 0 mm and every nodal target < 10 mm short axis
 *   PR  ⇔ 100·(S − B) ≤ −30·B
 *   SD  otherwise; NE when a lesion is missing and the measured ones do not already give PD.
 * Each row: criteria, timepoints (diameters per lesion, first = baseline), lymph-node flags,
 * expected target response per follow-up, derivation.
 */
type Row = [ResponseCriteria, (number | null)[][], boolean[] | null, ResponseCategory[], string];

const rows: Row[] = [
  // ORACLES.md vectors
  ['recist', [[100], [70]], null, ['PR'], 'B 100, S 70: 100·(−30) = −3000 ≤ −30·100 = −3000 (exactly −30 %)'],
  ['recist', [[100], [71]], null, ['SD'], 'B 100, S 71: −2900 > −3000 (−29 %); below N, so no PD'],
  ['mrecist', [[100], [70]], null, ['PR'], 'mRECIST PR uses the same −30 % boundary: −3000 ≤ −3000'],
  ['mrecist', [[100], [71]], null, ['SD'], 'mRECIST: −29 %, no PR, no PD'],
  [
    'recist',
    [[20], [24]],
    null,
    ['SD'],
    'N 20, S 24: 100·4 = 400 ≥ 20·20 = 400 (+20 %) but +4 mm < 5 mm; −30 % not reached',
  ],
  ['mrecist', [[20], [24]], null, ['PD'], 'N 20, S 24: +20 % exactly, mRECIST has no 5 mm rule'],
  ['recist', [[20], [25]], null, ['PD'], 'N 20, S 25: 500 ≥ 400 (+25 %) and +5 mm ≥ 5 mm (exactly)'],
  ['mrecist', [[20], [25]], null, ['PD'], 'N 20, S 25: +25 %'],
  [
    'recist',
    [[50], [40], [48]],
    null,
    ['SD', 'PD'],
    'FU1: −20 % → SD, N becomes 40; FU2: 100·8 = 800 ≥ 20·40 = 800 and +8 mm → PD although 48 < 50',
  ],
  ['mrecist', [[50], [40], [48]], null, ['SD', 'PD'], 'as above, +20 % over N 40'],

  // +20 % boundary and the 5 mm rule
  ['recist', [[50], [40], [47]], null, ['SD', 'SD'], 'FU2: 100·7 = 700 < 800 (+17.5 %) → not PD; −6 % vs B → SD'],
  ['recist', [[10], [15]], null, ['PD'], 'N 10, S 15: +50 % and +5 mm (exactly 5)'],
  ['recist', [[10], [14.9]], null, ['SD'], 'N 10, S 14.9: +49 % but +4.9 mm < 5 mm'],
  ['mrecist', [[10], [14.9]], null, ['PD'], 'mRECIST: +49 % suffices'],
  ['recist', [[200], [239]], null, ['SD'], 'N 200, S 239: 3900 < 4000 (+19.5 %) although +39 mm'],
  ['recist', [[200], [240]], null, ['PD'], 'N 200, S 240: 4000 ≥ 4000 (+20 %) and +40 mm'],
  [
    'recist',
    [
      [60, 40],
      [30, 40],
    ],
    null,
    ['PR'],
    'two lesions: B 100, S 30 + 40 = 70 → exactly −30 % → PR',
  ],

  // nadir after a response: PD below baseline
  [
    'recist',
    [[100], [60], [75]],
    null,
    ['PR', 'PD'],
    'FU1: −40 % → PR, N 60; FU2: +15 mm, 1500 ≥ 1200 (+25 %) → PD while −25 % vs B',
  ],
  [
    'recist',
    [[100], [60], [71]],
    null,
    ['PR', 'SD'],
    'FU2: +11 mm, 1100 < 1200 (+18.3 %) → no PD; −29 % vs B → no PR → SD',
  ],
  ['recist', [[100], [60], [72]], null, ['PR', 'PD'], 'FU2: +12 mm, 1200 ≥ 1200 (exactly +20 %) and ≥ 5 mm → PD'],
  ['recist', [[100], [60], [65]], null, ['PR', 'PR'], 'FU2: +5 mm, 500 < 1200 (+8.3 %); −35 % vs B → still PR'],
  [
    'mrecist',
    [[30], [12], [14]],
    null,
    ['PR', 'PR'],
    'FU1: −60 % → PR, N 12; FU2: 100·2 = 200 < 240 (+16.7 %) → no PD; 14 vs 30 = −53 % → PR',
  ],

  // disappearance to 0 and reappearance
  [
    'recist',
    [
      [30, 20],
      [0, 0],
    ],
    null,
    ['CR'],
    'all targets 0 mm',
  ],
  [
    'recist',
    [
      [30, 20],
      [0, 0],
      [3, 0],
    ],
    null,
    ['CR', 'PD'],
    'FU2: lesion 1 reappears after CR (Eisenhauer 2009 §4.3); the sum rule alone would not (+3 mm < 5 mm)',
  ],
  [
    'mrecist',
    [
      [30, 20],
      [0, 0],
      [3, 0],
    ],
    null,
    ['CR', 'PD'],
    'FU2: N 0, +3 mm: any increase over 0 is ≥ +20 %, no 5 mm rule',
  ],
  [
    'recist',
    [
      [30, 20],
      [0, 2],
    ],
    null,
    ['PR'],
    'lesion 2 still 2 mm → not CR; 100·(2 − 50) = −4800 ≤ −1500 → PR',
  ],

  // zero viable diameter (mRECIST CR while RECIST is not — same lesions, see also assessResponse)
  [
    'mrecist',
    [
      [30, 20],
      [0, 0],
    ],
    null,
    ['CR'],
    'viable diameters 0: no arterial enhancement in any target',
  ],
  [
    'recist',
    [
      [40, 25],
      [35, 22],
    ],
    null,
    ['SD'],
    'the same lesions by longest diameter: 57 vs 65 = −12.3 %',
  ],
  [
    'mrecist',
    [
      [30, 20],
      [0, 12],
    ],
    null,
    ['PR'],
    'lesion 2 still enhances: not CR; 12 vs 50 = −76 %',
  ],

  // not evaluable
  [
    'recist',
    [
      [30, 20],
      [25, null],
    ],
    null,
    ['NE'],
    'lesion 2 missing; measured 25 < N 50 → no PD shown → NE',
  ],
  [
    'recist',
    [
      [30, 20],
      [62, null],
    ],
    null,
    ['PD'],
    'lesion 2 missing; measured 62 alone: +12 mm, 1200 ≥ 1000 (+24 %) → PD whatever lesion 2 measures',
  ],
  [
    'recist',
    [
      [30, 20],
      [54, null],
    ],
    null,
    ['NE'],
    'measured 54: +4 mm (+8 %) is not PD; the full sum could be anything ≥ 54 → NE',
  ],
  [
    'recist',
    [
      [30, 20],
      [10, null],
      [25, 20],
    ],
    null,
    ['NE', 'SD'],
    'FU1 NE does not become the nadir: FU2 45 vs N 50 (not 10) → −10 % → SD',
  ],
  [
    'mrecist',
    [
      [30, 20],
      [0, null],
    ],
    null,
    ['NE'],
    'lesion 1 has no enhancement but lesion 2 is not evaluable: CR cannot be shown → NE',
  ],

  // lymph nodes (short axis; CR when < 10 mm)
  [
    'recist',
    [
      [20, 30],
      [8, 0],
    ],
    [true, false],
    ['CR'],
    'node 8 mm < 10 mm and lesion 2 gone → CR with sum 8 mm > 0',
  ],
  [
    'recist',
    [
      [20, 30],
      [10, 0],
    ],
    [true, false],
    ['PR'],
    'node 10 mm is not < 10 mm → not CR; 10 vs 50 = −80 % → PR',
  ],
  [
    'recist',
    [
      [20, 30],
      [8, 0],
      [9, 0],
      [13, 0],
    ],
    [true, false],
    ['CR', 'CR', 'PD'],
    'FU2: +1 mm, still < 10 mm → CR; FU3: N 8, +5 mm and +62.5 % → PD',
  ],
  [
    'recist',
    [
      [16, 18],
      [9, 9.9],
    ],
    [true, true],
    ['CR'],
    'two nodes, both < 10 mm → CR with sum 18.9 mm',
  ],

  // exact decimals (naive floating point gets these boundaries wrong)
  [
    'recist',
    [
      [10.1, 20.2],
      [7.07, 14.14],
    ],
    null,
    ['PR'],
    'B 30.3, S 21.21: −9.09 mm = −30 % exactly; doubles give −29.999999999999993 %',
  ],
  [
    'mrecist',
    [
      [10.1, 10.9],
      [12.6, 12.6],
    ],
    null,
    ['PD'],
    'N 21, S 25.2: +4.2 mm = +20 % exactly; doubles give 100·4.2 < 20·21',
  ],
  [
    'recist',
    [
      [10.1, 10.9],
      [12.6, 12.6],
    ],
    null,
    ['SD'],
    'same, but +4.2 mm < 5 mm',
  ],
  [
    'recist',
    [
      [10.1, 16.9],
      [16.2, 16.2],
    ],
    null,
    ['PD'],
    'N 27, S 32.4: +20 % exactly and +5.4 mm',
  ],

  // baseline sum 0 (possible for a viable sum)
  ['mrecist', [[0], [0]], null, ['CR'], 'no enhancement at either timepoint: viable sum 0'],
  ['mrecist', [[0], [2]], null, ['PD'], 'N 0: any increase is ≥ +20 %, no 5 mm rule'],
  ['recist', [[0], [2]], null, ['SD'], 'N 0: +2 mm < 5 mm and no earlier CR; B 0 → no PR'],
  ['recist', [[0], [5]], null, ['PD'], 'N 0: +5 mm'],
];

describe('targetResponses: hand-derived truth table', () => {
  it.each(rows)('%s %j (nodes %j) → %j: %s', (criteria, timepoints, isNode, expected) => {
    const result = targetResponses(timepoints, criteria, isNode ? { isNode } : {});
    expect(result.map((r) => r.targetResponse)).toEqual(expected);
  });
});

describe('targetResponses: the numbers behind the category', () => {
  it('reports sums, the nadir and exact changes (50 → 40 → 48)', () => {
    const [fu1, fu2] = targetResponses(
      [
        [30, 20],
        [25, 15],
        [28, 20],
      ],
      'recist',
    );
    // FU1: S 40, N 50 (baseline), 100·(40 − 50)/50 = −20 % versus both.
    expect(fu1).toMatchObject({
      followUp: 1,
      sumMm: 40,
      baselineSumMm: 50,
      nadirMm: 50,
      changeFromBaselinePercent: -20,
      changeFromNadirPercent: -20,
    });
    // FU2: S 48, N 40, 100·(48 − 50)/50 = −4 %, 100·(48 − 40)/40 = +20 %.
    expect(fu2).toMatchObject({
      followUp: 2,
      sumMm: 48,
      nadirMm: 40,
      changeFromBaselinePercent: -4,
      changeFromNadirPercent: 20,
      targetResponse: 'PD',
    });
    expect(fu2!.changeFromBaselineReason).toBeNull();
    expect(fu2!.basis).toMatch(/\+20\.0 % and \+8 mm over the nadir 40 mm/);
  });

  it('gives −30 exactly at the PR boundary, also for decimal diameters', () => {
    expect(targetResponses([[100], [70]], 'recist')[0]!.changeFromBaselinePercent).toBe(-30);
    expect(
      targetResponses(
        [
          [10.1, 20.2],
          [7.07, 14.14],
        ],
        'recist',
      )[0],
    ).toMatchObject({ sumMm: 21.21, baselineSumMm: 30.3, changeFromBaselinePercent: -30 });
  });

  it('says why the changes are not estimable instead of returning NaN', () => {
    const [ne] = targetResponses(
      [
        [30, 20],
        [25, null],
      ],
      'recist',
    );
    expect(ne).toMatchObject({
      sumMm: null,
      measuredSumMm: 25,
      notEvaluableLesions: [1],
      changeFromBaselinePercent: null,
      changeFromNadirPercent: null,
    });
    expect(ne!.changeFromBaselineReason).toMatch(/not evaluable/);
    expect(ne!.basis).toMatch(/target lesion 2 not evaluable/);
    const [zero, grow] = targetResponses([[0], [0], [2]], 'mrecist');
    expect(zero).toMatchObject({
      changeFromBaselinePercent: null,
      changeFromBaselineReason: expect.stringMatching(/baseline sum is 0 mm/),
    });
    expect(grow).toMatchObject({
      changeFromNadirPercent: null,
      changeFromNadirReason: expect.stringMatching(/nadir sum is 0 mm/),
      targetResponse: 'PD',
    });
    for (const r of [ne, zero, grow]) {
      expect(Number.isNaN(r!.changeFromBaselinePercent)).toBe(false);
      expect(Number.isNaN(r!.changeFromNadirPercent)).toBe(false);
    }
  });

  it('reports a lymph-node CR with its sum > 0', () => {
    expect(
      targetResponses(
        [
          [20, 30],
          [8, 0],
        ],
        'recist',
        { isNode: [true, false] },
      )[0],
    ).toMatchObject({ sumMm: 8, targetResponse: 'CR', changeFromBaselinePercent: -84 });
  });

  it('gives no follow-ups for a baseline alone', () => {
    expect(targetResponses([[12, 30]], 'recist')).toEqual([]);
  });

  it('rejects inputs that are not a set of target measurements', () => {
    expect(() => targetResponses([], 'recist')).toThrow(RangeError); // no baseline
    expect(() => targetResponses([[], []], 'recist')).toThrow(RangeError); // no target lesion
    expect(() => targetResponses([[10, 20], [10]], 'recist')).toThrow(/same lesions/); // ragged
    expect(() =>
      targetResponses(
        [
          [10, null],
          [10, 10],
        ],
        'recist',
      ),
    ).toThrow(/baseline/); // target not measured at baseline
    expect(() => targetResponses([[10], [-1]], 'recist')).toThrow(RangeError);
    expect(() => targetResponses([[10], [Number.NaN]], 'recist')).toThrow(RangeError);
    expect(() =>
      targetResponses(
        [
          [10, 20],
          [10, 20],
        ],
        'recist',
        { isNode: [true] },
      ),
    ).toThrow(RangeError);
    expect(() => targetResponses([[10], [10]], 'who' as 'recist')).toThrow(RangeError);
  });
});
