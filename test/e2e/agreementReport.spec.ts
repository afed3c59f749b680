import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { shot } from './support/shot';
import { StudiesPage } from './pageObjects/StudiesPage';
import { StudyPage } from './pageObjects/StudyPage';
import type { DemoCohortGroundTruth } from '../../core/demo/demoCohortGroundTruth';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';

const study = {
  name: 'Agreement on the demo',
  coordinator: 'Dr Coordinator',
  passphrase: 'coordinator passphrase 1',
  seed: 7,
};
const readers = [
  { name: 'Reader One', passphrase: 'reader one passphrase', scale: 1, roiShiftMm: 0 },
  { name: 'Reader Two', passphrase: 'reader two passphrase', scale: 1.12, roiShiftMm: 3 },
];

/** Calls the contract as `page` does (its secret, page id and session token), with the headers its requests carry. */
async function apiOf(page: Page) {
  // Opening the studies screen lists the studies: a contract call carrying this page's headers.
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/api/')),
    page.getByTestId('nav-studies').click(),
  ]);
  const headers = request.headers();
  const origin = new URL(request.url()).origin;
  return async <T>(method: string, payload: unknown): Promise<T> => {
    const res = await page.request.post(`${origin}/api/${method}`, {
      headers: {
        'content-type': 'application/json',
        'x-concord-secret': headers['x-concord-secret']!,
        'x-concord-client': headers['x-concord-client']!,
        // The sign-in is the session token, not the page id.
        ...(headers['x-concord-session'] ? { 'x-concord-session': headers['x-concord-session'] } : {}),
      },
      // A string or object would be JSON-encoded again by Playwright; send the body's bytes.
      data: Buffer.from(payload === undefined ? '' : JSON.stringify(payload)),
    });
    const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.value;
  };
}

/**
 * The coordinator's end of a study whose readers also measure LETB, in the real renderer: two
 * readers (each on their own page, reading every demo case through their own signed-in
 * connection: calipers at the cohort's ground truth, one reader 12 % longer; the three LETB ROIs
 * of every timepoint at the ground truth's centres, one reader 3 mm away), then the coordinator
 * unblinds, sees the agreement (with LETB between readers and the reproducibility of the
 * placements) and exports the report in one action; imports outcomes; the PDF pages are turned
 * into PNGs and kept for a person to look at.
 */
