import { describe, expect, it } from 'vitest';
import { validateProtocol, referenceProtocol, type Protocol } from '../../../core/studies/protocol';
import {
  checkEntry,
  readProblems,
  ReadFormError,
  resolveItem,
  type LetbRoiMeasurement,
  type ReadEntry,
} from '../../../core/studies/readForm';
import { assessLetb } from '../../../core/studies/assessLetb';
import { readRows } from '../../../core/studies/exportReads';

const p: Protocol = { ...referenceProtocol, letb: true };

/** A measurement whose LETB is `letbPercent` (the other numbers are not looked at here). */
const measurement = (letbPercent: number): LetbRoiMeasurement => ({
  roiVoxels: 100,
  meanHu: 10,
  sdHu: 5,
  thresholdHu: 20,
  enhancingVoxels: 1,
  enhancingMl: 1,
  liverMl: 100,
  letbPercent,
  flags: { leavesImage: false, leavesLiver: false, liverFraction: 1 },
  maskSha256: 'a'.repeat(64),
  resampledPrecontrast: false,
  softwareVersion: '0.1.0',
});
const placed = (letbPercent: number) => ({
  status: 'placed' as const,
  centerLps: [1, 2, 3] as [number, number, number],
  volumeMl: 1,
  shape: 'sphere' as const,
  measurement: measurement(letbPercent),
});
const ne = { status: 'not_evaluable' as const };
const e = (timepoint: number, item: string, value: ReadEntry['value']): ReadEntry => ({ timepoint, item, value });

describe('LETB in the protocol', () => {
  it('is off unless asked for, and only true or false', () => {
    expect(validateProtocol({ ...referenceProtocol, letb: undefined }).letb).toBe(false);
    expect(validateProtocol({ ...referenceProtocol, letb: true }).letb).toBe(true);
    expect(() => validateProtocol({ ...referenceProtocol, letb: 'yes' })).toThrow('protocol.letb: true or false');
  });
});

describe('LETB ROI placements on the reading form', () => {
  it('are items letb.roi1-3 of a protocol with LETB only', () => {
    expect(resolveItem(p, 'letb.roi3')).toEqual({ kind: 'letb', placement: 3 });
    expect(() => resolveItem(p, 'letb.roi4')).toThrow(
      'letb.roi4: LETB is measured with 3 ROI placements per timepoint.',
    );
    expect(() => resolveItem(referenceProtocol, 'letb.roi1')).toThrow('letb.roi1: this study does not measure LETB.');
  });

  it('are measured by the function the main process gives, with only the fields the form knows', () => {
    const seen: unknown[] = [];
    const v = checkEntry(
      p,
      2,
      1,
      'letb.roi2',
      { status: 'placed', centerLps: [1, 2, 3], volumeMl: 0.5, shape: 'cube', extra: 1 },
      {
        measureLetbRoi: (roi) => {
          seen.push(roi);
          return measurement(12.5);
        },
      },
    );
    expect(seen).toEqual([{ centerLps: [1, 2, 3], volumeMl: 0.5, shape: 'cube' }]);
    expect(v).toEqual({
      status: 'placed',
      centerLps: [1, 2, 3],
      volumeMl: 0.5,
      shape: 'cube',
      measurement: measurement(12.5),
    });
    expect(checkEntry(p, 2, 0, 'letb.roi1', { status: 'not_evaluable', centerLps: [0, 0, 0] })).toEqual(ne);
  });

  it('refuses a placement without a measurer, of another size or shape, off the LPS range, and reports an ROI the measurer cannot measure', () => {
    const roi = { status: 'placed', centerLps: [1, 2, 3], volumeMl: 1, shape: 'sphere' };
    expect(() => checkEntry(p, 2, 0, 'letb.roi1', roi)).toThrow(/measured by the main process/);
    const m = { measureLetbRoi: () => measurement(1) };
    expect(() => checkEntry(p, 2, 0, 'letb.roi1', { ...roi, volumeMl: 2 }, m)).toThrow(
      'letb.roi1 at the baseline: the ROI volume is 1.0 or 0.5 cm³.',
    );
    expect(() => checkEntry(p, 2, 0, 'letb.roi1', { ...roi, shape: 'disc' }, m)).toThrow(/sphere or cube/);
    expect(() => checkEntry(p, 2, 0, 'letb.roi1', { ...roi, centerLps: [1, 2, Number.NaN] }, m)).toThrow(
      /three finite LPS/,
    );
    expect(() => checkEntry(p, 2, 0, 'letb.roi1', { status: 'measured' }, m)).toThrow(/placed or not_evaluable/);
    const outside = {
      measureLetbRoi: () => {
        throw new RangeError('The ROI holds 0 voxel(s) inside the image.');
      },
    };
    expect(() => checkEntry(p, 2, 1, 'letb.roi1', roi, outside)).toThrow(
      new ReadFormError('letb.roi1 at follow-up 1: The ROI holds 0 voxel(s) inside the image.'),
    );
  });

  it('are required at every timepoint before submit (placed or not evaluable)', () => {
    const entries = [e(0, 'letb.roi1', placed(10)), e(0, 'letb.roi2', ne), e(1, 'letb.roi3', placed(5))];
    expect(readProblems(p, 2, entries)).toContain(
      'LETB: ROI placements missing at baseline (1 of 3), follow-up 1 (2 of 3).',
    );
    const all = [0, 1].flatMap((t) => [1, 2, 3].map((k) => e(t, `letb.roi${k}`, ne)));
    expect(readProblems(p, 2, all).some((x) => x.startsWith('LETB'))).toBe(false);
    expect(readProblems(referenceProtocol, 2, []).some((x) => x.startsWith('LETB'))).toBe(false);
  });
});

