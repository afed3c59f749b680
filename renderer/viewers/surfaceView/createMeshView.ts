import '../vtk/profiles';
import vtkGenericRenderWindow from '@kitware/vtk.js/Rendering/Misc/GenericRenderWindow';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import type vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import type { MaskSurface } from '../../../core/imaging/maskSurface';
import { toVtkPolyData } from './toVtkPolyData';

export interface MeshStyle {
  color: [number, number, number];
  opacity: number;
}

export interface MeshView {
  /** Shows (or replaces) a named surface; the first surface shown sets the camera. */
  setSurface(name: string, surface: Pick<MaskSurface, 'points' | 'triangles' | 'normals'>, style: MeshStyle): void;
  resize(): void;
  dispose(): void;
}

/**
 * A rotatable 3D view of meshes in LPS millimetres (trackball: drag to rotate, wheel to zoom),
 * seen from the front with the head up. Every vtk object is deleted by `dispose()`.
 */
export function createMeshView(
  container: HTMLElement,
  background: [number, number, number] = [0.06, 0.07, 0.1],
): MeshView {
  const grw = vtkGenericRenderWindow.newInstance({ background, listenWindowResize: false });
  grw.setContainer(container);
  const renderer = grw.getRenderer();
  const layers = new Map<string, { actor: vtkActor; mapper: vtkMapper; polyData: vtkPolyData }>();
  let cameraSet = false;
  const render = () => grw.getRenderWindow().render();

  return {
    setSurface(name, surface, style) {
      let layer = layers.get(name);
      if (!layer) {
        const mapper = vtkMapper.newInstance({ scalarVisibility: false });
        const actor = vtkActor.newInstance();
        actor.setMapper(mapper);
        renderer.addActor(actor);
        layer = { actor, mapper, polyData: toVtkPolyData(surface) };
        layers.set(name, layer);
      } else {
        layer.polyData.delete();
        layer.polyData = toVtkPolyData(surface);
      }
      layer.mapper.setInputData(layer.polyData);
      layer.actor.getProperty().setColor(...style.color);
      layer.actor.getProperty().setOpacity(style.opacity);
      if (!cameraSet && surface.triangles.length > 0) {
        // Anterior view: camera in front of the patient (−y in LPS), superior up.
        const camera = renderer.getActiveCamera();
        camera.setPosition(0, -1, 0);
        camera.setFocalPoint(0, 0, 0);
        camera.setViewUp(0, 0, 1);
        renderer.resetCamera();
        cameraSet = true;
      }
      renderer.resetCameraClippingRange();
      render();
    },
    resize() {
      grw.resize();
      render();
    },
    dispose() {
      for (const l of layers.values()) {
        renderer.removeActor(l.actor);
        l.actor.delete();
        l.mapper.delete();
        l.polyData.delete();
      }
      layers.clear();
      grw.delete();
    },
  };
}
