import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where an Electron binary is, without triggering the electron package's download-on-require:
 * ELECTRON_OVERRIDE_DIST_PATH (a folder holding the binary), or what `npm install` put in
 * node_modules/electron/dist. Undefined when there is none (as on our build machines).
 */
export function findElectronBinary(root: string): string | undefined {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const name = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : process.platform === 'win32'
      ? 'electron.exe'
      : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, name) : join(pkg, 'dist', name);
  return existsSync(candidate) ? candidate : undefined;
}
