import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnblindedCase } from '../../core/ipc/contract';
import { createSeededRandom } from '../../core/random/seededRandom';
import { buildStudyReport } from '../../core/report/studyReport';
import { renderReportHtml } from '../../core/report/renderReportHtml';
import { referenceProtocol } from '../../core/studies/protocol';
import { assessRead } from '../../core/studies/assessRead';
import type { ReadEntry } from '../../core/studies/readForm';
import { findChromium, htmlToPdfWithChromium } from '../../electron/platform/chromiumPdf';

/**
 * `npm run bench -- report`: a study of 200 cases × 2 readers (two liver targets, RECIST 1.1 and
 * mRECIST, the reference protocol's two questions) reported end to end in one run: the report
 * (long rows, agreement of every item, cross-tables, plots), its HTML, and the PDF through
 * headless Chromium; target under 3 s. Peer: R (psych::cohen.kappa and psych::ICC) computing
 * only the agreement statistics of the same reads.csv, started the same way (Rscript).
 */
const cases = 200;
const readers = ['Reader 1', 'Reader 2'];
const burdens = referenceProtocol.items[1]!.kind === 'ordinal' ? referenceProtocol.items[1]!.levels : [];

function syntheticStudy(): UnblindedCase[] {
  const rng = createSeededRandom(2026);
  const out: UnblindedCase[] = [];
  for (let c = 0; c < cases; c++) {
    const baseline = [20 + rng.uniform() * 80, 10 + rng.uniform() * 40];
    const ratio = 0.4 + rng.uniform() * 1.0;
    const viableBase = baseline.map((d) => d * (0.5 + rng.uniform() * 0.5));
    const viableRatio = rng.uniform() * 1.2;
    const enhancement = rng.uniform() < 0.6 ? 'hyperenhancing' : 'iso-/hypoenhancing';
    const burden = Math.floor(rng.uniform() * 4);
    const reads = readers.map((reader, r) => {
      const noise = () => (r === 0 ? 1 : 1 + rng.normal() * 0.08);
      const m = (mm: number) => ({
        status: 'measured' as const,
        aLps: [0, 0, 0] as [number, number, number],
        bLps: [mm, 0, 0] as [number, number, number],
        seriesKey: 't0-s1',
        lengthMm: mm,
      });
      const entries: ReadEntry[] = [];
      baseline.forEach((d, i) => {
        entries.push({ timepoint: 0, item: `target${i + 1}.longest`, value: m(d * noise()) });
        entries.push({ timepoint: 1, item: `target${i + 1}.longest`, value: m(d * ratio * noise()) });
        entries.push({ timepoint: 0, item: `target${i + 1}.viable`, value: m(viableBase[i]! * noise()) });
        entries.push({ timepoint: 1, item: `target${i + 1}.viable`, value: m(viableBase[i]! * viableRatio * noise()) });
      });
      entries.push(
        { timepoint: 0, item: 'nontarget', value: 'absent' },
        { timepoint: 1, item: 'nontarget', value: 'absent' },
        { timepoint: 1, item: 'new_lesion', value: rng.uniform() < 0.1 },
      );
      entries.push({
        timepoint: 0,
        item: 'enhancement',
        value:
          r === 1 && rng.uniform() < 0.15
            ? enhancement === 'hyperenhancing'
              ? 'iso-/hypoenhancing'
              : 'hyperenhancing'
            : enhancement,
      });
      entries.push({
        timepoint: 0,
        item: 'burden',
        value: burdens[Math.min(3, Math.max(0, burden + (r === 1 ? Math.round(rng.normal() * 0.6) : 0)))]!,
      });
      return {
        readId: c * 2 + r + 1,
        readerId: r + 1,
        reader,
        submittedAt: '2026-01-01T00:00:00Z',
        entries,
        assessment: assessRead(referenceProtocol, 2, entries),
        letb: null,
      };
    });
    out.push({
      caseId: c + 1,
      caseCode: `C-${String(c + 1).padStart(3, '0')}`,
      timepoints: [
        { ordinal: 0, label: 'baseline' },
        { ordinal: 1, label: '+6 weeks' },
      ],
      reads,
    });
  }
  return out;
}

