/// <reference types="vite/client" />
import type { ReaderClient } from '../core/ipc/contract';

declare global {
  interface Window {
    /** Present when the Electron preload exposed the contract; absent in the browser host. */
    readerApi?: ReaderClient;
  }
}
