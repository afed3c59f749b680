import { describe, expect, it } from 'vitest';
import { buildVolume, type DecodedInstance } from '../../../core/dicom/buildVolume';
import { decodeCoreFrame } from '../../../core/dicom/decodeCoreFrame';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { readSliceHeader, type FrameGeometry, type Vec3 } from '../../../core/dicom/sliceHeader';
import { pixelReferences, parseShared, type VolumeReference } from '../../fixtures/dicom/sharedData';

const rows = 2;
const columns = 3;
const axial = { rowCosines: [1, 0, 0] as Vec3, columnCosines: [0, 1, 0] as Vec3 };

interface SliceOptions extends Partial<FrameGeometry> {
  /** Stored value of every pixel; default the slice's z × 10 so tests can see the order. */
  value?: number;
  pixels?: Int16Array | Uint16Array | Uint8Array;
  rows?: number;
}

/** A one-frame instance on a 3 × 2 grid at position `position` (LPS mm). */
function slice(position: Vec3, options: SliceOptions = {}): DecodedInstance {
  const r = options.rows ?? rows;
  const geometry: FrameGeometry = {
    positionMm: position,
    ...axial,
    pixelSpacingMm: [0.5, 0.7],
    rescaleSlope: 1,
    rescaleIntercept: 0,
    ...options,
  };
  const pixels = options.pixels ?? new Int16Array(r * columns).fill(options.value ?? Math.round(position[2] * 10));
  return {
    header: {
      sopInstanceUid: undefined,
      instanceNumber: undefined,
      rows: r,
      columns,
      sliceThicknessMm: 2.5,
      spacingBetweenSlicesMm: undefined,
      frames: [geometry],
    },
    frames: [pixels],
    source: `z${position[2]}.dcm`,
  };
}

const at = (z: number): Vec3 => [-10, 20, z];
/** The stored value of slice k as laid out in the volume: voxels k·rows·columns … */
const sliceValues = (voxels: ArrayLike<number>) =>
  Array.from({ length: voxels.length / (rows * columns) }, (_, k) => voxels[k * rows * columns]);

