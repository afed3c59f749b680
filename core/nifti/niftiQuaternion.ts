/** A 3x3 matrix as rows: m[row][column]. */
export type Matrix3 = [[number, number, number], [number, number, number], [number, number, number]];

/** The NIfTI-1 quaternion parameters of a qform rotation (a is implied: a = √(1 − b² − c² − d²) ≥ 0). */
export interface NiftiQuaternion {
  b: number;
  c: number;
  d: number;
  /** pixdim[0]: +1 for a proper rotation, −1 when the k axis is reflected (left-handed grid). */
  qfac: 1 | -1;
}

/**
 * The qform quaternion of a 3x3 direction matrix (columns = unit i, j, k axes in RAS). Columns
 * are normalised; a left-handed matrix (det < 0) gets qfac = −1 and its third column negated
 * before the rotation is converted, as nifti_mat44_to_quatern does (shear is not represented:
 * the sform carries the exact matrix).
 * Reference: nifti1.h (qform, METHOD 2) and nifti1_io.c nifti_mat44_to_quatern (R. W. Cox).
 * @throws RangeError if a column has zero length
 */
export function rotationToNiftiQuaternion(m: Matrix3): NiftiQuaternion {
  const cols = [0, 1, 2].map((c) => {
    const v = [m[0][c], m[1][c], m[2][c]];
    const n = Math.hypot(v[0]!, v[1]!, v[2]!);
    if (n === 0) throw new RangeError(`Direction column ${c} has zero length`);
    return v.map((x) => x! / n);
  });
  const det =
    cols[0]![0]! * (cols[1]![1]! * cols[2]![2]! - cols[1]![2]! * cols[2]![1]!) -
    cols[1]![0]! * (cols[0]![1]! * cols[2]![2]! - cols[0]![2]! * cols[2]![1]!) +
    cols[2]![0]! * (cols[0]![1]! * cols[1]![2]! - cols[0]![2]! * cols[1]![1]!);
  const qfac: 1 | -1 = det < 0 ? -1 : 1;
  if (qfac < 0) cols[2] = cols[2]!.map((x) => -x);
  // rXY: row X, column Y, 1-based as in nifti1_io.c
  const r11 = cols[0]![0]!,
    r21 = cols[0]![1]!,
    r31 = cols[0]![2]!;
  const r12 = cols[1]![0]!,
    r22 = cols[1]![1]!,
    r32 = cols[1]![2]!;
  const r13 = cols[2]![0]!,
    r23 = cols[2]![1]!,
    r33 = cols[2]![2]!;
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

/**
 * The 3x3 matrix of a qform (columns = i, j, k axes in RAS, scaled by the voxel sizes):
 * R(a, b, c, d) · diag(dx, dy, qfac·dz), with a = √(1 − b² − c² − d²), or a 180° rotation
 * (a = 0, (b, c, d) normalised) when 1 − b² − c² − d² < 1e-7. Voxel sizes ≤ 0 count as 1.
 * Reference: nifti1.h (METHOD 2) and nifti1_io.c nifti_quatern_to_mat44 (R. W. Cox).
 */
export function niftiQuaternionToMatrix(q: NiftiQuaternion, pixdimMm: readonly [number, number, number]): Matrix3 {
  let { b, c, d } = q;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    const n = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= n;
    c *= n;
    d *= n;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const xd = pixdimMm[0] > 0 ? pixdimMm[0] : 1;
  const yd = pixdimMm[1] > 0 ? pixdimMm[1] : 1;
  const zd = (pixdimMm[2] > 0 ? pixdimMm[2] : 1) * (q.qfac < 0 ? -1 : 1);
  return [
    [(a * a + b * b - c * c - d * d) * xd, 2 * (b * c - a * d) * yd, 2 * (b * d + a * c) * zd],
    [2 * (b * c + a * d) * xd, (a * a + c * c - b * b - d * d) * yd, 2 * (c * d - a * b) * zd],
    [2 * (b * d - a * c) * xd, 2 * (c * d + a * b) * yd, (a * a + d * d - c * c - b * b) * zd],
  ];
}
