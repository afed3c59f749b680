import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { SeriesPage } from './pageObjects/SeriesPage';
import { LetbPage } from './pageObjects/LetbPage';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';
import type { DemoCohortGroundTruth } from '../../core/demo/demoCohortGroundTruth';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';

/**
 * Mask identity in the real renderer (issue 12 item 7): the follow-up exam's DICOM SEG offered
 * for the baseline's arterial series asks the coordinator to confirm (naming both series), Cancel
 * attaches nothing, "Attach anyway" attaches it as overridden; the LETB panel and the case table
 * then say which mask each timepoint uses, its hash and what its checks found.
 */
test('the coordinator confirms a SEG of other images, and sees every mask and its checks', async ({
  app,
}, testInfo) => {
  test.setTimeout(300_000);
  const { page } = app;
  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  const root = join(app.dataDir, 'demo-study');
  const cohort = JSON.parse(readFileSync(join(root, 'cohort-ground-truth.json'), 'utf8')) as DemoCohortGroundTruth;
  const truth = JSON.parse(
    readFileSync(join(root, cohort.patients.find((p) => p.patientId === 'DEMO-0001')!.groundTruth), 'utf8'),
  ) as DemoGroundTruth;
  const followUpSeg = join(root, truth.timepoints[1]!.folder, 'SEG', 'IM0001.dcm');
  const followUpSha = createHash('sha256').update(readFileSync(followUpSeg)).digest('hex');

  await page.getByTestId('demo-browse').click();
  const series = new SeriesPage(page);
  await series.row({ modality: 'CT', phase: 'arterial' }).first().getByTestId('series-letb').click();
  const letb = new LetbPage(page);
  await letb.maskFile.check();
  await letb.maskPath.fill(followUpSeg);
  await letb.open.click();

  // Refused until confirmed, both series named; nothing attached on Cancel.
  await expect(letb.confirm).toBeVisible({ timeout: 60_000 });
  await expect(letb.confirm).toHaveAttribute('role', 'alertdialog');
  await expect(page.getByTestId('letb-confirm-message')).toContainText(
    /Mask file IM0001\.dcm is a DICOM SEG of other images than this CT: it references series [\d.]+, not the CT's series [\d.]+; its Frame of Reference is [\d.]+, not the CT's [\d.]+\. Attach it anyway only if you are sure it belongs to this exam: the override is recorded in the audit trail\./,
  );
  await expect(letb.error).toHaveCount(0);
  await testInfo.attach('letb-confirm-reference', {
    path: await shot(page, testInfo.outputPath('letb-confirm-reference.png')),
    contentType: 'image/png',
  });
  await letb.confirmCancel.click();
  await expect(letb.confirm).toHaveCount(0);
  await expect(letb.open).toBeEnabled();

  await letb.open.click();
  await letb.confirmAttach.click();
  await expect(letb.view('axial').locator('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('letb-mask-file')).toHaveText('IM0001.dcm');
  await expect(page.getByTestId('letb-mask-hash')).toHaveText(followUpSha.slice(0, 12));
  await expect(letb.maskChecks).toHaveAttribute('data-status', 'overridden');
  await expect(page.getByTestId('letb-mask-checks-details')).toContainText(
    /Attached although it references series [\d.]+, not the CT's series [\d.]+; its Frame of Reference is/,
  );
  await testInfo.attach('letb-mask-overridden', {
    path: await shot(letb.panel, testInfo.outputPath('letb-mask-overridden.png')),
    contentType: 'image/png',
  });

  // The follow-up with its own SEG: every check passes.
  await page.getByRole('button', { name: '← Series' }).click();
  await series.row({ modality: 'CT', phase: 'arterial' }).nth(1).getByTestId('series-letb').click();
  await letb.open.click();
  await expect(letb.view('axial').locator('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(letb.confirm).toHaveCount(0);
  await expect(letb.maskChecks).toHaveAttribute('data-status', 'ok');
  await expect(letb.maskChecks).toHaveText('✓ checks ok');
  await expect(page.getByTestId('letb-mask-hash')).toHaveText(followUpSha.slice(0, 12));
  await testInfo.attach('letb-mask-ok', {
    path: await shot(page, testInfo.outputPath('letb-mask-ok.png')),
    contentType: 'image/png',
  });

  // The case table of an LETB study: which mask each timepoint uses, its hash and its checks.
  const studies = new StudiesPage(page);
  await studies.open();
  await studies.createStudy({
    name: 'Mask checks',
    coordinator: 'Dr Coordinator',
    passphrase: 'coordinator passphrase 1',
    seed: 5,
    letb: true,
  });
  const dash = new StudyPage(page);
  await dash.waitReady();
  await dash.addCases();
  const demoRow = dash.caseRows.filter({
    has: page.getByTestId('case-patient-id').getByText('DEMO-0001', { exact: true }),
  });
  const masks = demoRow.getByTestId('case-letb-mask');
  await expect(masks).toHaveCount(2);
  // Both timepoints now use the follow-up's SEG file: attached (overridden) at the baseline, attached (ok) at
  // the follow-up.
  for (const [n, status] of [
    [0, 'overridden'],
    [1, 'ok'],
  ] as const) {
    await expect(masks.nth(n).getByTestId('case-letb-mask-file')).toHaveText('IM0001.dcm');
    await expect(masks.nth(n)).toContainText(followUpSha.slice(0, 8));
    await expect(masks.nth(n).getByTestId('case-letb-checks')).toHaveAttribute('data-status', status);
  }
  await expect(demoRow.getByTestId('case-letb').first()).toContainText("LETB: the coordinator's liver mask");
  // Other patients' timepoints use their exam's SEG, its references checked from its header.
  const others = page.locator('[data-testid="case-letb-checks"][data-status="ok"]');
  await expect(others.filter({ hasText: 'references ok' })).toHaveCount(6);
  await testInfo.attach('case-table-masks', {
    path: await shot(dash.casesTable, testInfo.outputPath('case-table-masks.png')),
    contentType: 'image/png',
  });
});
