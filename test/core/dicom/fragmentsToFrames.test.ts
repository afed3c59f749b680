import { describe, expect, it } from 'vitest';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { fragmentsToFrames } from '../../../core/dicom/fragmentsToFrames';
import type { Fragment } from '../../../core/dicom/parseDicom';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { parseShared } from '../../fixtures/dicom/sharedData';

/**
 * Encapsulated pixel data as PS3.5 §A.4 lays it out: an item (FFFE,E000, length) per fragment,
 * the first being the Basic Offset Table. Returns the bytes and each item's value range.
 */
function encapsulate(
  offsetTable: readonly number[],
  payloads: readonly number[][],
): { bytes: Uint8Array; fragments: Fragment[] } {
  const items = [offsetTable.flatMap((o) => [o & 0xff, (o >>> 8) & 0xff, (o >>> 16) & 0xff, o >>> 24]), ...payloads];
  const bytes: number[] = [];
  const fragments: Fragment[] = [];
  for (const item of items) {
    const n = item.length;
    bytes.push(0xfe, 0xff, 0x00, 0xe0, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
    fragments.push({ offset: bytes.length, length: n });
    bytes.push(...item);
  }
  return { bytes: new Uint8Array(bytes), fragments };
}

const soi = [0xff, 0xd8, 1, 2];
const soc = [0xff, 0x4f, 0xff, 0x51];
const jp2 = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20];
const more = [9, 9, 9, 9];
/** An RLE frame: 2 segments, the first at byte 64 (PS3.5 §G.5). */
const rle = [2, 0, 0, 0, 64, 0, 0, 0, ...new Array<number>(60).fill(0)];

function run(offsetTable: readonly number[], payloads: readonly number[][], frames: number) {
  const { bytes, fragments } = encapsulate(offsetTable, payloads);
  return fragmentsToFrames(bytes, fragments, frames);
}

/** Fragments with no offset table item in front of them. */
function noTable(payloads: readonly number[][], frames: number) {
  const { bytes, fragments } = encapsulate([], payloads);
  return fragmentsToFrames(bytes, fragments.slice(1), frames);
}

/** Frames as lists of fragment indexes (1 = first fragment after the offset table). */
function indexes(frames: Fragment[][], fragments: Fragment[]): number[][] {
  return frames.map((list) => list.map((f) => fragments.indexOf(f)));
}

describe('fragmentsToFrames', () => {
  it('follows the Basic Offset Table', () => {
    // Items are 8 + 4 bytes each: frame 1 = items at 0 and 12, frame 2 = item at 24 (hand-derived).
    const { bytes, fragments } = encapsulate([0, 24], [soi, more, soi]);
    expect(indexes(fragmentsToFrames(bytes, fragments, 2), fragments)).toEqual([[1, 2], [3]]);
  });

  it('prefers the Extended Offset Table when one is given', () => {
    const { bytes, fragments } = encapsulate([], [soc, soc, more]);
    expect(indexes(fragmentsToFrames(bytes, fragments, 2, [0, 12]), fragments)).toEqual([[1], [2, 3]]);
  });

  it('ignores an offset table that does not point at items and falls back to markers', () => {
    const { bytes, fragments } = encapsulate([0, 7], [soi, more, soi]);
    expect(indexes(fragmentsToFrames(bytes, fragments, 2), fragments)).toEqual([[1, 2], [3]]);
  });

  it('takes one fragment per frame when the counts match', () => {
    const { bytes, fragments } = encapsulate([], [more, more, more]);
    expect(indexes(fragmentsToFrames(bytes, fragments, 3), fragments)).toEqual([[1], [2], [3]]);
  });

  it('joins all fragments of a single frame', () => {
    const { bytes, fragments } = encapsulate([], [soi, more, more]);
    expect(indexes(fragmentsToFrames(bytes, fragments, 1), fragments)).toEqual([[1, 2, 3]]);
  });

  it.each([
    ['JPEG SOI', soi],
    ['JPEG 2000 SOC', soc],
    ['JP2 signature box', jp2],
  ])('splits at %s markers without an offset table', (_name, marker) => {
    const { bytes, fragments } = encapsulate([], [marker, more, marker, more, more]);
    expect(indexes(fragmentsToFrames(bytes, fragments, 2), fragments)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('rejects fragments that cannot make the declared number of frames', () => {
    const { bytes, fragments } = encapsulate([], [soi, more, soi, more]);
    expect(() => fragmentsToFrames(bytes, fragments, 3)).toThrow(DicomDataError);
    expect(() => fragmentsToFrames(bytes, fragments, 3)).toThrow(
      /Number of Frames is 3 but the 4 pixel data fragments/,
    );
    const noMarkers = encapsulate([], [more, more, more]);
    expect(() => fragmentsToFrames(noMarkers.bytes, noMarkers.fragments, 2)).toThrow(/no recognisable frames/);
  });

  it('rejects a bad frame count as a programmer error', () => {
    const { bytes, fragments } = encapsulate([], [soi]);
    expect(() => fragmentsToFrames(bytes, fragments, 0)).toThrow(RangeError);
  });

  it.each([
    [
      'no items at all',
      () => fragmentsToFrames(new Uint8Array(0), [], 1),
      /holds no items; it must start with the Basic Offset Table item/,
    ],
    [
      'no offset table item (JPEG first)',
      () => noTable([soi, soi], 2),
      /Basic Offset Table item is missing: the first pixel data item holds a JPEG codestream \(SOI\)/,
    ],
    ['no offset table item (JPEG 2000 first)', () => noTable([soc], 1), /holds a JPEG 2000 codestream \(SOC\)/],
    ['no offset table item (RLE first)', () => noTable([rle, rle], 2), /holds an RLE frame \(RLE header\)/],
    [
      'an offset table of 6 bytes',
      () =>
        fragmentsToFrames(
          encapsulate([], [[0, 0, 0, 0, 0, 0], soi]).bytes,
          encapsulate([], [[0, 0, 0, 0, 0, 0], soi]).fragments.slice(1),
          1,
        ),
      /is 6 bytes, not a multiple of 4/,
    ],
    ['an empty fragment', () => run([], [soi, [], soi], 2), /fragment 2 of 3 is empty/],
    [
      'an offset table listing fewer frames',
      () => run([0], [soi, soi], 2),
      /Basic Offset Table lists 1 frame\(s\) but Number of Frames is 2/,
    ],
    [
      'an offset table listing more frames',
      () => run([0, 12, 24], [soi, soi, soi], 2),
      /lists 3 frame\(s\) but Number of Frames is 2/,
    ],
    [
      'an extra codestream after the frames of the table',
      () => run([0, 12], [soi, soi, soi], 2),
      /Frame 2 of 2 holds a second codestream .* more frames than Number of Frames \(2\)/,
    ],
    [
      'two codestreams for one frame',
      () => run([], [soi, soc], 1),
      /Frame 1 of 1 holds a second codestream \(a JPEG 2000 codestream \(SOC\) in its fragment 2\)/,
    ],
  ])('refuses %s with a DICOM data error', (_name, call, message) => {
    expect(call).toThrow(DicomDataError);
    expect(call).toThrow(message);
  });

  it('maps the real RLE SEG fragments through its Basic Offset Table', () => {
    // dcmdump liver_rle.dcm: offset table 0, 0x858, 0x107A; fragments of 2128, 2074, 2120 bytes.
    const parsed = parseShared('pydicom-data/liver_rle.dcm');
    const frames = getEncodedFrames(parsed, getPixelInfo(parsed));
    expect(frames.map((f) => f.bytes.length)).toEqual([2128, 2074, 2120]);
  });
});
