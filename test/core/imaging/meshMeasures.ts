import type { Volume } from '../../../core/imaging/volume';

/** Plain measurements of a triangle mesh for the surface tests (no code under test inside). */
export interface MeshMeasures {
  /** Σ p0 · (p1 × p2) / 6: the enclosed volume by the divergence theorem; > 0 when outward. */
  volume: number;
  /** Σ |(p1 − p0) × (p2 − p0)| / 2. */
  area: number;
  /** Directed edges u→v that do not occur exactly once with their reverse v→u occurring exactly once. */
  unpairedEdges: number;
  /** Volume centroid: Σ over triangles of (p0 + p1 + p2) · signed tetrahedron volume / 4, over the volume. */
  centroid: [number, number, number];
}

export function measureMesh(points: Float32Array, triangles: Uint32Array): MeshMeasures {
  let volume = 0;
  let area = 0;
  const centroid: [number, number, number] = [0, 0, 0];
  const directed = new Map<string, number>();
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!;
    const b = triangles[t + 1]!;
    const c = triangles[t + 2]!;
    const at = (v: number): [number, number, number] => [points[v * 3]!, points[v * 3 + 1]!, points[v * 3 + 2]!];
    const [p0, p1, p2] = [at(a), at(b), at(c)];
    const tet =
      (p0[0] * (p1[1] * p2[2] - p1[2] * p2[1]) -
        p0[1] * (p1[0] * p2[2] - p1[2] * p2[0]) +
        p0[2] * (p1[0] * p2[1] - p1[1] * p2[0])) /
      6;
    volume += tet;
    for (let x = 0; x < 3; x++) centroid[x]! += ((p0[x]! + p1[x]! + p2[x]!) / 4) * tet;
    const u = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]] as const;
    const w = [p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]] as const;
    area += Math.hypot(u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]) / 2;
    for (const [from, to] of [
      [a, b],
      [b, c],
      [c, a],
    ] as const)
      directed.set(`${from},${to}`, (directed.get(`${from},${to}`) ?? 0) + 1);
  }
  let unpairedEdges = 0;
  for (const [key, count] of directed) {
    const [from, to] = key.split(',');
    if (count !== 1 || directed.get(`${to},${from}`) !== 1) unpairedEdges++;
  }
  return { volume, area, unpairedEdges, centroid: centroid.map((x) => x / volume) as [number, number, number] };
}

/**
 * A mask whose voxels are selected when their centre lies within radiusMm of centreLps
 * (physical distance, so anisotropic spacing and any direction matrix are honoured).
 */
export function ballMask(
  geometry: Pick<Volume, 'dims' | 'spacingMm' | 'originMm' | 'direction'>,
  centreLps: readonly [number, number, number],
  radiusMm: number,
): Volume<Uint8Array> {
  const [n0, n1, n2] = geometry.dims;
  const d = geometry.direction;
  const s = geometry.spacingMm;
  const voxels = new Uint8Array(n0 * n1 * n2);
  for (let k = 0; k < n2; k++) {
    for (let j = 0; j < n1; j++) {
      for (let i = 0; i < n0; i++) {
        let r2 = 0;
        for (let x = 0; x < 3; x++) {
          const p = geometry.originMm[x]! + i * s[0] * d[x]! + j * s[1] * d[3 + x]! + k * s[2] * d[6 + x]!;
          r2 += (p - centreLps[x]!) ** 2;
        }
        if (r2 <= radiusMm * radiusMm) voxels[i + j * n0 + k * n0 * n1] = 1;
      }
    }
  }
  return { ...geometry, dims: [...geometry.dims], voxels };
}

/** Number of non-zero voxels. */
export function countSelected(voxels: Uint8Array): number {
  let n = 0;
  for (const v of voxels) if (v !== 0) n++;
  return n;
}
