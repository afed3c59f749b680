import { describe, expect, it } from 'vitest';
import { referenceProtocol, type Protocol } from '../../../core/studies/protocol';
import {
  checkEntry,
  readProblems,
  ReadFormError,
  resolveItem,
  targetLesions,
  type ReadEntry,
} from '../../../core/studies/readForm';
import { assessRead, nonTargetStatus } from '../../../core/studies/assessRead';
import { readRows, toLongCsv } from '../../../core/studies/exportReads';
import { csvCell } from '../../../core/tables/csvCell';

const p = referenceProtocol;
const measured = (lengthMm: number) => ({
  status: 'measured' as const,
  aLps: [0, 0, 0] as [number, number, number],
  bLps: [lengthMm, 0, 0] as [number, number, number],
  seriesKey: 't0-s1',
  lengthMm,
});
const e = (timepoint: number, item: string, value: ReadEntry['value']): ReadEntry => ({ timepoint, item, value });

/** A complete two-timepoint read with target diameters per timepoint and the other answers fixed. */
function read(
  longest: (number | 'absent' | 'ne')[][],
  viable: (number | 'absent' | 'ne')[][],
  extra: ReadEntry[] = [],
): ReadEntry[] {
  const lesion = (v: number | 'absent' | 'ne') =>
    v === 'absent' ? { status: 'absent' as const } : v === 'ne' ? { status: 'not_evaluable' as const } : measured(v);
  const out: ReadEntry[] = [];
  longest.forEach((tp, t) => tp.forEach((v, i) => out.push(e(t, `target${i + 1}.longest`, lesion(v)))));
  viable.forEach((tp, t) => tp.forEach((v, i) => out.push(e(t, `target${i + 1}.viable`, lesion(v)))));
  for (let t = 0; t < longest.length; t++) out.push(e(t, 'nontarget', 'absent'));
  for (let t = 1; t < longest.length; t++) out.push(e(t, 'new_lesion', false));
  out.push(e(0, 'enhancement', 'hyperenhancing'), e(0, 'burden', '25-50%'));
  return [...out.filter((o) => !extra.some((x) => x.timepoint === o.timepoint && x.item === o.item)), ...extra];
}

const overall = (
  entries: ReadEntry[],
  criteria: 'recist' | 'mrecist',
  n = entries.reduce((m, x) => Math.max(m, x.timepoint + 1), 0),
) => {
  const a = assessRead(p, n, entries)[criteria]!;
  if (!a.estimable) throw new Error(a.reason);
  return a.assessment.followUps.map((f) => f.overallResponse);
};

describe('the reading form', () => {
  it('resolves items against the protocol', () => {
    expect(resolveItem(p, 'target2.viable')).toEqual({ kind: 'lesion', lesion: 2, measure: 'viable' });
    expect(resolveItem(p, 'burden')).toMatchObject({ kind: 'protocol', item: { id: 'burden' } });
    expect(() => resolveItem(p, 'target3.longest')).toThrow(ReadFormError);
    const recistOnly: Protocol = { ...p, criteria: ['recist'] };
    expect(() => resolveItem(recistOnly, 'target1.viable')).toThrow(/does not read mRECIST/);
  });

  it('computes the caliper length itself and keeps only the fields it knows', () => {
    const v = checkEntry(p, 2, 0, 'target1.longest', {
      status: 'measured',
      aLps: [1, 2, 3],
      bLps: [4, 6, 3],
      seriesKey: 't0-s2',
    });
    expect(v).toEqual({ status: 'measured', aLps: [1, 2, 3], bLps: [4, 6, 3], seriesKey: 't0-s2', lengthMm: 5 });
  });

  it('lists what is missing in words, and nothing for a complete read', () => {
    expect(readProblems(p, 2, [])).toEqual([
      'Measure at least one target lesion at the baseline.',
      'Non-target lesions: status missing at baseline, follow-up 1.',
      'New lesions: answer missing at follow-up 1.',
      'Arterial enhancement pattern of the metastases: answer missing at baseline.',
      'Visual hepatic tumour burden: answer missing at baseline.',
    ]);
    expect(readProblems(p, 2, read([[40], [28]], [[30], ['absent']]))).toEqual([]);
    expect(readProblems(p, 2, read([[9.9], [8]], [[5], [5]]))).toEqual([
      'Target 1: 9.9 mm at the baseline; RECIST 1.1 target lesions are at least 10 mm.',
    ]);
    expect(
      targetLesions(
        p,
        read(
          [
            [40, 20],
            [28, 10],
          ],
          [
            [30, 10],
            [0, 0],
          ],
        ),
      ),
    ).toEqual([1, 2]);
  });
});

