import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { readerChannels, readerEventChannels, readerMethods, type ReaderEventName } from '../../core/ipc/contract';
import { failure } from '../../core/ipc/result';
import type { Services } from '../services/createServices';
import { isTrustedSender } from './validateSender';

/**
 * The Electron transport: one ipcMain.handle per contract method, all dispatched through the
 * same services the loopback host serves. No exception crosses this boundary (Electron would
 * keep only its message): dispatch returns a Result for every outcome.
 */
export function registerIpc(services: Services, appUrl: () => string): () => void {
  for (const method of readerMethods) {
    ipcMain.handle(readerChannels[method], async (event: IpcMainInvokeEvent, raw: unknown) => {
      const frame = event.senderFrame;
      if (!frame || !isTrustedSender(frame.url, frame.parent === null, appUrl())) {
        return failure('FORBIDDEN', 'Untrusted sender.');
      }
      // One connection per window: sign-ins and job events belong to it.
      return services.dispatch(method, raw, electronConnection(event.sender));
    });
  }
  return () => readerMethods.forEach((m) => ipcMain.removeHandler(readerChannels[m]));
}

/** The services' connection id of a window. */
export const electronConnection = (contents: WebContents): string => `wc-${contents.id}`;

/** Forwards the push events of one window's connection to its renderer until either side goes away. */
export function forwardEvents(services: Services, contents: WebContents): () => void {
  const connection = electronConnection(contents);
  const unsubscribers = (Object.keys(readerEventChannels) as ReaderEventName[]).map((name) =>
    services.subscribe(name, (payload) => {
      if (payload.connection === connection && !contents.isDestroyed())
        contents.send(readerEventChannels[name], payload);
    }),
  );
  const stop = () => unsubscribers.forEach((u) => u());
  contents.once('destroyed', stop);
  return stop;
}