describe('buildVolume on synthetic slices', () => {
  it('sorts head-first and feet-first acquisitions into the same volume', () => {
    // Positions z = 0, 2, 4 along n = (1,0,0) × (0,1,0) = (0,0,1): origin at z = 0, spacing 2 mm.
    const expected = {
      dims: [3, 2, 3],
      spacingMm: [0.7, 0.5, 2],
      originMm: [-10, 20, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    for (const order of [
      [0, 2, 4],
      [4, 2, 0],
      [2, 4, 0],
    ]) {
      const { volume, warnings } = buildVolume(
        order.map((z) => slice(at(z))),
        'synthetic',
      );
      expect(volume).toMatchObject(expected);
      expect(sliceValues(volume.voxels)).toEqual([0, 20, 40]);
      expect(warnings).toEqual([]);
    }
  });

  it('points k along the slice normal when the normal is −z', () => {
    // row (−1,0,0) × column (0,1,0) = (0,0,−1): d = −z, so z = 0, −2, −4 sort as d = 0, 2, 4.
    const flipped = { rowCosines: [-1, 0, 0] as Vec3, columnCosines: [0, 1, 0] as Vec3 };
    const { volume } = buildVolume(
      [-4, 0, -2].map((z) => slice(at(z), flipped)),
      'synthetic',
    );
    expect(volume.originMm).toEqual([-10, 20, 0]);
    expect(volume.direction).toEqual([-1, 0, 0, 0, 1, 0, 0, 0, -1]);
    expect(volume.spacingMm[2]).toBe(2);
    expect(sliceValues(volume.voxels)).toEqual([0, -20, -40]);
  });

  it('keeps pixel order: i along the row cosines, j along the column cosines', () => {
    const pixels = Int16Array.from([1, 2, 3, 4, 5, 6]); // row 0: 1 2 3, row 1: 4 5 6
    const { volume } = buildVolume([slice(at(0), { pixels }), slice(at(1), { pixels })], 'synthetic');
    // voxel (i=2, j=1, k=1) = index 2 + 1·3 + 1·6 = 11 → pixel (row 1, column 2) = 6
    expect(volume.voxels[11]).toBe(6);
    expect(volume.voxels[1]).toBe(2);
  });

  it('rescales to Int16Array when slope and intercept are integers and values fit int16', () => {
    const { volume } = buildVolume(
      [slice(at(0), { value: 1000, rescaleIntercept: -1024 }), slice(at(1), { value: 24, rescaleIntercept: -1024 })],
      'synthetic',
    );
    expect(volume.voxels).toBeInstanceOf(Int16Array);
    expect(sliceValues(volume.voxels)).toEqual([-24, -1000]);
  });

  it('rescales to Float32Array for a non-integral slope or values beyond int16', () => {
    const half = buildVolume(
      [slice(at(0), { value: 3, rescaleSlope: 0.5, rescaleIntercept: -1 }), slice(at(1), { value: 4 })],
      'synthetic',
    );
    expect(half.volume.voxels).toBeInstanceOf(Float32Array);
    expect(sliceValues(half.volume.voxels)).toEqual([0.5, 4]); // 3 · 0.5 − 1 = 0.5; slope 1 slice unchanged
    const big = buildVolume(
      [slice(at(0), { pixels: new Uint16Array(6).fill(60000) }), slice(at(1), { pixels: new Uint16Array(6) })],
      'synthetic',
    );
    expect(big.volume.voxels).toBeInstanceOf(Float32Array);
    expect(big.volume.voxels[0]).toBe(60000);
  });

  it('throws missing-slice when a gap exceeds 1.5 × the median gap', () => {
    // gaps 1, 1, 2, 1: median 1, the 2 mm gap between z = 2 and z = 4 means a missing slice
    const run = () =>
      buildVolume(
        [0, 1, 2, 4, 5].map((z) => slice(at(z))),
        'CT 3 portal',
      );
    expect(run).toThrow(expect.objectContaining({ kind: 'missing-slice' }));
    expect(run).toThrow(
      'Series "CT 3 portal": the gap between z2.dcm (2 mm) and z4.dcm (4 mm) is 2 mm, more than 1.5 × the usual 1 mm: slices are missing.',
    );
  });

  it('throws duplicate-slice for two frames at one position', () => {
    const run = () =>
      buildVolume(
        [0, 1, 1, 2].map((z) => slice(at(z))),
        'CT 3 portal',
      );
    expect(run).toThrow(expect.objectContaining({ kind: 'duplicate-slice' }));
    expect(run).toThrow(/^Series "CT 3 portal": z1.dcm and z1.dcm are both at 1 mm along the slice normal/);
  });

  it('throws gantry-tilt when positions leave the slice normal', () => {
    // y advances 0.2 mm per mm of z: tilt atan(0.2) = 11.31°
    const run = () =>
      buildVolume(
        [0, 1, 2].map((z) => slice([-10, 20 + 0.2 * z, z])),
        'CT tilted',
      );
    expect(run).toThrow(expect.objectContaining({ kind: 'gantry-tilt' }));
    expect(run).toThrow(/a tilt of 11\.31°/);
  });

  it('judges the series axis as the index does: a stray first slice is named, a drift within tolerance loads', () => {
    // seriesProblems and buildVolume both take the axis of stackSlices (median in-plane offset).
    const stray = [slice([-10, 20.5, 0]), ...[1, 2, 3].map((z) => slice(at(z)))];
    expect(() => buildVolume(stray, 'CT stray')).toThrow(
      expect.objectContaining({ kind: 'gantry-tilt', message: expect.stringMatching(/\(z0\.dcm is 0\.5 mm off it/) }),
    );
    // y drifts 0.008 mm per 1 mm slice: 0.008 mm off the axis through the middle slice, within
    // 0.01 mm + 0.2 % (the first-slice line of earlier versions put z2 0.016 mm off and refused it).
    const { volume, warnings } = buildVolume(
      [0, 1, 2].map((z) => slice([-10, 20 + 0.008 * z, z])),
      'CT drift',
    );
    expect(volume.spacingMm[2]).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('throws inconsistent-series for mixed orientations, sizes or pixel spacings', () => {
    const coronal = { rowCosines: [1, 0, 0] as Vec3, columnCosines: [0, 0, -1] as Vec3 };
    expect(() => buildVolume([slice(at(0)), slice(at(1), coronal)], 'mixed')).toThrow(
      expect.objectContaining({ kind: 'inconsistent-series', message: expect.stringMatching(/mixed orientations/) }),
    );
    expect(() => buildVolume([slice(at(0)), slice(at(1), { rows: 4 })], 'mixed')).toThrow(
      expect.objectContaining({
        kind: 'inconsistent-series',
        message: 'Series "mixed": z1.dcm is 3x4 pixels but z0.dcm is 3x2.',
      }),
    );
    expect(() => buildVolume([slice(at(0)), slice(at(1), { pixelSpacingMm: [0.6, 0.7] })], 'mixed')).toThrow(
      expect.objectContaining({ kind: 'inconsistent-series' }),
    );
  });

  it('warns about non-uniform spacing and uses the mean', () => {
    // gaps 1, 1.1, 0.9 (none above 1.5 × median 1); mean (3 − 0) / 3 = 1 mm
    const { volume, warnings } = buildVolume(
      [0, 1, 2.1, 3].map((z) => slice(at(z))),
      'CT uneven',
    );
    expect(volume.spacingMm[2]).toBeCloseTo(1, 12);
    expect(warnings).toEqual([
      'Series "CT uneven" has non-uniform slice spacing (0.9 to 1.1 mm); the volume uses the mean, 1 mm.',
    ]);
  });

  it('builds a single slice with the thickness as spacing, and says so', () => {
    const { volume, warnings } = buildVolume([slice(at(7))], 'scout');
    expect(volume.dims).toEqual([3, 2, 1]);
    expect(volume.spacingMm[2]).toBe(2.5);
    expect(warnings).toEqual([
      'Series "scout" has a single slice; its slice spacing (2.5 mm) is taken from Slice Thickness.',
    ]);
  });

  it('refuses colour frames and empty input', () => {
    const rgb = slice(at(0), { pixels: new Uint8Array(rows * columns * 3) });
    expect(() => buildVolume([rgb], 'colour')).toThrow(expect.objectContaining({ kind: 'unsupported' }));
    expect(() => buildVolume([], 'nothing')).toThrow(
      expect.objectContaining({
        kind: 'malformed-pixel-data',
        message: 'Series "nothing": it has no frames to build a volume from.',
      }),
    );
  });

  it('names the file whose decoded frames do not match its header', () => {
    const short = slice(at(1), { pixels: new Int16Array(rows * columns - 1) });
    expect(() => buildVolume([slice(at(0)), short], 'CT 2')).toThrow(
      expect.objectContaining({
        kind: 'malformed-pixel-data',
        message: `Series "CT 2": z1.dcm decodes to ${rows * columns - 1} values for ${columns}x${rows} pixels.`,
      }),
    );
    const extra = { ...slice(at(1)), frames: [new Int16Array(rows * columns), new Int16Array(rows * columns)] };
    expect(() => buildVolume([slice(at(0)), extra], 'CT 2')).toThrow(
      /z1\.dcm has 2 decoded frame\(s\) but its header describes 1/,
    );
  });
});

/** Reads, decodes (native data: core decoders only) and builds a real series. */
function buildShared(rels: string[], label: string) {
  const instances = rels.map((rel) => {
    const parsed = parseShared(rel);
    const info = getPixelInfo(parsed);
    return {
      header: readSliceHeader(parsed),
      frames: getEncodedFrames(parsed, info).map((f) => decodeCoreFrame(f, info, parsed.transferSyntax.uid)),
      source: rel.split('/').pop()!,
    };
  });
  return buildVolume(instances, label);
}

function expectVolumeMatches(built: ReturnType<typeof buildVolume>, ref: VolumeReference): void {
  const { volume } = built;
  expect(volume.dims).toEqual(ref.dims);
  volume.spacingMm.forEach((v, i) => expect(v).toBeCloseTo(ref.spacingMm[i]!, 6));
  volume.originMm.forEach((v, i) => expect(v).toBeCloseTo(ref.originMm[i]!, 6));
  volume.direction.forEach((v, i) => expect(v).toBeCloseTo(ref.direction[i]!, 9));
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of volume.voxels) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  expect([min, max, sum]).toEqual([ref.minHu, ref.maxHu, ref.sumHu]);
  const [ni, nj] = volume.dims;
  for (const [i, j, k, hu] of ref.voxelsHu)
    expect([i, j, k, volume.voxels[i + j * ni + k * ni * nj]]).toEqual([i, j, k, hu]);
}

describe('buildVolume on real series, against numpy from pydicom headers (makeReferences.py)', () => {
  it('ct-3slice: reverse instance order, 1 mm apart from positions (Slice Thickness says 1.25), HU = stored − 1024', () => {
    const built = buildShared(
      ['01', '02', '03'].map((n) => `dcmqi/segmentations/ct-3slice/${n}.dcm`),
      'ct-3slice',
    );
    const ref = pixelReferences.volumes['ct-3slice']!;
    expect(ref.sortedSources).toEqual(['03.dcm#1', '02.dcm#1', '01.dcm#1']);
    expectVolumeMatches(built, ref);
    // dcmdump: 03.dcm is at z = −128.690002, 01.dcm at −126.690002 → 1 mm apart
    expect(built.volume.originMm[2]).toBeCloseTo(-128.690002, 6);
    expect(built.volume.spacingMm[2]).toBeCloseTo(1, 6);
    expect(built.volume.voxels).toBeInstanceOf(Int16Array);
    expect(built.warnings).toEqual([]);
  });

  it('eCT_Supplemental: enhanced CT frames placed by their per-frame positions', () => {
    const built = buildShared(['pydicom-data/eCT_Supplemental.dcm'], 'eCT');
    const ref = pixelReferences.volumes['eCT_Supplemental']!;
    expect(ref.sortedSources).toEqual(['eCT_Supplemental.dcm#2', 'eCT_Supplemental.dcm#1']);
    expectVolumeMatches(built, ref);
    expect(built.volume.voxels).toBeInstanceOf(Int16Array);
  });
});
