import { voxelCount, type Volume } from './volume';
import { chooseDownsample, type DownsampleFactor } from './maskSurface/chooseDownsample';
import { maskRowExtents, type IndexBox } from './maskSurface/maskRowExtents';
import { sampleMaskGrid } from './maskSurface/sampleMaskGrid';
import { smoothSurfaceNet } from './maskSurface/smoothSurfaceNet';
import { surfaceNets } from './maskSurface/surfaceNets';
import { triangulateQuads } from './maskSurface/triangulateQuads';
import { vertexNormals } from './maskSurface/vertexNormals';

export interface MaskSurfaceOptions {
  /** Voxels equal to this value (1–255) are inside; default: every non-zero voxel. */
  label?: number;
  /** Block size b: b×b×b voxels per grid sample. Default: the smallest b whose grid fits 256³ samples. */
  downsample?: DownsampleFactor;
  /**
   * Order of the constrained windowed-sinc smoothing: neighbour-averaging sweeps over the mesh
   * (0 = none, the raw surface net). Default `defaultSmoothIterations`.
   */
  smoothIterations?: number;
  /** Scan only the mask's bounding box (default true); false scans the whole grid (same surface, slower). */
  cropToBoundingBox?: boolean;
  /** Compute unit vertex normals (default true). */
  computeNormals?: boolean;
}

export interface MaskSurface {
  /** xyz per vertex in LPS millimetres. */
  points: Float32Array;
  /** 3 indices into `points` per triangle, counter-clockwise seen from outside the mask. */
  triangles: Uint32Array;
  /** Unit outward normal per vertex (LPS), unless `computeNormals: false`. */
  normals?: Float32Array;
  /** The block size that was used. */
  downsample: DownsampleFactor;
}

/**
 * Default smoothing order: 20 sweeps with cut-off 0.1 remove the voxel staircase and the wide
 * terraces of gently sloping surfaces (fewer sweeps widen the filter's transition band and
 * leave terraces visible), at about the cost of one scan of the bounding box.
 */
export const defaultSmoothIterations = 20;

/**
 * A closed triangle surface around the selected voxels of a binary mask or labelmap, by
 * constrained surface nets:
 * 1. crop to the bounding box of the selected voxels (plus one outside sample on every side);
 * 2. optionally merge b×b×b blocks into one sample (inside when more than half is selected);
 * 3. surface nets: one vertex per cell of 2×2×2 samples that straddles the boundary, at the mean
 *    of its edge crossings, and one quad per sample edge that crosses the boundary;
 * 4. smoothing (unless smoothIterations = 0): a windowed-sinc low-pass filter over the mesh
 *    (Taubin et al. 1996), each connected piece offset along its normals to enclose the volume
 *    of its samples again, and each vertex clamped to its own cell (Gibson 1998);
 * 5. map to LPS, p = originMm + Σ_c ijk_c·spacingMm_c·direction_c (as `ijkToLps`), split each
 *    quad along its shorter diagonal, and compute area-weighted vertex normals.
 * Every vertex stays inside its cell, so the surface lies within one sample spacing of the voxel
 * boundary (unsmoothed, flat faces sit exactly on it: half a voxel outside the outermost voxel
 * centres), and after smoothing each piece encloses about the volume of its voxels. Winding is
 * outward (counter-clockwise seen from outside, normals pointing out of the mask) for every
 * direction matrix, including mirrored ones (determinant −1). The mesh is closed: every edge is
 * shared by exactly two triangles wound in opposite directions, except where two parts of the
 * mask touch only along a voxel edge (a checkerboard face of four samples): four triangles share
 * the one mesh edge that crosses that face, two in each direction. Cost: one pass over the mask
 * for the row extents and box, one over the selected spans in the box, then work proportional
 * to the surface area.
 * References: Gibson SFF. Constrained elastic surface nets: generating smooth surfaces from
 * binary segmented data. MICCAI 1998, LNCS 1496:888–898. Lysenko M. Smooth voxel terrain
 * (part 2), 0fps.net, 2012. Taubin G, Zhang T, Golub G. Optimal surface smoothing as filter
 * design. ECCV 1996, LNCS 1064:283–292.
 * @returns empty arrays when no voxel is selected
 * @throws RangeError when dims do not match the voxel count, spacing is not positive, the
 *   direction matrix is singular or not finite, or an option is out of range
 */