describe('assessLetb', () => {
  const three = (t: number, a: number, b: number, c: number) => [
    e(t, 'letb.roi1', placed(a)),
    e(t, 'letb.roi2', placed(b)),
    e(t, 'letb.roi3', placed(c)),
  ];

  it('takes the mean of the three placements and the change from the baseline (the second example of SPEC §2, 36.6 % → 22 %: −39.9 %, a responder at both defaults)', () => {
    const s = assessLetb(2, [...three(0, 36, 36.6, 37.2), ...three(1, 21, 22, 23)]);
    expect(s.timepoints.map((t) => t.letbPercent)).toEqual([36.6, 22]);
    expect(s.change).toMatchObject({ estimable: true, preLetbPercent: 36.6, postLetbPercent: 22 });
    if (!s.change?.estimable) throw new Error('expected a change');
    expect(s.change.changePercent).toBeCloseTo(-39.89, 2);
    expect(s.change.responders).toEqual([
      { thresholdPercent: -25.8, responder: true },
      { thresholdPercent: -10, responder: true },
    ]);
  });

  it('has no LETB at a timepoint with a placement missing or not evaluable, and no change then', () => {
    const s = assessLetb(3, [
      ...three(0, 10, 10, 10),
      e(1, 'letb.roi1', placed(5)),
      e(1, 'letb.roi2', placed(5)),
      e(1, 'letb.roi3', ne),
      ...three(2, 12, 12, 12),
    ]);
    expect(s.timepoints[1]).toEqual({ timepoint: 1, placed: 2, notEvaluable: 1, letbPercent: null, change: null });
    expect(s.change).toBeNull();
    // A later follow-up still has its change, without responder flags (those are the first follow-up's).
    expect(s.timepoints[2]!.change).toMatchObject({ estimable: true, responders: [] });
  });

  it('reports a baseline LETB of 0 as not estimable, with the reason', () => {
    const s = assessLetb(2, [...three(0, 0, 0, 0), ...three(1, 1, 1, 1)]);
    expect(s.change).toMatchObject({ estimable: false, reason: expect.stringContaining('0%') });
  });
});

describe('LETB in the long export', () => {
  it('writes each placement as its LETB, NE, and the computed mean and change per timepoint', () => {
    const entries = [
      e(0, 'letb.roi1', placed(10.12345)),
      e(0, 'letb.roi2', placed(11)),
      e(0, 'letb.roi3', placed(12)),
      e(1, 'letb.roi1', ne),
    ];
    const rows = readRows('C-001', 'Reader 1', entries, {}, assessLetb(2, entries));
    expect(rows.map((r) => [r.timepoint, r.item, r.value])).toEqual([
      [0, 'letb.roi1', '10.123'],
      [0, 'letb.roi2', '11.000'],
      [0, 'letb.roi3', '12.000'],
      [1, 'letb.roi1', 'NE'],
      [0, 'letb.percent', '11.041'],
      [1, 'letb.percent', 'NE'],
      [1, 'letb.change_percent', 'NE'],
    ]);
  });
});
