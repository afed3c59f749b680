import { readFileSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { labelMask } from '../../../core/masks/labelMask';
import { readNrrd } from '../../../core/masks/readNrrd';
import {
  expectedSummary,
  maskFixture,
  maskReference,
  maskReferences,
  nrrdFiles,
  readShared,
  summarizeMask,
} from '../../fixtures/masks/maskFixtures';

const text = (s: string) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));
const header = (lines: string[]) => `NRRD0004\n${lines.join('\n')}\n\n`;
const lps8 = [
  'type: uchar',
  'dimension: 3',
  'space: left-posterior-superior',
  'sizes: 2 2 1',
  'space directions: (1,0,0) (0,1,0) (0,0,1)',
  'space origin: (0,0,0)',
];

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
    // The header says: sizes 512 512 3, space directions (0.810547,0,0) (0,0.810547,0) (0,0,1), origin
    // (-235.2,-226.8,-128.69).
    expect(v.dims).toEqual([512, 512, 3]);
    expect(v.spacingMm).toEqual([0.810547, 0.810547, 1]);
    expect(v.originMm).toEqual([-235.2, -226.8, -128.69]);
    expect(v.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // The CT says (-235.199997, -226.800003, -128.690002): the same grid within 1e-5 mm.
    v.originMm.forEach((o, i) => expect(o).toBeCloseTo(ct3.originMm[i]!, 5));
    expect(summarizeMask(labelMask(v).voxels, v.dims)).toEqual(
      expectedSummary(maskReference('dcmqi/segmentations/liver_seg.nrrd')),
    );
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
    for (const { ijk, value } of expected.voxels)
      expect(v.voxels[ijk[0] + v.dims[0] * (ijk[1] + v.dims[1] * ijk[2])]).toBeCloseTo(value, 6);
  });

  it('keeps key/value pairs such as 3D Slicer segment names', () => {
    const image = readNrrd(new Uint8Array(readFileSync(maskFixture('nrrd/lps_raw_ushort_slicer.nrrd'))));
    expect(image.type).toBe('uint16');
    expect(image.keyValues).toMatchObject({
      Segment0_Name: 'Liver',
      Segment0_LabelValue: '2',
      Segment1_Name: 'Tumour',
      Segment1_LabelValue: '5',
    });
  });

  it('honours byte skip −1 (raw data at the end of the file) and CRLF header lines', () => {
    const bytes = text(
      header(lps8).replaceAll('\n', '\r\n').replace('\r\n\r\n', '\r\nbyte skip: -1\r\nencoding: raw\r\n\r\n') +
        'junk\u0001\u0002\u0003\u0004',
    );
    expect(Array.from(readNrrd(bytes).volume.voxels)).toEqual([1, 2, 3, 4]);
  });

  it('reads gzip data in several members (RFC 1952 §2.2), and refuses damaged or overlong gzip data', () => {
    const gzipHeader = text(header([...lps8, 'encoding: gzip']));
    const twoMembers = new Uint8Array([
      ...gzipHeader,
      ...zlib.gzipSync(Uint8Array.from([1, 2])),
      ...zlib.gzipSync(Uint8Array.from([3, 4])),
    ]);
    expect(Array.from(readNrrd(twoMembers).volume.voxels)).toEqual([1, 2, 3, 4]);
    const crcFlipped = twoMembers.slice();
    crcFlipped[crcFlipped.length - 6]! ^= 1; // the second member's CRC32
    expect(readError(crcFlipped)).toMatchObject({
      kind: 'malformed',
      message: expect.stringMatching(
        /^The NRRD gzip data is not intact: Gzip member 2 at byte \d+ inflates to data with CRC32/,
      ),
    });
    // 64 MiB of zeros behind a header declaring 4 samples: refused at the 5th byte.
    const bomb = new Uint8Array([...gzipHeader, ...zlib.gzipSync(new Uint8Array(2 ** 26))]);
    expect(readError(bomb)).toMatchObject({
      kind: 'too-large',
      message: 'The NRRD gzip data inflates beyond the 4 bytes its header declares (2x2x1 uint8).',
    });
  });

  it('never reads a bit-flipped dcmqi liver_seg.nrrd as other voxels: a flip in every 7th byte of its gzip data is refused or changes nothing', () => {
    const bytes = readShared('dcmqi/segmentations/liver_seg.nrrd');
    const original = Buffer.from(new Uint8Array(readNrrd(bytes).volume.voxels.buffer));
    const gzipStart = findGzip(bytes);
    let refused = 0;
    for (let byte = gzipStart + 10; byte < bytes.length; byte += 7) {
      const flipped = bytes.slice();
      flipped[byte]! ^= 1 << (byte % 8);
      try {
        const v = readNrrd(flipped).volume.voxels;
        expect(Buffer.from(new Uint8Array(v.buffer)).equals(original), `byte ${byte}`).toBe(true);
      } catch (err) {
        expect(err).toMatchObject({ name: 'MaskReadError', kind: expect.stringMatching(/^(malformed|too-large)$/) });
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('reads gzip data that is shorter than its sizes as malformed', () => {
    const bytes = new Uint8Array([
      ...text(header([...lps8, 'encoding: gzip'])),
      ...gzipSync(new Uint8Array([1, 2, 3])),
    ]);
    expect(readError(bytes)).toMatchObject({
      kind: 'malformed',
      message: expect.stringMatching(/holds 3 bytes, 4 expected/),
    });
  });

  it.each([
    ['no magic', 'P5\n2 2\n255\n', 'not-a-mask', /no "NRRD000x" magic/],
    ['detached data', header([...lps8, 'encoding: raw', 'data file: liver.raw']), 'unsupported', /Detached NRRD data/],
    [
      'a space without anatomy',
      header([...lps8.filter((l) => !l.startsWith('space:')), 'space: scanner-xyz', 'encoding: raw']) +
        '\u0001\u0001\u0001\u0001',
      'unsupported',
      /not an anatomical patient space/,
    ],
    [
      'no space at all',
      header(['type: uchar', 'dimension: 3', 'sizes: 2 2 1', 'spacings: 1 1 1', 'encoding: raw']),
      'unsupported',
      /no anatomical "space"/,
    ],
    ['bzip2 data', header([...lps8, 'encoding: bzip2']), 'unsupported', /encoding "bzip2"/],
    [
      '64-bit samples',
      header([...lps8.filter((l) => !l.startsWith('type')), 'type: int64', 'encoding: raw']),
      'unsupported',
      /type "int64"/,
    ],
    [
      'a second image along a list axis',
      header([
        'type: uchar',
        'dimension: 4',
        'space: LPS',
        'sizes: 2 2 2 1',
        'space directions: none (1,0,0) (0,1,0) (0,0,1)',
        'encoding: raw',
      ]),
      'unsupported',
      /only one 3D image/,
    ],
    [
      '16-bit samples without endian',
      header([...lps8.filter((l) => !l.startsWith('type')), 'type: short', 'encoding: raw']),
      'malformed',
      /no valid endian/,
    ],
    ['short raw data', header([...lps8, 'encoding: raw']) + '\u0001', 'malformed', /holds 1 bytes, 4 expected/],
    [
      'units other than mm',
      header([...lps8, 'space units: "cm" "cm" "cm"', 'encoding: raw']),
      'unsupported',
      /not millimetres/,
    ],
    ['no blank line', 'NRRD0004\ntype: uchar\n', 'malformed', /no empty line/],
    [
      'sheared space directions',
      header([
        ...lps8.filter((l) => !l.startsWith('space directions')),
        'space directions: (1,0,0) (0.5,1,0) (0,0,1)',
        'encoding: raw',
      ]) + '\u0001\u0001\u0001\u0001',
      'malformed',
      /cannot place the image: its axes 1 and 2 are 63\.43° apart, not 90° \(a sheared grid\)/,
    ],
    [
      'a NaN origin',
      header([...lps8.filter((l) => !l.startsWith('space origin')), 'space origin: (NaN,0,0)', 'encoding: raw']) +
        '\u0001\u0001\u0001\u0001',
      'malformed',
      /space origin "\(NaN,0,0\)" is not three numbers/,
    ],
    [
      'a NaN space direction',
      header([
        ...lps8.filter((l) => !l.startsWith('space directions')),
        'space directions: (1,0,0) (0,NaN,0) (0,0,1)',
        'encoding: raw',
      ]),
      'malformed',
      /space directions "\(0,NaN,0\)" is not three numbers/,
    ],
    [
      'byte skip -1 on gzip data',
      header([...lps8, 'encoding: gzip', 'byte skip: -1']),
      'malformed',
      /byte skip -1 is not allowed for gzip data/,
    ],
    [
      'sizes beyond what is read',
      header([...lps8.filter((l) => !l.startsWith('sizes')), 'sizes: 30000 30000 30000', 'encoding: raw']),
      'too-large',
      /give 27000000000000 samples; masks of at most 1073741824 voxels are read/,
    ],
  ])('refuses %s', (_what, content, kind, message) => {
    expect(readError(text(content))).toMatchObject({
      name: 'MaskReadError',
      kind,
      message: expect.stringMatching(message),
    });
  });
});

/** Where the gzip data of a NRRD file starts: after the blank line ending its header. */
function findGzip(bytes: Uint8Array): number {
  for (let p = 1; p < bytes.length - 2; p++)
    if (bytes[p - 1] === 0x0a && bytes[p] === 0x1f && bytes[p + 1] === 0x8b) return p;
  throw new Error('no gzip data');
}