test('the coordinator unblinds a finished study, sees the agreement and exports the report', async ({
  app,
}, testInfo) => {
  test.skip(
    app.shell === 'electron',
    'needs a second browser page per reader (host only); the report itself is covered by test/electron/report.test.ts',
  );
  test.setTimeout(300_000);
  const { page } = app;
  const shotOf = async (p: Page, name: string) =>
    testInfo.attach(name, {
      path: await shot(p, testInfo.outputPath(`${name}.png`), { fullPage: true }),
      contentType: 'image/png',
    });
  const url = app.url!;

  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  const studies = new StudiesPage(page);
  await studies.open();
  await studies.createStudy({ ...study, letb: true });
  const dash = new StudyPage(page);
  await dash.waitReady();
  for (const r of readers) await dash.addReader(r.name, r.passphrase);
  await dash.addCases();
  await expect(dash.unblindOpen).toBeDisabled();

  // The coordinator's case table says which case is which patient (readers never see it).
  const patientOf = new Map<string, string>();
  for (const row of await dash.caseRows.all())
    patientOf.set(
      (await row.getAttribute('data-case-code'))!,
      (await row.getByTestId('case-patient-id').textContent())!.trim(),
    );
  const truth = JSON.parse(
    readFileSync(join(app.dataDir, 'demo-study', 'cohort-ground-truth.json'), 'utf8'),
  ) as DemoCohortGroundTruth;

  for (const r of readers) {
    const readerContext = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 1280, height: 900 } });
    const readerPage = await readerContext.newPage();
    await readerPage.goto(url);
    const readerStudies = new StudiesPage(readerPage);
    await readerStudies.open();
    await readerStudies.signIn(study.name, r.name, r.passphrase);
    await expect(readerPage.getByTestId('worklist')).toBeVisible();
    const api = await apiOf(readerPage);
    const worklist = await api<{ caseId: number; caseCode: string }[]>('getMyWorklist', undefined);
    expect(worklist).toHaveLength(truth.patients.length);
    for (const w of worklist) {
      const patient = truth.patients.find((p) => p.patientId === patientOf.get(w.caseCode))!;
      const letbTruth = JSON.parse(
        readFileSync(join(app.dataDir, 'demo-study', patient.groundTruth), 'utf8'),
      ) as DemoGroundTruth;
      const { readId } = await api<{ readId: number }>('openRead', { caseId: w.caseId });
      const save = (timepoint: number, item: string, value: unknown) =>
        api('saveReadEntry', { readId, timepoint, item, value });
      for (const [t, tp] of patient.timepoints.entries()) {
        for (const lesion of tp.lesions.filter((l) => l.role === 'target')) {
          const caliper = (ends: [number[], number[]] | null) => {
            if (!ends) return { status: 'absent' };
            const mid = ends[0].map((v, i) => (v + ends[1][i]!) / 2);
            const at = (q: number[]) => q.map((v, i) => mid[i]! + (v - mid[i]!) * r.scale);
            return { status: 'measured', aLps: at(ends[0]), bLps: at(ends[1]), seriesKey: `t${t}-s1` };
          };
          await save(t, `target${lesion.target}.longest`, caliper(lesion.longestCaliperLpsMm));
          await save(t, `target${lesion.target}.viable`, caliper(lesion.viableCaliperLpsMm));
        }
        for (const [k, centre] of letbTruth.timepoints[t]!.roiCentresLpsMm.entries()) {
          await save(t, `letb.roi${k + 1}`, {
            status: 'placed',
            centerLps: [centre[0] + r.roiShiftMm, centre[1], centre[2]],
            volumeMl: 1,
            shape: 'sphere',
          });
        }
        await save(t, 'nontarget', tp.lesions.some((l) => l.role === 'non-target') ? 'present' : 'absent');
        if (t > 0)
          await save(
            t,
            'new_lesion',
            tp.lesions.some((l) => l.role === 'new'),
          );
      }
      await save(
        0,
        'enhancement',
        r.scale === 1 || patient.patientId !== 'DEMO-0004' ? 'hyperenhancing' : 'iso-/hypoenhancing',
      );
      await save(0, 'burden', r.scale === 1 ? '<25%' : '25-50%');
      await api('submitRead', { readId });
    }
    await readerContext.close();
  }

  // The coordinator: every read is in; unblind, look at the agreement, export the report.
  await page.reload();
  await studies.open();
  await studies.signIn(study.name, study.coordinator, study.passphrase);
  await dash.waitReady();
  await expect(dash.unblindOpen).toBeEnabled();
  await dash.unblind();
  await expect(dash.state).toHaveAttribute('data-state', 'unblinded');
  // Every export carries the head of the audit trail (issue 13): the CSV in a sidecar, and the page says which.
  const csvPath = await dash.exportReads('csv');
  const sidecar = JSON.parse(readFileSync(`${csvPath}.audit.json`, 'utf8')) as {
    auditTrail: { rows: number; lastMac: string };
  };
  await expect(page.getByTestId('export-audit-csv')).toContainText(
    `Audit trail when written: ${sidecar.auditTrail.rows} rows, head HMAC ${sidecar.auditTrail.lastMac}`,
  );
  await testInfo.attach('export-audit', {
    path: await shot(page.getByTestId('export-result-csv'), testInfo.outputPath('export-audit.png')),
    contentType: 'image/png',
  });
  const panel = page.getByTestId('agreement-panel');
  await expect(panel.getByTestId('agreement-table')).toBeVisible();
  await expect(panel.locator('[data-testid="agreement-row"][data-item="burden"]')).toContainText('4');
  await expect(panel.getByTestId('criteria-cross-table')).toHaveCount(2);
  // LETB: agreement between readers (ICC and Bland-Altman), reproducibility per reader and pooled, ΔLETB per reader.
  await expect(panel.getByTestId('letb-reproducibility-row')).toHaveCount(3);
  await expect(panel.getByTestId('letb-reproducibility-row').first().locator('td').nth(1)).toHaveText('8');
  await expect(panel.getByTestId('letb-reproducibility-row').first().locator('td').nth(2)).toHaveText(
    /^-?\d\.\d\d -?\d\.\d\d to -?\d\.\d\d$/,
  );
  await expect(panel.getByTestId('letb-waterfall')).toHaveCount(2);
  await expect(panel.locator('img').first()).toBeVisible();
  await shotOf(page, 'agreement-view');

  const exportReport = async () => {
    const written = panel.getByTestId('report-written');
    await panel.getByTestId('report-export').click();
    await expect(written).toContainText('report.pdf', { timeout: 60_000 });
    const dir = (await written.locator('.mono').textContent())!;
    for (const name of ['report.pdf', 'report.html', 'reads.csv', 'agreement.json'])
      expect(existsSync(join(dir, name)), name).toBe(true);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const p of truth.patients) expect(html).not.toContain(p.patientId);
    const { auditTrail } = (
      JSON.parse(readFileSync(join(dir, 'agreement.json'), 'utf8')) as {
        study: { auditTrail: { rows: number; lastMac: string } };
      }
    ).study;
    await expect(written.getByTestId('report-audit')).toContainText(
      `${auditTrail.rows} rows, head HMAC ${auditTrail.lastMac}`,
    );
    expect(html).toContain(
      `Audit trail at generation: ${auditTrail.rows} rows, head HMAC <span class="mac">${auditTrail.lastMac}</span>`,
    );
    return { dir, html };
  };
  const first = await exportReport();
  expect(first.html).toContain('Outcomes were not imported');
  await pdfPages(join(first.dir, 'report.pdf'), 'report-page', [1, 2, 3, 4]);
  expect(first.html).toContain('Reproducibility of the three ROI placements');

  // Outcomes: a file with bad rows is refused with every problem listed, and nothing is stored …
  const outcomes = page.getByTestId('outcomes-panel');
  await expect(outcomes.getByTestId('outcomes-none')).toBeVisible();
  const codes = [...patientOf.keys()].sort();
  const baselineOf = (code: string) =>
    truth.patients.find((p) => p.patientId === patientOf.get(code))!.timepoints[0]!.studyDate;
  const day = (iso: string, days: number) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const header =
    'case_code,last_followup_date,death,hepatic_progression_date,progression_date,untreatable_progression_date';
  const bad = [
    header,
    `C-999,${day(baselineOf(codes[0]!), 300)},1,,,`,
    `${codes[0]},${day(baselineOf(codes[0]!), -20)},1,,,`,
  ].join('\n');
  await outcomes
    .getByTestId('outcomes-file')
    .setInputFiles({ name: 'outcomes-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect(outcomes.getByTestId('outcomes-error')).toContainText('outcomes-bad.csv was not imported');
  await expect(outcomes.getByTestId('outcomes-problem')).toHaveCount(2);
  await expect(outcomes.getByTestId('outcomes-problem').first()).toContainText('line 2 (C-999)');
  await expect(outcomes.getByTestId('outcomes-problem').nth(1)).toContainText('line 3');
  await expect(outcomes.getByTestId('outcomes-none')).toBeVisible();
  await shotOf(page, 'outcomes-refused');

  // … a file saved as Latin-1 is refused in the page, naming the line and column of the first bad byte …
  const latin1 = [`${header},note`, `${codes[0]},${day(baselineOf(codes[0]!), 300)},1,,,,Dr M\u00fcller`].join('\n');
  await outcomes
    .getByTestId('outcomes-file')
    .setInputFiles({ name: 'outcomes-latin1.csv', mimeType: 'text/csv', buffer: Buffer.from(latin1, 'latin1') });
  await expect(outcomes.getByTestId('outcomes-error')).toContainText(
    'outcomes-latin1.csv was not imported: line 2, column 7 ("note"): byte 0xFC (ü in Latin-1) is not UTF-8',
  );
  await expect(outcomes.getByTestId('outcomes-none')).toBeVisible();
  await shotOf(page, 'outcomes-latin1');

  // … then the fixed file: case n followed 300 + 250·n days, dying at the end when n is odd.
  const good = [
    header,
    ...codes.map(
      (c, n) => `${c},${day(baselineOf(c), 300 + 250 * n)},${n % 2},${n < 2 ? day(baselineOf(c), 200) : ''},,`,
    ),
  ].join('\n');
  await outcomes
    .getByTestId('outcomes-file')
    .setInputFiles({ name: 'outcomes.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(outcomes.getByTestId('outcomes-result')).toContainText(`Imported the outcomes of ${codes.length} cases`);
  await expect(outcomes.getByTestId('outcomes-analysis')).toBeVisible();
  // The readers measured LETB: a table by each reader's ΔLETB at every threshold of the report set.
  await expect(
    outcomes.locator('[data-testid="outcomes-table"][data-kind="letb"] [data-testid="outcomes-row"]'),
  ).toHaveCount(14);
  const byCriteria = outcomes.locator('[data-testid="outcomes-table"][data-kind="criteria"]');
  await expect(byCriteria.getByTestId('outcomes-row')).toHaveCount(4);
  await expect(
    byCriteria.locator('[data-testid="outcomes-row"][data-grouping="recist"][data-reader="Reader One"]'),
  ).toBeVisible();
  await expect(outcomes.getByTestId('outcomes-km')).toHaveCount(4);
  await outcomes.getByTestId('outcomes-endpoint').selectOption('hepaticPfs');
  await expect(outcomes.getByTestId('outcomes-km')).toHaveCount(4);
  await outcomes.getByTestId('outcomes-endpoint').selectOption('overallSurvival');
  await outcomes.scrollIntoViewIfNeeded();
  await testInfo.attach('outcomes-view', {
    path: await shot(outcomes, testInfo.outputPath('outcomes-view.png')),
    contentType: 'image/png',
  });

  // The report exported again has the outcomes section, with the numbers the dashboard shows.
  const second = await exportReport();
  expect(second.html).toContain('<section id="outcomes" class="break"><h2>Outcomes</h2>');
  const json = JSON.parse(readFileSync(join(second.dir, 'agreement.json'), 'utf8')) as {
    outcomes: { cases: number } | null;
  };
  expect(json.outcomes?.cases).toBe(codes.length);
  await pdfPages(join(second.dir, 'report.pdf'), 'report-outcomes-page', 'last-3');

  async function pdfPages(pdf: string, name: string, pages: number[] | 'last-3') {
    if (!existsSync('/usr/bin/pdftoppm'))
      return console.log('skipped: PDF to PNG (no pdftoppm; apt-get install poppler-utils)');
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('/usr/bin/pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const wanted = pages === 'last-3' ? [count - 2, count - 1, count].filter((n) => n >= 1) : pages;
    for (const n of wanted) {
      const prefix = testInfo.outputPath(`${name}-${n}`);
      execFileSync('/usr/bin/pdftoppm', [
        '-png',
        '-r',
        '70',
        '-singlefile',
        '-f',
        String(n),
        '-l',
        String(n),
        pdf,
        prefix,
      ]);
      await testInfo.attach(`${name}-${n}`, { path: `${prefix}.png`, contentType: 'image/png' });
    }
  }
});
