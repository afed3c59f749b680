import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import type { Volume } from '../../../core/imaging/volume';

/**
 * The only converter from core volumes to vtk.js. The caller owns the returned object and
 * must `delete()` it. Voxels are shared, not copied.
 */
export function toVtkImageData(v: Volume): vtkImageData {
  const image = vtkImageData.newInstance();
  image.setDimensions(v.dims);
  image.setSpacing(v.spacingMm);
  image.setOrigin(v.originMm);
  image.setDirection(v.direction);
  image
    .getPointData()
    .setScalars(vtkDataArray.newInstance({ numberOfComponents: 1, values: v.voxels, name: 'voxels' }));
  return image;
}
