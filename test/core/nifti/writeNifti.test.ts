import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Volume } from '../../../core/imaging/volume';
import { niftiQuaternionToMatrix, rotationToNiftiQuaternion, type Matrix3 } from '../../../core/nifti/niftiQuaternion';
import { readNifti } from '../../../core/nifti/readNifti';
import { writeNifti, type NiftiWritableArray } from '../../../core/nifti/writeNifti';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { concordNiftiInputs } from '../../fixtures/nifti/concordNiftiInputs';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'nifti');

/** LPS direction (column-major) of rotations about z, then y, then x (radians). */
function rotation(az: number, ay: number, ax: number, flipK = false): Volume['direction'] {
  const [cz, sz, cy, sy, cx, sx] = [Math.cos(az), Math.sin(az), Math.cos(ay), Math.sin(ay), Math.cos(ax), Math.sin(ax)];
  const m = [
    [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx],
    [sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx],
    [-sy, cy * sx, cy * cx],
  ];
  const k = flipK ? -1 : 1;
  return [
    m[0]![0]!,
    m[1]![0]!,
    m[2]![0]!,
    m[0]![1]!,
    m[1]![1]!,
    m[2]![1]!,
    k * m[0]![2]!,
    k * m[1]![2]!,
    k * m[2]![2]!,
  ];
}

function volumeOf<T extends NiftiWritableArray>(voxels: T, direction: Volume['direction']): Volume<T> {
  return { dims: [4, 3, 2], spacingMm: [0.7, 0.8, 2.5], originMm: [-123.5, 45.25, -310], direction, voxels };
}

const directions: [string, Volume['direction']][] = [
  ['axial LPS identity', [1, 0, 0, 0, 1, 0, 0, 0, 1]],
  ['k reversed (left-handed)', [1, 0, 0, 0, 1, 0, 0, 0, -1]],
  ['oblique', rotation(0.4, -0.2, 0.15)],
  ['oblique left-handed', rotation(-1.1, 0.3, 0.7, true)],
  ['180° about z (quaternion a = 0 in RAS)', [-1, 0, 0, 0, -1, 0, 0, 0, 1]],
  ['coronal', [1, 0, 0, 0, 0, -1, 0, 1, 0]],
];

