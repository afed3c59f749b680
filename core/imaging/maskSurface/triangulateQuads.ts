/**
 * Splits quads into two triangles each, along the shorter diagonal (measured in `points`, i.e.
 * millimetres), which keeps triangles closer to equilateral on curved parts of the surface.
 * Both splits keep the quad's winding: (a, b, c, d) → (a, b, c) + (a, c, d) or (a, b, d) +
 * (b, c, d). With `reverse` every triangle is wound the other way, for point maps that mirror
 * space (a direction matrix with determinant −1).
 * @param quads 4 vertex indices per quad
 * @param points xyz per vertex
 * @returns 3 vertex indices per triangle, 2 triangles per quad in quad order
 * @throws RangeError when quads.length is not a multiple of 4
 */
export function triangulateQuads(quads: Uint32Array, points: Float32Array, reverse: boolean): Uint32Array {
  if (quads.length % 4 !== 0) throw new RangeError(`quads must hold 4 indices each, got ${quads.length}`);
  const quadCount = quads.length / 4;
  const triangles = new Uint32Array(quadCount * 6);
  const squared = (u: number, v: number) => {
    const dx = points[u * 3]! - points[v * 3]!;
    const dy = points[u * 3 + 1]! - points[v * 3 + 1]!;
    const dz = points[u * 3 + 2]! - points[v * 3 + 2]!;
    return dx * dx + dy * dy + dz * dz;
  };
  for (let q = 0; q < quadCount; q++) {
    const a = quads[q * 4]!;
    const b = quads[q * 4 + 1]!;
    const c = quads[q * 4 + 2]!;
    const d = quads[q * 4 + 3]!;
    const t = q * 6;
    // Triangle (x, y, z) is written as (x, z, y) when reversed.
    const t1 = reverse ? t + 2 : t + 1;
    const t2 = reverse ? t + 1 : t + 2;
    const t4 = reverse ? t + 5 : t + 4;
    const t5 = reverse ? t + 4 : t + 5;
    if (squared(a, c) <= squared(b, d)) {
      triangles[t] = a;
      triangles[t1] = b;
      triangles[t2] = c;
      triangles[t + 3] = a;
      triangles[t4] = c;
      triangles[t5] = d;
    } else {
      triangles[t] = a;
      triangles[t1] = b;
      triangles[t2] = d;
      triangles[t + 3] = b;
      triangles[t4] = c;
      triangles[t5] = d;
    }
  }
  return triangles;
}
