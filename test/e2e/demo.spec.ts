import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { SeriesPage } from './pageObjects/SeriesPage';
import { ViewerPage } from './pageObjects/ViewerPage';
import { pixelStats } from './support/pixels';

test('opens the demo study from the home screen and reads its arterial phase with liver window', async ({
  app,
}, testInfo) => {
  test.setTimeout(180_000);
  const { page } = app;
  await expect(page.getByTestId('demo-card')).toBeVisible();
  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  // The demo cohort: four patients × two exams × (three CT phases + a liver SEG); 72 images a series.
  await expect(page.getByTestId('demo-status')).toHaveText(/32 series, 1736 images/);
  await page.getByTestId('demo-browse').click();

  const series = new SeriesPage(page);
  await expect(series.row({ modality: 'CT' })).toHaveCount(24);
  await expect(series.row({ modality: 'CT', phase: 'precontrast' })).toHaveCount(8);
  await expect(series.row({ modality: 'CT', phase: 'arterial' })).toHaveCount(8);
  await expect(series.row({ modality: 'CT', phase: 'portal_venous' })).toHaveCount(8);
  await testInfo.attach('demo-series', {
    path: await shot(page, testInfo.outputPath('demo-series.png'), { fullPage: true }),
    contentType: 'image/png',
  });

  // DEMO-0001 (DEMO^PATIENT) sorts first: its baseline arterial phase, at the standard 512² size.
  await series.open(series.row({ modality: 'CT', phase: 'arterial' }).first());
  const viewer = new ViewerPage(page);
  await expect(viewer.title).toContainText('512×512×72', { timeout: 60_000 });
  await expect(viewer.title).toContainText('Late arterial');
  await viewer.settle('axial');
  await expect(viewer.sliceLabel('axial')).toHaveText('37 / 72');
  const abdomen = await viewer.view('axial').screenshot();
  const stats = pixelStats(abdomen, [13, 13, 31]);
  expect(stats.foreground / stats.total, 'share of the view showing the image').toBeGreaterThan(0.3);

  await viewer.preset('liver').click();
  await viewer.settle('axial');
  const liver = await viewer.view('axial').screenshot();
  expect(liver.equals(abdomen), 'liver window changes the pixels').toBe(false);
  await viewer.wheel('axial', 120);
  await expect(viewer.sliceLabel('axial')).toHaveText('38 / 72');
  await viewer.wheel('coronal', -120);
  await expect(viewer.sliceLabel('coronal')).toHaveText('256 / 512');
  await testInfo.attach('demo-arterial-liver-window', {
    path: await shot(page, testInfo.outputPath('demo-arterial-liver-window.png')),
    contentType: 'image/png',
  });
});
