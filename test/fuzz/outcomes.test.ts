import { describe, expect, it } from 'vitest';
import { importRunProblem, judgeLetb, type LetbJson } from './run/campaign';
import { isUnexpectedMessage, worse } from './run/outcomes';

// The campaign's verdicts on hand-made answers: a judge that let a failure pass would make the
// whole campaign worthless.
const clean: LetbJson = {
  liverMl: 2031.1425,
  letbPercent: 7.125,
  placements: [{ meanHu: 13.9, sdHu: 11.9, roiVoxels: 47, enhancingMl: 184.2 }],
};
const ok = (json: LetbJson) => ({ code: 0, out: `${JSON.stringify(json)}\n`, err: '' });

describe('isUnexpectedMessage', () => {
  it.each([
    'concord import: unexpected error: x is not a function',
    'Internal error in reader:loadVolume; details are in the Concord log.',
    'Unreadable DICOM file: Offset is outside the bounds of the DataView',
    'Database error (SQLITE_CONSTRAINT): cannot store REAL value in INTEGER column',
    "Cannot read properties of undefined (reading 'length')",
    'RangeError: Invalid typed array length: -4',
    'Array buffer allocation failed',
    'The value of "offset" is out of range. It must be >= 0 and <= 10. Received 12',
  ])('flags %s', (message) => expect(isUnexpectedMessage(message)).toBe(true));

  it.each([
    'Truncated DICOM file: The file ends at byte 843 inside element (0009,1001) (declared length 536870912); expected more data at byte 843.',
    'Rescale Slope Infinity / Intercept -1024 are not usable.',
    'Mask file a.nii.gz: not a readable NIfTI-1 mask: The file holds 589648 voxel bytes, 1179648 expected.',
    'Not an image: Basic Text SR (no pixel data)',
  ])('lets a named reason pass: %s', (message) => expect(isUnexpectedMessage(message)).toBe(false));
});

describe('judgeLetb', () => {
  it('takes the clean result as ok, or as accepted when the input was invalid', () => {
    expect(judgeLetb(ok(clean), clean, 'either')[0]).toBe('ok');
    expect(judgeLetb(ok(clean), clean, 'refuse')[0]).toBe('acceptedInvalid');
  });

  it('calls any other number silently wrong, unless the corruption was blind', () => {
    const moved = { ...clean, placements: [{ ...clean.placements[0]!, sdHu: 12 }] };
    expect(judgeLetb(ok(moved), clean, 'same')).toEqual([
      'silentlyWrong',
      expect.stringContaining('LETB 7.125 % -> 7.125 %'),
    ]);
    expect(judgeLetb(ok({ ...clean, liverMl: 2034.9 }), clean, 'refuse')[0]).toBe('silentlyWrong');
    expect(judgeLetb(ok({ ...clean, letbPercent: Number.NaN }), clean, 'either')[0]).toBe('silentlyWrong');
    expect(judgeLetb(ok({ ...clean, letbPercent: 7.2 }), clean, 'unknown')[0]).toBe('changed');
  });

  it('weighs a refusal by the input, and never lets "unexpected error" pass as a refusal', () => {
    const refused = { code: 2, out: '', err: 'concord letb: Mask file m.nii.gz: the gzip CRC-32 does not match.\n' };
    expect(judgeLetb(refused, clean, 'refuse')[0]).toBe('named');
    expect(judgeLetb(refused, clean, 'same')[0]).toBe('refusedValid');
    expect(judgeLetb({ code: 1, out: '', err: 'concord letb: unexpected error: boom\n' }, clean, 'refuse')[0]).toBe(
      'unexpected',
    );
    expect(judgeLetb({ code: 0, out: 'not json', err: '' }, clean, 'refuse')[0]).toBe('unexpected');
    expect(judgeLetb({ kind: 'memory', detail: 'killed at 800 MB' }, clean, 'refuse')).toEqual([
      'memory',
      'killed at 800 MB',
    ]);
  });
});

describe('importRunProblem', () => {
  it('passes a finished import with its skip list', () => {
    expect(importRunProblem({ code: 0, out: '{"skipped":[],"state":"succeeded"}', err: '' })).toBeUndefined();
  });

  it('blames a whole-import failure: aborted with a reason, unexpected with a raw error', () => {
    expect(
      importRunProblem({
        code: 1,
        out: '',
        err: 'concord import: Database error (SQLITE_CONSTRAINT): cannot store REAL value\n',
      })?.outcome,
    ).toBe('unexpected');
    expect(
      importRunProblem({ code: 1, out: '', err: 'concord import: The database is locked by another Concord.\n' })
        ?.outcome,
    ).toBe('aborted');
    expect(importRunProblem({ code: 0, out: '{"patients":1}', err: '' })?.outcome).toBe('unexpected');
    expect(importRunProblem({ kind: 'hang', detail: 'no exit after 60 s' })?.outcome).toBe('hang');
  });
});

describe('worse', () => {
  it('orders outcomes from passing to failing', () => {
    expect(worse('ok', 'named')).toBe('named');
    expect(worse('silentlyWrong', 'named')).toBe('silentlyWrong');
    expect(worse('emptySeries', 'crash')).toBe('crash');
  });
});
