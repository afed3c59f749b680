import { loopbackHosts } from '../ipc/validateSender';

/**
 * Where the window's page comes from: the bundled `out/renderer/index.html`, or, during
 * `npm run dev` only, electron-vite's dev server named by ELECTRON_RENDERER_URL.
 * The IPC sender check trusts exactly this origin, so a packaged build never takes it from the
 * environment (anyone who can set an environment variable would otherwise point the trusted
 * window at their own page), and even an unpackaged one accepts only a loopback http(s) server.
 * Pure: no Electron import, so the decision is unit-tested.
 */
export type RendererSource =
  | { from: 'devServer'; url: string }
  /** `ignored` says why ELECTRON_RENDERER_URL was not used, when it was set. */
  | { from: 'bundle'; ignored?: string };

/**
 * @param isPackaged Electron's `app.isPackaged` (true inside an installed app.asar)
 * @param env the process environment (only ELECTRON_RENDERER_URL is read)
 */
export function rendererUrlFor(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): RendererSource {
  const requested = env.ELECTRON_RENDERER_URL;
  if (requested === undefined || requested === '') return { from: 'bundle' };
  if (isPackaged) return { from: 'bundle', ignored: 'ELECTRON_RENDERER_URL is ignored in a packaged build.' };
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return { from: 'bundle', ignored: `ELECTRON_RENDERER_URL is not a URL: ${JSON.stringify(requested)}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { from: 'bundle', ignored: `ELECTRON_RENDERER_URL must be an http(s) URL, not ${url.protocol}.` };
  }
  if (!loopbackHosts.has(url.hostname) || url.username !== '' || url.password !== '') {
    return {
      from: 'bundle',
      ignored: `ELECTRON_RENDERER_URL must name a dev server on this machine (localhost, 127.0.0.1 or [::1]), not ${url.host}.`,
    };
  }
  return { from: 'devServer', url: url.href };
}
