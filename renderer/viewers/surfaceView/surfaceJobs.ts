import { extractMaskSurface, type MaskSurface } from '../../../core/imaging/maskSurface';
import type { Volume } from '../../../core/imaging/volume';

export interface SurfaceRequest {
  id: number;
  mask: Volume<Uint8Array>;
  smoothIterations: number;
  label?: number;
}

export type SurfaceResponse =
  | { id: number; ok: true; points: Float32Array; triangles: Uint32Array; normals: Float32Array }
  | { id: number; ok: false; message: string };

export interface SurfaceJobs {
  /** Extracts a mask's surface off the UI thread; the mask's voxels are copied, not taken. */
  extract(
    mask: Volume<Uint8Array>,
    options?: { smoothIterations?: number; label?: number },
  ): Promise<Pick<MaskSurface, 'points' | 'triangles' | 'normals'>>;
  dispose(): void;
}

/**
 * A worker for surface extraction, or, where a worker cannot start (some file:// contexts),
 * the same core function on this thread.
 */
export function createSurfaceJobs(): SurfaceJobs {
  let worker: Worker | undefined;
  try {
    worker = new Worker(new URL('./surfaceWorker.ts', import.meta.url), { type: 'module' });
  } catch {
    worker = undefined;
  }
  let nextId = 1;
  type Surface = Pick<MaskSurface, 'points' | 'triangles' | 'normals'>;
  const extractHere = (mask: Volume<Uint8Array>, smoothIterations: number, label: number | undefined): Surface =>
    extractMaskSurface(mask, { smoothIterations, ...(label === undefined ? {} : { label }) });
  // Each request keeps the caller's mask, so a worker that fails to load can be replaced here.
  const waiting = new Map<number, { resolve: (s: Surface) => void; reject: (e: Error) => void; redo: () => Surface }>();
  worker?.addEventListener('message', (e: MessageEvent<SurfaceResponse>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    if (e.data.ok)
      w.resolve({
        points: e.data.points,
        triangles: e.data.triangles,
        normals: e.data.normals.length > 0 ? e.data.normals : undefined,
      });
    else w.reject(new Error(e.data.message));
  });
  worker?.addEventListener('error', (e) => {
    // A worker that fails to load: answer everything still waiting on this thread instead.
    e.preventDefault();
    worker?.terminate();
    worker = undefined;
    for (const [id, w] of waiting) {
      waiting.delete(id);
      try {
        w.resolve(w.redo());
      } catch (err) {
        w.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  });
  return {
    extract(mask, options = {}) {
      const smoothIterations = options.smoothIterations ?? 20;
      if (!worker) return Promise.resolve(extractHere(mask, smoothIterations, options.label));
      const id = nextId++;
      const copy: Volume<Uint8Array> = { ...mask, voxels: mask.voxels.slice() };
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, redo: () => extractHere(mask, smoothIterations, options.label) });
        const request: SurfaceRequest = {
          id,
          mask: copy,
          smoothIterations,
          ...(options.label === undefined ? {} : { label: options.label }),
        };
        worker!.postMessage(request, [copy.voxels.buffer]);
      });
    },
    dispose() {
      worker?.terminate();
      for (const w of waiting.values()) w.reject(new Error('surface jobs disposed'));
      waiting.clear();
    },
  };
}
