import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The hardened window: the renderer gets no Node, runs sandboxed and isolated, and reaches
 * the services only through the preload's contextBridge API; a packaged build has no DevTools.
 * Kept free of Electron imports (types only) so a test can check every flag.
 * @param isPackaged Electron's `app.isPackaged`
 */
export function createWindowOptions(
  preloadPath: string,
  { isPackaged }: { isPackaged: boolean },
): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'Concord',
    backgroundColor: '#10141c',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !isPackaged,
      spellcheck: false,
    },
  };
}
