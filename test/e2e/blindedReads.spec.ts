import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';
import { ReadingPage } from './pageObjects/ReadingPage';
import { Database } from '../../electron/db/database';
import { demoPhi, phiFound } from '../helpers/demoPhi';

const study = {
  name: 'Blinded reads on the demo',
  coordinator: 'Dr Coordinator',
  passphrase: 'coordinator passphrase 1',
  seed: 20261123,
};
const readers = [
  { name: 'Reader One', passphrase: 'reader one passphrase', followUpScale: 0.5 },
  { name: 'Reader Two', passphrase: 'reader two passphrase', followUpScale: 0.9 },
];

/**
 * The blinded workflow end to end in the real renderer: the coordinator sets up a two-reader study
 * on the demo, each reader signs in, gets the cases in their own order, reads the demo case with
 * the caliper (the categories come from the main process as they measure) and submits; the lock
 * holds in the screen and against a direct call; nothing identifying reaches a reader's page.
 */
test('two readers read the same case blind, in their own orders, submit, and the lock holds', async ({
  app,
}, testInfo) => {
  test.setTimeout(300_000);
  const { page } = app;
  const shotOf = async (name: string) =>
    testInfo.attach(name, {
      path: await shot(page, testInfo.outputPath(`${name}.png`), { fullPage: true }),
      contentType: 'image/png',
    });

  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });

  // The coordinator: a study with the reference protocol and a fixed seed, two readers, the cases.
  const studies = new StudiesPage(page);
  await studies.open();
  await studies.createStudy(study);
  const dash = new StudyPage(page);
  await dash.waitReady();
  for (const r of readers) await dash.addReader(r.name, r.passphrase);
  await dash.addCases();
  const codes = await dash.caseCodes();
  expect(codes.length).toBeGreaterThanOrEqual(2);
  const demoCode = (await dash.caseRows
    .filter({ has: page.getByTestId('case-patient-id').getByText('DEMO-0001', { exact: true }) })
    .getAttribute('data-case-code'))!;
  await page.getByTestId('sign-out').click();

  // Everything a reader's page receives from the main process, and every screen they see.
  const received: string[] = [];
  let signedInAs: string | undefined;
  page.on('response', async (res) => {
    if (!signedInAs || !res.url().includes('/api/')) return;
    const type = res.headers()['content-type'] ?? '';
    if (type.includes('json')) received.push(await res.text().catch(() => ''));
  });
  const screens: string[] = [];
  const orders: string[][] = [];
  const reading = new ReadingPage(page);

  for (const r of readers) {
    await studies.signIn(study.name, r.name, r.passphrase);
    signedInAs = r.name;
    await expect(reading.worklist).toBeVisible();
    orders.push(await reading.worklistCodes());
    screens.push(await page.content());
    await reading.openCase(demoCode);
    await expect(page.getByTestId('read-case-code')).toHaveText(demoCode);
    await expect(page.getByTestId('read-tp-0')).toHaveText('baseline');
    await expect(page.getByTestId('read-tp-1')).toHaveText('+6 weeks');
    await expect(reading.problems).toContainText('Measure at least one target lesion');

    // Target 1: the same drag at baseline; at follow-up a shorter one (by the reader's scale).
    const len = 0.12;
    await reading.measure(1, 'longest', 0, [0.42, 0.5], [0.42 + len, 0.5]);
    await reading.measure(1, 'viable', 0, [0.42, 0.5], [0.42 + len, 0.5]);
    await reading.measure(1, 'longest', 1, [0.42, 0.5], [0.42 + len * r.followUpScale, 0.5]);
    if (r.followUpScale < 0.7) {
      await page.getByTestId('absent-1-viable-1').click(); // no arterial enhancement left
    } else {
      await reading.measure(1, 'viable', 1, [0.42, 0.5], [0.42 + len * r.followUpScale, 0.5]);
    }
    await reading.saved();
    // Undo takes the last change back, and redoing it gives the same answer.
    const before = await reading.cell(1, 'viable', 1).locator('.cell-pick').textContent();
    await page.keyboard.press('Control+z');
    await expect(reading.cell(1, 'viable', 1).locator('.cell-pick')).toHaveText('—');
    await reading.saved();
    if (r.followUpScale < 0.7) await page.getByTestId('absent-1-viable-1').click();
    else await reading.measure(1, 'viable', 1, [0.42, 0.5], [0.42 + len * r.followUpScale, 0.5]);
    await expect(reading.cell(1, 'viable', 1).locator('.cell-pick')).toHaveText(before!);

    await page.getByTestId('nontarget-0').selectOption('absent');
    await page.getByTestId('nontarget-1').selectOption('absent');
    await page.getByTestId('new-lesion-1-no').check();
    await page.getByTestId('item-enhancement-0-hyperenhancing').check();
    await page.getByTestId('item-burden-0-<25%').check();
    await reading.saved();
    await expect(reading.complete).toBeVisible();

    // Categories computed from the calipers: −50 % is PR, with no viable tumour left mRECIST CR;
    // −10 % is SD under both.
    if (r.followUpScale < 0.7) {
      await expect(reading.overall('recist', 1)).toHaveText('PR');
      await expect(reading.overall('mrecist', 1)).toHaveText('CR');
    } else {
      await expect(reading.overall('recist', 1)).toHaveText('SD');
      await expect(reading.overall('mrecist', 1)).toHaveText('SD');
    }
    screens.push(await page.content());
    await shotOf(`reading-${r.name.replace(' ', '-')}`);

    await reading.submit.click();
    await expect(reading.locked).toBeVisible();
    await expect(reading.state).toHaveText(/Submitted/);
    await expect(reading.submit).toBeDisabled();

    // The lock holds: the caliper no longer measures …
    const cellText = await reading.cell(1, 'longest', 1).locator('.cell-pick').textContent();
    await reading.cell(1, 'longest', 1).locator('.cell-pick').click();
    const box = (await reading.view.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.3, { steps: 4 });
    await page.mouse.up();
    await expect(reading.cell(1, 'longest', 1).locator('.cell-pick')).toHaveText(cellText!);
    // … and the main process refuses a direct save in this reader's own session.
    if (app.shell === 'host') {
      const request = await new Promise<{ url: string; headers: Record<string, string> }>((resolve) => {
        page.once('request', (req) => resolve({ url: req.url(), headers: req.headers() }));
        void page.getByTestId('read-back').click();
      });
      const origin = new URL(request.url).origin;
      const readId = JSON.parse(received.filter((t) => t.includes('"readId"')).at(-1)!).value.readId as number;
      const res = await page.request.post(`${origin}/api/saveReadEntry`, {
        headers: {
          'content-type': 'application/json',
          'x-concord-secret': request.headers['x-concord-secret']!,
          'x-concord-client': request.headers['x-concord-client']!,
          'x-concord-session': request.headers['x-concord-session']!,
        },
        data: { readId, timepoint: 1, item: 'target1.longest', value: { status: 'absent' } },
      });
      expect(await res.json()).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringMatching(/locked/) },
      });
    } else {
      await page.getByTestId('read-back').click();
    }
    await expect(page.getByTestId(`worklist-row-${demoCode}`)).toContainText('Submitted');
    screens.push(await page.content());
    signedInAs = undefined;
    await page.getByTestId('sign-out').click();
  }

  // Each reader had every case, in their own order.
  expect([...orders[0]!].sort()).toEqual([...codes].sort());
  expect([...orders[1]!].sort()).toEqual([...codes].sort());
  expect(orders[0]).not.toEqual(orders[1]);

  // Nothing identifying reached a reader: every payload and every screen, grepped for the demo's PHI.
  const db = await Database.open(join(app.dataDir, 'concord.sqlite'), 'readonly');
  const phi = await demoPhi(db);
  await db.close();
  expect(received.length).toBeGreaterThan(10);
  expect(phiFound(received.join('\n'), phi)).toEqual([]);
  expect(phiFound(screens.join('\n'), phi)).toEqual([]);

  // The coordinator sees both reads of the demo case submitted, and no answers.
  await studies.signIn(study.name, study.coordinator, study.passphrase);
  await dash.waitReady();
  for (const r of readers) await expect(dash.progressCell(demoCode, r.name)).toHaveAttribute('data-state', 'submitted');
  await shotOf('coordinator-progress');
});
