// vtk.js ships no type declarations for these modules; the parts we call are declared here.
declare module '@kitware/vtk.js/Filters/General/ImageMarchingCubes' {
  import type { vtkAlgorithm, vtkObject } from '@kitware/vtk.js/interfaces';
  import type vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
  export interface vtkImageMarchingCubes extends vtkObject, vtkAlgorithm {
    setContourValue(value: number): boolean;
    getOutputData(): vtkPolyData;
  }
  const vtkImageMarchingCubes: {
    newInstance(initial?: {
      contourValue?: number;
      computeNormals?: boolean;
      mergePoints?: boolean;
    }): vtkImageMarchingCubes;
  };
  export default vtkImageMarchingCubes;
}
