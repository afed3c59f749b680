import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { AppException } from '../../core/ipc/result';
import { renderReportHtml } from '../../core/report/renderReportHtml';
import {
  chromiumCandidates,
  chromiumEnvVar,
  chromiumPdfArgs,
  findChromium,
  htmlToPdfWithChromium,
} from '../../electron/platform/chromiumPdf';
import { projectRoot } from '../../electron/platform/paths';
import { fixtureIdentity, fixtureReport } from '../core/report/reportFixture';
import { makeTempDir } from '../helpers/tempDir';

let temp: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  temp = makeTempDir('concord-pdf-');
});
afterAll(() => temp.cleanup());

/** A stand-in "browser": a shell script with the given body (POSIX only). */
function fakeChromium(name: string, body: string): string {
  const path = join(temp.path, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The --print-to-pdf target a fake browser was given ($@ holds the arguments). */
const printTarget = 'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done';

/** Pages of a PDF: the /Type /Page objects (not /Pages), as Chromium writes them uncompressed. */
const pdfPageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

const expectIoError = async (p: Promise<unknown>, message: RegExp) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppException);
  expect((err as AppException).code).toBe('IO');
  expect((err as AppException).message).toMatch(message);
};

describe('findChromium', () => {
  it('takes CONCORD_CHROMIUM when it names a file, and nothing else when it does not', () => {
    expect(findChromium({ [chromiumEnvVar]: process.execPath }, 'linux')).toBe(process.execPath);
    expect(findChromium({ [chromiumEnvVar]: join(temp.path, 'no-such-browser') }, 'linux')).toBeNull();
  });

  it('looks in the usual places of each platform', () => {
    expect(chromiumCandidates({}, 'linux').slice(0, 4)).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
    ]);
    expect(chromiumCandidates({}, 'darwin')).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const windows = chromiumCandidates(
      { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\r\\AppData\\Local' },
      'win32',
    );
    expect(windows.some((p) => p.includes('Google') && p.endsWith('chrome.exe'))).toBe(true);
    expect(windows.some((p) => p.endsWith('msedge.exe'))).toBe(true);
  });

  it('passes the headless print flags, --no-sandbox only as root, and the file URL last', () => {
    const args = chromiumPdfArgs('/tmp/a b/report.html', '/tmp/out.pdf', '/tmp/profile', false);
    expect(args).toEqual(
      expect.arrayContaining([
        '--headless',
        '--disable-gpu',
        '--no-pdf-header-footer',
        '--print-to-pdf=/tmp/out.pdf',
        '--user-data-dir=/tmp/profile',
      ]),
    );
    expect(args).not.toContain('--no-sandbox');
    expect(args.at(-1)).toBe('file:///tmp/a%20b/report.html');
    expect(chromiumPdfArgs('/r.html', '/o.pdf', '/p', true)).toContain('--no-sandbox');
  });
});

