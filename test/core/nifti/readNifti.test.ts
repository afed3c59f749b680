import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readNifti, NiftiParseError } from '../../../core/nifti/readNifti';
import { writeNifti } from '../../../core/nifti/writeNifti';
import { createSeededRandom } from '../../../core/random/seededRandom';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'nifti');

interface Expected {
  file: string;
  dims: [number, number, number];
  datatype: string;
  geometryFrom: string;
  qformCode: number;
  sformCode: number;
  originMm: number[];
  spacingMm: number[];
  direction: number[];
  voxels: { ijk: [number, number, number]; value: number }[];
}

/**
 * Expected values: test/fixtures/nifti/make_nifti_fixtures.py wrote these files with nibabel
 * 5.0.0 and recorded nibabel's reading (its best affine, sform before qform, turned into LPS by
 * negating the x and y rows; get_fdata for voxel values, which applies scl_slope/scl_inter).
 */
const expected = JSON.parse(readFileSync(join(fixtures, 'nibabel-expected.json'), 'utf8')).images as Expected[];

describe('readNifti vs nibabel fixtures', () => {
  it.each(expected.map((e) => [e.file, e] as const))('%s', (_file, e) => {
    const image = readNifti(new Uint8Array(readFileSync(join(fixtures, e.file))));
    const v = image.volume;
    expect(v.dims).toEqual(e.dims);
    expect(image.geometryFrom).toBe(e.geometryFrom);
    expect([image.qformCode, image.sformCode]).toEqual([e.qformCode, e.sformCode]);
    // Header floats are float32: 5 decimals is well inside their precision at these magnitudes.
    v.originMm.forEach((x, n) => expect(x).toBeCloseTo(e.originMm[n]!, 4));
    v.spacingMm.forEach((x, n) => expect(x).toBeCloseTo(e.spacingMm[n]!, 5));
    v.direction.forEach((x, n) => expect(x).toBeCloseTo(e.direction[n]!, 5));
    for (const { ijk, value } of e.voxels) {
      const index = ijk[0] + ijk[1] * v.dims[0] + ijk[2] * v.dims[0] * v.dims[1];
      expect(v.voxels[index]).toBeCloseTo(value, 5);
    }
  });

  it('keeps the stored type when there is no scaling and scales into float32 when there is', () => {
    const read = (f: string) => readNifti(new Uint8Array(readFileSync(join(fixtures, f))));
    expect(read('oblique_int16.nii.gz').volume.voxels).toBeInstanceOf(Int16Array);
    expect(read('flipped_uint8_qform.nii').volume.voxels).toBeInstanceOf(Uint8Array);
    expect(read('sform_preferred_float32.nii.gz').volume.voxels).toBeInstanceOf(Float32Array);
    const scaled = read('bigendian_scaled_int16.nii');
    expect(scaled.datatype).toBe('int16');
    expect([scaled.sclSlope, scaled.sclInter]).toEqual([0.5, -100]);
    expect(scaled.volume.voxels).toBeInstanceOf(Float32Array);
  });
});

describe('readNifti: files it cannot read', () => {
  const valid = writeNifti({
    dims: [2, 2, 2],
    spacingMm: [1, 1, 1],
    originMm: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    voxels: new Uint8Array(8),
  });

  it.each([
    ['random bytes', new Uint8Array(400).fill(7), 'not-nifti'],
    ['a few bytes', new Uint8Array([1, 2]), 'not-nifti'],
    ['a cut header', valid.subarray(0, 200), 'truncated'],
    ['cut voxels', valid.subarray(0, 355), 'truncated'],
    ['a cut gzip stream', gzipSync(valid).subarray(0, 30), 'truncated'],
  ])('%s → %s', (_name, bytes, kind) => {
    expect(() => readNifti(bytes)).toThrow(NiftiParseError);
    expect(() => readNifti(bytes)).toThrow(expect.objectContaining({ kind }));
  });

  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  it.each([
    [
      '4D data',
      (b: Uint8Array) => {
        view(b).setInt16(40, 4, true);
        view(b).setInt16(48, 3, true);
      },
    ], // dim[0] = 4, dim[4] = 3
    ['a .hdr/.img pair header', (b: Uint8Array) => b.set([0x6e, 0x69, 0x31], 344)], // magic "ni1"
    ['an unknown datatype', (b: Uint8Array) => view(b).setInt16(70, 1536, true)], // DT_FLOAT128
    ['NIfTI-2', (b: Uint8Array) => view(b).setInt32(0, 540, true)],
  ])('rejects %s as unsupported', (_name, patch) => {
    const b = valid.slice();
    patch(b);
    expect(() => readNifti(b)).toThrow(expect.objectContaining({ kind: 'unsupported' }));
  });
});

