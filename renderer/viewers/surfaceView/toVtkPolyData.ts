import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import type { MaskSurface } from '../../../core/imaging/maskSurface';

/**
 * The converter from a core mask surface (`extractMaskSurface`: LPS millimetres, outward
 * counter-clockwise triangles, optional unit normals) to a vtkPolyData for a vtkMapper. Points
 * and normals are shared, not copied (do not modify the surface afterwards); triangles are
 * repacked into vtk's cell layout [3, a, b, c, 3, …]. The caller owns the returned object and
 * must `delete()` it. With normals the mapper shades smoothly without a vtkPolyDataNormals pass.
 * @throws RangeError when the arrays are not whole xyz triples / index triples, or the normals
 *   do not match the points
 */
export function toVtkPolyData(surface: Pick<MaskSurface, 'points' | 'triangles' | 'normals'>): vtkPolyData {
  const { points, triangles, normals } = surface;
  if (points.length % 3 !== 0 || triangles.length % 3 !== 0) {
    throw new RangeError(`expected xyz points and index triples, got ${points.length} and ${triangles.length} values`);
  }
  if (normals !== undefined && normals.length !== points.length) {
    throw new RangeError(`expected one normal per point, got ${normals.length / 3} for ${points.length / 3}`);
  }
  const triangleCount = triangles.length / 3;
  const cells = new Uint32Array(triangleCount * 4);
  for (let t = 0; t < triangleCount; t++) {
    cells[t * 4] = 3;
    cells[t * 4 + 1] = triangles[t * 3]!;
    cells[t * 4 + 2] = triangles[t * 3 + 1]!;
    cells[t * 4 + 3] = triangles[t * 3 + 2]!;
  }
  const polyData = vtkPolyData.newInstance();
  polyData.getPoints().setData(points, 3);
  polyData.getPolys().setData(cells);
  if (normals !== undefined) {
    polyData
      .getPointData()
      .setNormals(vtkDataArray.newInstance({ numberOfComponents: 3, values: normals, name: 'Normals' }));
  }
  return polyData;
}
