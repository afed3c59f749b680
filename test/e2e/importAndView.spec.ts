import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { ImportPage } from './pageObjects/ImportPage';
import { SeriesPage } from './pageObjects/SeriesPage';
import { ViewerPage } from './pageObjects/ViewerPage';
import { pixelStats } from './support/pixels';

const shared = join(process.cwd(), '..', 'shared', 'data', 'dicom');

test('imports a messy real folder: good series listed, bad files listed with reasons', async ({ app }, testInfo) => {
  test.skip(
    app.shell !== 'host',
    'the desktop app imports through the native dialog; the path field is the browser route',
  );
  const importPage = new ImportPage(app.page);
  await importPage.open();
  await importPage.importFolder(join(shared, 'dcmqi'));
  await expect(importPage.status).toHaveAttribute('data-state', 'succeeded');
  await expect(importPage.summary).toContainText('skipped');
  await expect(importPage.skipped.getByRole('row').filter({ hasText: 'liver_seg.nrrd' })).toContainText(
    'Not a DICOM file',
  );
  await expect(importPage.skipped.getByRole('row').filter({ hasText: 'sr.dcm' })).toContainText(
    'Not an image: Comprehensive SR',
  );
  await testInfo.attach('import', {
    path: await shot(app.page, testInfo.outputPath('import.png'), { fullPage: true }),
    contentType: 'image/png',
  });
  await importPage.browse.click();
  const series = new SeriesPage(app.page);
  await expect(series.rows.first()).toBeVisible();
  await expect(series.row({ modality: 'CT', grid: '512×512×3' })).toHaveCount(1);
  await expect(series.row({ modality: 'SEG' }).first()).toBeVisible();
  await testInfo.attach('series', {
    path: await shot(app.page, testInfo.outputPath('series.png'), { fullPage: true }),
    contentType: 'image/png',
  });
});

test('reads the real GE abdominal CT in three views: image shown, presets change pixels, wheel changes the slice', async ({
  app,
}, testInfo) => {
  test.skip(app.shell !== 'host', 'the desktop app imports through the native dialog');
  const importPage = new ImportPage(app.page);
  await importPage.open();
  await importPage.importFolder(join(shared, 'dcmqi/segmentations/ct-3slice'));
  await importPage.browse.click();
  const series = new SeriesPage(app.page);
  await series.open(series.row({ modality: 'CT' }));

  const viewer = new ViewerPage(app.page);
  await expect(viewer.title).toContainText('512×512×3');
  await expect(viewer.error).toHaveCount(0);
  await viewer.settle('axial');
  await expect(viewer.sliceLabel('axial')).toHaveText('2 / 3');

  await viewer.preset('abdomen').click();
  await viewer.settle('axial');
  const abdomen = await viewer.view('axial').screenshot();
  // Background of the view is [0.05, 0.05, 0.12] × 255; a CT slice covers most of it.
  const stats = pixelStats(abdomen, [13, 13, 31]);
  expect(stats.foreground / stats.total, 'share of the view showing the image').toBeGreaterThan(0.3);

  await viewer.preset('liver').click();
  await expect(viewer.windowReadout).toHaveText('W 150 / L 30');
  await viewer.settle('axial');
  const liver = await viewer.view('axial').screenshot();
  expect(liver.equals(abdomen), 'liver window renders different pixels than abdomen window').toBe(false);
  await testInfo.attach('viewer-liver-window', {
    path: await shot(app.page, testInfo.outputPath('viewer-liver-window.png')),
    contentType: 'image/png',
  });

  await viewer.wheel('axial', 120);
  await expect(viewer.sliceLabel('axial')).toHaveText('3 / 3');
  await viewer.wheel('axial', -120);
  await viewer.wheel('axial', -120);
  await expect(viewer.sliceLabel('axial')).toHaveText('1 / 3');
  // HU under the cursor: the centre of this slice is soft tissue (between −200 and 200 HU).
  await expect(viewer.cursorReadout).toHaveText(/^-?\d+ HU · LPS/);
  const hu = Number(/^(-?\d+) HU/.exec((await viewer.cursorReadout.textContent())!)![1]);
  expect(hu).toBeGreaterThan(-200);
  expect(hu).toBeLessThan(200);
});

test('a series with a stray slice is listed as not loadable with the reason, cannot be opened, and the import history shows the run', async ({
  app,
}, testInfo) => {
  test.skip(app.shell !== 'host', 'the desktop app imports through the native dialog');
  const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { editElements } = await import('../helpers/dicomEdit');
  const { T } = await import('../../core/dicom/tags');
  const dir = mkdtempSync(join(tmpdir(), 'concord-e2e-stray-'));
  try {
    const ct3 = join(shared, 'dcmqi/segmentations/ct-3slice');
    const files = ['01.dcm', '02.dcm', '03.dcm'].map((f) => new Uint8Array(readFileSync(join(ct3, f))));
    files.forEach((b, k) => writeFileSync(join(dir, `0${k + 1}.dcm`), b));
    const uid = '2.25.20250601';
    writeFileSync(
      join(dir, 'stray.dcm'),
      editElements(files[0]!, [
        [T.SOPInstanceUID, uid],
        [T.MediaStorageSOPInstanceUID, uid],
        [T.InstanceNumber, '4'],
        [T.ImagePositionPatient, '264.800003\\-226.800003\\-125.690002'],
      ]),
    );
    const importPage = new ImportPage(app.page);
    await importPage.open();
    await importPage.importFolder(dir);
    await expect(importPage.status).toHaveAttribute('data-state', 'succeeded');
    const history = app.page.getByTestId('import-run').first();
    await expect(history).toHaveAttribute('data-state', 'succeeded');
    await expect(history).toContainText(dir);
    await testInfo.attach('import-history', {
      path: await shot(app.page, testInfo.outputPath('import-history.png'), { fullPage: true }),
      contentType: 'image/png',
    });
    await importPage.browse.click();
    const series = new SeriesPage(app.page);
    const row = app.page.locator('[data-testid="series-row"][data-loadable="false"]');
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('series-open')).toBeDisabled();
    await row.getByTestId('series-problems').locator('summary').click();
    await expect(row.getByTestId('series-problems')).toContainText('stray.dcm is 500 mm off the series axis');
    await expect(series.rows).toHaveCount(1);
    await testInfo.attach('series-not-loadable', {
      path: await shot(app.page, testInfo.outputPath('series-not-loadable.png'), { fullPage: true }),
      contentType: 'image/png',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
