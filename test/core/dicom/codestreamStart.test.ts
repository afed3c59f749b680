import { describe, expect, it } from 'vitest';
import { codestreamStartProblem } from '../../../core/dicom/codestreamStart';
import { TS } from '../../../core/dicom/transferSyntax';

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const item = (bytes: number[]) => [0xfe, 0xff, 0x00, 0xe0, ...le32(bytes.length), ...bytes];
/** An encapsulated Pixel Data value: an empty or 4-byte offset table, then one fragment. */
const value = (fragment: number[], offsets: number[] = []) => new Uint8Array([...item(offsets), ...item(fragment)]);

const jpeg = [0xff, 0xd8, 0xff, 0xc3, 0x00, 0x0b, 0x10, 0, 0];
const j2k = [0xff, 0x4f, 0xff, 0x51, 0x00, 0x29, 0, 0];
const jp2 = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20];
const rle = [...le32(1), ...le32(64), ...new Array<number>(56).fill(0)];

describe('codestreamStartProblem', () => {
  it.each([
    [TS.JPEGLosslessSV1, jpeg],
    [TS.JPEGBaseline8Bit, jpeg],
    [TS.JPEGLSLossless, jpeg],
    [TS.JPEG2000Lossless, j2k],
    [TS.JPEG2000, jp2],
    [TS.RLELossless, rle],
  ])('accepts %s pixel data that begins as its codestream does', (uid, fragment) => {
    expect(codestreamStartProblem(uid, 'x', value(fragment))).toBeUndefined();
    expect(codestreamStartProblem(uid, 'x', value(fragment, [0, 0, 0, 0]))).toBeUndefined();
  });

  it.each([
    [
      TS.JPEGLosslessSV1,
      'JPEG Lossless SV1',
      rle,
      /does not begin as a JPEG codestream \(SOI, FF D8\) but with 01 00 00 00, so it is not JPEG Lossless SV1/,
    ],
    [
      TS.JPEG2000Lossless,
      'JPEG 2000 Lossless',
      jpeg,
      /does not begin as a JPEG 2000 codestream \(SOC, FF 4F\) or JP2 file but with FF D8 FF C3/,
    ],
    [TS.RLELossless, 'RLE Lossless', jpeg, /does not begin as an RLE header \(1 to 15 segments\) but with FF D8 FF C3/],
  ])('names a %s label on another codestream', (uid, name, fragment, problem) => {
    expect(codestreamStartProblem(uid, name, value(fragment))).toMatch(problem);
  });

  it('leaves native syntaxes, broken fragment layouts and bytes that end too soon to the load', () => {
    expect(codestreamStartProblem(TS.ExplicitVRLittleEndian, 'x', value(rle))).toBeUndefined();
    expect(
      codestreamStartProblem(TS.JPEGLosslessSV1, 'x', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
    ).toBeUndefined();
    expect(codestreamStartProblem(TS.JPEGLosslessSV1, 'x', value(rle).subarray(0, 18))).toBeUndefined();
  });
});
