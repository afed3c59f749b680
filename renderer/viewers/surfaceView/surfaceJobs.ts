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
  extract(mask: Volume<Uint8Array>, options?: { smoothIterations?: number; label?: number }): Promise<Pick<MaskSurface, 'points' | 'triangles' | 'normals'>>;
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
  const waiting = new Map<number, { resolve: (s: Pick<MaskSurface, 'points' | 'triangles' | 'normals'>) => void; reject: (e: Error) => void }>();
  worker?.addEventListener('message', (e: MessageEvent<SurfaceResponse>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    if (e.data.ok) w.resolve({ points: e.data.points, triangles: e.data.triangles, normals: e.data.normals.length > 0 ? e.data.normals : undefined });
    else w.reject(new Error(e.data.message));
  });
  worker?.addEventListener('error', (e) => {
    // A worker that fails to load: answer everything still waiting on this thread instead.
    e.preventDefault();
    worker = undefined;
  });
  return {
    extract(mask, options = {}) {
      const smoothIterations = options.smoothIterations ?? 20;
      if (!worker) return Promise.resolve(extractMaskSurface(mask, { smoothIterations, ...(options.label === undefined ? {} : { label: options.label }) }));
      const id = nextId++;
      const copy: Volume<Uint8Array> = { ...mask, voxels: mask.voxels.slice() };
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: SurfaceRequest = { id, mask: copy, smoothIterations, ...(options.label === undefined ? {} : { label: options.label }) };
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