describe.skipIf(process.platform === 'win32')('htmlToPdfWithChromium failures', () => {
  let html: string;
  beforeAll(() => {
    html = join(temp.path, 'tiny.html');
    writeFileSync(html, '<!DOCTYPE html><title>t</title><p>t</p>');
  });
  const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp.pdf'));

  it('says how to fix a missing Chromium', async () => {
    await expectIoError(
      htmlToPdfWithChromium(html, join(temp.path, 'a.pdf'), null),
      /Chromium was not found|CONCORD_CHROMIUM/,
    );
  });

  it('reports a failing Chromium with its exit code and leaves no file behind', async () => {
    const out = join(temp.path, 'fail.pdf');
    await expectIoError(
      htmlToPdfWithChromium(html, out, fakeChromium('fails', 'echo "boom" >&2; exit 3')),
      /exit code 3/,
    );
    expect(existsSync(out)).toBe(false);
    expect(leftovers(temp.path)).toEqual([]);
  });

  it('reports a Chromium that exits without a PDF, or writes something else', async () => {
    await expectIoError(
      htmlToPdfWithChromium(html, join(temp.path, 'none.pdf'), fakeChromium('silent', 'exit 0')),
      /without writing a PDF/,
    );
    await expectIoError(
      htmlToPdfWithChromium(
        html,
        join(temp.path, 'junk.pdf'),
        fakeChromium('junk', `${printTarget}; echo "not a pdf" > "$out"`),
      ),
      /without writing a PDF/,
    );
    expect(existsSync(join(temp.path, 'junk.pdf'))).toBe(false);
    expect(leftovers(temp.path)).toEqual([]);
  });

  it('stops a Chromium that hangs at the time limit', async () => {
    const started = Date.now();
    await expectIoError(
      htmlToPdfWithChromium(html, join(temp.path, 'hang.pdf'), fakeChromium('hangs', 'exec sleep 30'), 300),
      /did not finish/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports a missing HTML file and an executable that cannot start', async () => {
    await expectIoError(
      htmlToPdfWithChromium(join(temp.path, 'missing.html'), join(temp.path, 'm.pdf'), fakeChromium('ok', 'exit 0')),
      /does not exist/,
    );
    const notExecutable = join(temp.path, 'not-executable');
    writeFileSync(notExecutable, 'plain text');
    await expectIoError(htmlToPdfWithChromium(html, join(temp.path, 'n.pdf'), notExecutable), /could not be started/);
  });

  it('renames the finished PDF into place, replacing an older one', async () => {
    const out = join(temp.path, 'good.pdf');
    writeFileSync(out, 'old');
    await htmlToPdfWithChromium(html, out, fakeChromium('writes', `${printTarget}; printf '%%PDF-1.4 fake' > "$out"`));
    expect(readFileSync(out, 'latin1')).toBe('%PDF-1.4 fake');
    expect(leftovers(temp.path)).toEqual([]);
  });
});

/** Where the pages of the rendered fixture report are kept for people to look at. */
const previewDir = join(projectRoot, 'test-results', 'report-preview');

describe('the agreement report printed by headless Chromium', () => {
  const chromium = findChromium();
  const pdftoppm =
    ['/usr/bin/pdftoppm', '/usr/local/bin/pdftoppm', '/opt/homebrew/bin/pdftoppm'].find(existsSync) ?? null;

  const printAndLook = async (name: string, identifying: boolean, ctx: TestContext) => {
    if (chromium === null) {
      ctx.skip(
        `no Chromium found (looked at ${chromiumEnvVar} and ${chromiumCandidates().join(', ')}): install chromium or set ${chromiumEnvVar}`,
      );
    }
    const report = fixtureReport();
    const htmlPath = join(temp.path, `${name}.html`);
    const pdfPath = join(temp.path, `${name}.pdf`);
    writeFileSync(htmlPath, renderReportHtml(report, identifying ? { identity: fixtureIdentity } : {}));
    await htmlToPdfWithChromium(htmlPath, pdfPath, chromium);
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThan(0);
    // A4 is 595 × 842 pt.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]/);

    if (pdftoppm === null) {
      ctx.skip(
        'no pdftoppm (Debian: apt-get install -y poppler-utils): the PDF was checked, its pages were not rendered',
      );
    }
    const pngDir = join(temp.path, `${name}-png`);
    mkdirSync(pngDir);
    execFileSync(pdftoppm!, ['-png', '-r', '110', pdfPath, join(pngDir, 'page')]);
    const pngs = readdirSync(pngDir)
      .filter((n) => n.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]));
    expect(pngs).toHaveLength(pages);
    for (const png of pngs) expect(readFileSync(join(pngDir, png)).subarray(1, 4).toString('latin1')).toBe('PNG');

    // Kept for a person to look at: test-results/report-preview/<name>-page-<n>.png.
    mkdirSync(previewDir, { recursive: true });
    for (const old of readdirSync(previewDir).filter((n) => n.startsWith(`${name}-page-`)))
      rmSync(join(previewDir, old));
    pngs.forEach((png, i) => copyFileSync(join(pngDir, png), join(previewDir, `${name}-page-${i + 1}.png`)));
    copyFileSync(pdfPath, join(previewDir, `${name}.pdf`));
  };

  it(
    'prints report.html to an A4 PDF with pages, and pdftoppm makes PNGs of them',
    (ctx) => printAndLook('report', false, ctx),
    120_000,
  );
  it('prints the identifying copy the same way', (ctx) => printAndLook('report-identifying', true, ctx), 120_000);
});
