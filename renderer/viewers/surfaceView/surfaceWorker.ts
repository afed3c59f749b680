import { extractMaskSurface } from '../../../core/imaging/maskSurface';
import type { SurfaceRequest, SurfaceResponse } from './surfaceJobs';

// Surface extraction off the UI thread: the mask arrives as a transferred copy, the mesh
// goes back the same way.
self.onmessage = (event: MessageEvent<SurfaceRequest>) => {
  const { id, mask, smoothIterations, label } = event.data;
  try {
    const s = extractMaskSurface(mask, { smoothIterations, ...(label === undefined ? {} : { label }) });
    const reply: SurfaceResponse = {
      id,
      ok: true,
      points: s.points,
      triangles: s.triangles,
      normals: s.normals ?? new Float32Array(0),
    };
    (self as unknown as Worker).postMessage(reply, [
      s.points.buffer,
      s.triangles.buffer,
      ...(s.normals ? [s.normals.buffer] : []),
    ]);
  } catch (err) {
    const reply: SurfaceResponse = { id, ok: false, message: err instanceof Error ? err.message : String(err) };
    (self as unknown as Worker).postMessage(reply);
  }
};
