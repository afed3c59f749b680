import { lpsToIjk, ijkToLps } from './coordinates';
import type { Grid } from './grid';
import type { Volume } from './volume';

/**
 * Resamples `source` onto `target` grid by trilinear interpolation in physical (LPS) space:
 * each target voxel centre is mapped to the source's continuous index and the 8 neighbouring
 * source voxels are weighted by distance. Target voxels outside the source get `outside`.
 * Used to bring a precontrast series onto the arterial grid (SPEC §2 step 2; rigid
 * registration is a later refinement). Direction matrices must be orthonormal.
 * @returns a Float32Array volume on the target grid
 */
export function resampleLinear(source: Volume, target: Grid, outside = Number.NaN): Volume<Float32Array> {
  const [nx, ny, nz] = target.dims;
  const [sx, sy, sz] = source.dims;
  const out = new Float32Array(nx * ny * nz);
  const src = source.voxels;
  // Continuous source index of target voxel (i, j, k) is affine in (i, j, k): p0 + i·di + j·dj + k·dk.
  const p0 = lpsToIjk(source, ijkToLps(target, [0, 0, 0]));
  const pi = lpsToIjk(source, ijkToLps(target, [1, 0, 0])).map((v, c) => v - p0[c]!);
  const pj = lpsToIjk(source, ijkToLps(target, [0, 1, 0])).map((v, c) => v - p0[c]!);
  const pk = lpsToIjk(source, ijkToLps(target, [0, 0, 1])).map((v, c) => v - p0[c]!);
  const sxy = sx * sy;
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      let x = p0[0]! + j * pj[0]! + k * pk[0]!;
      let y = p0[1]! + j * pj[1]! + k * pk[1]!;
      let z = p0[2]! + j * pj[2]! + k * pk[2]!;
      for (let i = 0; i < nx; i++, n++, x += pi[0]!, y += pi[1]!, z += pi[2]!) {
        // Tolerate rounding right at the border (a voxel centre that is on the source's edge).
        const xc = x < 0 && x > -1e-6 ? 0 : x > sx - 1 && x < sx - 1 + 1e-6 ? sx - 1 : x;
        const yc = y < 0 && y > -1e-6 ? 0 : y > sy - 1 && y < sy - 1 + 1e-6 ? sy - 1 : y;
        const zc = z < 0 && z > -1e-6 ? 0 : z > sz - 1 && z < sz - 1 + 1e-6 ? sz - 1 : z;
        if (!(xc >= 0 && yc >= 0 && zc >= 0 && xc <= sx - 1 && yc <= sy - 1 && zc <= sz - 1)) {
          out[n] = outside;
          continue;
        }
        const x0 = Math.min(Math.floor(xc), sx - 2 < 0 ? 0 : sx - 2);
        const y0 = Math.min(Math.floor(yc), sy - 2 < 0 ? 0 : sy - 2);
        const z0 = Math.min(Math.floor(zc), sz - 2 < 0 ? 0 : sz - 2);
        const fx = sx > 1 ? xc - x0 : 0;
        const fy = sy > 1 ? yc - y0 : 0;
        const fz = sz > 1 ? zc - z0 : 0;
        const dx = sx > 1 ? 1 : 0;
        const dy = sy > 1 ? sx : 0;
        const dz = sz > 1 ? sxy : 0;
        const b = x0 + y0 * sx + z0 * sxy;
        const c00 = src[b]! * (1 - fx) + src[b + dx]! * fx;
        const c10 = src[b + dy]! * (1 - fx) + src[b + dy + dx]! * fx;
        const c01 = src[b + dz]! * (1 - fx) + src[b + dz + dx]! * fx;
        const c11 = src[b + dz + dy]! * (1 - fx) + src[b + dz + dy + dx]! * fx;
        const c0 = c00 * (1 - fy) + c10 * fy;
        const c1 = c01 * (1 - fy) + c11 * fy;
        out[n] = c0 * (1 - fz) + c1 * fz;
      }
    }
  }
  return {
    dims: [...target.dims],
    spacingMm: [...target.spacingMm],
    originMm: [...target.originMm],
    direction: [...target.direction],
    voxels: out,
  };
}
