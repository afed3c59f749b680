import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemAgreement } from '../../core/agreement/itemAgreement';
import type { OutcomeAnalysis, OutcomesImported, StudyOverview, UnblindedCase } from '../../core/ipc/contract';
import { letbChange, reportResponderThresholds } from '../../core/letb/letbChange';
import type { StudyReport } from '../../core/report/studyReport';
import { icc } from '../../core/stats/icc';
import { referenceProtocol } from '../../core/studies/protocol';
import { concord } from '../helpers/concord';
import { demoPhi, phiFound } from '../helpers/demoPhi';
import { ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { readCohort } from '../helpers/scriptedReaders';
import { makeTempDir } from '../helpers/tempDir';
import { outcomesCsv } from '../helpers/outcomesCsv';

/**
 * A study whose readers measure LETB (SPEC §2, §4, §5), end to end through the contract: two
 * scripted readers read the demo cohort, each placing the three ROIs of every timepoint near the
 * ground truth's ROI centres (Reader 2 a few mm away, and one placement not evaluable); the study
 * is unblinded, outcomes imported and the report exported. reads.csv holds the placements and
 * LETB, report.html prints for LETB exactly what `concord agreement` computes from reads.csv,
 * the reproducibility of the placements is the ICC of the placement table of reads.csv, and the
 * survival analysis groups the cases by each reader's ΔLETB.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let written: { dir: string; files: { name: string; path: string }[] };
let csvText: string;
let html: string;
let agreementJson: StudyReport & { outcomes: OutcomeAnalysis | null };

const burdens = ['<25%', '25-50%', '>50-75%', '>75%'];
/** Reader 2 leaves the third placement of the last case's follow-up not evaluable. */
const notEvaluableCase = 3;

/** reads.csv as records (the export quotes nothing here: no field has a comma or a quote). */
function csvRows(
  text: string,
): { case_code: string; reader: string; timepoint: string; item: string; value: string }[] {
  const [header, ...lines] = text.split('\r\n').filter((l) => l !== '');
  expect(header).toBe('case_code,reader,timepoint,item,value');
  return lines.map((l) => {
    const [case_code, reader, timepoint, item, value] = l.split(',') as [string, string, string, string, string];
    return { case_code, reader, timepoint, item, value };
  });
}

/**
 * The ICC input built from reads.csv alone: per (reader, case, timepoint), in file order, the three
 * placements when all are numbers.
 */
function placementMatrix(reader: string | null): number[][] {
  const targets = new Map<string, (number | null)[]>();
  for (const r of csvRows(csvText)) {
    const m = /^letb\.roi([123])$/.exec(r.item);
    if (!m || (reader !== null && r.reader !== reader)) continue;
    const key = `${r.reader}|${r.case_code}|${r.timepoint}`;
    const values = targets.get(key) ?? [null, null, null];
    targets.set(key, values);
    values[Number(m[1]) - 1] = /^-?\d+(\.\d+)?$/.test(r.value) ? Number(r.value) : null;
  }
  return [...targets.values()].filter((v) => v.every((x) => x !== null)) as number[][];
}

/** Every `data-stat` / `data-value` of report.html. */
const htmlStats = () =>
  [...html.matchAll(/data-stat="([^"|]+)\|([^"]+)" data-value="([^"]*)"/g)].map((m) => ({
    scope: m[1]!,
    path: m[2]!,
    value: m[3]!,
  }));
