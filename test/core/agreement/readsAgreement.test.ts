import { describe, expect, it } from 'vitest';
import { parseAgreementProtocol } from '../../../core/agreement/agreementProtocol';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { readsAgreement } from '../../../core/agreement/readsAgreement';
import { assessRead } from '../../../core/studies/assessRead';
import { readRows, toLongCsv, type LongRow } from '../../../core/studies/exportReads';
import { referenceProtocol } from '../../../core/studies/protocol';
import type { ReadEntry } from '../../../core/studies/readForm';

/** A caliper of `lengthMm` along x, as the reading form stores it. */
const caliper = (lengthMm: number) => ({
  status: 'measured' as const,
  aLps: [0, 0, 0] as [number, number, number],
  bLps: [lengthMm, 0, 0] as [number, number, number],
  seriesKey: 's1',
  lengthMm,
});

/** One read of the reference protocol: one target, baseline and one follow-up. */
function read(preMm: number, postMm: number, enhancement: string, burden: string): ReadEntry[] {
  return [
    { timepoint: 0, item: 'target1.longest', value: caliper(preMm) },
    { timepoint: 1, item: 'target1.longest', value: caliper(postMm) },
    { timepoint: 0, item: 'target1.viable', value: caliper(preMm / 2) },
    { timepoint: 1, item: 'target1.viable', value: caliper(postMm / 2) },
    { timepoint: 0, item: 'nontarget', value: 'absent' },
    { timepoint: 1, item: 'nontarget', value: 'absent' },
    { timepoint: 1, item: 'new_lesion', value: false },
    { timepoint: 0, item: 'enhancement', value: enhancement },
    { timepoint: 0, item: 'burden', value: burden },
  ];
}

describe('readsAgreement on the study export', () => {
  // Case, then per reader (pre mm, post mm, enhancement, burden).
  const reads: [string, [number, number, string, string], [number, number, string, string]][] = [
    ['K101', [100, 60, 'hyperenhancing', '<25%'], [100, 65, 'hyperenhancing', '<25%']], // PR / PR
    ['K102', [50, 52, 'iso-/hypoenhancing', '25-50%'], [48, 60, 'iso-/hypoenhancing', '>50-75%']], // SD / PD (+25 %, +12 mm)
    ['K103', [80, 40, 'hyperenhancing', '>75%'], [80, 58, 'iso-/hypoenhancing', '>75%']], // PR / SD
    ['K104', [30, 40, 'iso-/hypoenhancing', '<25%'], [30, 41, 'iso-/hypoenhancing', '25-50%']], // PD / PD
  ];
  const rows: LongRow[] = reads.flatMap(([caseCode, ...byReader]) =>
    byReader.flatMap((r, i) => {
      const entries = read(...r);
      return readRows(caseCode, i === 0 ? 'alice' : 'bob', entries, assessRead(referenceProtocol, 2, entries));
    }),
  );
  const csv = toLongCsv(rows);

  it('analyses the protocol items and the computed RECIST categories of the exported reads.csv', () => {
    const items = parseAgreementProtocol({
      items: [
        ...referenceProtocol.items,
        { id: 'recist.overall_response' },
        { id: 'recist.sum_mm' },
        { id: 'mrecist.best_response' },
      ],
    });
    const result = readsAgreement(csv, items);
    expect(result.map((r) => [r.item, r.timepoint, r.n, r.raters])).toEqual([
      ['enhancement', '0', 4, ['alice', 'bob']],
      ['burden', '0', 4, ['alice', 'bob']],
      ['recist.overall_response', '1', 4, ['alice', 'bob']],
      ['recist.sum_mm', '0', 4, ['alice', 'bob']],
      ['recist.sum_mm', '1', 4, ['alice', 'bob']],
      ['mrecist.best_response', null, 4, ['alice', 'bob']],
    ]);
    const recist = result[2]!;
    expect(recist.levels).toEqual(['CR', 'PR', 'SD', 'PD', 'NE']);
    // alice PR, SD, PR, PD; bob PR, PD, SD, PD: 2 of 4 agree.
    expect(recist.confusion!.counts).toEqual([
      [0, 0, 0, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(recist.percentAgreement).toBe(50);
    // p_o = 1/2; p_e = (2·1 + 1·1 + 1·2)/16 = 5/16; κ = (8/16 − 5/16)/(11/16) = 3/11.
    expect(recist.kappa).toBeCloseTo(3 / 11, 14);
    expect(result[3]!.icc!.ICC1.value).toBeGreaterThan(0.9);
  });

  it('names the exported line of a value that is not a level', () => {
    const items = parseAgreementProtocol({
      items: [{ id: 'recist.overall_response', scale: 'ordinal', levels: ['CR', 'PR', 'SD'] }],
    });
    const line = csv.split('\r\n').findIndex((l) => l.endsWith('recist.overall_response,PD')) + 1;
    expect(() => readsAgreement(csv, items)).toThrow(InputDataError);
    expect(() => readsAgreement(csv, items)).toThrow(
      new RegExp(
        `^line ${line} \\(case K102, reader bob, item recist.overall_response, timepoint 1\\): "PD" is not one of the levels`,
      ),
    );
  });
});
