/**
 * Unit vertex normals of a triangle mesh: at each vertex, the normalised sum of the un-normalised
 * normals (p1 − p0) × (p2 − p0) of the triangles that use it, i.e. an area-weighted mean, so
 * normals follow the winding (counter-clockwise seen from outside → outward).
 * Reference: Gouraud H. Continuous shading of curved surfaces. IEEE Trans Comput 1971;C-20:623–629.
 * @param points xyz per vertex
 * @param triangles 3 vertex indices per triangle
 * @returns xyz per vertex, unit length; (0, 0, 0) for a vertex no triangle with area uses
 */
export function vertexNormals(points: Float32Array, triangles: Uint32Array): Float32Array {
  const sum = new Float64Array(points.length);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]! * 3;
    const b = triangles[t + 1]! * 3;
    const c = triangles[t + 2]! * 3;
    const ux = points[b]! - points[a]!;
    const uy = points[b + 1]! - points[a + 1]!;
    const uz = points[b + 2]! - points[a + 2]!;
    const vx = points[c]! - points[a]!;
    const vy = points[c + 1]! - points[a + 1]!;
    const vz = points[c + 2]! - points[a + 2]!;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    sum[a]! += nx;
    sum[a + 1]! += ny;
    sum[a + 2]! += nz;
    sum[b]! += nx;
    sum[b + 1]! += ny;
    sum[b + 2]! += nz;
    sum[c]! += nx;
    sum[c + 1]! += ny;
    sum[c + 2]! += nz;
  }
  const normals = new Float32Array(points.length);
  for (let v = 0; v < points.length; v += 3) {
    const x = sum[v]!;
    const y = sum[v + 1]!;
    const z = sum[v + 2]!;
    const length = Math.sqrt(x * x + y * y + z * z);
    if (length === 0) continue;
    normals[v] = x / length;
    normals[v + 1] = y / length;
    normals[v + 2] = z / length;
  }
  return normals;
}