describe('readNifti: gzip written by other tools, damaged gzip, bombs', () => {
  const gzipFixtures = join(__dirname, '..', '..', 'fixtures', 'gzip');
  const read = (name: string) => new Uint8Array(readFileSync(join(gzipFixtures, name)));
  const reference = readNifti(read('liver.gzip-fast.nii.gz'));

  it.each([
    'liver.gzip-name.nii.gz',
    'liver.pigz-comment.nii.gz',
    'liver.pigz-independent.nii.gz',
    'liver.bgzip.nii.gz',
    'liver.cat2.nii.gz',
  ])('reads %s (test/fixtures/gzip/make_gzip_fixtures.sh) as the same image', (name) => {
    const image = readNifti(read(name));
    expect(image.volume.dims).toEqual([3, 512, 512]); // nibabel stored it k-first (see make_mask_fixtures.py)
    expect(image.volume.originMm).toEqual(reference.volume.originMm);
    expect(image.volume.direction).toEqual(reference.volume.direction);
    expect(
      Buffer.from(image.volume.voxels.buffer, image.volume.voxels.byteOffset, image.volume.voxels.byteLength).equals(
        Buffer.from(reference.volume.voxels),
      ),
    ).toBe(true);
    let liver = 0;
    for (const v of image.volume.voxels) liver += v;
    expect(liver).toBe(107_098); // the dcmqi liver (shared data README)
  });

  it('refuses bgzip cut at a member boundary as truncated: the header declares more voxels', () => {
    const bgzip = read('liver.bgzip.nii.gz');
    // The first member ends where its FEXTRA "BC" size says (SAM/BAM specification §4.1).
    const firstMember = (bgzip[16]! | (bgzip[17]! << 8)) + 1;
    expect(() => readNifti(bgzip.subarray(0, firstMember))).toThrow(
      expect.objectContaining({ kind: 'truncated', message: 'The file holds 64928 voxel bytes, 786432 expected.' }),
    );
  });

  it('never reads a bit-flipped file as other voxels: 200 seeded flips are refused or change nothing, as zlib decides', () => {
    // The issue found 10 of 12 flipped .nii.gz accepted, with liver volumes from 1,759 to 22,178 mL.
    const gz = read('liver.gzip-fast.nii.gz');
    const inflated = zlib.gunzipSync(gz);
    const voxels = Buffer.from(reference.volume.voxels);
    const random = createSeededRandom(12);
    let refused = 0;
    for (let n = 0; n < 200; n++) {
      // A byte of the DEFLATE data or trailer, after the 10-byte header.
      const byte = 10 + Math.floor(random.uniform() * (gz.length - 10));
      const flipped = gz.slice();
      flipped[byte]! ^= 1 << Math.floor(random.uniform() * 8);
      // zlib (CRC32 and ISIZE checked too) as the oracle: is the data still the same?
      let intact: boolean;
      try {
        intact = zlib.gunzipSync(flipped).equals(inflated);
      } catch {
        intact = false;
      }
      let image;
      try {
        image = readNifti(flipped);
      } catch (err) {
        expect(err).toMatchObject({ kind: expect.stringMatching(/^(corrupt|truncated|too-large)$/) }); // too-large: inflating past the declared length
        expect(intact, `byte ${byte}: zlib reads the same data`).toBe(false);
        refused++;
        continue;
      }
      // A flip may leave the data alone, e.g. a distance's extra bit in a run of zeros copying
      // other zeros; then the CRC32 matches and the voxels are the same.
      expect(intact, `byte ${byte}`).toBe(true);
      expect(Buffer.from(image.volume.voxels).equals(voxels), `byte ${byte}`).toBe(true);
    }
    expect(refused).toBeGreaterThan(100); // 122 with this seed; the rest copy zeros from other zeros
  });

  const header = (dims: [number, number, number], datatype = 2) => {
    const b = writeNifti({
      dims: [1, 1, 1],
      spacingMm: [1, 1, 1],
      originMm: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      voxels: new Uint8Array(1),
    }).slice(0, 352);
    const v = new DataView(b.buffer);
    dims.forEach((d, n) => v.setInt16(42 + 2 * n, d, true));
    v.setInt16(70, datatype, true);
    return b;
  };

  it('stops a bomb at the size its header declares', () => {
    // A 16x16x16 uint8 header (352 + 4,096 bytes) followed by 64 MiB of zeros, gzipped to ~64 kB.
    const raw = new Uint8Array(352 + 2 ** 26);
    raw.set(header([16, 16, 16]));
    const bomb = gzipSync(raw);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => readNifti(bomb)).toThrow(
      expect.objectContaining({
        kind: 'too-large',
        message: "The gzip data inflates beyond the 4448 bytes its content's header declares.",
      }),
    );
  });

  it('refuses a header declaring more than is read, before inflating it', () => {
    // 30000³ int16 voxels (54 TB) behind 352 bytes: refused from the header alone.
    const absurd = gzipSync(Uint8Array.from([...header([30000, 30000, 30000], 4), 0, 0]));
    expect(() => readNifti(absurd)).toThrow(
      expect.objectContaining({
        kind: 'too-large',
        message:
          'The header declares 30000x30000x30000 = 27000000000000 voxels; masks of at most 1073741824 voxels are read.',
      }),
    );
    const big = gzipSync(Uint8Array.from([...header([1024, 1024, 64], 4)]));
    expect(() => readNifti(big, { maxBytes: 2 ** 27 })).toThrow(
      expect.objectContaining({
        kind: 'too-large',
        message:
          'The header declares 134218080 bytes (1024x1024x64 int16 voxels from byte 352); at most 134217728 are read.',
      }),
    );
    expect(() => readNifti(big, { maxVoxels: 1000 })).toThrow(expect.objectContaining({ kind: 'too-large' }));
    // The same limits hold for an uncompressed file.
    expect(() => readNifti(header([16, 16, 16]), { maxVoxels: 4095 })).toThrow(
      expect.objectContaining({ kind: 'too-large' }),
    );
  });
});

