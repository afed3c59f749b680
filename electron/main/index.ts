import { app, BrowserWindow, dialog, session } from 'electron';
import { join } from 'node:path';
import { productName } from '../../core/version';
import { createServices, type Services } from '../services/createServices';
import { consoleLogger } from '../services/logger';
import { forwardEvents, registerIpc } from '../ipc/handle';
import { appUrl, createMainWindow } from './window';
import { printPdf } from './printPdf';
import { guardWebContents, hardenSession } from './hardening';
import { confirmAndOpenExternal } from './externalLink';
import { debuggingSwitches, refusedDebugSwitch } from './permissions';

/**
 * Electron lifecycle only. Everything the app does lives in the services, which the loopback
 * host serves too; this file wires them to IPC and a hardened window.
 * The data folder is Electron's userData (`<appData>/Concord`, the default of the host and
 * CLI as well) unless `--data-dir=D` or the CONCORD_DATA_DIR environment variable names another.
 */
app.setName(productName);
app.enableSandbox();
// Before anything else: every web contents the app ever creates gets the same guards.
app.on('web-contents-created', (_event, contents) =>
  guardWebContents(contents, { appUrl, isPackaged: app.isPackaged, confirmAndOpenExternal, logger: consoleLogger }),
);

function dataDirFromArgs(): string {
  const flag = process.argv.find((a) => a.startsWith('--data-dir='));
  if (flag) return flag.slice('--data-dir='.length);
  return process.env.CONCORD_DATA_DIR || join(app.getPath('appData'), productName);
}

let services: Services | undefined;

/** The native folder dialog, attached to the focused window. */
async function chooseFolder(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Choose a folder of DICOM files',
    properties: ['openDirectory'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function start(): Promise<void> {
  // Our reading of argv, and Chromium's own (which also sees switches Electron added).
  const debugSwitch =
    refusedDebugSwitch(process.argv, app.isPackaged) ??
    (app.isPackaged ? (debuggingSwitches.find((name) => app.commandLine.hasSwitch(name)) ?? null) : null);
  if (debugSwitch) {
    dialog.showErrorBox(
      `${productName} cannot start`,
      `${productName} does not start with --${debugSwitch}: an installed build allows no debugging access.`,
    );
    app.exit(2);
    return;
  }
  await app.whenReady();
  hardenSession(session.defaultSession);
  try {
    services = await createServices({
      dataDir: dataDirFromArgs(),
      shell: 'electron',
      logger: consoleLogger,
      platform: { chooseFolder, printPdf },
    });
  } catch (err) {
    dialog.showErrorBox(`${productName} cannot start`, err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  const opened = services;
  registerIpc(opened, appUrl);
  forwardEvents(opened, createMainWindow().webContents);
  app.on('activate', () => {
    forwardEvents(opened, createMainWindow().webContents);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  void services?.close();
});

void start();