describe('RECIST 1.1 and mRECIST categories from the answers (built by hand from the definitions)', () => {
  it.each([
    // longest per timepoint, viable per timepoint, RECIST overall, mRECIST overall
    [
      'exactly −30 % is PR',
      [
        [60, 40],
        [42, 28],
      ],
      [
        [30, 20],
        [21, 14],
      ],
      ['PR'],
      ['PR'],
    ],
    ['−29 % is SD', [[100], [71]], [[50], [36]], ['SD'], ['SD']],
    ['+20 % and +4 mm: RECIST SD (5 mm rule), mRECIST PD', [[20], [24]], [[20], [24]], ['SD'], ['PD']],
    ['+25 % and +5 mm: PD under both', [[20], [25]], [[20], [25]], ['PD'], ['PD']],
    [
      'all disappeared: CR',
      [
        [30, 15],
        ['absent', 'absent'],
      ],
      [
        [30, 15],
        ['absent', 'absent'],
      ],
      ['CR'],
      ['CR'],
    ],
    ['viable part gone, lesion still there: RECIST SD, mRECIST CR', [[40], [38]], [[30], ['absent']], ['SD'], ['CR']],
    [
      'zero viable at baseline stays zero: mRECIST CR, RECIST SD',
      [[40], [40]],
      [['absent'], ['absent']],
      ['SD'],
      ['CR'],
    ],
    [
      'a lesion not evaluable: NE',
      [
        [40, 20],
        [30, 'ne'],
      ],
      [
        [30, 10],
        [20, 'ne'],
      ],
      ['NE'],
      ['NE'],
    ],
    [
      'not evaluable but the rest already grew ≥ 20 %: PD',
      [
        [40, 20],
        [75, 'ne'],
      ],
      [
        [30, 10],
        [49, 'ne'],
      ],
      ['PD'],
      ['PD'],
    ],
  ])('%s', (_name, longest, viable, recist, mrecist) => {
    const entries = read(longest as never, viable as never);
    expect(overall(entries, 'recist')).toEqual(recist);
    expect(overall(entries, 'mrecist')).toEqual(mrecist);
  });

  it('compares with the nadir after a response (50 → 40 → 48 is PD although below the baseline)', () => {
    const lesion = (v: number) => measured(v);
    const entries = read([[50], [40]], [[50], [40]]).concat([
      e(2, 'target1.longest', lesion(48)),
      e(2, 'target1.viable', lesion(48)),
      e(2, 'nontarget', 'absent'),
      e(2, 'new_lesion', false),
    ]);
    expect(overall(entries, 'recist', 3)).toEqual(['SD', 'PD']);
    const a = assessRead(p, 3, entries).recist!;
    expect(a.estimable && a.assessment.followUps[1]).toMatchObject({
      nadirMm: 40,
      changeFromNadirPercent: 20,
      changeFromBaselinePercent: -4,
    });
  });

  it('makes a new lesion or unequivocal non-target progression PD, and a present non-target after target CR PR', () => {
    expect(overall(read([[40], [20]], [[30], [10]], [e(1, 'new_lesion', true)]), 'recist')).toEqual(['PD']);
    expect(overall(read([[40], [20]], [[30], [10]], [e(1, 'new_lesion', true)]), 'mrecist')).toEqual(['PD']);
    expect(overall(read([[40], [40]], [[30], [30]], [e(1, 'nontarget', 'progression')]), 'recist')).toEqual(['PD']);
    expect(
      overall(
        read([[40], ['absent']], [[30], ['absent']], [e(0, 'nontarget', 'present'), e(1, 'nontarget', 'present')]),
        'recist',
      ),
    ).toEqual(['PR']);
    expect(nonTargetStatus(undefined)).toBe('NE');
  });
});

describe('the long export', () => {
  it('writes one row per answer plus the computed numbers and categories', () => {
    const entries = read([[40], [28]], [[30], ['absent']]);
    const rows = readRows('C-007', 'Reader 1', entries, assessRead(p, 2, entries));
    const find = (timepoint: number | '', item: string) =>
      rows.find((r) => r.timepoint === timepoint && r.item === item)?.value;
    expect(find(1, 'target1.longest')).toBe('28.00');
    expect(find(1, 'target1.viable')).toBe('0');
    expect(find(1, 'recist.change_from_baseline_percent')).toBe('-30.0');
    expect(find(1, 'recist.overall_response')).toBe('PR');
    expect(find(1, 'mrecist.overall_response')).toBe('CR');
    expect(find('', 'mrecist.best_response')).toBe('CR');
    expect(rows.filter((r) => !r.item.includes('.') || r.item.startsWith('target')).length).toBe(entries.length);
    const csv = toLongCsv(rows);
    expect(csv.split('\r\n')[0]).toBe('case_code,reader,timepoint,item,value');
    expect(csv).toContain('C-007,Reader 1,1,recist.change_from_baseline_percent,-30.0\r\n');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
  });
});
