import '../vtk/profiles';
import vtkGenericRenderWindow from '@kitware/vtk.js/Rendering/Misc/GenericRenderWindow';
import vtkImageMarchingCubes from '@kitware/vtk.js/Filters/General/ImageMarchingCubes';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import type { Volume } from '../../../core/imaging/volume';
import { toVtkImageData } from '../vtk/toVtkImageData';

export interface SurfaceLayer {
  /** Voxels ≥ this label value are inside the surface (marching cubes at label − 0.5). */
  minLabel: number;
  color: [number, number, number];
  opacity: number;
}

export interface SurfaceView {
  resize(): void;
  dispose(): void;
}

export const surfaceBackground: [number, number, number] = [0.063, 0.078, 0.11];

/**
 * A rotatable 3D view of labelmap surfaces. Every vtk object created here is deleted by
 * `dispose()`, in reverse order of creation.
 */
export function createSurfaceView(
  container: HTMLElement,
  labelmap: Volume,
  layers: readonly SurfaceLayer[],
): SurfaceView {
  const owned: { delete(): void }[] = [];
  const own = <T extends { delete(): void }>(obj: T): T => {
    owned.push(obj);
    return obj;
  };

  const grw = own(vtkGenericRenderWindow.newInstance({ background: surfaceBackground, listenWindowResize: false }));
  grw.setContainer(container);
  const renderer = grw.getRenderer();
  const image = own(toVtkImageData(labelmap));

  for (const layer of layers) {
    const contour = own(
      vtkImageMarchingCubes.newInstance({
        contourValue: layer.minLabel - 0.5,
        computeNormals: true,
        mergePoints: true,
      }),
    );
    contour.setInputData(image);
    const mapper = own(vtkMapper.newInstance({ scalarVisibility: false }));
    mapper.setInputConnection(contour.getOutputPort());
    const actor = own(vtkActor.newInstance());
    actor.setMapper(mapper);
    actor.getProperty().setColor(...layer.color);
    actor.getProperty().setOpacity(layer.opacity);
    renderer.addActor(actor);
  }
  renderer.resetCamera();
  const camera = renderer.getActiveCamera();
  camera.azimuth(30);
  camera.elevation(20);
  renderer.resetCameraClippingRange();
  grw.resize();
  grw.getRenderWindow().render();

  return {
    resize() {
      grw.resize();
      grw.getRenderWindow().render();
    },
    dispose() {
      for (const obj of owned.reverse()) obj.delete();
      owned.length = 0;
    },
  };
}
