import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppException } from '../../core/ipc/result';

/** Environment variable naming the Chromium (or Chrome / Edge) executable to print with. */
export const chromiumEnvVar = 'CONCORD_CHROMIUM';

/** How long one conversion may take before Chromium is killed. */
export const chromiumPdfTimeoutMs = 60_000;

/** Where Chromium-family browsers install themselves, in the order they are tried. */
export function chromiumCandidates(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (r): r is string => typeof r === 'string' && r !== '',
    );
    return [
      ...roots.map((r) => join(r, 'Chromium', 'Application', 'chrome.exe')),
      ...roots.map((r) => join(r, 'Google', 'Chrome', 'Application', 'chrome.exe')),
      // Edge is Chromium and is on every Windows 10/11 machine.
      ...roots.map((r) => join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe')),
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ];
}

/**
 * The Chromium executable to print PDFs with: `CONCORD_CHROMIUM` when it names an existing file
 * (when it is set but wrong nothing else is tried, so a typo is not hidden by another browser),
 * else the first of `chromiumCandidates` that exists.
 * @returns the path, or null when there is none
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const chosen = env[chromiumEnvVar];
  if (chosen !== undefined && chosen !== '') return isFile(chosen) ? chosen : null;
  return chromiumCandidates(env, platform).find(isFile) ?? null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // Missing or unreadable: not a candidate, which is what the caller asks.
  }
}

/** The arguments of one headless print (the page URL last, as Chromium expects). */
export function chromiumPdfArgs(htmlPath: string, pdfPath: string, userDataDir: string, asRoot: boolean): string[] {
  return [
    '--headless',
    '--disable-gpu',
    ...(asRoot ? ['--no-sandbox'] : []),
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-dev-shm-usage',
    '--no-pdf-header-footer',
    `--user-data-dir=${userDataDir}`,
    `--print-to-pdf=${pdfPath}`,
    pathToFileURL(htmlPath).href,
  ];
}

function startsWithPdfMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(5);
    return readSync(fd, head, 0, 5, 0) === 5 && head.toString('latin1') === '%PDF-';
  } finally {
    closeSync(fd);
  }
}

/**
 * Prints an HTML file to PDF with headless Chromium (`--print-to-pdf`, page size and margins from
 * the document's `@page` CSS, no browser header or footer), for the browser host and the CLI (the
 * desktop app uses Electron's own printToPDF). Runs with a fresh temporary profile that is removed
 * afterwards, `--no-sandbox` only when running as root (Chromium refuses to start otherwise),
 * and a 60 s time limit. The PDF is written under a temporary name beside `pdfPath` and renamed
 * when complete, so `pdfPath` is never a partial file.
 * @param htmlPath the HTML file to print
 * @param pdfPath where the PDF goes (replaced if it exists)
 * @param chromium the executable; default `findChromium()`
 * @throws AppException 'IO' when no Chromium is found, the HTML file is missing, Chromium fails,
 *   exits without writing a PDF, or runs past the time limit
 */
export async function htmlToPdfWithChromium(
  htmlPath: string,
  pdfPath: string,
  chromium: string | null = findChromium(),
  timeoutMs = chromiumPdfTimeoutMs,
): Promise<void> {
  if (chromium === null) {
    const env = process.env[chromiumEnvVar];
    throw new AppException(
      'IO',
      env
        ? `${chromiumEnvVar} names ${env}, which is not a file: set it to the Chromium or Chrome executable to print the report as PDF.`
        : `Chromium was not found: install Chromium (or Chrome), or set ${chromiumEnvVar} to its executable, to print the report as PDF.`,
    );
  }
  if (!existsSync(htmlPath)) throw new AppException('IO', `The report ${htmlPath} to print does not exist.`);
  const profile = mkdtempSync(join(tmpdir(), 'concord-chromium-'));
  const partial = join(dirname(pdfPath), `.${basename(pdfPath)}.${process.pid}.${Date.now()}.tmp.pdf`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  try {
    const { code, signal, stderr, timedOut, spawnError } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stderr: string;
      timedOut: boolean;
      spawnError: Error | null;
    }>((resolve) => {
      let stderr = '';
      let timedOut = false;
      const child = spawn(chromium, chromiumPdfArgs(htmlPath, partial, profile, asRoot), {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        // Only the tail is kept: Chromium can be chatty, and the last lines say why it failed.
        stderr = (stderr + chunk).slice(-4000);
      });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, stderr, timedOut, spawnError: err });
      });
      child.on('close', (exitCode, exitSignal) => {
        clearTimeout(timer);
        resolve({ code: exitCode, signal: exitSignal, stderr, timedOut, spawnError: null });
      });
    });
    const cause = new Error(stderr.trim() || 'no output from Chromium');
    if (spawnError)
      throw new AppException(
        'IO',
        `Chromium (${chromium}) could not be started to print the report (${(spawnError as NodeJS.ErrnoException).code ?? spawnError.message}).`,
        { cause: spawnError },
      );
    if (timedOut)
      throw new AppException(
        'IO',
        `Chromium did not finish printing the report within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
        { cause },
      );
    if (code !== 0)
      throw new AppException(
        'IO',
        `Chromium failed to print the report (${signal ? `signal ${signal}` : `exit code ${code}`}).`,
        { cause },
      );
    if (!existsSync(partial) || !startsWithPdfMagic(partial))
      throw new AppException('IO', 'Chromium exited without writing a PDF of the report.', { cause });
    renameSync(partial, pdfPath);
  } finally {
    rmSync(partial, { force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
