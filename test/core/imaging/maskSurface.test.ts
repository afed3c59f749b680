import { describe, expect, it } from 'vitest';
import { defaultSmoothIterations, extractMaskSurface, type MaskSurface } from '../../../core/imaging/maskSurface';
import { countLabel, createSyntheticLabelmap, syntheticLabels } from '../../../core/imaging/syntheticLabelmap';
import { identityDirection, type Volume } from '../../../core/imaging/volume';
import { ballMask, countSelected, measureMesh } from './meshMeasures';

type Direction = Volume['direction'];
type Vec3 = [number, number, number];

// i → +P, j → −L, k → −S: a 90° rotation about S composed with a feet-first flip of k. Columns are
// the axes; det = dirI · (dirJ × dirK) = (0,1,0) · ((−1,0,0) × (0,0,−1)) = (0,1,0) · (0,−1,0) = −1,
// so this matrix mirrors space and the winding must be reversed to stay outward.
const mirroredRotation: Direction = [0, 1, 0, -1, 0, 0, 0, 0, -1];

function boxMask(
  dims: Vec3,
  min: Vec3,
  max: Vec3,
  geometry: Partial<Pick<Volume, 'spacingMm' | 'originMm' | 'direction'>> = {},
): Volume<Uint8Array> {
  const voxels = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let k = min[2]; k <= max[2]; k++) {
    for (let j = min[1]; j <= max[1]; j++)
      for (let i = min[0]; i <= max[0]; i++) voxels[i + j * dims[0] + k * dims[0] * dims[1]] = 1;
  }
  return { dims, spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [...identityDirection], ...geometry, voxels };
}

function pointBounds(points: Float32Array): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let n = 0; n < points.length; n++) {
    min[n % 3] = Math.min(min[n % 3]!, points[n]!);
    max[n % 3] = Math.max(max[n % 3]!, points[n]!);
  }
  return { min, max };
}

/** Distance of every vertex from `centre`, and the smallest cosine between its normal and the radial direction. */
function radialCheck(s: MaskSurface, centre: readonly number[]) {
  let minRadius = Infinity;
  let maxRadius = 0;
  let minCosine = 1;
  for (let v = 0; v < s.points.length; v += 3) {
    const d = [s.points[v]! - centre[0]!, s.points[v + 1]! - centre[1]!, s.points[v + 2]! - centre[2]!];
    const r = Math.hypot(d[0]!, d[1]!, d[2]!);
    minRadius = Math.min(minRadius, r);
    maxRadius = Math.max(maxRadius, r);
    const n = s.normals!;
    minCosine = Math.min(minCosine, (d[0]! * n[v]! + d[1]! * n[v + 1]! + d[2]! * n[v + 2]!) / r);
  }
  return { minRadius, maxRadius, minCosine };
}

