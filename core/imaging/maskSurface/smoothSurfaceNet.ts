import type { SurfaceNet } from './surfaceNets';
import { restoreComponentVolumes } from './restoreComponentVolumes';
import { windowedSincCoefficients } from './windowedSincCoefficients';

/** Cut-off k_pb of the default smoothing: removes voxel steps and terraces, keeps organ shape. */
export const surfaceSmoothingPassBand = 0.1;

/**
 * Constrained, volume-preserving windowed-sinc smoothing of a surface net, in place:
 * 1. the vertex positions are low-pass filtered over the mesh, x ← Σ_{n=0..N} c_n·x_n with
 *    x_0 = x, x_1 = (x_0 + W·x_0)/2 and x_n = x_{n−1} + W·x_{n−1} − x_{n−2} (the Chebyshev
 *    recurrence T_n = 2y·T_{n−1} − T_{n−2} for y = I − K/2 = (I + W)/2, W = mean over a vertex's
 *    mesh neighbours) with the coefficients of `windowedSincCoefficients`: the voxel staircase
 *    (high frequencies) goes, large smooth shapes (below the pass band) stay;
 * 2. `restoreComponentVolumes` offsets each connected piece along its normals until it encloses
 *    the volume of its samples again (small pieces are partly in the stop band and shrink);
 * 3. as in Gibson's constrained elastic surface nets, every vertex is clamped to its own cell,
 *    [cell, cell + 1]³ in sample-grid coordinates, so the surface stays within one sample of the
 *    mask boundary and thin parts cannot collapse.
 * Neighbours come from the quads' edges: each quad edge u→v makes v a neighbour of u, and on a
 * closed, consistently wound mesh every edge appears once in each direction. Filtering in grid
 * coordinates equals filtering in millimetres because means commute with affine maps.
 * References: Taubin G, Zhang T, Golub G. Optimal surface smoothing as filter design. ECCV 1996,
 * LNCS 1064:283–292; Gibson SFF. Constrained elastic surface nets. MICCAI 1998, LNCS
 * 1496:888–898.
 * @param order N, the number of neighbour-averaging sweeps; 0 leaves the net unchanged
 * @param passBand k_pb in (0, 2), default `surfaceSmoothingPassBand`
 * @throws RangeError for a negative or non-integer order or a pass band outside (0, 2)
 */
export function smoothSurfaceNet(net: SurfaceNet, order: number, passBand = surfaceSmoothingPassBand): void {
  const c = windowedSincCoefficients(order, passBand);
  const { positionsGrid, cellOfVertex, quads, quadCount, vertexCount } = net;
  if (order === 0 || vertexCount === 0) return;

  const start = new Uint32Array(vertexCount + 1);
  for (let n = 0; n < quadCount * 4; n++) start[quads[n]! + 1]!++;
  for (let v = 0; v < vertexCount; v++) start[v + 1]! += start[v]!;
  const next = start.slice(0, vertexCount);
  const neighbour = new Uint32Array(quadCount * 4);
  for (let n = 0; n < quadCount * 4; n++) {
    const from = quads[n]!;
    const to = quads[(n & 3) === 3 ? n - 3 : n + 1]!;
    neighbour[next[from]!++] = to * 3;
  }

  const size = vertexCount * 3;
  const unsmoothed = positionsGrid.slice(0, size);
  let older = unsmoothed.slice();
  let newer = new Float64Array(size);
  const out = new Float64Array(size);
  for (let n = 0; n < size; n++) out[n] = c[0]! * older[n]!;
  neighbourSweep(older, newer, older, start, neighbour, vertexCount, true, c[1]!, out);
  for (let step = 2; step <= order; step++) {
    neighbourSweep(newer, older, older, start, neighbour, vertexCount, false, c[step]!, out);
    const t = older;
    older = newer;
    newer = t;
  }
  positionsGrid.set(out);
  restoreComponentVolumes(net, unsmoothed);
  for (let n = 0; n < size; n++) {
    const lo = cellOfVertex[n]!;
    const x = positionsGrid[n]!;
    positionsGrid[n] = x < lo ? lo : x > lo + 1 ? lo + 1 : x;
  }
}

/**
 * One Chebyshev step over every vertex, with W·x the mean of x over the vertex's neighbours:
 * first step target = (x + W·x)/2; later target = x + W·x − before (x_{n−2}, read from `before`
 * at the same index just before it is overwritten). Adds weight·target to `out`.
 */
function neighbourSweep(
  x: Float64Array,
  target: Float64Array,
  before: Float64Array,
  start: Uint32Array,
  /** Neighbour offsets into x (vertex index · 3), grouped by vertex: start[v] … start[v + 1]. */
  neighbour: Uint32Array,
  vertexCount: number,
  first: boolean,
  weight: number,
  out: Float64Array,
): void {
  for (let v = 0; v < vertexCount; v++) {
    const at = v * 3;
    const from = start[v]!;
    const end = start[v + 1]!;
    let sx = 0;
    let sy = 0;
    let sz = 0;
    for (let m = from; m < end; m++) {
      const u = neighbour[m]!;
      sx += x[u]!;
      sy += x[u + 1]!;
      sz += x[u + 2]!;
    }
    // Every vertex lies on a quad; a lone vertex would just keep its place (mean of itself).
    const count = end - from;
    const inv = count > 0 ? 1 / count : 0;
    const mx = count > 0 ? sx * inv : x[at]!;
    const my = count > 0 ? sy * inv : x[at + 1]!;
    const mz = count > 0 ? sz * inv : x[at + 2]!;
    let tx: number;
    let ty: number;
    let tz: number;
    if (first) {
      tx = 0.5 * (x[at]! + mx);
      ty = 0.5 * (x[at + 1]! + my);
      tz = 0.5 * (x[at + 2]! + mz);
    } else {
      tx = x[at]! + mx - before[at]!;
      ty = x[at + 1]! + my - before[at + 1]!;
      tz = x[at + 2]! + mz - before[at + 2]!;
    }
    target[at] = tx;
    target[at + 1] = ty;
    target[at + 2] = tz;
    out[at]! += weight * tx;
    out[at + 1]! += weight * ty;
    out[at + 2]! += weight * tz;
  }
}
