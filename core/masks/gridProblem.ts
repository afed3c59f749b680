import type { Grid } from '../imaging/grid';

/**
 * Largest |cos| between two axes of a mask grid for them to count as orthogonal, and largest
 * deviation of a direction column's length from 1: 1e-3 (0.057° off 90°, under 0.5 mm across
 * 500 mm). Float32 NIfTI transforms and DICOM decimal strings are far more precise than this.
 */
export const axisTolerance = 1e-3;

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));

/**
 * What makes a grid unusable for placing a mask, as a phrase for an error message, or
 * undefined when it is usable: dims are positive integers; the voxel size along every axis is
 * a finite number of mm above 0; the origin is finite; and (unless `axes` is false) the
 * direction columns are finite unit vectors, mutually orthogonal within `axisTolerance`
 * (a sheared or degenerate grid has no voxel size to speak of: NIfTI sform with shear, NRRD
 * space directions that are not orthogonal). NaN never passes: it is not a size, a position or a
 * direction, and must not be read as "same grid" or 1 mm.
 * Reference: SPEC §2 step 1 (the liver mask on the arterial grid); NIfTI-1 nifti1.h (METHOD 3
 * allows any affine, Concord places only orthogonal grids).
 */
export function gridProblem(grid: Grid, axes = true): string | undefined {
  const { dims, spacingMm, originMm, direction } = grid;
  for (let a = 0; a < 3; a++) {
    if (!Number.isInteger(dims[a]) || dims[a]! < 1) return `its size along axis ${a + 1} is ${fmt(dims[a]!)} voxels`;
  }
  for (let a = 0; a < 3; a++) {
    if (!(Number.isFinite(spacingMm[a]) && spacingMm[a]! > 0))
      return `its voxel size along axis ${a + 1} is ${fmt(spacingMm[a]!)} mm (it must be a positive number)`;
  }
  if (!originMm.every(Number.isFinite)) return `its origin (${originMm.map(fmt).join(', ')}) mm is not a position`;
  if (!axes) return undefined;
  const column = (c: number) => [direction[3 * c]!, direction[3 * c + 1]!, direction[3 * c + 2]!];
  for (let c = 0; c < 3; c++) {
    const v = column(c);
    const length = Math.hypot(v[0]!, v[1]!, v[2]!);
    if (!(Math.abs(length - 1) <= axisTolerance))
      return `its direction along axis ${c + 1} (${v.map(fmt).join(', ')}) is not a unit vector`;
  }
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const u = column(a);
    const w = column(b);
    const cos = u[0]! * w[0]! + u[1]! * w[1]! + u[2]! * w[2]!;
    if (Math.abs(cos) > axisTolerance) {
      return `its axes ${a + 1} and ${b + 1} are ${((Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI).toFixed(2)}° apart, not 90° (a sheared grid)`;
    }
  }
  return undefined;
}
