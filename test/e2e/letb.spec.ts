import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { SeriesPage } from './pageObjects/SeriesPage';
import { LetbPage } from './pageObjects/LetbPage';
import { pixelStats } from './support/pixels';

test('places three ROIs on the demo arterial phase and reads LETB with the liver outlined', async ({
  app,
}, testInfo) => {
  test.setTimeout(180_000);
  const { page } = app;
  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  await page.getByTestId('demo-browse').click();
  const series = new SeriesPage(page);
  // The pre-treatment study's arterial phase.
  await series.row({ modality: 'CT', phase: 'arterial' }).first().getByTestId('series-letb').click();

  const letb = new LetbPage(page);
  await expect(page.getByTestId('letb-precontrast')).toHaveText('ABD NATIVE 2.5mm');
  await letb.open.click();
  await expect(letb.view('axial').locator('canvas')).toBeVisible({ timeout: 60_000 });
  // Demo ground truth: liver 2030.40 cm³ on the standard grid (core/demo).
  await expect(letb.liverMl).toHaveText('2030.4 cm³');

  // Three points in tumour-free parenchyma of the right lobe on the middle axial slice.
  for (const [fx, fy] of [
    [0.37, 0.5],
    [0.4, 0.45],
    [0.33, 0.47],
  ] as const) {
    const before = await letb.placements.count();
    await letb.placeRoi('axial', fx, fy);
    await expect(letb.placements).toHaveCount(before + 1);
  }
  // All three circles are on the axial slice they were placed on.
  await expect(letb.view('axial').getByTestId('roi-circle')).toHaveCount(3);
  const letbValues = (await page.getByTestId('letb-row-letb').allTextContents()).map((t) => Number.parseFloat(t));
  const means = (await page.getByTestId('letb-row-mean').allTextContents()).map((t) => Number.parseFloat(t));
  // Parenchyma ROIs: mean of S near 15 HU (the demo's noise model), so thresholds near 43 HU
  // and LETB near the truth (10.9 %).
  for (const m of means) {
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThan(35);
  }
  const shownMean = Number(/([\d.]+) %/.exec((await letb.mean.textContent())!)![1]);
  expect(shownMean).toBeCloseTo(letbValues.reduce((a, b) => a + b, 0) / 3, 1);
  expect(shownMean).toBeGreaterThan(5);
  expect(shownMean).toBeLessThan(20);
  // The 3D view: liver surface built in the worker, then the enhancing tumour; pixels drawn.
  await expect(page.getByTestId('mesh-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.waitForTimeout(1500); // the enhancing surface follows the last placement after a short debounce
  const mesh = pixelStats(await page.getByTestId('letb-3d').screenshot(), [15, 18, 26]);
  expect(mesh.foreground / mesh.total, 'share of the 3D view covered by surfaces').toBeGreaterThan(0.05);
  await testInfo.attach('letb-three-rois', {
    path: await shot(page, testInfo.outputPath('letb-three-rois.png')),
    contentType: 'image/png',
  });

  await page.getByTestId('letb-show-subtraction').click();
  await testInfo.attach('letb-subtraction', {
    path: await shot(page, testInfo.outputPath('letb-subtraction.png')),
    contentType: 'image/png',
  });

  // The post-treatment timepoint: three ROIs there give the change from baseline.
  await page.getByRole('button', { name: '← Series' }).click();
  await series.row({ modality: 'CT', phase: 'arterial' }).nth(1).getByTestId('series-letb').click();
  await expect(page.getByTestId('letb-precontrast')).toHaveText('PRE');
  await letb.open.click();
  await expect(letb.view('axial').locator('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('letb-change')).toContainText('place ROIs here to compare');
  for (const [fx, fy] of [
    [0.37, 0.5],
    [0.4, 0.45],
    [0.33, 0.47],
  ] as const) {
    const before = await letb.placements.count();
    await letb.placeRoi('axial', fx, fy);
    await expect(letb.placements).toHaveCount(before + 1);
  }
  await expect(page.getByTestId('letb-change-percent')).toHaveText(/^[+-]\d+\.\d %$/);
  await expect(page.getByTestId('letb-icc')).toContainText('ICC(1,1)');
  await testInfo.attach('letb-post-change', {
    path: await shot(page, testInfo.outputPath('letb-post-change.png')),
    contentType: 'image/png',
  });
});
