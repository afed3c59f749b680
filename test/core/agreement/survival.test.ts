import { describe, expect, it } from 'vitest';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { parseSurvivalCsv } from '../../../core/agreement/parseSurvivalCsv';
import { survivalByGroup } from '../../../core/agreement/survivalByGroup';
import { expectAbsolutelyClose, expectRelativelyClose, readOracle } from '../stats/oracles';

// test/fixtures/oracles/survival.R: survival::lung (R 4.2.2, survival 3.5-3), Surv(time, status == 2) ~ sex.
const lung = readOracle<{ cases: { lungBySex: { time: number[]; event: boolean[]; group: string[] } } }>(
  'survival.json',
).cases.lungBySex;

describe('survivalByGroup', () => {
  it('reproduces lung by sex (ORACLES.md): medians 270 (212–310) and 426 (348–550), χ² 10.326742, p 0.0013112', () => {
    const s = survivalByGroup(lung.time.map((time, i) => ({ time, event: lung.event[i]!, group: lung.group[i]! })));
    expect(s).toMatchObject({
      n: 228,
      events: 165,
      df: 1,
      reason: null,
      groups: [
        { group: '1', n: 138, events: 112, median: 270, medianCi: [212, 310] },
        { group: '2', n: 90, events: 53, median: 426, medianCi: [348, 550] },
      ],
    });
    expectAbsolutelyClose(s.chisq!, 10.326742, 5e-7, 'chisq');
    expectRelativelyClose(s.p!, 0.0013112, 5e-5, 'p');
    expectAbsolutelyClose(s.groups[0]!.expected!, 91.5817390295728, 1e-9, 'expected events, sex 1');
  });

  it('orders groups: numbers by value, then text', () => {
    const s = survivalByGroup(
      ['b', '10', 'a', '9'].flatMap((group, g) => [1, 2].map((t) => ({ time: t + g, event: true, group }))),
    );
    expect(s.groups.map((g) => g.group)).toEqual(['9', '10', 'a', 'b']);
    expect(s.df).toBe(3);
  });

  it('gives a median not reached as null', () => {
    // Responders: Ŝ = 2/3 after t = 8, never ≤ 0.5. Nonresponders: Ŝ = 1/2 on [2, 3), 0 from 3: median (2 + 3)/2.
    const s = survivalByGroup([
      { time: 5, event: false, group: 'responder' },
      { time: 8, event: true, group: 'responder' },
      { time: 9, event: false, group: 'responder' },
      { time: 10, event: false, group: 'responder' },
      { time: 2, event: true, group: 'nonresponder' },
      { time: 3, event: true, group: 'nonresponder' },
    ]);
    expect(s.groups).toEqual([
      expect.objectContaining({ group: 'nonresponder', median: 2.5, n: 2, events: 2 }),
      expect.objectContaining({ group: 'responder', median: null, medianCi: [expect.any(Number), null] }),
    ]);
    expect(s.chisq).toBeGreaterThan(0);
  });

  it.each([
    [
      'one group',
      [
        { time: 1, event: true, group: 'all' },
        { time: 2, event: false, group: 'all' },
      ],
      /at least 2 groups/,
    ],
    [
      'no events',
      [
        { time: 1, event: false, group: 'a' },
        { time: 2, event: false, group: 'b' },
      ],
      /No events/,
    ],
    ['no subjects', [], /No subjects/],
  ])('reports the log-rank test of %s as not estimable', (_, subjects, reason) => {
    const s = survivalByGroup(subjects);
    expect(s).toMatchObject({ chisq: null, df: null, p: null, reason: expect.stringMatching(reason) });
    expect(JSON.stringify(s)).not.toMatch(/NaN/);
  });
});

