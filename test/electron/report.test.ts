import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeAnalysis, OutcomesImported, StudyOverview } from '../../core/ipc/contract';
import type { StudyReport } from '../../core/report/studyReport';
import type { ItemAgreement } from '../../core/agreement/itemAgreement';
import { makeTempDir } from '../helpers/tempDir';
import { outcomesCsv } from '../helpers/outcomesCsv';
import { ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { readCohort } from '../helpers/scriptedReaders';
import { demoPhi, phiFound } from '../helpers/demoPhi';
import { concord } from '../helpers/concord';

/**
 * The demo cohort read by two scripted readers through the contract (one at the ground truth,
 * one with their own calipers and visual answers), unblinded and reported: the files exist, the
 * PDF has pages, nothing identifying is in them, and every number in report.html equals what
 * `concord agreement` prints for the exported reads.csv.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let written: { dir: string; files: { name: string; path: string }[] };

const burdens = ['<25%', '25-50%', '>50-75%', '>75%'];

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 2);
  const demo = join(temp.path, 'demo');
  await readCohort(f, demo, 0, {
    caliperScale: () => 1,
    enhancement: () => 'hyperenhancing',
    burden: (i) => burdens[i % 4]!,
  });
  await readCohort(f, demo, 1, {
    caliperScale: (i, lesion) => 1 + 0.08 * ((i + lesion) % 3) - 0.05,
    enhancement: (i) => (i === 3 ? 'iso-/hypoenhancing' : 'hyperenhancing'),
    burden: (i) => burdens[Math.min(3, (i % 4) + (i === 1 ? 1 : 0))]!,
  });
  ok<StudyOverview>(await f.services.dispatch('unblindStudy', { studyId: f.study.id }, f.coordinator));
  ok<OutcomesImported>(
    await f.services.dispatch('importOutcomes', { studyId: f.study.id, csv: outcomesCsv(f.cases) }, f.coordinator),
  );
  written = ok(
    await f.services.dispatch('exportStudyReport', { studyId: f.study.id, includeIdentity: false }, f.coordinator),
  );
}, 240_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

describe('the agreement report of the demo cohort', () => {
  it('writes report.pdf, report.html, reads.csv and agreement.json, without PHI', async () => {
    expect(written.files.map((x) => x.name).sort()).toEqual([
      'agreement.json',
      'reads.csv',
      'report.html',
      'report.pdf',
    ]);
    const pdf = readFileSync(join(written.dir, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const phi = await demoPhi(f.services.context.db);
    for (const name of ['report.html', 'reads.csv', 'agreement.json'])
      expect(phiFound(readFileSync(join(written.dir, name), 'utf8'), phi), name).toEqual([]);
  });

  it('shows in report.html exactly the numbers concord agreement computes from reads.csv', async () => {
    const report = ok<StudyReport>(
      await f.services.dispatch('getStudyAgreement', { studyId: f.study.id }, f.coordinator),
    );
    const protocolPath = join(temp.path, 'agreement-protocol.json');
    writeFileSync(protocolPath, JSON.stringify({ items: report.items }));
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
    const html = readFileSync(join(written.dir, 'report.html'), 'utf8');
    const stats = [...html.matchAll(/data-stat="([^"]+)"[^>]*data-value="([^"]*)"/g)].map((m) => ({
      key: m[1]!,
      value: m[2]!,
    }));
    expect(stats.length).toBeGreaterThan(10);
    let compared = 0;
    for (const it of items) {
      for (const field of ['kappa', 'weightedKappaLinear', 'weightedKappaQuadratic', 'percentAgreement'] as const) {
        const v = it[field];
        const shown = stats.find(
          (s) => s.key === `${it.item}${it.timepoint === null ? '' : `@${it.timepoint}`}|${field}`,
        );
        if (v === null || !shown) continue;
        expect(Number(shown.value), `${it.item} ${field}`).toBe(v);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(4);
  });

  it('has the outcomes section with the numbers of getOutcomeAnalysis, which agreement.json carries', async () => {
    const analysis = ok<OutcomeAnalysis>(
      await f.services.dispatch('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator),
    );
    const json = JSON.parse(readFileSync(join(written.dir, 'agreement.json'), 'utf8')) as {
      outcomes: OutcomeAnalysis | null;
    };
    expect(json.outcomes).toEqual(JSON.parse(JSON.stringify(analysis)));
    const html = readFileSync(join(written.dir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="outcomes" class="break"><h2>Outcomes</h2>');
    expect(html).not.toContain('Outcomes were not imported');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    const stats = [...html.matchAll(/data-stat="@outcomes\|([^"]+)" data-value="([^"]*)"/g)].map((m) => ({
      path: m[1]!,
      value: m[2]!,
    }));
    expect(stats.length).toBeGreaterThan(100);
    for (const s of stats) {
      const value = s.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], json.outcomes);
      expect(s.value, s.path).toBe(String(value));
    }
    // No ROI was placed, so no case has a LETB change: no LETB table, and curves of RECIST 1.1
    // and mRECIST of the first reader only.
    expect(html).toContain('No case with outcomes has a change of LETB');
    expect(html.match(/<title>Overall survival by [^<]*<\/title>/g)).toEqual([
      '<title>Overall survival by RECIST 1.1, Reader 1</title>',
      '<title>Overall survival by mRECIST, Reader 1</title>',
    ]);
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
