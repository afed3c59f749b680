import { readFileSync } from 'node:fs';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { HomePage } from './pageObjects/HomePage';
import { pixelStats } from './support/pixels';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

test('home screen shows the app, its data folder and the schema version read through the contract', async ({
  app,
}, testInfo) => {
  const home = new HomePage(app.page);
  await expect(home.appName).toHaveText('Concord');
  await expect(home.schemaVersion).toHaveText(/^\d+$/);
  expect(Number(await home.schemaVersion.textContent())).toBeGreaterThanOrEqual(1);
  await expect(home.version).toHaveText(pkg.version);
  await expect(home.dataDir).toHaveText(app.dataDir);
  await expect(home.shell).toHaveText(app.shell === 'electron' ? 'Desktop app' : 'Browser (local host)');
  // The launch secret must not stay in the address bar.
  expect(app.page.url()).not.toContain('secret=');
  await testInfo.attach('home', {
    path: await shot(app.page, testInfo.outputPath('home.png'), { fullPage: true }),
    contentType: 'image/png',
  });
});

test('database check runs as a job and reports its result through push events', async ({ app }) => {
  const home = new HomePage(app.page);
  await expect(home.schemaVersion).toBeVisible();
  await home.checkButton.click();
  await expect(home.checkStatus).toHaveAttribute('data-state', 'succeeded');
  await expect(home.checkStatus).toHaveText(/Database OK \(schema \d+\)/);
});

test('vtk.js renders the synthetic labelmap surfaces with WebGL (non-background pixels)', async ({ app }, testInfo) => {
  const home = new HomePage(app.page);
  await expect(home.surfaceView).toHaveAttribute('data-rendered', 'true');
  await expect(home.surfaceCanvas).toHaveCount(1);
  await expect(app.page.getByTestId('surface-error')).toHaveCount(0);
  const surfacePng = await home.surfaceView.screenshot();
  await testInfo.attach('surface', { body: surfacePng, contentType: 'image/png' });
  // Background is surfaceBackground [0.063, 0.078, 0.11] × 255.
  const stats = pixelStats(surfacePng, [16, 20, 28]);
  expect(stats.foreground / stats.total, 'share of the view covered by the surfaces').toBeGreaterThan(0.05);
  expect(stats.reddish, 'lesion pixels (red) visible through the translucent organ').toBeGreaterThan(200);
});

test('a page opened without the launch secret can call nothing, and says how to open it', async ({ app }) => {
  test.skip(app.shell !== 'host', 'the desktop app has no HTTP host');
  const origin = new URL(app.page.url()).origin;
  const context = await app.page.context().browser()!.newContext();
  try {
    const stranger = await context.newPage();
    // The page itself (the built renderer, no data) needs no credential; every call does.
    const response = await stranger.goto(`${origin}/`);
    expect(response?.status()).toBe(200);
    await expect(stranger.getByTestId('connection-error')).toHaveText(/opened without its launch secret/);
    expect(
      (
        await stranger.request.post(`${origin}/api/getAppInfo`, {
          headers: { 'content-type': 'application/json' },
          data: Buffer.from(''),
        })
      ).status(),
    ).toBe(401);
  } finally {
    await context.close();
  }
});
