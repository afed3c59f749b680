import type { Vec3 } from './sliceHeader';

/**
 * The slice normal n = r × c of an image plane, from its row cosines r (direction of increasing
 * column index) and column cosines c (increasing row index). With r, c, n as the columns of
 * the direction matrix the frame is right-handed; for axial head-first-supine images
 * (r = +x, c = +y in LPS) n = +z, pointing towards the head. Reference: PS3.3 §C.7.6.2.1.1.
 * @returns a unit vector (r and c are unit and orthogonal, as `readSliceHeader` guarantees)
 */
export function sliceNormal(rowCosines: Vec3, columnCosines: Vec3): Vec3 {
  const [rx, ry, rz] = rowCosines;
  const [cx, cy, cz] = columnCosines;
  const n: Vec3 = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const length = Math.hypot(n[0], n[1], n[2]);
  return [n[0] / length, n[1] / length, n[2] / length];
}