/** Area-weighted mean angle (degrees) between each triangle's normal and the radial direction at its centre. */
function meanNormalErrorDeg(s: MaskSurface, centre: readonly number[]): number {
  const p = s.points;
  let sum = 0;
  let weight = 0;
  for (let t = 0; t < s.triangles.length; t += 3) {
    const [a, b, c] = [s.triangles[t]! * 3, s.triangles[t + 1]! * 3, s.triangles[t + 2]! * 3];
    const u = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
    const w = [p[c]! - p[a]!, p[c + 1]! - p[a + 1]!, p[c + 2]! - p[a + 2]!];
    const n = [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
    const m = [0, 1, 2].map((x) => (p[a + x]! + p[b + x]! + p[c + x]!) / 3 - centre[x]!);
    const area = Math.hypot(n[0]!, n[1]!, n[2]!) / 2;
    const cosine = (n[0]! * m[0]! + n[1]! * m[1]! + n[2]! * m[2]!) / (2 * area * Math.hypot(m[0]!, m[1]!, m[2]!));
    sum += Math.acos(Math.min(1, cosine)) * area;
    weight += area;
  }
  return (sum / weight) * (180 / Math.PI);
}

describe('extractMaskSurface: voxelised sphere, r = 10 mm on a 1 mm grid', () => {
  // Centre off the lattice so no voxel centre sits exactly on the sphere.
  const centre: Vec3 = [12.3, 12.6, 12.9];
  const r = 10;
  const mask = ballMask(
    { dims: [26, 26, 26], spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [...identityDirection] },
    centre,
    r,
  );
  const voxels = countSelected(mask.voxels);
  const ballVolume = (4 / 3) * Math.PI * r ** 3; // 4188.79 mm³
  const sphereArea = 4 * Math.PI * r ** 2; // 1256.64 mm²
  const smoothed = extractMaskSurface(mask);
  const raw = extractMaskSurface(mask, { smoothIterations: 0 });

  it('holds about 4/3·π·r³ voxels (the digitised ball the surface is measured against)', () => {
    // A lattice count deviates from the ball volume by O(r^1.5) points: well under 1 % at r = 10.
    expect(Math.abs(voxels / ballVolume - 1)).toBeLessThan(0.01);
  });

  it.each([
    ['smoothed (default)', smoothed],
    ['unsmoothed', raw],
  ] as const)('%s: closed, outward, and encloses the voxel volume', (_name, s) => {
    const m = measureMesh(s.points, s.triangles);
    // Closed and consistently wound: every directed edge u→v meets its reverse v→u exactly once,
    // so every edge is shared by exactly two triangles.
    expect(m.unpairedEdges).toBe(0);
    expect(s.triangles.length % 3).toBe(0);
    // Outward winding gives a positive divergence-theorem volume. Unsmoothed surface nets cut
    // the voxel staircase's corners (−1 % here); smoothing ends with each piece offset back to its
    // voxel volume, so both stay within 2 % of the voxel count and 3 % of 4/3·π·r³.
    expect(Math.abs(m.volume / voxels - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.volume / ballVolume - 1)).toBeLessThan(0.03);
    // The voxel faces alone would have 1.5 × 4πr² (the mean of |n_x| + |n_y| + |n_z| over a sphere
    // is 3/2); the net's chamfers and the smoothing bring it within 10 %.
    expect(Math.abs(m.area / sphereArea - 1)).toBeLessThan(0.1);
    // The centroid of the enclosed volume is the ball's centre (symmetry), to a fraction of a voxel.
    m.centroid.forEach((x, n) => expect(Math.abs(x - centre[n]!)).toBeLessThan(0.1));
  });

  it.each([
    ['smoothed (default)', smoothed],
    ['unsmoothed', raw],
  ] as const)('%s: every vertex lies within 1 voxel (1 mm) of the sphere', (_name, s) => {
    // A vertex starts at the mean of edge-crossing midpoints; each crossed edge has one end inside
    // (|x − c| ≤ r) and one outside (> r) and length 1 mm, so its midpoint is within 0.5 mm of the
    // sphere, and averaging points of a ≤ 1 mm patch of the sphere moves inwards by ~s²/2r ≈ 0.05 mm.
    // Smoothing keeps each vertex inside its 1 mm cell.
    const { minRadius, maxRadius, minCosine } = radialCheck(s, centre);
    expect(minRadius).toBeGreaterThan(r - 1);
    expect(maxRadius).toBeLessThan(r + 1);
    // Normals point outwards everywhere on a convex surface.
    expect(minCosine).toBeGreaterThan(0);
  });

  it('smoothing removes the voxel staircase: normals follow the true sphere', () => {
    // Quality requirement, not a derived number: measured 11.8° unsmoothed and 1.9° smoothed
    // (area-weighted mean angle between triangle normals and the radial direction).
    const rawError = meanNormalErrorDeg(raw, centre);
    const smoothError = meanNormalErrorDeg(smoothed, centre);
    expect(smoothError).toBeLessThan(3);
    expect(smoothError).toBeLessThan(rawError / 3);
  });

  it('returns unit normals, or none when asked', () => {
    const n = smoothed.normals!;
    expect(n.length).toBe(smoothed.points.length);
    for (let v = 0; v < n.length; v += 3) expect(Math.hypot(n[v]!, n[v + 1]!, n[v + 2]!)).toBeCloseTo(1, 5);
    expect(extractMaskSurface(mask, { computeNormals: false }).normals).toBeUndefined();
  });

  it('gives the same surface whether or not it crops to the bounding box', () => {
    // Cropping shifts the grid by whole samples; the cells are visited in the same order, so the
    // triangles are identical and points differ only by rounding.
    const full = extractMaskSurface(mask, { cropToBoundingBox: false, downsample: 1 });
    expect(full.triangles).toEqual(smoothed.triangles);
    expect(full.points.length).toBe(smoothed.points.length);
    for (let n = 0; n < full.points.length; n++)
      expect(Math.abs(full.points[n]! - smoothed.points[n]!)).toBeLessThan(1e-4);
  });

  it('downsample = 2 is still closed, with about a quarter of the triangles', () => {
    const coarse = extractMaskSurface(mask, { downsample: 2 });
    expect(coarse.downsample).toBe(2);
    const m = measureMesh(coarse.points, coarse.triangles);
    expect(m.unpairedEdges).toBe(0);
    // 2x2x2 blocks: the surface crosses 1/4 as many sample edges per mm² (quads ∝ area / spacing²).
    const ratio = coarse.triangles.length / smoothed.triangles.length;
    expect(ratio).toBeGreaterThan(0.15);
    expect(ratio).toBeLessThan(0.35);
    // A radius of 5 blocks: block quantisation of the boundary costs a few per cent (measured −2.7 %).
    expect(Math.abs(m.volume / voxels - 1)).toBeLessThan(0.05);
  });
});

describe('extractMaskSurface: anisotropic spacing and a mirrored, rotated direction', () => {
  // 0.8 x 0.8 x 2.0 mm voxels; the ball (r = 9 mm) is an ellipsoid in index space.
  const geometry = {
    dims: [30, 30, 14] as Vec3,
    spacingMm: [0.8, 0.8, 2] as Vec3,
    originMm: [40, -60, 100] as Vec3,
    direction: mirroredRotation,
  };
  // Centre at index (14.2, 14.7, 6.6): LPS = origin + 14.2·0.8·(0,1,0) + 14.7·0.8·(−1,0,0) + 6.6·2·(0,0,−1)
  //   = (40 − 11.76, −60 + 11.36, 100 − 13.2) = (28.24, −48.64, 86.8).
  const centre: Vec3 = [28.24, -48.64, 86.8];
  const r = 9;
  const mask = ballMask(geometry, centre, r);
  const voxelMm3 = 0.8 * 0.8 * 2; // 1.28 mm³

  it.each([
    ['smoothed (default)', {}],
    ['unsmoothed', { smoothIterations: 0 }],
  ] as const)('%s: lands on the ball in LPS, closed and outward', (_name, options) => {
    const s = extractMaskSurface(mask, options);
    const m = measureMesh(s.points, s.triangles);
    expect(m.unpairedEdges).toBe(0);
    // Positive only if the winding was reversed for the mirroring matrix.
    expect(m.volume).toBeGreaterThan(0);
    const voxelVolume = countSelected(mask.voxels) * voxelMm3;
    expect(Math.abs(m.volume / voxelVolume - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.volume / ((4 / 3) * Math.PI * r ** 3) - 1)).toBeLessThan(0.03); // 3053.6 mm³
    m.centroid.forEach((x, n) => expect(Math.abs(x - centre[n]!)).toBeLessThan(0.1));
    // Crossed edges are at most 2 mm long (along k), so midpoints lie within 1 mm of the sphere.
    const { minRadius, maxRadius, minCosine } = radialCheck(s, centre);
    expect(minRadius).toBeGreaterThan(r - 1);
    expect(maxRadius).toBeLessThan(r + 1);
    expect(minCosine).toBeGreaterThan(0);
  });
});

describe('extractMaskSurface: a box of voxels (unsmoothed, exact geometry)', () => {
  // Voxels i ∈ [2, 5], j ∈ [3, 8], k ∈ [1, 3]: a 4 x 6 x 3 block.
  const dims: Vec3 = [9, 12, 6];
  const geometry = { spacingMm: [0.5, 0.8, 2] as Vec3, originMm: [10, -20, 30] as Vec3, direction: mirroredRotation };
  const placed = extractMaskSurface(boxMask(dims, [2, 3, 1], [5, 8, 3], geometry), { smoothIterations: 0 });

  it('puts the flat faces on the voxel boundary, mapped to LPS', () => {
    // Flat faces sit half a voxel outside the outermost voxel centres: index box
    // [1.5, 5.5] x [2.5, 8.5] x [0.5, 3.5]. LPS = (10 − 0.8·j, −20 + 0.5·i, 30 − 2·k), so
    // x ∈ [10 − 6.8, 10 − 2.0] = [3.2, 8.0], y ∈ [−19.25, −17.25], z ∈ [30 − 7, 30 − 1] = [23, 29].
    const { min, max } = pointBounds(placed.points);
    [3.2, -19.25, 23].forEach((x, n) => expect(min[n]).toBeCloseTo(x, 4));
    [8.0, -17.25, 29].forEach((x, n) => expect(max[n]).toBeCloseTo(x, 4));
  });

  it('centres the enclosed volume on the box and winds it outward', () => {
    // By mirror symmetry the centroid is the centre of the index box, (3.5, 5.5, 2):
    // LPS (10 − 0.8·5.5, −20 + 0.5·3.5, 30 − 2·2) = (5.6, −18.25, 26).
    const m = measureMesh(placed.points, placed.triangles);
    expect(m.unpairedEdges).toBe(0);
    [5.6, -18.25, 26].forEach((x, n) => expect(m.centroid[n]).toBeCloseTo(x, 4));
    // The chamfered box is convex: every vertex normal points away from the centroid.
    const n = placed.normals!;
    for (let v = 0; v < n.length; v += 3) {
      const d = [0, 1, 2].map((x) => placed.points[v + x]! - m.centroid[x]!);
      expect(d[0]! * n[v]! + d[1]! * n[v + 1]! + d[2]! * n[v + 2]!).toBeGreaterThan(0);
    }
  });

  it('scales volume by |det| of a similarity map and chamfers each edge by 1/4 voxel²', () => {
    const volume = (min: Vec3, max: Vec3) => {
      const s = extractMaskSurface(boxMask(dims, min, max), { smoothIterations: 0 });
      return measureMesh(s.points, s.triangles).volume;
    };
    const unit = volume([2, 3, 1], [5, 8, 3]);
    // A similarity map (2 mm isotropic, mirrored rotation) keeps which quad diagonal is shorter,
    // so the mesh is the exact image and its volume scales by |det M| = 2³ · |det direction| = 8.
    // (Anisotropic spacing may flip the split of non-planar corner quads: the placement tests
    // above cover it.)
    const scaled = extractMaskSurface(boxMask(dims, [2, 3, 1], [5, 8, 3], { ...geometry, spacingMm: [2, 2, 2] }), {
      smoothIterations: 0,
    });
    expect(measureMesh(scaled.points, scaled.triangles).volume).toBeCloseTo(unit * 8, 3);
    // Cross-section across an edge, in voxels from the sharp corner along the two inward axes
    // (u, v); samples sit at ±½, 1½, …. The edge cell [−½, ½]² has two inside corners per end
    // and crossings at (0, ½) and (½, 0) (twice each): vertex (¼, ¼). Its face neighbours
    // [−½, ½] x [½, 1½] and mirror have four crossings at u = 0: vertices (0, 1) and (1, 0).
    // The net cuts the quadrilateral (0,0), (0,1), (¼,¼), (1,0) from the corner: two triangles of
    // area ½ · 1 · ¼ = ⅛, so ¼ voxel² per unit of edge. One more voxel along i lengthens the four
    // i-edges' chamfers by 1 and moves the corners: + 6 · 3 − 4 · ¼ = 17 voxels.
    expect(volume([2, 3, 1], [6, 8, 3]) - unit).toBeCloseTo(17, 4);
  });

  it('keeps every smoothed vertex in its cell: within one voxel of the box', () => {
    // Cells span voxel centres, so the smoothed surface stays inside the index box grown by one
    // voxel, [1, 6] x [2, 9] x [0, 4]: x ∈ [10 − 7.2, 10 − 1.6], y ∈ [−19.5, −17], z ∈ [22, 30].
    const s = extractMaskSurface(boxMask(dims, [2, 3, 1], [5, 8, 3], geometry));
    expect(measureMesh(s.points, s.triangles).unpairedEdges).toBe(0);
    const { min, max } = pointBounds(s.points);
    [2.8, -19.5, 22].forEach((x, n) => expect(min[n]).toBeGreaterThanOrEqual(x - 1e-4));
    [8.4, -17, 30].forEach((x, n) => expect(max[n]).toBeLessThanOrEqual(x + 1e-4));
  });
});

describe('extractMaskSurface: degenerate masks', () => {
  it('returns an empty surface for an empty mask', () => {
    const s = extractMaskSurface(boxMask([4, 4, 4], [0, 0, 0], [-1, -1, -1]));
    expect(s.points.length).toBe(0);
    expect(s.triangles.length).toBe(0);
    expect(s.normals!.length).toBe(0);
  });

  it.each([
    ['unsmoothed', 0],
    ['default smoothing', defaultSmoothIterations],
  ] as const)('wraps a single voxel in a closed cube of side 1/3 (%s)', (_name, smoothIterations) => {
    // The 8 cells around voxel (2, 2, 2) each have one inside corner and three crossed edges; the
    // vertex is the mean of their midpoints, e.g. cell [1,2]³: (1.5,2,2), (2,1.5,2), (2,2,1.5) →
    // (2 − 1/6)·(1,1,1). The 6 crossed edges give 6 quads → 12 triangles: a cube of side 1/3,
    // volume 1/27 mm³, area 6 · 1/9 = 2/3 mm². Smoothing cannot keep it: a cube's vertex
    // coordinates are eigenvectors of the neighbour mean with eigenvalue 1/3 (frequency k = 2/3,
    // far above the cut-off 0.1), so the filter collapses it below a quarter of its volume and
    // the piece keeps its unsmoothed positions.
    const s = extractMaskSurface(boxMask([5, 5, 5], [2, 2, 2], [2, 2, 2]), { smoothIterations });
    expect(s.points.length).toBe(8 * 3);
    expect(s.triangles.length).toBe(12 * 3);
    for (const x of s.points) expect(Math.abs(Math.abs(x - 2) - 1 / 6)).toBeLessThan(1e-6);
    const m = measureMesh(s.points, s.triangles);
    expect(m.unpairedEdges).toBe(0);
    expect(m.volume).toBeCloseTo(1 / 27, 6);
    expect(m.area).toBeCloseTo(2 / 3, 6);
  });
});

describe('extractMaskSurface: voxels that touch along an edge only', () => {
  it('shares one mesh edge among four triangles, two each way, and keeps every other edge manifold', () => {
    // Voxels (1,1,1) and (2,2,1): the sample square (1..2, 1..2, 1) is a checkerboard, all four of
    // its edges are crossed, and the mesh edge joining the two cells on either side of it
    // (cells (1,1,0) and (1,1,1)) is a side of all four quads. Elsewhere each voxel is wrapped
    // as alone.
    const voxels = new Uint8Array(4 * 4 * 3);
    voxels[1 + 1 * 4 + 1 * 16] = 1;
    voxels[2 + 2 * 4 + 1 * 16] = 1;
    const s = extractMaskSurface(
      { dims: [4, 4, 3], spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [...identityDirection], voxels },
      { smoothIterations: 0 },
    );
    const directed = new Map<string, number>();
    for (let t = 0; t < s.triangles.length; t += 3) {
      for (let e = 0; e < 3; e++) {
        const key = `${s.triangles[t + e]},${s.triangles[t + ((e + 1) % 3)]}`;
        directed.set(key, (directed.get(key) ?? 0) + 1);
      }
    }
    const multiplicities: number[] = [];
    for (const [key, count] of directed) {
      const [from, to] = key.split(',');
      expect(directed.get(`${to},${from}`)).toBe(count);
      multiplicities.push(count);
    }
    expect(multiplicities.filter((n) => n === 2)).toHaveLength(2); // the shared edge, both ways
    expect(multiplicities.every((n) => n === 1 || n === 2)).toBe(true);
    // The two shared cells (1,1,0) and (1,1,1) have two inside corners and six crossings each; the
    // mean of their midpoints is (1.5, 1.5, 1 ∓ 1/6). So each voxel's 1/3-cube (single-voxel test)
    // has its vertical edge that faces the other voxel pulled out to x = y = 1.5: a prism of
    // height 1/3 over (5/6,5/6), (7/6,5/6), (3/2,3/2), (5/6,7/6), whose area by the shoelace
    // formula is 8/36 = 2/9. All its faces are planar, so 2/27 mm³ per voxel, 4/27 in all.
    expect(measureMesh(s.points, s.triangles).volume).toBeCloseTo(4 / 27, 6);
  });
});

describe('extractMaskSurface: labels', () => {
  // createSyntheticLabelmap(32): a 24³ box of label 1 holding a lattice ball of label 2 (r = 6.4 mm).
  const map = createSyntheticLabelmap(32);
  const organ = countLabel(map, syntheticLabels.organ);
  const lesion = countLabel(map, syntheticLabels.lesion);

  it.each([
    ['any non-zero: the whole box', undefined, 24 ** 3],
    ['label 2: the lesion alone', syntheticLabels.lesion, lesion],
    ['label 1: the box with a lesion-shaped cavity', syntheticLabels.organ, organ],
  ] as const)('%s', (_name, label, expectedVoxels) => {
    const s = extractMaskSurface(map, { label });
    const m = measureMesh(s.points, s.triangles);
    expect(m.unpairedEdges).toBe(0);
    // Each closed piece is offset back to its voxel volume after smoothing; the cavity's wall is
    // wound inwards and subtracts. Clamping to cells leaves well under 1 % (1 mm³ voxels).
    expect(Math.abs(m.volume / expectedVoxels - 1)).toBeLessThan(0.01);
  });
});

describe('extractMaskSurface: input checks', () => {
  const mask = boxMask([4, 4, 4], [1, 1, 1], [2, 2, 2]);
  it.each([
    ['label 0', { label: 0 }],
    ['label 256', { label: 256 }],
    ['fractional label', { label: 1.5 }],
    ['downsample 5', { downsample: 5 as 1 }],
    ['negative smoothing', { smoothIterations: -1 }],
    ['fractional smoothing', { smoothIterations: 2.5 }],
  ] as const)('rejects %s', (_name, options) => {
    expect(() => extractMaskSurface(mask, options)).toThrow(RangeError);
  });
  it('rejects dims that do not match the voxels, bad spacing and singular directions', () => {
    expect(() => extractMaskSurface({ ...mask, dims: [4, 4, 5] })).toThrow(RangeError);
    expect(() => extractMaskSurface({ ...mask, spacingMm: [1, 0, 1] })).toThrow(RangeError);
    expect(() => extractMaskSurface({ ...mask, direction: [1, 0, 0, 1, 0, 0, 0, 0, 1] })).toThrow(RangeError);
  });
});
