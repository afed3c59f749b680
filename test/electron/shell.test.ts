import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWindowOptions } from '../../electron/main/windowOptions';
import { isTrustedSender } from '../../electron/ipc/validateSender';
import { rendererCsp } from '../../electron/platform/csp';
import { defaultDataDir } from '../../electron/platform/dataDir';
import { projectRoot } from '../../electron/platform/paths';

// The Electron binary cannot run on our build machines; these tests pin down every decision
// of the thin shell that can be checked without it.

describe('BrowserWindow hardening', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    const prefs = createWindowOptions('/app/out/preload/index.cjs').webPreferences!;
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

  it('denies new windows, blocks navigation and webviews in window.ts', () => {
    const source = readFileSync(join(projectRoot, 'electron/main/window.ts'), 'utf8');
    expect(source).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/);
    expect(source).toMatch(/'will-navigate'[\s\S]*?preventDefault\(\)/);
    expect(source).toMatch(/'will-attach-webview'[\s\S]*?preventDefault\(\)/);
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
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\r\\AppData\\Roaming' }, 'win32')).toMatch(/AppData[\\/]Roaming[\\/]Concord$/);
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
