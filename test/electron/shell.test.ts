import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { createWindowOptions } from '../../electron/main/windowOptions';
import { rendererUrlFor } from '../../electron/main/rendererUrl';
import {
  externalLinkPrompt,
  externalUrlAllowlist,
  isAllowedExternalUrl,
  openExternalButton,
} from '../../electron/main/externalUrls';
import { permissionDecision, refusedDebugSwitch } from '../../electron/main/permissions';
import { guardWebContents, hardenSession } from '../../electron/main/hardening';
import { isTrustedSender } from '../../electron/ipc/validateSender';
import { rendererCsp } from '../../electron/platform/csp';
import { defaultDataDir } from '../../electron/platform/dataDir';
import { projectRoot } from '../../electron/platform/paths';
import { readSources } from '../architecture/importRules';

// The Electron binary cannot run on our build machines; these tests pin down every decision
// of the thin shell that can be checked without it. The guards are driven through stand-ins
// for Electron's session and web contents that record what the shell registers.

const source = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

/** Every permission name Electron's own type declarations list for setPermissionCheckHandler. */
function electronPermissionNames(): string[] {
  const dts = readFileSync(join(projectRoot, 'node_modules/electron/electron.d.ts'), 'utf8');
  const signature = /setPermissionCheckHandler\(handler: \(\(webContents: [^,]+, permission: ([^,]+),/.exec(dts)?.[1];
  return [...(signature ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe('BrowserWindow hardening', () => {
  it.each([false, true])('isolates and sandboxes the renderer with no Node access (packaged: %s)', (isPackaged) => {
    const prefs = createWindowOptions('/app/out/preload/index.cjs', { isPackaged }).webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has DevTools only when not packaged', () => {
    expect(createWindowOptions('/p', { isPackaged: true }).webPreferences!.devTools).toBe(false);
    expect(createWindowOptions('/p', { isPackaged: false }).webPreferences!.devTools).toBe(true);
  });
});

/** A stand-in web contents: an event emitter that records the window-open handler and DevTools closes. */
function standInContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = Object.assign(emitter, {
    closedDevTools: 0,
    setWindowOpenHandler(handler: typeof openHandler) {
      openHandler = handler;
    },
    closeDevTools() {
      contents.closedDevTools += 1;
    },
  });
  const navigate = (name: string, url?: string) => {
    const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
    emitter.emit(name, event, url);
    return event.defaultPrevented;
  };
  return { contents, navigate, open: (url: string) => openHandler!({ url }) };
}

function guarded(isPackaged: boolean) {
  const app = 'file:///opt/Concord/resources/app.asar/out/renderer/index.html';
  const offered: string[] = [];
  const logged: string[] = [];
  const stand = standInContents();
  guardWebContents(stand.contents as unknown as WebContents, {
    appUrl: () => app,
    isPackaged,
    confirmAndOpenExternal: async (_contents, url) => void offered.push(url),
    logger: { info: (m) => logged.push(m), error: (m) => logged.push(m) },
  });
  return { ...stand, app, offered, logged };
}

describe('guards of every web contents (hardening.ts)', () => {
  it('denies every new window; only an allowlisted https page is offered, for confirmation', async () => {
    const g = guarded(true);
    expect(g.open('https://recist.eortc.org/recist-1-1-2/')).toEqual({ action: 'deny' });
    expect(g.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(g.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(g.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(g.offered).toEqual(['https://recist.eortc.org/recist-1-1-2/']);
    expect(g.logged).toHaveLength(3);
  });

  it('blocks navigation away from the app page and offers only allowlisted pages', () => {
    const g = guarded(true);
    expect(g.navigate('will-navigate', g.app)).toBe(false);
    expect(g.navigate('will-navigate', 'file:///tmp/evil.html')).toBe(true);
    expect(g.navigate('will-navigate', 'http://127.0.0.1:5173/')).toBe(true);
    expect(g.navigate('will-navigate', 'https://opensource.org/license/mit')).toBe(true);
    expect(g.offered).toEqual(['https://opensource.org/license/mit']);
  });

  it('refuses webviews', () => {
    expect(guarded(false).navigate('will-attach-webview')).toBe(true);
  });

  it('closes DevTools as soon as they open in a packaged build only', () => {
    const packaged = guarded(true);
    packaged.contents.emit('devtools-opened');
    expect(packaged.contents.closedDevTools).toBe(1);
    const dev = guarded(false);
    dev.contents.emit('devtools-opened');
    expect(dev.contents.closedDevTools).toBe(0);
  });

  it('logs, and does not throw, when opening fails', async () => {
    const stand = standInContents();
    const logged: string[] = [];
    guardWebContents(stand.contents as unknown as WebContents, {
      appUrl: () => 'file:///a/index.html',
      isPackaged: true,
      confirmAndOpenExternal: () => Promise.reject(new Error('no browser')),
      logger: { info: (m) => logged.push(m), error: (m) => logged.push(m) },
    });
    stand.open('https://opensource.org/license/mit');
    await new Promise((r) => setTimeout(r, 0));
    expect(logged).toEqual(['could not open https://opensource.org/license/mit']);
  });

  it('is what the app registers for every web contents, before the first window', () => {
    const index = source('electron/main/index.ts');
    const registered = index.indexOf("app.on('web-contents-created'");
    expect(registered).toBeGreaterThan(-1);
    expect(index.slice(registered)).toMatch(/^app\.on\('web-contents-created',[^;]*guardWebContents\(contents/);
    expect(registered).toBeLessThan(index.indexOf('void start()'));
    expect(index.indexOf('hardenSession(session.defaultSession)')).toBeGreaterThan(-1);
    expect(index.indexOf('hardenSession(session.defaultSession)')).toBeLessThan(index.indexOf('createMainWindow()'));
  });

  it('shell.openExternal is called in one place, after the confirmation, and nothing else sets window or navigation handlers', () => {
    const files = readSources(projectRoot, ['electron', 'core', 'renderer']);
    const callers = files.filter((f) => /\.openExternal\(/.test(f.source)).map((f) => f.path);
    expect(callers).toEqual(['electron/main/externalLink.ts']);
    expect(source('electron/main/externalLink.ts')).toMatch(
      /showMessageBox[\s\S]*if \(response === openExternalButton\) await shell\.openExternal\(url\)/,
    );
    const handlers = files.filter((f) => /setWindowOpenHandler\(|'will-navigate'/.test(f.source)).map((f) => f.path);
    expect(handlers).toEqual(['electron/main/hardening.ts']);
  });
});

describe('external links', () => {
  it.each([
    ['https://opensource.org/license/mit', true],
    ['https://opensource.org/license/mit/', true],
    ['https://OpenSource.org/license/mit', true],
    ['https://recist.eortc.org/', true],
    ['https://recist.eortc.org', true],
    ['https://recist.eortc.org/recist-1-1-2/?x=1#y', true],
    ['https://opensource.org/license/mitigated', false], // not on a path-segment boundary
    ['https://opensource.org/license/apache-2-0', false],
    ['https://opensource.org/license/mit/../../evil', false], // dot segments resolve to /evil
    ['https://opensource.org/license/mit/%2e%2e/%2e%2e/x', false],
    ['http://opensource.org/license/mit', false], // not https
    ['https://opensource.org:8443/license/mit', false],
    ['https://user:pw@opensource.org/license/mit', false],
    ['https://recist.eortc.org.evil.example/', false],
    ['https://evil.example/https://recist.eortc.org/', false],
    ['https://xn--recist-eortc-org.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['smb://host/share', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('allowlists only https URLs', () => {
    for (const entry of externalUrlAllowlist) expect(new URL(entry).protocol).toBe('https:');
  });

  it('asks before opening, naming the URL, with Cancel as the default and the escape answer', () => {
    const prompt = externalLinkPrompt('https://recist.eortc.org/');
    expect(prompt.detail).toContain('https://recist.eortc.org/');
    expect(prompt.buttons![openExternalButton]).toBe('Open in browser');
    expect(prompt.defaultId).not.toBe(openExternalButton);
    expect(prompt.cancelId).not.toBe(openExternalButton);
  });
});

describe('renderer URL (ELECTRON_RENDERER_URL)', () => {
  it.each([
    [false, {}, { from: 'bundle' }],
    [false, { ELECTRON_RENDERER_URL: '' }, { from: 'bundle' }],
    [false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' }, { from: 'devServer', url: 'http://localhost:5173/' }],
    [false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, { from: 'devServer', url: 'http://127.0.0.1:5173/' }],
    [false, { ELECTRON_RENDERER_URL: 'https://[::1]:5173/' }, { from: 'devServer', url: 'https://[::1]:5173/' }],
  ])('unpackaged %#: %j → %j', (isPackaged, env, expected) => {
    expect(rendererUrlFor(isPackaged, env)).toEqual(expected);
  });

  it.each([
    [true, 'http://localhost:5173/', /ignored in a packaged build/],
    [true, 'https://evil.example/', /ignored in a packaged build/],
    [false, 'https://evil.example/', /on this machine .* not evil\.example/],
    [false, 'http://localhost.evil.example:5173/', /on this machine/],
    [false, 'http://user@localhost:5173/', /on this machine/],
    [false, 'file:///tmp/evil.html', /http\(s\) URL, not file:/],
    [false, 'localhost:5173', /http\(s\) URL, not localhost:/],
    [false, '::', /not a URL/],
  ])('packaged %s, %s: the bundle, and why', (isPackaged, url, reason) => {
    const source = rendererUrlFor(isPackaged, { ELECTRON_RENDERER_URL: url });
    expect(source.from).toBe('bundle');
    expect(source.from === 'bundle' && source.ignored).toMatch(reason);
  });

  it('the sender check trusts a dev server only through rendererUrlFor (window.ts appUrl)', () => {
    const window = source('electron/main/window.ts');
    expect(window).toContain('rendererUrlFor(app.isPackaged, process.env)');
    expect(window.match(/ELECTRON_RENDERER_URL/g) ?? []).toHaveLength(0);
    expect(source('electron/main/index.ts')).toMatch(/registerIpc\(opened, appUrl\)/);
  });
});

describe('permissions', () => {
  const names = electronPermissionNames();

  it('reads the permission names from electron.d.ts', () => {
    expect(names).toEqual(
      expect.arrayContaining(['media', 'notifications', 'openExternal', 'clipboard-read', 'geolocation', 'unknown']),
    );
    expect(names.length).toBeGreaterThan(30);
  });

  it('denies every one of them, for any origin', () => {
    for (const name of names) {
      expect(permissionDecision(name, 'file://')).toBe(false);
      expect(permissionDecision(name)).toBe(false);
    }
  });

  it('hardenSession answers every check, request, device and screen-capture request with no', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const record = (name: string) => (handler: (...args: unknown[]) => unknown) => void (handlers[name] = handler);
    hardenSession({
      setPermissionCheckHandler: record('check'),
      setPermissionRequestHandler: record('request'),
      setDevicePermissionHandler: record('device'),
      setDisplayMediaRequestHandler: record('displayMedia'),
    } as unknown as Session);
    expect(Object.keys(handlers).sort()).toEqual(['check', 'device', 'displayMedia', 'request']);
    for (const name of names) {
      expect(handlers.check!(null, name, 'file://', {})).toBe(false);
      const answers: boolean[] = [];
      handlers.request!(null, name, (granted: boolean) => answers.push(granted), { requestingUrl: 'file:///x' });
      expect(answers).toEqual([false]);
    }
    for (const deviceType of ['hid', 'serial', 'usb'])
      expect(handlers.device!({ deviceType, origin: 'file://' })).toBe(false);
    const streams: unknown[] = [];
    handlers.displayMedia!({}, (s: unknown) => streams.push(s));
    expect(streams).toEqual([null]);
  });
});

describe('debugging switches', () => {
  it.each([
    [['/opt/Concord/concord', '--remote-debugging-port=9222'], true, 'remote-debugging-port'],
    [['/opt/Concord/concord', '--remote-debugging-pipe'], true, 'remote-debugging-pipe'],
    [['C:\\Concord.exe', '/Remote-Debugging-Port=9222'], true, 'remote-debugging-port'],
    [['/opt/Concord/concord', '-remote-debugging-port=9222'], true, 'remote-debugging-port'],
    [['/opt/Concord/concord', '--data-dir=/d'], true, null],
    [['/opt/Concord/concord', '--', '--remote-debugging-port=9222'], true, null],
    [['electron', 'out/main/index.js', '--remote-debugging-port=9222'], false, null],
  ])('%j packaged %s → %s', (argv, isPackaged, expected) => {
    expect(refusedDebugSwitch(argv, isPackaged)).toBe(expected);
  });

  it('a packaged build checks them before the app is ready', () => {
    const index = source('electron/main/index.ts');
    expect(index.indexOf('refusedDebugSwitch(process.argv, app.isPackaged)')).toBeGreaterThan(-1);
    expect(index.indexOf('refusedDebugSwitch(process.argv, app.isPackaged)')).toBeLessThan(
      index.indexOf('await app.whenReady()'),
    );
  });
});

describe('isTrustedSender', () => {
  const file = 'file:///opt/Concord/resources/app.asar/out/renderer/index.html';
  it.each([
    [file, true, file, true],
    [`${file}#/reading`, true, file, true],
    [file, false, file, false], // a sub-frame
    ['file:///tmp/evil.html', true, file, false],
    ['https://evil.example/', true, file, false],
    [undefined, true, file, false],
    ['http://localhost:5173/', true, 'http://localhost:5173/', true],
    ['http://localhost:5174/', true, 'http://localhost:5173/', false],
    ['https://evil.example/', true, 'https://evil.example/', false], // an app URL off this machine is never trusted
    ['http://192.168.1.5:5173/', true, 'http://192.168.1.5:5173/', false],
    ['data:text/html,x', true, 'data:text/html,x', false],
    ['not a url', true, file, false],
  ])('%s (top=%s) for app %s → %s', (frameUrl, isTop, appUrl, expected) => {
    expect(isTrustedSender(frameUrl, isTop, appUrl)).toBe(expected);
  });
});

describe('renderer CSP', () => {
  it('index.html carries exactly the policy the host sends, without unsafe sources', () => {
    const html = readFileSync(join(projectRoot, 'renderer/index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(rendererCsp);
    expect(rendererCsp).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('default data folder', () => {
  it('is Electron userData for the app name Concord on each platform', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toBe('/x/cfg/Concord');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\r\\AppData\\Roaming' }, 'win32')).toMatch(
      /AppData[\\/]Roaming[\\/]Concord$/,
    );
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Concord$/);
    expect(defaultDataDir({}, 'linux')).toMatch(/\.config\/Concord$/);
    expect(defaultDataDir({ CONCORD_DATA_DIR: '/studies/nelm', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/studies/nelm');
  });
});

describe('built preload (npm run build)', () => {
  const preload = join(projectRoot, 'out/preload/index.cjs');
  const main = join(projectRoot, 'out/main/index.js');

  it('exists: run "npm run build" before this suite (npm test does)', () => {
    expect(existsSync(preload), `${preload} is missing`).toBe(true);
    expect(existsSync(main), `${main} is missing`).toBe(true);
  });

  it('is one CommonJS file that requires only electron, as a sandboxed preload must be', () => {
    const code = readFileSync(preload, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const required = new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld("readerApi"');
  });

  it('is the file the main process points the window at', () => {
    expect(readFileSync(main, 'utf8')).toContain('"../preload/index.cjs"');
  });
});
