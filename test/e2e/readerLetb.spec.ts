import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';
import { ReadingPage } from './pageObjects/ReadingPage';
import type { DemoCohortGroundTruth } from '../../core/demo/demoCohortGroundTruth';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import { Database } from '../../electron/db/database';
import { demoPhi, phiFound } from '../helpers/demoPhi';

const study = {
  name: 'LETB reads on the demo',
  coordinator: 'Dr Coordinator',
  passphrase: 'coordinator passphrase 1',
  seed: 11,
};
const reader = { name: 'Reader One', passphrase: 'reader one passphrase' };

/**
 * A reader measures LETB inside their blinded read, in the real renderer: the coordinator ticks
 * LETB in the protocol; the reader opens the demo case, places the three ROIs of the baseline on
 * the subtraction image at the ground truth's tumour-free parenchyma (each measured by the main
 * process as it is dragged and when released), sees the timepoint's LETB as their mean, undoes and
 * redoes a placement, and marks the follow-up not evaluable; nothing identifying reaches the page.
 */
test('a reader places the three LETB ROIs of a timepoint in a blinded read', async ({ app }, testInfo) => {
  test.setTimeout(300_000);
  const { page } = app;
  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });

  const studies = new StudiesPage(page);
  await studies.open();
  await studies.createStudy({ ...study, letb: true });
  const dash = new StudyPage(page);
  await dash.waitReady();
  await expect(page.getByTestId('protocol-summary-letb')).toContainText('three ROIs');
  await dash.addReader(reader.name, reader.passphrase);
  await dash.addCases();
  // Every timepoint of the demo has its phases and a SEG: the case table says readers can measure LETB.
  await expect(page.locator('[data-testid="case-letb"][data-ready="true"]')).toHaveCount(8);
  await expect(page.getByTestId('case-letb').first()).toContainText("LETB: the exam's DICOM SEG");
  const demoCode = (await dash.caseRows
    .filter({ has: page.getByTestId('case-patient-id').getByText('DEMO-0001', { exact: true }) })
    .getAttribute('data-case-code'))!;
  await page.getByTestId('sign-out').click();

  const received: string[] = [];
  page.on('response', async (res) => {
    if (!res.url().includes('/api/')) return;
    if ((res.headers()['content-type'] ?? '').includes('json')) received.push(await res.text().catch(() => ''));
  });
  await studies.signIn(study.name, reader.name, reader.passphrase);
  const reading = new ReadingPage(page);
  await reading.openCase(demoCode);

  const root = join(app.dataDir, 'demo-study');
  const cohort = JSON.parse(readFileSync(join(root, 'cohort-ground-truth.json'), 'utf8')) as DemoCohortGroundTruth;
  const truth = JSON.parse(
    readFileSync(join(root, cohort.patients.find((p) => p.patientId === 'DEMO-0001')!.groundTruth), 'utf8'),
  ) as DemoGroundTruth;
  const baseline = truth.timepoints[0]!;

  // ROI 1 of the baseline: the LETB tool replaces the caliper image.
  await reading.letbCell(1, 0).locator('.cell-pick').click();
  await expect(page.getByTestId('caliper-target')).toContainText('LETB: ROI 1');
  await expect(reading.letbView.locator('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('read-letb-facts')).toContainText(
    `Liver ${baseline.liverMl.toFixed(1)} cm³ (the exam's DICOM SEG)`,
  );

  const values: number[] = [];
  for (const [k, centre] of baseline.roiCentresLpsMm.entries()) {
    await expect(page.getByTestId('caliper-target')).toContainText(`ROI ${k + 1}`);
    await reading.placeLetbRoiAt(centre, baseline.grid.spacingMm[2]);
    await expect(reading.letbCell(k + 1, 0).locator('.cell-pick')).toHaveText(/^\d+\.\d\d %$/);
    await reading.saved();
    values.push(
      Number.parseFloat(
        (await reading
          .letbCell(k + 1, 0)
          .locator('.cell-pick')
          .textContent())!,
      ),
    );
  }
  // Placed in tumour-free liver (no warning), the three ROIs drawn on their slice, LETB the mean.
  await reading.letbCell(3, 0).locator('.cell-pick').click();
  await expect(page.getByTestId('read-letb-readout')).toContainText(
    /ROI 3: mean -?\d+\.\d ± \d+\.\d HU · T \d+\.\d HU · LETB \d+\.\d\d %$/,
  );
  await expect(reading.letbView.getByTestId('roi-circle')).not.toHaveCount(0);
  const mean = Number.parseFloat((await page.getByTestId('letb-mean-0').textContent())!);
  expect(mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 3, 1);
  // The demo's parenchyma gives thresholds near 43 HU and a LETB near the truth's.
  expect(Math.abs(mean - baseline.letbPercent)).toBeLessThan(5);
  await testInfo.attach('reader-letb', {
    path: await shot(page, testInfo.outputPath('reader-letb.png'), { fullPage: true }),
    contentType: 'image/png',
  });

  // Undo takes back the last placement; placing it again restores it.
  await page.keyboard.press('Control+z');
  await expect(reading.letbCell(3, 0).locator('.cell-pick')).toHaveText('—');
  await expect(page.getByTestId('letb-mean-0')).toHaveText('—');
  await reading.letbCell(3, 0).locator('.cell-pick').click();
  await reading.placeLetbRoiAt(baseline.roiCentresLpsMm[2]!, baseline.grid.spacingMm[2]);
  await expect(reading.letbCell(3, 0).locator('.cell-pick')).toHaveText(`${values[2]!.toFixed(2)} %`);

  // The follow-up marked not evaluable: no LETB there, and nothing about LETB is missing any more.
  for (const k of [1, 2, 3]) await page.getByTestId(`letb-ne-${k}-1`).click();
  await reading.saved();
  await expect(reading.letbCell(3, 1).locator('.cell-pick')).toHaveText('NE');
  await expect(page.getByTestId('letb-mean-1')).toHaveText('—');
  await expect(reading.problems).not.toContainText('LETB');

  await page.getByTestId('read-letb-show-arterial').click();
  await testInfo.attach('reader-letb-arterial', {
    path: await shot(reading.letbView, testInfo.outputPath('reader-letb-arterial.png')),
    contentType: 'image/png',
  });

  const db = await Database.open(join(app.dataDir, 'concord.sqlite'), 'readonly');
  try {
    const phi = await demoPhi(db);
    expect(received.length).toBeGreaterThan(10);
    expect(phiFound(received.join('\n'), phi)).toEqual([]);
    expect(received.join('\n')).not.toContain(app.dataDir);
  } finally {
    await db.close();
  }
});