describe('parseSurvivalCsv', () => {
  it('reads time, event (1/0, true/false, yes/no in any case) and group; other columns ignored', () => {
    const csv = 'id,Time,dead,arm\n1,10,1,A\n2, 12.5 ,0,B\n3,3,TRUE,A\n4,4,false,B\n5,0,Yes,"A"\n6,7e1,NO,B\n';
    expect(parseSurvivalCsv(csv, { time: 'time', event: 'DEAD', group: 'arm' })).toEqual([
      { line: 2, time: 10, event: true, group: 'A' },
      { line: 3, time: 12.5, event: false, group: 'B' },
      { line: 4, time: 3, event: true, group: 'A' },
      { line: 5, time: 4, event: false, group: 'B' },
      { line: 6, time: 0, event: true, group: 'A' },
      { line: 7, time: 70, event: false, group: 'B' },
    ]);
  });

  it('keeps UTF-8 "Grün" and "Grþn" two groups, and accepts 100 groups', () => {
    expect(
      new Set(
        parseSurvivalCsv(new TextEncoder().encode('t,e,g\n1,1,Grün\n2,1,Grþn\n'), {
          time: 't',
          event: 'e',
          group: 'g',
        }).map((r) => r.group),
      ),
    ).toEqual(new Set(['Grün', 'Grþn']));
    const rows = Array.from({ length: 100 }, (_, i) => `1,1,G${i}`).join('\n');
    expect(parseSurvivalCsv(`t,e,g\n${rows}`, { time: 't', event: 'e', group: 'g' })).toHaveLength(100);
  });

  it.each([
    [
      'status 2 (R lung coding)',
      't,e,g\n1,2,a',
      /^line 2: e "2" is not an event indicator \(1\/0, true\/false or yes\/no\)$/,
    ],
    ['an empty event', 't,e,g\n1,1,a\n1,,a', /^line 3: e "" is not an event indicator/],
    ['a negative time', 't,e,g\n-1,1,a', /^line 2: t "-1" is not a follow-up time/],
    ['a time with a unit', 't,e,g\n12 d,1,a', /^line 2: t "12 d" is not a follow-up time/],
    ['a missing time (NA)', 't,e,g\nNA,1,a', /^line 2: t "NA" is not a follow-up time/],
    ['an empty group', 't,e,g\n1,1, ', /^line 2: the g cell is empty$/],
    ['an event word that is an object key', 't,e,g\n1,constructor,a', /"constructor" is not an event indicator/],
    ['a missing column', 't,e\n1,1', /no group column "g" in the header \(columns: t, e\)/],
    ['a time of 1e308', 't,e,g\n1e308,1,a', /^line 2: t "1e308" is beyond ±1e15/],
    ['a time of 1e999', 't,e,g\n1e999,1,a', /^line 2: t "1e999" is not a finite number$/],
    ['Infinity', 't,e,g\nInfinity,1,a', /^line 2: t "Infinity" is not a follow-up time/],
    [
      '101 groups',
      `t,e,g\n${Array.from({ length: 5000 }, (_, i) => `1,1,id${i}`).join('\n')}`,
      /^line 102: g "id100" would be group 101; at most 100 groups can be compared: is --group an id column\?$/,
    ],
    [
      'two spellings of one label (NFC, NFD)',
      't,e,g\n1,1,Gr\u00fcn\n2,1,Gru\u0308n',
      /^line 3: g "Gru\u0308n" and "Gr\u00fcn" look the same but their accents are encoded differently/,
    ],
    [
      'a Latin-1 file',
      Uint8Array.from([...new TextEncoder().encode('t,e,g\n1,1,Gr'), 0xfc, 0x6e]),
      /^line 2, column 3 \("g"\): byte 0xFC \(ü in Latin-1\) is not UTF-8/,
    ],
  ])('rejects %s, naming the line', (_, csv: string | Uint8Array, message) => {
    expect(() => parseSurvivalCsv(csv, { time: 't', event: 'e', group: 'g' })).toThrow(message);
    expect(() => parseSurvivalCsv(csv, { time: 't', event: 'e', group: 'g' })).toThrow(InputDataError);
  });
});
