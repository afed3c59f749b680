/**
 * The desktop app's answer to every web permission the page (or anything it loads) asks for or
 * checks: no. Concord needs no camera, microphone, notifications, clipboard access through the
 * permission API, devices (HID, serial, USB, Bluetooth), screen capture, fullscreen, pointer lock
 * or external protocol launch; its UI runs without them (the browser host never grants them
 * either). Pure, so the decision is unit-tested over every permission name Electron knows.
 * @param _permission Electron's permission name (`'media'`, `'notifications'`, …, `'unknown'`)
 * @param _requestingOrigin the origin that asks, when Electron gives one
 * @returns always false
 */
export function permissionDecision(_permission: string, _requestingOrigin?: string): boolean {
  return false;
}

/**
 * Chromium switches that open a debugging channel into the app (the Chrome DevTools protocol over
 * a port or a pipe). The fuses close Node's own `--inspect` flags and NODE_OPTIONS; these are
 * Chromium's and no fuse covers them, so a packaged build refuses to start with one.
 */
export const debuggingSwitches: readonly string[] = ['remote-debugging-port', 'remote-debugging-pipe'];

/**
 * The first debugging switch of `argv` that a packaged build refuses (its name without prefix),
 * or null. Chromium reads a switch after `--` or `-` (and `/` on Windows), in any case on
 * Windows, up to a bare `--`. Unpackaged (`npm start`, `npm run dev`, the e2e tests) everything
 * is allowed.
 */
export function refusedDebugSwitch(argv: readonly string[], isPackaged: boolean): string | null {
  if (!isPackaged) return null;
  for (const arg of argv) {
    if (arg === '--') break;
    const name = arg
      .split('=', 1)[0]!
      .replace(/^(--|-|\/)/, '')
      .toLowerCase();
    if (debuggingSwitches.includes(name)) return name;
  }
  return null;
}
