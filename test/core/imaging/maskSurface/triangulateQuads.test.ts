import { describe, expect, it } from 'vitest';
import { triangulateQuads } from '../../../../core/imaging/maskSurface/triangulateQuads';
import { vertexNormals } from '../../../../core/imaging/maskSurface/vertexNormals';

describe('triangulateQuads', () => {
  it('splits a square along a–c (equal diagonals) and keeps or reverses the winding', () => {
    const square = Float32Array.of(0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0);
    expect(Array.from(triangulateQuads(Uint32Array.of(0, 1, 2, 3), square, false))).toEqual([0, 1, 2, 0, 2, 3]);
    expect(Array.from(triangulateQuads(Uint32Array.of(0, 1, 2, 3), square, true))).toEqual([0, 2, 1, 0, 3, 2]);
  });
  it('splits a rhombus along its shorter diagonal b–d', () => {
    // a = (−2,0,0), b = (0,−1,0), c = (2,0,0), d = (0,1,0): |a − c| = 4 > |b − d| = 2.
    const rhombus = Float32Array.of(-2, 0, 0, 0, -1, 0, 2, 0, 0, 0, 1, 0);
    expect(Array.from(triangulateQuads(Uint32Array.of(0, 1, 2, 3), rhombus, false))).toEqual([0, 1, 3, 1, 2, 3]);
  });
  it('rejects an incomplete quad list', () => {
    expect(() => triangulateQuads(Uint32Array.of(0, 1, 2), new Float32Array(9), false)).toThrow(RangeError);
  });
});

describe('vertexNormals', () => {
  it('gives +z for a counter-clockwise triangle in the xy plane and 0 for an unused vertex', () => {
    // (1,0,0) − (0,0,0) = x̂, (0,1,0) − (0,0,0) = ŷ, x̂ × ŷ = ẑ.
    const points = Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 5, 5);
    expect(Array.from(vertexNormals(points, Uint32Array.of(0, 1, 2)))).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
  });
  it('weights by area: a big triangle outweighs a small one at a shared vertex', () => {
    // Vertex 0 is shared by a 2x2 right triangle in xy (normal +z, doubled area 4) and a 1x1 one
    // in xz wound towards −y (doubled area 1): sum (0, −1, 4) / √17.
    const points = Float32Array.of(0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0);
    const n = vertexNormals(points, Uint32Array.of(0, 1, 2, 0, 4, 3));
    expect(n[0]).toBeCloseTo(0, 6);
    expect(n[1]).toBeCloseTo(-1 / Math.sqrt(17), 6);
    expect(n[2]).toBeCloseTo(4 / Math.sqrt(17), 6);
  });
});