const rScript = `
suppressPackageStartupMessages(library(psych))
d <- read.csv(commandArgs(TRUE)[1], colClasses = "character")
wide <- function(item, tp) {
  x <- d[d$item == item & d$timepoint == tp, ]
  w <- reshape(x[, c("case_code", "reader", "value")], idvar = "case_code", timevar = "reader", direction = "wide")
  w[complete.cases(w), -1]
}
for (it in list(c("enhancement", "0"), c("burden", "0"), c("recist.overall_response", "1"), c("mrecist.overall_response", "1"), c("recist.objective_response", ""), c("mrecist.objective_response", ""))) {
  w <- wide(it[1], it[2]); invisible(cohen.kappa(w))
}
for (it in list(c("recist.sum_mm", "0"), c("recist.sum_mm", "1"), c("mrecist.sum_mm", "0"), c("mrecist.sum_mm", "1"))) {
  w <- wide(it[1], it[2]); w[] <- lapply(w, as.numeric); invisible(ICC(w, lmer = FALSE))
}
cat("ok\\n")
`;

function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let n = 0; n < runs; n++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min / 1000;
}

export async function benchReport(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-report-'));
  try {
    const study = syntheticStudy();
    const meta = {
      name: 'Benchmark study',
      protocol: referenceProtocol,
      randomizationSeed: 1,
      createdAt: '2026-01-01T00:00:00Z',
      frozenAt: '2026-01-02T00:00:00Z',
      unblindedAt: '2026-02-01T00:00:00Z',
      readers,
      software: { name: 'Concord', version: 'bench' },
      generatedAt: new Date().toISOString(),
    };
    let report = buildStudyReport(meta, study);
    const statsSeconds = best(5, () => void (report = buildStudyReport(meta, study)));
    let html = '';
    const htmlSeconds = best(5, () => void (html = renderReportHtml(report)));
    const csvPath = join(dir, 'reads.csv');
    writeFileSync(csvPath, report.readsCsv);
    const htmlPath = join(dir, 'report.html');
    const pdfPath = join(dir, 'report.pdf');
    const chromium = findChromium();
    if (!chromium) throw new Error('No Chromium found (apt-get install chromium, or set CONCORD_CHROMIUM)');

    // The full action, as the app does it: report, HTML, files, PDF.
    const fullRuns: number[] = [];
    for (let n = 0; n < 3; n++) {
      const t = performance.now();
      const r = buildStudyReport(meta, study);
      writeFileSync(join(dir, 'reads-full.csv'), r.readsCsv);
      writeFileSync(join(dir, 'agreement.json'), JSON.stringify(r.agreement));
      writeFileSync(htmlPath, renderReportHtml(r));
      await htmlToPdfWithChromium(htmlPath, pdfPath, chromium);
      fullRuns.push((performance.now() - t) / 1000);
    }
    const full = Math.min(...fullRuns);

    console.log(
      `report bench: ${cases} cases x ${readers.length} readers, ${report.rows.length} long rows, ${report.agreement.length} items, HTML ${(html.length / 1024).toFixed(0)} KiB, PDF ${(statSync(pdfPath).size / 1024).toFixed(0)} KiB`,
    );
    console.log(`  report statistics (rows, agreement of every item, cross-tables): ${statsSeconds.toFixed(3)} s`);
    console.log(`  HTML with SVG plots: ${htmlSeconds.toFixed(3)} s`);
    console.log(
      `  full report with PDF (headless Chromium ${chromium}): ${full.toFixed(2)} s (best of 3; target < 3 s) ${full < 3 ? 'OK' : 'SLOW'}`,
    );

    const rscript = ['/usr/bin/Rscript'].find(existsSync);
    if (!rscript) {
      console.log('  peer: skipped (no Rscript; apt-get install r-base-core r-cran-psych)');
      return;
    }
    const rPath = join(dir, 'peer.R');
    writeFileSync(rPath, rScript);
    const rRuns: number[] = [];
    for (let n = 0; n < 3; n++) {
      const t = performance.now();
      const res = spawnSync(rscript, [rPath, csvPath], { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`R peer failed: ${res.stderr}`);
      rRuns.push((performance.now() - t) / 1000);
    }
    const rBest = Math.min(...rRuns);
    console.log(
      `  peer: R psych (cohen.kappa on 6 categorical items, ICC on 4 sums; statistics only, Rscript start included): ${rBest.toFixed(2)} s`,
    );
    console.log(
      `  ratio: R statistics only / Concord statistics = ${(rBest / statsSeconds).toFixed(1)}x; R statistics only / Concord full report with PDF = ${(rBest / full).toFixed(2)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
