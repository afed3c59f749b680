import type { ReaderClient } from '../../core/ipc/contract';
import { createHttpClient } from './httpClient';

const storageKey = 'concord.secret';

export type Connection =
  | { ok: true; client: ReaderClient; transport: 'electron' | 'host' }
  | { ok: false; message: string };

/**
 * Picks the transport once, at start-up: the Electron preload's API when present, otherwise
 * the loopback host with the launch secret from the URL (kept in sessionStorage so a reload
 * works, and removed from the address bar so it is not copied around).
 */
export function connectReader(): Connection {
  if (window.readerApi) return { ok: true, client: window.readerApi, transport: 'electron' };
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('secret');
  if (fromUrl) {
    sessionStorage.setItem(storageKey, fromUrl);
    url.searchParams.delete('secret');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const secret = fromUrl ?? sessionStorage.getItem(storageKey);
  if (!secret) {
    return {
      ok: false,
      message: 'This page was opened without its launch secret. Open the address that "npm run serve" printed.',
    };
  }
  return { ok: true, client: createHttpClient(secret), transport: 'host' };
}
