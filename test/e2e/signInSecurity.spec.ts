import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';
import { SecurityPanel } from './pageObjects/SecurityPanel';
import { Database } from '../../electron/db/database';
import { saveFailureCount } from '../../electron/db/repositories/signInSecurity';

const study = { name: 'Sign-in security', coordinator: 'Dr Coordinator', passphrase: 'coordinator passphrase 1' };
const reader = { name: 'Reader One', passphrase: 'reader one passphrase' };

test('sign-in: the passphrase rule, a wait after failed sign-ins, a lockout the coordinator lifts, a session that times out', async ({
  app,
}, testInfo) => {
  test.setTimeout(300_000);
  const { page } = app;
  const shotOf = async (name: string) =>
    testInfo.attach(name, {
      path: await shot(page, testInfo.outputPath(`${name}.png`), { fullPage: true }),
      contentType: 'image/png',
    });
  const studies = new StudiesPage(page);
  const dash = new StudyPage(page);
  const security = new SecurityPanel(page);

  // New passphrases need 12 characters (code points).
  await studies.open();
  await studies.fillNewStudy({ ...study, passphrase: 'eleven char' });
  await expect(page.getByTestId('new-study-short')).toHaveText('1 more character(s) needed.');
  await expect(studies.missing).toContainText('a passphrase of at least 12 characters');
  await expect(studies.submit).toBeDisabled();
  await shotOf('new-study-passphrase-rule');
  await studies.createStudy(study);
  await expect(dash.name).toHaveText(study.name);
  await dash.addReader(reader.name, reader.passphrase);
  await expect(security.panel).toBeVisible();
  await expect(security.noFailures).toBeVisible();
  await expect(security.idle).toHaveValue('30');
  await expect(security.absolute).toHaveValue('720');
  await expect(security.lockout).toHaveValue('15');

  // The reader mistypes. The first three are checked at once; after that each try must wait
  // (1 s, then doubling), so tries made faster than that are refused unchecked. How many tries
  // reach the wait depends on how long each takes here (a verification is most of a second).
  await page.getByTestId('sign-out').click();
  await studies.screen.waitFor();
  const card = studies.card(study.name);
  let tries = 0;
  for (; tries < 9; tries++) {
    await studies.signIn(study.name, reader.name, `not my passphrase ${tries}`);
    await expect(card.getByTestId('signin-passphrase')).toHaveValue('');
    const text = await studies.signInError(study.name).textContent();
    if (tries < 3) expect(text).toBe('Signing in failed. Access refused. Wrong name or passphrase.');
    if (text?.includes('Too many')) break;
  }
  expect(tries).toBeGreaterThanOrEqual(3);
  await expect(studies.signInError(study.name)).toHaveText(
    /^Signing in failed\. Too many failed sign-ins: wait \d+ s before trying again\.$/,
  );
  await shotOf('signin-wait');

  // Ten failures lock the account: written to the database as the host counts them, rather than
  // waiting out 1 + 2 + … + 64 s of delays here (the counting itself: test/electron/signIn.test).
  // This computer's own count is cleared, so only the account's lock speaks.
  const db = await Database.open(join(app.dataDir, 'concord.sqlite'), 'readwrite');
  try {
    const { id } = (await db.get<{ id: number }>('SELECT id FROM study_users WHERE display_name = ?', [reader.name]))!;
    await saveFailureCount(
      db,
      { scope: 'account', userId: id },
      { failures: 10, lastFailureMs: Date.now(), lockedUntilMs: Date.now() + 15 * 60_000 },
    );
    await db.run('DELETE FROM source_sign_in_failures');
  } finally {
    await db.close();
  }
  await studies.signIn(study.name, reader.name, reader.passphrase);
  await expect(studies.signInError(study.name)).toHaveText(
    'Signing in failed. This account is locked after 10 failed sign-ins. The study coordinator can unlock it; otherwise try again in 15 min.',
  );
  await shotOf('signin-locked');

  // The coordinator sees it and unlocks the account.
  await studies.signIn(study.name, study.coordinator, study.passphrase);
  await expect(dash.name).toHaveText(study.name);
  const row = security.row(reader.name);
  await expect(row.getByTestId('security-failures')).toHaveText('10');
  await expect(row.getByTestId('security-state')).toHaveText(/^Locked until \d{4}-\d\d-\d\d \d\d:\d\d$/);
  await row.scrollIntoViewIfNeeded();
  await shotOf('security-locked');
  await row.getByTestId('security-unlock').click();
  await expect(security.noFailures).toBeVisible();

  // Shorter sessions for this study: an impossible pair is explained, then 1 min idle is saved.
  await security.idle.fill('90');
  await security.absolute.fill('60');
  await expect(security.problem).toHaveText('The idle timeout cannot be longer than the absolute timeout.');
  await expect(security.save).toBeDisabled();
  await security.idle.fill('1');
  await security.save.click();
  await expect(security.saved).toBeVisible();
  await shotOf('security-settings');

  // A minute without activity ends the session: the next action says so and shows the sign-in.
  await page.waitForTimeout(61_000);
  await security.refresh.click();
  await expect(page.getByTestId('session-ended')).toHaveText(
    'Your session ended after 1 minute without activity: sign in again.',
  );
  await expect(page.getByTestId('signed-in')).toBeHidden();
  await shotOf('session-ended');

  // The unlocked reader signs in with the right passphrase.
  await studies.signIn(study.name, reader.name, reader.passphrase);
  await expect(page.getByTestId('signed-in')).toContainText(reader.name);
  await expect(page.getByTestId('session-ended')).toBeHidden();
});
