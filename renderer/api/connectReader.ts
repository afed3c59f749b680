import type { ReaderClient } from '../../core/ipc/contract';
import { createHttpClient } from './httpClient';

const storageKey = 'concord.secret';

export type Connection =
  { ok: true; client: ReaderClient; transport: 'electron' | 'host' } | { ok: false; message: string };

/**
 * Picks the transport once, at start-up: the Electron preload's API when present, otherwise
 * the loopback host with the launch secret from the address (`#secret=…`, which the browser
 * never sends anywhere; `?secret=…` is still read). The secret goes to this tab's
 * sessionStorage, so a reload works, and out of the address bar at once; it travels only as a
 * request header to the host, never as a cookie (cookies ignore ports: every other local server
 * would receive it).
 */
export function connectReader(): Connection {
  if (window.readerApi) return { ok: true, client: window.readerApi, transport: 'electron' };
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const fromUrl = fragment.get('secret') ?? url.searchParams.get('secret');
  if (fromUrl) {
    sessionStorage.setItem(storageKey, fromUrl);
    url.searchParams.delete('secret');
    fragment.delete('secret');
    const hash = fragment.toString();
    window.history.replaceState(null, '', url.pathname + url.search + (hash ? `#${hash}` : ''));
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
