import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readNifti, NiftiParseError } from '../../../core/nifti/readNifti';
import { writeNifti } from '../../../core/nifti/writeNifti';

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
  const valid = writeNifti({ dims: [2, 2, 2], spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], voxels: new Uint8Array(8) });

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
    ['4D data', (b: Uint8Array) => { view(b).setInt16(40, 4, true); view(b).setInt16(48, 3, true); }], // dim[0] = 4, dim[4] = 3
    ['a .hdr/.img pair header', (b: Uint8Array) => b.set([0x6e, 0x69, 0x31], 344)], // magic "ni1"
    ['an unknown datatype', (b: Uint8Array) => view(b).setInt16(70, 1536, true)], // DT_FLOAT128
    ['NIfTI-2', (b: Uint8Array) => view(b).setInt32(0, 540, true)],
  ])('rejects %s as unsupported', (_name, patch) => {
    const b = valid.slice();
    patch(b);
    expect(() => readNifti(b)).toThrow(expect.objectContaining({ kind: 'unsupported' }));
  });
});
