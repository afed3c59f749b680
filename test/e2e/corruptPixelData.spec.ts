import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { ImportPage } from './pageObjects/ImportPage';
import { SeriesPage } from './pageObjects/SeriesPage';
import { ViewerPage } from './pageObjects/ViewerPage';

// Issue 12 item 5 as the user meets it: a series whose JPEG lossless slice is corrupt (a fixture
// dcmtk reports "premature end of data segment" for) is refused in the viewer with the file and
// the frame named, not shown with guessed pixels and not as an unexpected error.
const fixture = 'mr-jpeg-sv1--flip-16.dcm';

test('opening a series with a corrupt JPEG lossless frame names the file and the frame', async ({ app }, testInfo) => {
  test.skip(
    app.shell !== 'host',
    'the desktop app imports through the native dialog; the path field is the browser route',
  );
  const folder = testInfo.outputPath('corrupt-series');
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(process.cwd(), 'test', 'fixtures', 'dicom', 'corrupt', fixture), join(folder, fixture));

  const importPage = new ImportPage(app.page);
  await importPage.open();
  await importPage.importFolder(folder);
  await expect(importPage.status).toHaveAttribute('data-state', 'succeeded');
  await importPage.browse.click();
  const series = new SeriesPage(app.page);
  await series.open(series.row({ modality: 'MR' }));

  const viewer = new ViewerPage(app.page);
  await expect(viewer.error).toContainText(`file ${fixture}: Frame 1 of 1 (JPEG Lossless SV1`);
  await expect(viewer.error).toContainText('the entropy-coded data of scan 1 ends before the last sample');
  await expect(viewer.error).not.toContainText('Internal error');
  await testInfo.attach('viewer-corrupt-frame', {
    path: await shot(app.page, testInfo.outputPath('viewer-corrupt-frame.png')),
    contentType: 'image/png',
  });
});
