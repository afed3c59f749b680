import { join } from 'node:path';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { ImportPage } from './pageObjects/ImportPage';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';

const study = { name: 'Repeated TACE', coordinator: 'Dr Coordinator', passphrase: 'coordinator passphrase 1' };

/**
 * A patient treated twice, in the real renderer (SPEC §1: each treatment is a case): after two
 * imports every demo patient has four exams; the coordinator makes the third exam the start of a
 * second treatment (a new case with its own code and baseline), sees it in the case table, and
 * joins it back.
 */
test('a coordinator splits a patient’s exams into two treatment cases and joins them back', async ({
  app,
}, testInfo) => {
  test.skip(app.shell === 'electron', 'imports a folder by path (the desktop app uses the native folder dialog)');
  test.setTimeout(240_000);
  const { page } = app;
  const imports = new ImportPage(page);
  for (const seed of [1, 2]) {
    const demo = await writeDemoStudy(join(app.dataDir, `demo-seed-${seed}`), { size: 'small', seed });
    await imports.open();
    await imports.importFolder(demo.out);
  }

  const studies = new StudiesPage(page);
  await studies.open();
  await studies.createStudy(study);
  const dash = new StudyPage(page);
  await dash.waitReady();
  await dash.addCases();
  const row = () =>
    dash.caseRows.filter({ has: page.getByTestId('case-patient-id').getByText('DEMO-0001', { exact: true }) });
  await expect(row()).toHaveCount(1);
  await expect(row().getByTestId('case-timepoint')).toHaveCount(4);
  // The middle exams can start a new treatment; the baseline and the last exam cannot.
  await expect(row().getByTestId('case-split')).toHaveCount(2);

  await row().getByTestId('case-split').nth(1).click();
  await expect(row()).toHaveCount(2);
  await expect(row().nth(0).getByTestId('case-timepoint')).toHaveCount(3);
  await expect(row().nth(1).getByTestId('case-timepoint')).toHaveCount(2);
  await expect(row().nth(1).getByTestId('case-timepoint').first()).toContainText('baseline');
  const first = (await row().nth(0).getAttribute('data-case-code'))!;
  await expect(row().nth(1).getByTestId('case-continues')).toContainText(`next treatment after ${first}`);
  await expect(page.getByTestId('add-cases-result')).toContainText('the study now has 5 cases');
  await testInfo.attach('treatment-split', {
    path: await shot(page.getByTestId('cases-panel'), testInfo.outputPath('treatment-split.png')),
    contentType: 'image/png',
  });

  await row().nth(1).getByTestId('case-join').click();
  await expect(row()).toHaveCount(1);
  await expect(row().getByTestId('case-timepoint')).toHaveCount(4);
});
