import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { readerChannels, readerEventChannels, type JobProgress, type ReaderMethod } from '../../core/ipc/contract';

/**
 * contextBridge only. Bundled to one CommonJS file (out/preload/index.cjs): a sandboxed
 * preload can `require('electron')` and nothing else, and cannot be an ES module.
 */
const api: Record<string, unknown> = {};
for (const method of Object.keys(readerChannels) as ReaderMethod[]) {
  api[method] = (req: unknown) => ipcRenderer.invoke(readerChannels[method], req);
}
api.onJobProgress = (listener: (event: JobProgress) => void) => {
  const wrapped = (_event: IpcRendererEvent, payload: JobProgress) => listener(payload);
  ipcRenderer.on(readerEventChannels.jobProgress, wrapped);
  return () => ipcRenderer.removeListener(readerEventChannels.jobProgress, wrapped);
};

contextBridge.exposeInMainWorld('readerApi', api);
