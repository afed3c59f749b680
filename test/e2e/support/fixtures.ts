import { test as base, chromium, _electron, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromiumArgs, chromiumPath } from './chromium';
import { findElectronBinary } from './electronBinary';

const root = process.cwd();

export interface AppUnderTest {
  page: Page;
  dataDir: string;
  shell: 'host' | 'electron';
  /** Uncaught page errors and console errors; the fixture fails the test if there are any. */
  pageErrors: string[];
  /** The host's address with its launch secret (host shell only): for a second browser context. */
  url?: string;
}

let electronSkipAnnounced = false;

export const test = base.extend<{ app: AppUnderTest; worldReadableDataFolder: boolean }>({
  /** Start on a data folder other users can read (0755), as an older Concord left it. */
  worldReadableDataFolder: [false, { option: true }],
  app: async ({ worldReadableDataFolder }, use, testInfo) => {
    const shell = testInfo.project.metadata.shell as 'host' | 'electron';
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
    if (worldReadableDataFolder) chmodSync(dataDir, 0o755);
    const pageErrors: string[] = [];
    const watch = (page: Page) => {
      page.on('console', (m) => {
        if (m.type() === 'timeEnd') return; // vtk.js times its filters; not worth a log line
        console.log(`[${shell} console.${m.type()}] ${m.text()}`);
        if (m.type() === 'error') pageErrors.push(`console.error: ${m.text()}`);
      });
      page.on('pageerror', (e) => {
        console.log(`[${shell} pageerror] ${e.message}`);
        pageErrors.push(e.message);
      });
    };
    try {
      if (shell === 'electron') {
        const executablePath = findElectronBinary(root);
        if (!executablePath) {
          if (!electronSkipAnnounced)
            console.log(
              'skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH, or run a plain npm install where downloads work)',
            );
          electronSkipAnnounced = true;
          testInfo.skip(true, 'skipped: no Electron binary');
          return;
        }
        const app = await _electron.launch({
          executablePath,
          args: [join(root, 'out/main/index.js'), `--data-dir=${dataDir}`],
        });
        const page = await app.firstWindow();
        watch(page);
        await use({ page, dataDir, shell, pageErrors });
        await app.close();
      } else {
        const host = await startHostProcess(dataDir);
        const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        watch(page);
        await page.goto(host.url);
        await use({ page, dataDir, shell, pageErrors, url: host.url });
        await browser.close();
        await host.stop();
      }
      if (pageErrors.length > 0) throw new Error(`Uncaught errors in the page: ${pageErrors.join(' | ')}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

/** Starts the host exactly as `npm run serve` does after its build, and reads the URL it prints. */
async function startHostProcess(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'electron/host/main.ts'), '--data-dir', dataDir, '--json'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => resolve(l));
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`host did not print its URL within 20 s: ${stderr}`)), 20_000);
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export { expect } from '@playwright/test';