export function extractMaskSurface(mask: Volume<Uint8Array>, options: MaskSurfaceOptions = {}): MaskSurface {
  const {
    label,
    downsample,
    smoothIterations = defaultSmoothIterations,
    cropToBoundingBox = true,
    computeNormals = true,
  } = options;
  if (voxelCount(mask.dims) !== mask.voxels.length) {
    throw new RangeError(`dims ${mask.dims.join('x')} do not match ${mask.voxels.length} voxels`);
  }
  if (!mask.spacingMm.every((s) => Number.isFinite(s) && s > 0))
    throw new RangeError(`spacing must be positive, got ${mask.spacingMm.join(', ')}`);
  const determinant = directionDeterminant(mask.direction);
  if (!Number.isFinite(determinant) || Math.abs(determinant) < 1e-9 || !mask.originMm.every(Number.isFinite)) {
    throw new RangeError('direction must be a finite, non-singular 3x3 matrix and origin finite');
  }
  if (downsample !== undefined && ![1, 2, 3, 4].includes(downsample))
    throw new RangeError(`downsample must be 1, 2, 3 or 4, got ${downsample}`);
  if (!Number.isInteger(smoothIterations) || smoothIterations < 0) {
    throw new RangeError(`smoothIterations must be a non-negative integer, got ${smoothIterations}`);
  }

  const extents = maskRowExtents(mask, label);
  const found = extents.box;
  if (found === undefined) {
    const empty: MaskSurface = {
      points: new Float32Array(0),
      triangles: new Uint32Array(0),
      downsample: downsample ?? 1,
    };
    if (computeNormals) empty.normals = new Float32Array(0);
    return empty;
  }
  const box: IndexBox = cropToBoundingBox
    ? found
    : { min: [0, 0, 0], max: [mask.dims[0] - 1, mask.dims[1] - 1, mask.dims[2] - 1] };
  const block =
    downsample ??
    chooseDownsample([box.max[0] - box.min[0] + 1, box.max[1] - box.min[1] + 1, box.max[2] - box.min[2] + 1]);

  const grid = sampleMaskGrid(mask, extents, box, block, label);
  const net = surfaceNets(grid);
  smoothSurfaceNet(net, smoothIterations);

  // Grid coordinate g → voxel index firstSampleIjk + g·b → LPS; folded into one affine map.
  const m = new Float64Array(12);
  for (let c = 0; c < 3; c++) {
    const stepMm = mask.spacingMm[c]!;
    for (let r = 0; r < 3; r++) {
      const axis = mask.direction[c * 3 + r]! * stepMm;
      m[c * 3 + r] = axis * block;
      m[9 + r]! += axis * grid.firstSampleIjk[c]!;
    }
  }
  for (let r = 0; r < 3; r++) m[9 + r]! += mask.originMm[r]!;
  const g = net.positionsGrid;
  const points = new Float32Array(net.vertexCount * 3);
  for (let v = 0; v < net.vertexCount * 3; v += 3) {
    const x = g[v]!;
    const y = g[v + 1]!;
    const z = g[v + 2]!;
    points[v] = m[9]! + x * m[0]! + y * m[3]! + z * m[6]!;
    points[v + 1] = m[10]! + x * m[1]! + y * m[4]! + z * m[7]!;
    points[v + 2] = m[11]! + x * m[2]! + y * m[5]! + z * m[8]!;
  }
  // A mirroring direction matrix turns counter-clockwise into clockwise: re-wind.
  const triangles = triangulateQuads(net.quads, points, determinant < 0);
  const surface: MaskSurface = { points, triangles, downsample: block };
  if (computeNormals) surface.normals = vertexNormals(points, triangles);
  return surface;
}

/** det of a column-major 3x3 matrix: dirI · (dirJ × dirK). */
function directionDeterminant(d: Volume['direction']): number {
  return d[0] * (d[4] * d[8] - d[5] * d[7]) - d[3] * (d[1] * d[8] - d[2] * d[7]) + d[6] * (d[1] * d[5] - d[2] * d[4]);
}
