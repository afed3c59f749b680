import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { labelMask } from '../../../core/masks/labelMask';
import { readNrrd } from '../../../core/masks/readNrrd';
import { expectedSummary, maskFixture, maskReference, maskReferences, nrrdFiles, readShared, summarizeMask } from '../../fixtures/masks/maskFixtures';

const text = (s: string) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));
const header = (lines: string[]) => `NRRD0004\n${lines.join('\n')}\n\n`;
const lps8 = ['type: uchar', 'dimension: 3', 'space: left-posterior-superior', 'sizes: 2 2 1', 'space directions: (1,0,0) (0,1,0) (0,0,1)', 'space origin: (0,0,0)'];

function readError(bytes: Uint8Array): unknown {
  try {
    readNrrd(bytes);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('readNrrd', () => {
  it('reads dcmqi liver_seg.nrrd (gzip, short, LPS) as the liver of liver.dcm on the ct-3slice grid', () => {
    const image = readNrrd(readShared('dcmqi/segmentations/liver_seg.nrrd'));
    expect(image).toMatchObject({ type: 'int16', encoding: 'gzip', space: 'left-posterior-superior' });
    const ct3 = maskReferences.grids['ct-3slice']!;
    const v = image.volume;
    // The header says: sizes 512 512 3, space directions (0.810547,0,0) (0,0.810547,0) (0,0,1), origin (-235.2,-226.8,-128.69).
    expect(v.dims).toEqual([512, 512, 3]);
    expect(v.spacingMm).toEqual([0.810547, 0.810547, 1]);
    expect(v.originMm).toEqual([-235.2, -226.8, -128.69]);
    expect(v.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // The CT says (-235.199997, -226.800003, -128.690002): the same grid within 1e-5 mm.
    v.originMm.forEach((o, i) => expect(o).toBeCloseTo(ct3.originMm[i]!, 5));
    expect(summarizeMask(labelMask(v).voxels, v.dims)).toEqual(expectedSummary(maskReference('dcmqi/segmentations/liver_seg.nrrd')));
  });

  it.each(Object.entries(nrrdFiles.files))('reads %s as numpy computes its LPS geometry', (name, expected) => {
    const image = readNrrd(new Uint8Array(readFileSync(maskFixture(`nrrd/${name}`))));
    const v = image.volume;
    expect(image.encoding).toBe(expected.encoding);
    expect(v.dims).toEqual(expected.dims);
    v.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(expected.spacingMm[i]!, 9));
    v.originMm.forEach((o, i) => expect(o).toBeCloseTo(expected.originMm[i]!, 9));
    v.direction.forEach((d, i) => expect(d).toBeCloseTo(expected.direction[i]!, 9));
    let sum = 0;
    let nonzero = 0;
    for (const x of v.voxels) {
      sum += x;
      if (x !== 0) nonzero++;
    }
    expect(sum).toBeCloseTo(expected.sum, 6);
    expect(nonzero).toBe(expected.nonzero);
    for (const { ijk, value } of expected.voxels) expect(v.voxels[ijk[0] + v.dims[0] * (ijk[1] + v.dims[1] * ijk[2])]).toBeCloseTo(value, 6);
  });

  it('keeps key/value pairs such as 3D Slicer segment names', () => {
    const image = readNrrd(new Uint8Array(readFileSync(maskFixture('nrrd/lps_raw_ushort_slicer.nrrd'))));
    expect(image.type).toBe('uint16');
    expect(image.keyValues).toMatchObject({ Segment0_Name: 'Liver', Segment0_LabelValue: '2', Segment1_Name: 'Tumour', Segment1_LabelValue: '5' });
  });

  it('honours byte skip −1 (raw data at the end of the file) and CRLF header lines', () => {
    const bytes = text(header(lps8).replaceAll('\n', '\r\n').replace('\r\n\r\n', '\r\nbyte skip: -1\r\nencoding: raw\r\n\r\n') + 'junk\u0001\u0002\u0003\u0004');
    expect(Array.from(readNrrd(bytes).volume.voxels)).toEqual([1, 2, 3, 4]);
  });

  it('reads gzip data that is shorter than its sizes as malformed', () => {
    const bytes = new Uint8Array([...text(header([...lps8, 'encoding: gzip'])), ...gzipSync(new Uint8Array([1, 2, 3]))]);
    expect(readError(bytes)).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/holds 3 bytes, 4 expected/) });
  });

  it.each([
    ['no magic', 'P5\n2 2\n255\n', 'not-a-mask', /no "NRRD000x" magic/],
    ['detached data', header([...lps8, 'encoding: raw', 'data file: liver.raw']), 'unsupported', /Detached NRRD data/],
    ['a space without anatomy', header([...lps8.filter((l) => !l.startsWith('space:')), 'space: scanner-xyz', 'encoding: raw']) + '\u0001\u0001\u0001\u0001', 'unsupported', /not an anatomical patient space/],
    ['no space at all', header(['type: uchar', 'dimension: 3', 'sizes: 2 2 1', 'spacings: 1 1 1', 'encoding: raw']), 'unsupported', /no anatomical "space"/],
    ['bzip2 data', header([...lps8, 'encoding: bzip2']), 'unsupported', /encoding "bzip2"/],
    ['64-bit samples', header([...lps8.filter((l) => !l.startsWith('type')), 'type: int64', 'encoding: raw']), 'unsupported', /type "int64"/],
    ['a second image along a list axis', header(['type: uchar', 'dimension: 4', 'space: LPS', 'sizes: 2 2 2 1', 'space directions: none (1,0,0) (0,1,0) (0,0,1)', 'encoding: raw']), 'unsupported', /only one 3D image/],
    ['16-bit samples without endian', header([...lps8.filter((l) => !l.startsWith('type')), 'type: short', 'encoding: raw']), 'malformed', /no valid endian/],
    ['short raw data', header([...lps8, 'encoding: raw']) + '\u0001', 'malformed', /holds 1 bytes, 4 expected/],
    ['units other than mm', header([...lps8, 'space units: "cm" "cm" "cm"', 'encoding: raw']), 'unsupported', /not millimetres/],
    ['no blank line', 'NRRD0004\ntype: uchar\n', 'malformed', /no empty line/],
  ])('refuses %s', (_what, content, kind, message) => {
    expect(readError(text(content))).toMatchObject({ name: 'MaskReadError', kind, message: expect.stringMatching(message) });
  });
});
