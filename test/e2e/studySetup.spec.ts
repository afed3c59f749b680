import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';

const study = {
  name: 'Liver metastases TACE 2026',
  coordinator: 'Dr Coordinator',
  passphrase: 'coordinator passphrase 1',
};

test('a coordinator sets up a reading study: protocol with an extra question, readers, cases, and signs in again', async ({
  app,
}, testInfo) => {
  test.setTimeout(240_000);
  const { page } = app;
  const shotOf = async (name: string) =>
    testInfo.attach(name, {
      path: await shot(page, testInfo.outputPath(`${name}.png`), { fullPage: true }),
      contentType: 'image/png',
    });

  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });

  const studies = new StudiesPage(page);
  await studies.open();
  await expect(studies.empty).toBeVisible();
  await expect(studies.newStudyForm).toBeVisible(); // open by default while no study exists
  await expect(studies.newStudyHint).toHaveText(/signs you in as its coordinator/);
  await expect(studies.submit).toBeDisabled();
  await expect(studies.missing).toContainText('a study name');

  // The reference protocol is the default.
  const editor = studies.protocol;
  await expect(editor.criteria('recist')).toBeChecked();
  await expect(editor.criteria('mrecist')).toBeChecked();
  await expect(editor.maxTotal).toHaveValue('2');
  await expect(editor.items).toHaveCount(2);
  await expect(editor.itemField(1, 'level-0')).toHaveValue('<25%');
  await expect(editor.valid).toBeVisible();

  // The editor checks with validateProtocol as one types: an empty new question is refused at once.
  await editor.addItemButton.click();
  await expect(editor.error).toHaveText(/^Question 3: /);
  await editor.itemField(2, 'remove').click();
  await expect(editor.valid).toBeVisible();
  await editor.criteria('recist').uncheck();
  await editor.criteria('mrecist').uncheck();
  await expect(editor.error).toHaveText(/at least one response criteria/);
  await editor.criteria('recist').check();
  await editor.criteria('mrecist').check();

  const n = await editor.addItem({
    label: 'Lesion conspicuity',
    kind: 'ordinal',
    scope: 'every',
    levels: ['poor', 'fair', 'good'],
  });
  expect(n).toBe(2);
  await expect(editor.itemField(2, 'id')).toHaveValue('lesion_conspicuity'); // follows the label
  await expect(editor.valid).toBeVisible();

  await studies.fillNewStudy({ ...study, confirm: 'something else' });
  await expect(studies.mismatch).toBeVisible();
  await expect(studies.submit).toBeDisabled();
  await studies.passphraseConfirm.fill(study.passphrase);
  await expect(studies.mismatch).toBeHidden();
  await expect(studies.missing).toBeHidden();
  await expect(studies.submit).toBeEnabled();
  await shotOf('new-study-form');

  // Created: the coordinator is signed in and lands on the dashboard.
  await studies.submit.click();
  const dash = new StudyPage(page);
  await dash.waitReady();
  await expect(dash.name).toHaveText(study.name);
  await expect(page.getByTestId('signed-in')).toContainText(study.coordinator);
  await expect(dash.state).toHaveAttribute('data-state', 'editable');
  await expect(dash.seed).toHaveText(/^\d+$/); // drawn by the app
  await expect(dash.protocolSummaryItems).toHaveCount(3);
  await expect(page.locator('[data-testid="protocol-summary-item"][data-item-id="lesion_conspicuity"]')).toContainText(
    'poor < fair < good',
  );

  // Readers.
  await dash.addReader('Reader One', 'reader one passphrase');
  await expect(dash.addReaderDone).toContainText('Reader One');
  await dash.addReader('Reader Two', 'reader two passphrase');
  await expect(dash.readerRows).toHaveCount(2);
  await expect(dash.readerRow('Reader Two')).toBeVisible();
  await dash.addReader('Reader Two', 'another passphrase');
  await expect(dash.addReaderError).toContainText(/Adding the reader failed/);

  // Cases from the imported exams (one per patient with two or more exams), with identity for the coordinator only.
  await dash.addCases();
  await expect(dash.addCasesResult).toHaveText(/^\d+ new cases? created/);
  const codes = await dash.caseCodes();
  expect(codes.length).toBeGreaterThanOrEqual(1);
  for (const c of codes) expect(c).toMatch(/^C-\d{3}$/);
  await expect(dash.addCasesResult).toContainText(`the study now has ${codes.length} case`);
  const demoRow = dash.caseRows.filter({
    has: page.getByTestId('case-patient-id').getByText('DEMO-0001', { exact: true }),
  });
  await expect(demoRow).toHaveCount(1);
  const code = await demoRow.getAttribute('data-case-code');
  await expect(demoRow.getByTestId('case-code')).toHaveText(code!);
  await expect(demoRow.getByTestId('case-timepoint')).toHaveText(['2024-01-10 baseline', '2024-02-21 +6 weeks']);
  await expect(dash.identifyingBadge).toContainText('coordinator only');
  await dash.addCases();
  await expect(dash.addCasesResult).toHaveText(/^No new cases/);

  // Progress: every read not started, so unblinding is not offered yet.
  const reads = 2 * codes.length;
  await expect(dash.progressCells).toHaveCount(reads);
  await expect(dash.progressCell(code!, 'Reader One')).toHaveAttribute('data-state', 'not_started');
  await expect(dash.progressCell(code!, 'Reader Two')).toHaveAttribute('data-state', 'not_started');
  await expect(dash.unblindOpen).toBeDisabled();
  await expect(dash.unblindBlocked).toHaveText(new RegExp(`^${reads} reads are still open \\(of ${reads}\\)`));

  // The protocol is still editable (no read opened yet): change it and save.
  await expect(dash.protocolEdit).toBeVisible();
  await dash.editProtocol();
  await expect(dash.protocol.items).toHaveCount(3);
  await dash.protocol.maxTotal.selectOption('5');
  await dash.saveProtocol();
  await expect(dash.protocolSaved).toBeVisible();
  await expect(page.getByTestId('protocol-summary-targets')).toContainText('at most 5 in total');
  await expect(dash.state).toHaveAttribute('data-state', 'editable');
  await shotOf('study-dashboard');

  // Sign out, then back in as the coordinator from the Studies screen.
  await page.getByTestId('sign-out').click();
  await expect(studies.screen).toBeVisible();
  await expect(page.getByTestId('signed-in')).toHaveCount(0);
  await expect(studies.card(study.name)).toBeVisible();
  await expect(studies.newStudyHint).toHaveText(/only a signed-in coordinator/);
  await studies.signIn(study.name, study.coordinator, 'not the passphrase');
  await expect(studies.signInError(study.name)).toHaveText(/Access refused\. Wrong name or passphrase\./);
  await shotOf('studies');
  await studies.signIn(study.name, study.coordinator, study.passphrase);
  await dash.waitReady();
  await expect(dash.name).toHaveText(study.name);
  await expect(dash.caseRows).toHaveCount(codes.length);
  await expect(page.getByTestId('signed-in')).toContainText('coordinator');
});
