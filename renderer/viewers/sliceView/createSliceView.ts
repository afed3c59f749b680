import '../vtk/profiles';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import vtkImageMapper from '@kitware/vtk.js/Rendering/Core/ImageMapper';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import type vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction';
import {
  axisAlongDirection,
  axisDirection,
  ijkToLps,
  lpsToIjk,
  voxelAt,
  type Vec3,
} from '../../../core/imaging/coordinates';
import type { Volume } from '../../../core/imaging/volume';
import { add, cross, dot, scale, sub } from '../../../core/imaging/vec3';

export type ViewOrientation = 'axial' | 'coronal' | 'sagittal';

/**
 * Radiological display conventions in LPS: the camera's direction of projection and view-up.
 * Axial is seen from the feet (patient's left on screen right, anterior up), coronal from the
 * front, sagittal from the patient's left (anterior on screen left).
 */
const conventions: Record<ViewOrientation, { dop: Vec3; up: Vec3 }> = {
  axial: { dop: [0, 0, 1], up: [0, -1, 0] },
  coronal: { dop: [0, 1, 0], up: [0, 0, 1] },
  sagittal: { dop: [-1, 0, 0], up: [0, 0, 1] },
};

export interface CursorInfo {
  orientation: ViewOrientation;
  lps: Vec3;
  ijk: [number, number, number];
  /** Voxel value (HU for CT) at the nearest voxel, undefined outside the volume. */
  value: number | undefined;
}

export interface SliceViewEvents {
  onCursor(info: CursorInfo | undefined): void;
  onSlice(orientation: ViewOrientation, index: number, count: number): void;
  /** Left-drag window/level; the owner applies it to every view. */
  onWindowDrag(deltaWidth: number, deltaLevel: number): void;
  /**
   * A tool may claim the left button (e.g. the ROI tool): return true and the drag goes to
   * `onToolDrag`/`onToolUp` with LPS points on the current slice instead of window/level.
   */
  onToolDown?(lps: Vec3): boolean;
  onToolDrag?(lps: Vec3): void;
  onToolUp?(lps: Vec3): void;
  /** Camera or slice changed: overlays drawn outside vtk.js (SVG) re-project. */
  onViewChange?(orientation: ViewOrientation): void;
}

export interface LabelLayerStyle {
  color: [number, number, number];
  opacity: number;
  /** Draw only the outline of the label (liver contour) instead of filling it. */
  outline?: boolean;
}

export interface LabelLayer {
  /** Call after changing the image's voxels in place. */
  modified(): void;
  setVisible(visible: boolean): void;
  dispose(): void;
}

export interface SliceView {
  readonly orientation: ViewOrientation;
  readonly sliceCount: number;
  setWindow(widthHu: number, levelHu: number): void;
  setSlice(index: number): void;
  getSlice(): number;
  /** Shows another image (same grid) as the base layer, e.g. the subtraction. */
  setBaseImage(image: vtkImageData): void;
  /** A label image (1 = inside) drawn over the base image on the same slice. */
  addLabelLayer(image: vtkImageData, style: LabelLayerStyle): LabelLayer;
  /** Screen position (CSS px in the view) of an LPS point, and its distance from the slice plane (mm). */
  project(lps: Vec3): { x: number; y: number; distanceMm: number };
  /** Millimetres per CSS pixel at the current zoom. */
  mmPerPixel(): number;
  resize(): void;
  dispose(): void;
}

/**
 * One 2D slice view of a volume. Mouse: wheel scrolls slices, left drag sets window/level,
 * shift+left or middle drag pans, right drag or ctrl+wheel zooms. Every vtk object created
 * here is deleted by `dispose()`; the shared image belongs to the caller.
 */
