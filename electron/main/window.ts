import { app, BrowserWindow } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { consoleLogger } from '../services/logger';
import { rendererUrlFor } from './rendererUrl';
import { createWindowOptions } from './windowOptions';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererIndex = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

let decidedAppUrl: string | undefined;

/**
 * The URL the window loads and the only page the IPC sender check trusts: the built file, or
 * electron-vite's dev server in `npm run dev` (never in a packaged build; see rendererUrlFor).
 * Decided once, at the first call.
 */
export function appUrl(): string {
  if (decidedAppUrl === undefined) {
    const source = rendererUrlFor(app.isPackaged, process.env);
    if (source.from === 'bundle' && source.ignored) consoleLogger.info(source.ignored);
    decidedAppUrl = source.from === 'devServer' ? source.url : pathToFileURL(rendererIndex).href;
  }
  return decidedAppUrl;
}

/** The main window. Its web contents get the guards of every web contents (hardening.ts). */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow(createWindowOptions(preloadPath, { isPackaged: app.isPackaged }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl());
  return win;
}