describe('readNifti: geometry that cannot place a mask', () => {
  const base = () =>
    writeNifti({
      dims: [2, 2, 2],
      spacingMm: [0.8, 0.8, 2.5],
      originMm: [10, -20, 30],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      voxels: new Uint8Array(8).fill(1),
    });
  const f32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setFloat32(at, v, true);
  const i16 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setInt16(at, v, true);
  const qformOnly = (b: Uint8Array) => i16(b, 254, 0); // sform_code 0: the qform decides

  it('reads the valid file (qform and sform agree)', () => {
    const b = base();
    for (const from of ['sform', 'qform']) {
      if (from === 'qform') qformOnly(b);
      const image = readNifti(b);
      expect(image.geometryFrom).toBe(from);
      image.volume.spacingMm.forEach((s, n) => expect(s).toBeCloseTo([0.8, 0.8, 2.5][n]!, 6)); // float32 in the header
      expect(image.volume.originMm).toEqual([10, -20, 30]);
    }
  });

  it.each([
    [
      'a NaN voxel size (qform pixdim[3])',
      (b: Uint8Array) => {
        qformOnly(b);
        f32(b, 88, NaN);
      },
      'pixdim[3], the voxel size along axis 3, is NaN: it must be a positive number of millimetres.',
    ],
    [
      'a zero voxel size (qform pixdim[1])',
      (b: Uint8Array) => {
        qformOnly(b);
        f32(b, 80, 0);
      },
      'pixdim[1], the voxel size along axis 1, is 0: it must be a positive number of millimetres.',
    ],
    [
      'a negative voxel size (qform pixdim[2])',
      (b: Uint8Array) => {
        qformOnly(b);
        f32(b, 84, -0.8);
      },
      /^pixdim\[2\], the voxel size along axis 2, is -0\.8\d*: it must be/,
    ],
    [
      'an infinite voxel size (no transform, pixdim only)',
      (b: Uint8Array) => {
        qformOnly(b);
        i16(b, 252, 0);
        f32(b, 80, Infinity);
      },
      'pixdim[1], the voxel size along axis 1, is Infinity: it must be a positive number of millimetres.',
    ],
    [
      'a NaN origin (qoffset_y)',
      (b: Uint8Array) => {
        qformOnly(b);
        f32(b, 272, NaN);
      },
      'The qform (quatern_b/c/d, qoffset, pixdim) geometry cannot place the image: its origin (10, NaN, 30) mm is not a position.',
    ],
    [
      'a NaN origin (sform srow_z[3])',
      (b: Uint8Array) => f32(b, 324, NaN),
      'The sform (srow_x/y/z) geometry cannot place the image: its origin (10, -20, NaN) mm is not a position.',
    ],
    [
      'a NaN sform entry',
      (b: Uint8Array) => f32(b, 300, NaN),
      'The sform (srow_x/y/z) geometry cannot place the image: its voxel size along axis 2 is NaN mm (it must be a positive number).',
    ],
    [
      'a zero sform column',
      (b: Uint8Array) => {
        f32(b, 288, 0);
        f32(b, 304, 0);
        f32(b, 320, 0);
      },
      'The sform (srow_x/y/z) geometry cannot place the image: its voxel size along axis 3 is 0 mm (it must be a positive number).',
    ],
    [
      'an sform with shear (x depends on j)',
      (b: Uint8Array) => f32(b, 284, 0.4),
      'The sform (srow_x/y/z) geometry cannot place the image: its axes 1 and 2 are 116.57° apart, not 90° (a sheared grid).',
    ],
  ])('refuses %s', (_what, patch, message) => {
    const b = base();
    patch(b);
    let error: unknown;
    try {
      readNifti(b);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NiftiParseError);
    expect((error as NiftiParseError).kind).toBe('invalid-geometry');
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });

  it('accepts float32 rounding of an oblique sform (nibabel fixture oblique_int16.nii.gz)', () => {
    expect(readNifti(new Uint8Array(readFileSync(join(fixtures, 'oblique_int16.nii.gz')))).geometryFrom).toBe('sform');
  });
});
