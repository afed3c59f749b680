import type { SurfaceNet } from './surfaceNets';

/**
 * Gives every connected piece of a smoothed surface net back the volume of the samples it
 * encloses, in place. Low-pass smoothing pulls small, strongly curved pieces inwards (a sphere
 * of radius 3 samples loses over 40 % of its volume to the default filter), so displayed
 * lesions would look smaller than the voxel count that measures them. For each component C
 * (vertices joined by quads, found by union–find):
 *   target V_C = Σ quadFaceX, the volume of its inside samples as unit cubes for binary samples
 *   (exact, by the divergence theorem over the voxel faces the quads replace), or with each run
 *   of blocks measured between its interpolated crossings for b > 1 (closer to the voxel count
 *   than counting whole blocks);
 *   mesh V_C = Σ over quads (a, b, c, d) of [a·(b × c) + a·(c × d)] / 6;
 *   each vertex moves along its area vector A_v = Σ over its quads of ((c − a) × (d − b)) / 8
 *   (a quad's vector area, shared by its 4 corners) by δ_C = (target − mesh) / Σ_v |A_v|, the
 *   first-order offset that closes the gap (d volume = Σ_v A_v · d x_v);
 * repeated (Newton steps) until every component is within `tolerance` or after `maxRounds`.
 * A piece that smoothing shrank below `collapseRatio` of its target (only a few samples across,
 * e.g. a ball of radius ≤ 2 samples: its whole shape lies in the filter's stop band) gets its
 * unsmoothed positions back instead: offsets that large would distort it more than they fix.
 * Offsetting along normals restores a shrunken tube's radius without stretching its length, as
 * scaling about the centroid would. Vertices are not clamped here (the caller clamps).
 * Reference: Desbrun M, Meyer M, Schröder P, Barr AH. Implicit fairing of irregular meshes using
 * diffusion and curvature flow. SIGGRAPH 1999:317–324 (restoring volume after smoothing).
 * @param unsmoothedGrid the positions before smoothing, xyz per vertex
 * @param maxRounds Newton steps at most (default 3)
 * @param tolerance relative volume error that ends the steps early (default 1e-3)
 * @param collapseRatio smoothed / target volume below which a piece is restored unsmoothed (default 0.25)
 */
export function restoreComponentVolumes(
  net: SurfaceNet,
  unsmoothedGrid: Float64Array,
  maxRounds = 3,
  tolerance = 1e-3,
  collapseRatio = 0.25,
): void {
  const { positionsGrid: p, quads, quadCount, vertexCount, quadFaceX } = net;
  if (quadCount === 0) return;

  const parent = new Int32Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) parent[v] = v;
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[v] !== root) {
      const up = parent[v]!;
      parent[v] = root;
      v = up;
    }
    return root;
  };
  for (let q = 0; q < quadCount * 4; q += 4) {
    const a = find(quads[q]!);
    for (let e = 1; e < 4; e++) {
      const b = find(quads[q + e]!);
      if (a !== b) parent[b] = a;
    }
  }
  const component = new Int32Array(vertexCount);
  let componentCount = 0;
  const idOfRoot = new Int32Array(vertexCount).fill(-1);
  for (let v = 0; v < vertexCount; v++) {
    const root = find(v);
    if (idOfRoot[root] === -1) idOfRoot[root] = componentCount++;
    component[v] = idOfRoot[root]!;
  }

  const target = new Float64Array(componentCount);
  for (let q = 0; q < quadCount; q++) target[component[quads[q * 4]!]!]! += quadFaceX[q]!;
  const mesh = new Float64Array(componentCount);
  const areaSum = new Float64Array(componentCount);
  const area = new Float64Array(vertexCount * 3);
  const areaLength = new Float64Array(vertexCount);
  const collapsed = new Uint8Array(componentCount);
  for (let round = 0; round < maxRounds; round++) {
    mesh.fill(0);
    areaSum.fill(0);
    area.fill(0);
    for (let q = 0; q < quadCount; q++) {
      const a = quads[q * 4]! * 3;
      const b = quads[q * 4 + 1]! * 3;
      const c = quads[q * 4 + 2]! * 3;
      const d = quads[q * 4 + 3]! * 3;
      const ax = p[a]!,
        ay = p[a + 1]!,
        az = p[a + 2]!;
      const bx = p[b]!,
        by = p[b + 1]!,
        bz = p[b + 2]!;
      const cx = p[c]!,
        cy = p[c + 1]!,
        cz = p[c + 2]!;
      const dx = p[d]!,
        dy = p[d + 1]!,
        dz = p[d + 2]!;
      mesh[component[a / 3]!]! +=
        (ax * (by * cz - bz * cy) +
          ay * (bz * cx - bx * cz) +
          az * (bx * cy - by * cx) +
          ax * (cy * dz - cz * dy) +
          ay * (cz * dx - cx * dz) +
          az * (cx * dy - cy * dx)) /
        6;
      const ux = cx - ax,
        uy = cy - ay,
        uz = cz - az;
      const wx = dx - bx,
        wy = dy - by,
        wz = dz - bz;
      const nx = (uy * wz - uz * wy) / 8;
      const ny = (uz * wx - ux * wz) / 8;
      const nz = (ux * wy - uy * wx) / 8;
      area[a]! += nx;
      area[a + 1]! += ny;
      area[a + 2]! += nz;
      area[b]! += nx;
      area[b + 1]! += ny;
      area[b + 2]! += nz;
      area[c]! += nx;
      area[c + 1]! += ny;
      area[c + 2]! += nz;
      area[d]! += nx;
      area[d + 1]! += ny;
      area[d + 2]! += nz;
    }
    if (round === 0) {
      let reverted = false;
      for (let id = 0; id < componentCount; id++) {
        // A ratio, not a difference: cavities (inner walls) have negative signed volumes.
        if (!(mesh[id]! / target[id]! >= collapseRatio)) {
          collapsed[id] = 1;
          reverted = true;
        }
      }
      if (reverted) {
        for (let v = 0; v < vertexCount; v++) {
          if (collapsed[component[v]!] === 1) p.set(unsmoothedGrid.subarray(v * 3, v * 3 + 3), v * 3);
        }
      }
    }
    let worst = 0;
    for (let id = 0; id < componentCount; id++) {
      if (collapsed[id] === 0) worst = Math.max(worst, Math.abs(mesh[id]! - target[id]!) / Math.abs(target[id]!));
    }
    if (worst <= tolerance) return;
    for (let v = 0; v < vertexCount; v++) {
      const ax = area[v * 3]!;
      const ay = area[v * 3 + 1]!;
      const az = area[v * 3 + 2]!;
      const length = Math.sqrt(ax * ax + ay * ay + az * az);
      areaLength[v] = length;
      areaSum[component[v]!]! += length;
    }
    for (let v = 0; v < vertexCount; v++) {
      const id = component[v]!;
      if (collapsed[id] === 1) continue;
      const length = areaLength[v]!;
      if (length === 0 || areaSum[id] === 0) continue;
      const shift = (target[id]! - mesh[id]!) / areaSum[id]! / length;
      p[v * 3]! += shift * area[v * 3]!;
      p[v * 3 + 1]! += shift * area[v * 3 + 1]!;
      p[v * 3 + 2]! += shift * area[v * 3 + 2]!;
    }
  }
}