describe('writeNifti → readNifti round trip', () => {
  it.each(directions)('%s: geometry from the sform and from the qform alone', (_name, direction) => {
    const voxels = Int16Array.from({ length: 24 }, (_, n) => n * 111 - 1200);
    const volume = volumeOf(voxels, direction);
    for (const sformCode of [1, 0] as const) {
      const image = readNifti(writeNifti(volume, { sformCode }));
      expect(image.geometryFrom).toBe(sformCode ? 'sform' : 'qform');
      expect(image.volume.dims).toEqual(volume.dims);
      // float32 header fields: ~7 significant digits.
      image.volume.spacingMm.forEach((s, n) => expect(s).toBeCloseTo(volume.spacingMm[n]!, 5));
      image.volume.originMm.forEach((o, n) => expect(o).toBeCloseTo(volume.originMm[n]!, 4));
      image.volume.direction.forEach((d, n) => expect(d).toBeCloseTo(direction[n]!, 6));
      expect([...image.volume.voxels]).toEqual([...voxels]);
    }
  });

  it.each([
    ['uint8', new Uint8Array([0, 1, 255, 7])],
    ['int16', new Int16Array([-32768, 0, 1, 32767])],
    ['uint16', new Uint16Array([0, 1, 40000, 65535])],
    ['int32', new Int32Array([-2147483648, 0, 5, 2147483647])],
    ['float32', new Float32Array([-1.5, 0, 3.25, 1e30])],
  ])('%s voxels keep type and values, gzipped or not', (type, voxels) => {
    const volume: Volume<NiftiWritableArray> = {
      dims: [2, 2, 1],
      spacingMm: [1, 1, 1],
      originMm: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      voxels,
    };
    for (const gzip of [false, true]) {
      const image = readNifti(writeNifti(volume, { gzip }));
      expect(image.datatype).toBe(type);
      expect(image.volume.voxels.constructor).toBe(voxels.constructor);
      expect([...image.volume.voxels]).toEqual([...voxels]);
    }
  });

  it('writes label intent, description and a time-stamp-free gzip (same bytes every time)', () => {
    const volume = volumeOf(new Uint8Array(24).fill(1), directions[0]![1]);
    const a = writeNifti(volume, { gzip: true, intent: 'label', description: 'liver mask' });
    const b = writeNifti(volume, { gzip: true, intent: 'label', description: 'liver mask' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect([a[0], a[1], a[4], a[5], a[6], a[7]]).toEqual([0x1f, 0x8b, 0, 0, 0, 0]); // gzip magic, MTIME = 0
    const image = readNifti(a);
    expect(image.intentCode).toBe(1002);
    expect(image.description).toBe('liver mask');
  });

  it.each([
    ['voxels that do not match dims', { ...volumeOf(new Uint8Array(5), directions[0]![1]) }, {}],
    [
      'zero spacing',
      { ...volumeOf(new Uint8Array(24), directions[0]![1]), spacingMm: [1, 0, 1] as [number, number, number] },
      {},
    ],
    ['a non-ASCII description', volumeOf(new Uint8Array(24), directions[0]![1]), { description: 'Leber é' }],
  ])('rejects %s', (_name, volume, options) => {
    expect(() => writeNifti(volume, options)).toThrow(RangeError);
  });
});

describe('NIfTI quaternion (nifti1_io.c mat44_to_quatern / quatern_to_mat44)', () => {
  it('round-trips random rotations of both handedness (seeded)', () => {
    const rng = createSeededRandom(20240110);
    for (let n = 0; n < 200; n++) {
      const d = rotation(
        rng.uniform() * 2 * Math.PI,
        (rng.uniform() - 0.5) * Math.PI,
        rng.uniform() * 2 * Math.PI,
        n % 2 === 1,
      );
      const m: Matrix3 = [
        [d[0], d[3], d[6]],
        [d[1], d[4], d[7]],
        [d[2], d[5], d[8]],
      ];
      const q = rotationToNiftiQuaternion(m);
      expect(q.qfac).toBe(n % 2 === 1 ? -1 : 1);
      const back = niftiQuaternionToMatrix(q, [1, 1, 1]);
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expect(back[r]![c]).toBeCloseTo(m[r]![c]!, 12);
    }
  });

  it('gives b = c = 0, d = 1 for a 180° rotation about z (hand-derived: a = cos 90° = 0)', () => {
    expect(
      rotationToNiftiQuaternion([
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ]),
    ).toEqual({ b: 0, c: 0, d: 1, qfac: 1 });
  });
});

/**
 * Independent reader: make_nifti_fixtures.py (part B) read the committed concord-*.nii* files,
 * written from concordNiftiInputs() by makeConcordNifti.ts, with nibabel 5.0.0 and recorded its
 * qform, sform, best affine (as LPS) and voxel values in concord-written.nibabel.json.
 */
describe('writeNifti vs nibabel (committed fixtures)', () => {
  const nibabel = JSON.parse(readFileSync(join(fixtures, 'concord-written.nibabel.json'), 'utf8')).images as {
    file: string;
    dims: number[];
    datatype: string;
    qformCode: number;
    sformCode: number;
    intentCode: number;
    description: string;
    voxOffset: number;
    qformRas: number[][];
    sformRas: number[][];
    lpsFromBestAffine: { originMm: number[]; spacingMm: number[]; direction: number[] };
    sum: number;
    voxels: { ijk: [number, number, number]; value: number }[];
  }[];

  it.each(concordNiftiInputs().map((input) => [input.file, input] as const))('%s', (file, input) => {
    const committed = new Uint8Array(readFileSync(join(fixtures, file)));
    expect(
      Buffer.from(writeNifti(input.volume, input.options)).equals(Buffer.from(committed)),
      're-run the fixture scripts',
    ).toBe(true);

    const nib = nibabel.find((n) => n.file === file)!;
    const v = input.volume;
    expect(nib.dims).toEqual(v.dims);
    expect(nib.voxOffset).toBe(352);
    expect(nib.intentCode).toBe(input.options.intent === 'label' ? 1002 : 0);
    expect(nib.description).toBe(input.options.description ?? '');
    expect([nib.qformCode, nib.sformCode]).toEqual([input.options.qformCode ?? 1, input.options.sformCode ?? 1]);
    // The RAS affine nibabel sees: LPS columns · spacing with the x and y rows negated.
    const ras = [0, 1, 2].map((r) =>
      [0, 1, 2].map((c) => (r < 2 ? -1 : 1) * v.direction[3 * c + r]! * v.spacingMm[c]!),
    );
    const originRas = [-v.originMm[0], -v.originMm[1], v.originMm[2]];
    for (const affine of [nib.qformRas, nib.sformRas]) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) expect(affine[r]![c]).toBeCloseTo(ras[r]![c]!, 5);
        expect(affine[r]![3]).toBeCloseTo(originRas[r]!, 4);
      }
    }
    nib.lpsFromBestAffine.originMm.forEach((o, n) => expect(o).toBeCloseTo(v.originMm[n]!, 4));
    nib.lpsFromBestAffine.spacingMm.forEach((s, n) => expect(s).toBeCloseTo(v.spacingMm[n]!, 5));
    nib.lpsFromBestAffine.direction.forEach((d, n) => expect(d).toBeCloseTo(v.direction[n]!, 6));
    expect(nib.sum).toBeCloseTo(
      [...v.voxels].reduce((s, x) => s + x, 0),
      6,
    );
    for (const { ijk, value } of nib.voxels)
      expect(v.voxels[ijk[0] + ijk[1] * v.dims[0] + ijk[2] * v.dims[0] * v.dims[1]]).toBe(value);
  });
});
