import { BrowserWindow, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createWindowOptions } from './windowOptions';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererIndex = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

/** The URL the window loads: electron-vite's dev server in `npm run dev`, the built file otherwise. */
export function appUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href;
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow(createWindowOptions(preloadPath));
  const contents = win.webContents;
  // No new windows; an http(s) link opens in the system browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl()) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl());
  return win;
}