const valueAt = (object: unknown, path: string) =>
  path
    .split('.')
    .reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[k]), object);

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 2, { protocol: { ...referenceProtocol, letb: true } });
  const demo = join(temp.path, 'demo');
  await readCohort(f, demo, 0, {
    caliperScale: () => 1,
    enhancement: () => 'hyperenhancing',
    burden: (i) => burdens[i % 4]!,
    letbOffsetMm: () => [0, 0, 0],
  });
  await readCohort(f, demo, 1, {
    caliperScale: (i, lesion) => 1 + 0.08 * ((i + lesion) % 3) - 0.05,
    enhancement: (i) => (i === 3 ? 'iso-/hypoenhancing' : 'hyperenhancing'),
    burden: (i) => burdens[Math.min(3, (i % 4) + (i === 1 ? 1 : 0))]!,
    // A few mm off the truth, differently for every placement, so the readers' LETB differ.
    letbOffsetMm: (i, t, k) =>
      i === notEvaluableCase && t === 1 && k === 2 ? null : [2 + k, -1.5 * k, (i + t) % 2 === 0 ? 1.25 : -1.25],
  });
  ok<StudyOverview>(await f.services.dispatch('unblindStudy', { studyId: f.study.id }, f.coordinator));
  ok<OutcomesImported>(
    await f.services.dispatch('importOutcomes', { studyId: f.study.id, csv: outcomesCsv(f.cases) }, f.coordinator),
  );
  written = ok(
    await f.services.dispatch('exportStudyReport', { studyId: f.study.id, includeIdentity: false }, f.coordinator),
  );
  csvText = readFileSync(join(written.dir, 'reads.csv'), 'utf8');
  html = readFileSync(join(written.dir, 'report.html'), 'utf8');
  agreementJson = JSON.parse(readFileSync(join(written.dir, 'agreement.json'), 'utf8')) as typeof agreementJson;
}, 240_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

