import { statSync } from 'node:fs';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { HomePage } from './pageObjects/HomePage';

test.use({ worldReadableDataFolder: true });

/**
 * Issue 13 item 9: a data folder other users can read (0755, as older versions left it) is
 * tightened to the owner at start-up, and Home says so on its data-folder line.
 */
test('Home says the world-readable data folder was made owner-only', async ({ app }, testInfo) => {
  test.skip(process.platform === 'win32', 'POSIX permissions only');
  const home = new HomePage(app.page);
  await expect(home.dataDir).toContainText(app.dataDir);
  await expect(home.dataDirNotice).toContainText(
    'Other users of this computer could read the data folder; its permissions were tightened to the owner only',
  );
  await expect(home.dataDirNotice).toContainText(`data folder ${app.dataDir} was 0755, now 0700`);
  expect((statSync(app.dataDir).mode & 0o777).toString(8)).toBe('700');
  await testInfo.attach('home-data-folder-tightened', {
    path: await shot(app.page, testInfo.outputPath('home-data-folder-tightened.png'), { fullPage: true }),
    contentType: 'image/png',
  });
});