export function createSliceView(
  container: HTMLElement,
  volume: Volume,
  image: vtkImageData,
  orientation: ViewOrientation,
  events: SliceViewEvents,
): SliceView {
  const { dop, up } = conventions[orientation];
  const axis = axisAlongDirection(volume.direction, dop);
  const sliceCount = volume.dims[axis];

  const renderWindow = vtkRenderWindow.newInstance();
  const renderer = vtkRenderer.newInstance({ background: [0.05, 0.05, 0.12] });
  renderWindow.addRenderer(renderer);
  const glWindow = vtkOpenGLRenderWindow.newInstance();
  renderWindow.addView(glWindow);
  glWindow.setContainer(container);
  const mapper = vtkImageMapper.newInstance();
  mapper.setInputData(image);
  mapper.setSlicingMode(axis);
  const actor = vtkImageSlice.newInstance();
  actor.setMapper(mapper);
  renderer.addActor(actor);

  let slice = Math.floor(sliceCount / 2);
  mapper.setSlice(slice);
  const layers = new Set<{
    mapper: vtkImageMapper;
    actor: vtkImageSlice;
    ctf: vtkColorTransferFunction;
    pwf: vtkPiecewiseFunction;
  }>();

  const camera = renderer.getActiveCamera();
  camera.setParallelProjection(true);
  const centre = ijkToLps(volume, [(volume.dims[0] - 1) / 2, (volume.dims[1] - 1) / 2, (volume.dims[2] - 1) / 2]);
  const extentMm = Math.max(...volume.dims.map((d, c) => d * volume.spacingMm[c]!));
  camera.setFocalPoint(...centre);
  camera.setPosition(...sub(centre, scale(dop, extentMm * 2)));
  camera.setViewUp(...up);
  const fitScale = () => {
    // Fit the two in-plane extents to the view, keeping the aspect ratio.
    const { width, height } = container.getBoundingClientRect();
    const right = cross(dop, up);
    let halfW = 0;
    let halfH = 0;
    for (let c = 0 as 0 | 1 | 2; c < 3; c = (c + 1) as 0 | 1 | 2) {
      const a = axisDirection(volume.direction, c);
      const len = volume.dims[c] * volume.spacingMm[c]!;
      halfW += (Math.abs(dot(a, right)) * len) / 2;
      halfH += (Math.abs(dot(a, up)) * len) / 2;
    }
    const aspect = width > 0 && height > 0 ? width / height : 1;
    camera.setParallelScale(Math.max(halfH, halfW / aspect) * 1.02);
  };

  let frame = 0;
  const requestRender = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      renderer.resetCameraClippingRange();
      renderWindow.render();
      events.onViewChange?.(orientation);
    });
  };

  const resize = () => {
    const { width, height } = container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    glWindow.setSize(Math.max(1, Math.floor(width * dpr)), Math.max(1, Math.floor(height * dpr)));
    requestRender();
  };

  /** The camera's screen frame: size in CSS px, axes in LPS and millimetres per pixel. */
  const viewFrame = () => {
    const { width, height } = container.getBoundingClientRect();
    const viewUp = camera.getViewUp() as Vec3;
    const d = camera.getDirectionOfProjection() as Vec3;
    return {
      width,
      height,
      focal: camera.getFocalPoint() as Vec3,
      viewUp,
      d,
      right: cross(d, viewUp),
      mmPerPixel: (2 * camera.getParallelScale()) / height,
    };
  };

  /** A point on the current slice plane (LPS). */
  const slicePlanePoint = (): Vec3 => {
    const planeIjk: [number, number, number] = [0, 0, 0];
    planeIjk[axis] = slice;
    return ijkToLps(volume, planeIjk);
  };

  /** LPS point under a mouse position, on the current slice plane. */
  const pointAt = (x: number, y: number): Vec3 => {
    const f = viewFrame();
    const onScreen = add(
      add(f.focal, scale(f.right, (x - f.width / 2) * f.mmPerPixel)),
      scale(f.viewUp, (f.height / 2 - y) * f.mmPerPixel),
    );
    return add(onScreen, scale(f.d, dot(sub(slicePlanePoint(), onScreen), f.d)));
  };

  const setSlice = (index: number) => {
    slice = Math.min(sliceCount - 1, Math.max(0, Math.round(index)));
    mapper.setSlice(slice);
    for (const l of layers) l.mapper.setSlice(slice);
    events.onSlice(orientation, slice, sliceCount);
    requestRender();
  };

  // Mouse handling ---------------------------------------------------------------------------
  let drag: { mode: 'window' | 'pan' | 'zoom'; x: number; y: number } | undefined;
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    if (e.ctrlKey) {
      camera.setParallelScale(camera.getParallelScale() * (e.deltaY > 0 ? 1.1 : 1 / 1.1));
      requestRender();
      return;
    }
    setSlice(slice + (e.deltaY > 0 ? 1 : -1));
  };
  let toolDrag = false;
  const lpsOfEvent = (e: PointerEvent) => {
    const rect = container.getBoundingClientRect();
    return pointAt(e.clientX - rect.left, e.clientY - rect.top);
  };
  const onDown = (e: PointerEvent) => {
    container.setPointerCapture(e.pointerId);
    if (e.button === 0 && !e.shiftKey && events.onToolDown?.(lpsOfEvent(e))) {
      toolDrag = true;
      return;
    }
    const mode = e.button === 1 || (e.button === 0 && e.shiftKey) ? 'pan' : e.button === 2 ? 'zoom' : 'window';
    drag = { mode, x: e.clientX, y: e.clientY };
  };
  const onMove = (e: PointerEvent) => {
    const lps = lpsOfEvent(e);
    const ijk = lpsToIjk(volume, lps).map((v) => Math.round(v)) as [number, number, number];
    events.onCursor({ orientation, lps, ijk, value: voxelAt(volume, ijk) });
    if (toolDrag) {
      events.onToolDrag?.(lps);
      return;
    }
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (drag.mode === 'window') {
      events.onWindowDrag(dx * 2, -dy * 2);
    } else if (drag.mode === 'pan') {
      const f = viewFrame();
      const shift = add(scale(f.right, -dx * f.mmPerPixel), scale(f.viewUp, dy * f.mmPerPixel));
      camera.setFocalPoint(...add(camera.getFocalPoint() as Vec3, shift));
      camera.setPosition(...add(camera.getPosition() as Vec3, shift));
      requestRender();
    } else {
      camera.setParallelScale(camera.getParallelScale() * Math.exp(dy / 200));
      requestRender();
    }
  };
  const onUp = (e: PointerEvent) => {
    if (toolDrag) {
      toolDrag = false;
      events.onToolUp?.(lpsOfEvent(e));
    }
    drag = undefined;
    if (container.hasPointerCapture(e.pointerId)) container.releasePointerCapture(e.pointerId);
  };
  const onLeave = () => events.onCursor(undefined);
  const onContextMenu = (e: Event) => e.preventDefault();
  container.addEventListener('wheel', onWheel, { passive: false });
  container.addEventListener('pointerdown', onDown);
  container.addEventListener('pointermove', onMove);
  container.addEventListener('pointerup', onUp);
  container.addEventListener('pointerleave', onLeave);
  container.addEventListener('contextmenu', onContextMenu);

  resize();
  fitScale();
  events.onSlice(orientation, slice, sliceCount);

  return {
    orientation,
    sliceCount,
    setWindow(widthHu, levelHu) {
      actor.getProperty().setColorWindow(Math.max(1, widthHu));
      actor.getProperty().setColorLevel(levelHu);
      requestRender();
    },
    setSlice,
    getSlice: () => slice,
    setBaseImage(next) {
      mapper.setInputData(next);
      requestRender();
    },
    addLabelLayer(layerImage, style) {
      const layerMapper = vtkImageMapper.newInstance();
      layerMapper.setInputData(layerImage);
      layerMapper.setSlicingMode(axis);
      layerMapper.setSlice(slice);
      const layerActor = vtkImageSlice.newInstance();
      layerActor.setMapper(layerMapper);
      const ctf = vtkColorTransferFunction.newInstance();
      ctf.addRGBPoint(0, 0, 0, 0);
      ctf.addRGBPoint(1, ...style.color);
      const pwf = vtkPiecewiseFunction.newInstance();
      pwf.addPoint(0, 0);
      // With an outline, vtk.js paints the border at labelOutlineOpacity and the interior at
      // the piecewise opacity: keep the interior clear.
      pwf.addPoint(1, style.outline ? 0 : style.opacity);
      const prop = layerActor.getProperty();
      prop.setRGBTransferFunction(0, ctf);
      prop.setPiecewiseFunction(0, pwf);
      // Map labels through the functions' own 0..1 range, not the default window/level.
      prop.setUseLookupTableScalarRange(true);
      prop.setInterpolationTypeToNearest();
      if (style.outline) {
        prop.setUseLabelOutline(true);
        prop.setLabelOutlineThickness(2);
        prop.setLabelOutlineOpacity(style.opacity);
      }
      // Each layer a little nearer the camera than the one before (same plane would z-fight,
      // and a nearer transparent fragment drawn first would hide what is behind it).
      const towardCamera = scale(dop, -0.05 * (layers.size + 1) * Math.min(...volume.spacingMm));
      layerActor.setPosition(...towardCamera);
      renderer.addActor(layerActor);
      const entry = { mapper: layerMapper, actor: layerActor, ctf, pwf };
      layers.add(entry);
      requestRender();
      return {
        modified() {
          layerImage.modified();
          requestRender();
        },
        setVisible(visible) {
          layerActor.setVisibility(visible);
          requestRender();
        },
        dispose() {
          layers.delete(entry);
          renderer.removeActor(layerActor);
          layerActor.delete();
          layerMapper.delete();
          ctf.delete();
          pwf.delete();
          requestRender();
        },
      };
    },
    project(lps) {
      const f = viewFrame();
      const rel = sub(lps, f.focal);
      const distanceMm = Math.abs(dot(sub(lps, slicePlanePoint()), f.d));
      return {
        x: f.width / 2 + dot(rel, f.right) / f.mmPerPixel,
        y: f.height / 2 - dot(rel, f.viewUp) / f.mmPerPixel,
        distanceMm,
      };
    },
    mmPerPixel: () => viewFrame().mmPerPixel,
    resize() {
      resize();
      fitScale();
    },
    dispose() {
      if (frame) cancelAnimationFrame(frame);
      container.removeEventListener('wheel', onWheel);
      container.removeEventListener('pointerdown', onDown);
      container.removeEventListener('pointermove', onMove);
      container.removeEventListener('pointerup', onUp);
      container.removeEventListener('pointerleave', onLeave);
      container.removeEventListener('contextmenu', onContextMenu);
      for (const l of [...layers]) {
        renderer.removeActor(l.actor);
        l.actor.delete();
        l.mapper.delete();
        l.ctf.delete();
        l.pwf.delete();
      }
      layers.clear();
      renderer.removeActor(actor);
      actor.delete();
      mapper.delete();
      renderWindow.removeRenderer(renderer);
      renderer.delete();
      glWindow.setContainer(null as unknown as HTMLElement);
      glWindow.delete();
      renderWindow.delete();
    },
  };
}
