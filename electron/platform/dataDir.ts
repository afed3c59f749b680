import { homedir } from 'node:os';
import { join } from 'node:path';
import { productName } from '../../core/version';

/**
 * The per-user folder that holds the reader database: Electron's `userData` for this app
 * (`<appData>/Concord`), computed the same way without Electron so that the browser host and
 * the CLI default to the very folder the desktop app uses.
 * appData: %APPDATA% on Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or
 * ~/.config elsewhere (Electron's `app.getPath('appData')`). CONCORD_DATA_DIR, when set, wins
 * (in all three: desktop app, host and CLI).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CONCORD_DATA_DIR) return env.CONCORD_DATA_DIR;
  return join(appDataDir(env, platform), productName);
}

export function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
}