describe('the agreement report of a study whose readers measured LETB', () => {
  it('writes the report without PHI, and reads.csv has every placement, the timepoint LETB and the change', async () => {
    expect(written.files.map((x) => x.name).sort()).toEqual([
      'agreement.json',
      'reads.csv',
      'report.html',
      'report.pdf',
    ]);
    const phi = await demoPhi(f.services.context.db);
    for (const name of ['report.html', 'reads.csv', 'agreement.json'])
      expect(phiFound(readFileSync(join(written.dir, name), 'utf8'), phi), name).toEqual([]);
    const rows = csvRows(csvText);
    const cases = [...new Set(rows.map((r) => r.case_code))];
    expect(cases).toHaveLength(f.cases.length);
    for (const code of cases) {
      for (const reader of ['Reader 1', 'Reader 2']) {
        const items = rows
          .filter((r) => r.case_code === code && r.reader === reader && r.item.startsWith('letb.'))
          .map((r) => `${r.item}@${r.timepoint}`);
        expect(items.sort(), `${code} ${reader}`).toEqual([
          'letb.change_percent@1',
          'letb.percent@0',
          'letb.percent@1',
          'letb.roi1@0',
          'letb.roi1@1',
          'letb.roi2@0',
          'letb.roi2@1',
          'letb.roi3@0',
          'letb.roi3@1',
        ]);
      }
    }
    const numbers = rows.filter((r) => /^letb\.(roi[123]|percent)$/.test(r.item) && r.value !== 'NE');
    for (const r of numbers) expect(r.value, `${r.case_code} ${r.reader} ${r.item}`).toMatch(/^\d+\.\d{3}$/);
    // One not evaluable placement: that timepoint has no LETB, that case no change in Reader 2's read.
    expect(rows.filter((r) => r.value === 'NE').map((r) => `${r.reader} ${r.item}@${r.timepoint}`)).toEqual([
      'Reader 2 letb.roi3@1',
      'Reader 2 letb.percent@1',
      'Reader 2 letb.change_percent@1',
    ]);
    // The export through the contract is the same file.
    const exported = ok<{ path: string }>(
      await f.services.dispatch('exportStudyReads', { studyId: f.study.id, format: 'csv' }, f.coordinator),
    );
    expect(readFileSync(exported.path, 'utf8')).toBe(csvText);
  });

  it('prints for LETB exactly the numbers concord agreement computes from reads.csv', async () => {
    const protocolPath = join(temp.path, 'agreement-protocol.json');
    writeFileSync(protocolPath, JSON.stringify({ items: agreementJson.items }));
    expect(agreementJson.items.slice(-2)).toEqual([
      { id: 'letb.percent', scale: 'continuous' },
      { id: 'letb.change_percent', scale: 'continuous' },
    ]);
    const cli = await concord(
      'agreement',
      '--reads',
      join(written.dir, 'reads.csv'),
      '--protocol',
      protocolPath,
      '--json',
    );
    expect(cli.code, cli.stderr).toBe(0);
    const items = JSON.parse(cli.stdout) as ItemAgreement[];
    const letb = items.filter((a) => a.item.startsWith('letb.'));
    expect(letb.map((a) => `${a.item}@${a.timepoint}`)).toEqual([
      'letb.percent@0',
      'letb.percent@1',
      'letb.change_percent@1',
    ]);
    expect(letb.map((a) => a.n)).toEqual([f.cases.length, f.cases.length - 1, f.cases.length - 1]);
    let compared = 0;
    for (const s of htmlStats()) {
      const item = items.find((a) => `${a.item}${a.timepoint === null ? '' : `@${a.timepoint}`}` === s.scope);
      if (!item) continue;
      expect(s.value, `${s.scope}|${s.path}`).toBe(String(valueAt(item, s.path)));
      if (s.scope.startsWith('letb.')) compared++;
    }
    // n, readers, six ICC forms with CIs, bias with CI and limits, for each of the three.
    expect(compared).toBeGreaterThan(3 * 20);
    for (const key of ['letb.percent@0', 'letb.percent@1', 'letb.change_percent@1']) {
      for (const path of ['icc.ICC2.value', 'icc.ICC2.ci.0', 'blandAltman.bias', 'blandAltman.upperLimit'])
        expect(
          htmlStats().some((s) => s.scope === key && s.path === path),
          `${key}|${path}`,
        ).toBe(true);
    }
    expect(html).toContain('<title>Bland–Altman plot: LETB, mean of three ROI placements (baseline)</title>');
  });

  it('gives the reproducibility of the three placements as the ICC of the placement table of reads.csv, per reader and pooled', async () => {
    const report = ok<StudyReport>(
      await f.services.dispatch('getStudyAgreement', { studyId: f.study.id }, f.coordinator),
    );
    expect(report.readsCsv).toBe(csvText);
    const n = f.cases.length;
    expect(report.letbReproducibility.map((r) => [r.reader, r.targets])).toEqual([
      ['Reader 1', 2 * n],
      ['Reader 2', 2 * n - 1],
      [null, 4 * n - 1],
    ]);
    for (const [i, r] of report.letbReproducibility.entries()) {
      const expected = JSON.parse(JSON.stringify(icc(placementMatrix(r.reader))));
      expect(r.icc, `${r.reader}`).toEqual(expected);
      expect(agreementJson.letbReproducibility[i]!.icc).toEqual(expected);
      expect(r.icc.estimable && r.icc.forms.ICC1.estimable, `${r.reader}`).toBe(true);
    }
    const reproducibility = htmlStats().filter(
      (s) => s.scope === '@report' && s.path.startsWith('letbReproducibility.'),
    );
    expect(reproducibility.length).toBe(3 * (1 + 3 * 3));
    for (const s of reproducibility) expect(s.value, s.path).toBe(String(valueAt(agreementJson, s.path)));
    expect(html).toContain('Reproducibility of the three ROI placements of LETB');
  });

  it('draws the ΔLETB waterfall of each reader from their reads', async () => {
    const cases = ok<UnblindedCase[]>(
      await f.services.dispatch('getUnblindedReads', { studyId: f.study.id }, f.coordinator),
    );
    const expected = cases.flatMap((c) =>
      c.reads.flatMap((r) =>
        r.letb?.change?.estimable
          ? [{ caseCode: c.caseCode, reader: r.reader, changePercent: r.letb.change.changePercent }]
          : [],
      ),
    );
    expect(agreementJson.letbWaterfall).toEqual(expected);
    expect(expected.filter((b) => b.reader === 'Reader 2')).toHaveLength(f.cases.length - 1);
    expect(
      html.match(/<title>Change of the liver enhancing tumour burden \(LETB\) at follow-up 1: Reader [12]<\/title>/g),
    ).toHaveLength(2);
  });

  it("groups the survival analysis by each reader's ΔLETB, naming the reader and the cases left out", async () => {
    const analysis = ok<OutcomeAnalysis>(
      await f.services.dispatch('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator),
    );
    const cases = ok<UnblindedCase[]>(
      await f.services.dispatch('getUnblindedReads', { studyId: f.study.id }, f.coordinator),
    );
    const letb = analysis.groupings.filter((g) => g.kind === 'letb');
    expect(letb.map((g) => `${g.reader?.displayName} ${g.thresholdPercent}`)).toEqual(
      ['Reader 1', 'Reader 2'].flatMap((r) => reportResponderThresholds.map((t) => `${r} ${t}`)),
    );
    for (const g of letb) {
      const reads = cases.map((c) => ({
        code: c.caseCode,
        read: c.reads.find((r) => r.readerId === g.reader!.readerId)!,
      }));
      const changes = reads.flatMap(({ code, read }) => {
        const [pre, post] = read.letb!.timepoints;
        return pre?.letbPercent != null && post?.letbPercent != null
          ? [{ code, change: letbChange(pre.letbPercent, post.letbPercent, [g.thresholdPercent!]) }]
          : [];
      });
      const responders = changes.filter((x) => x.change.estimable && x.change.responders[0]!.responder).length;
      expect(g.comparison.nPositive, `${g.reader?.displayName} ${g.thresholdPercent}`).toBe(responders);
      expect(g.comparison.nNegative).toBe(changes.length - responders);
      expect(g.positiveLabel).toBe(
        `LETB change < ${g.thresholdPercent! > 0 ? '+' : ''}${g.thresholdPercent} %, ${g.reader!.displayName}`,
      );
    }
    const left = letb.filter((g) => g.reader!.displayName === 'Reader 2').map((g) => g.leftOut);
    const code = [...cases]
      .sort((a, b) => a.caseCode.localeCompare(b.caseCode))
      .find((c) => c.reads.some((r) => r.reader === 'Reader 2' && r.letb?.change === null))!.caseCode;
    for (const l of left)
      expect(l).toEqual([
        {
          caseCode: code,
          reason: "no LETB at the first follow-up (1 of 3 ROI placements not evaluable) in Reader 2's read",
        },
      ]);
    expect(letb.filter((g) => g.reader!.displayName === 'Reader 1').every((g) => g.leftOut.length === 0)).toBe(true);

    // The report names the reader of every LETB row and draws the first reader's curves.
    expect(agreementJson.outcomes).toEqual(JSON.parse(JSON.stringify(analysis)));
    expect(html).toContain('Responder if ΔLETB, reader');
    expect(html).toContain('<title>Overall survival by ΔLETB &lt; −25.8 %, Reader 1</title>');
    expect(html).not.toContain('ΔLETB &lt; −25.8 %, Reader 2</title>');
    expect(html).not.toContain('No case with outcomes has a change of LETB');
    for (const s of htmlStats().filter((x) => x.scope === '@outcomes'))
      expect(s.value, s.path).toBe(String(valueAt(agreementJson.outcomes, s.path)));
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('turns the PDF into pages a person can look at', () => {
    const pdftoppm = ['/usr/bin/pdftoppm'].find(existsSync);
    if (!pdftoppm) {
      console.log('skipped: no pdftoppm (apt-get install poppler-utils)');
      return;
    }
    const prefix = join(written.dir, 'page');
    execFileSync(pdftoppm, ['-png', '-r', '60', join(written.dir, 'report.pdf'), prefix]);
    expect(existsSync(`${prefix}-1.png`) || existsSync(`${prefix}-01.png`)).toBe(true);
  });
});
