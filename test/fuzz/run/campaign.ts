import { cpSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CliResult, Inventory, LoadResult } from '../child/protocol';
import { loadCorpus, type LetbContext } from '../corpus';
import { generateCase, withFreshUids, type Family, type FuzzCase } from '../generateCase';
import type { Expectation } from '../mutations/types';
import { caseRng } from '../rng';
import { acceptance, difference, failing, isUnexpectedMessage, refusal, worse, type Outcome } from './outcomes';
import { FuzzWorker, lastLines, runConcord, type Abnormal } from './processes';

export interface CampaignOptions {
  seed: number;
  /** Mutated files to make (controls come on top). */
  count: number;
  /** Only these case indices (re-making single cases); controls are skipped then. */
  only?: readonly number[];
  /** Files per `concord import` process (default 200). */
  batchSize?: number;
  /**
   * Kill any child above this resident memory (default 768 MB; a clean concord letb of the demo needs about
   * 130, the worker about 300).
   */
  rssCapMb?: number;
  /** Peak memory `concord import` may reach (issue 12: 300 MB). */
  importRssLimitMb?: number;
  /** Time one file may take (default 60 s; batches get this plus 1 s a file). */
  fileTimeoutMs?: number;
  /** Keep the work folder (cases, data folders) instead of removing it. */
  keep?: boolean;
  workDir?: string;
  log?: (line: string) => void;
}

export interface CaseResult {
  id: string;
  index: number;
  family: Family | 'control';
  kind: string;
  variant: string;
  source: string;
  expect: Expectation;
  fileName: string;
  outcome: Outcome;
  message: string;
  peakRssMb?: number;
}

export interface CampaignReport {
  seed: number;
  count: number;
  filesTried: number;
  results: CaseResult[];
  /** Failures no single file could be blamed for. */
  runFailures: string[];
  peakRssMb: { batchImport: number; singleImport: number; letbMask: number; worker: number };
  workerRestarts: number;
  durationMs: number;
  workDir: string;
}

interface CaseFile {
  result: CaseResult;
  path: string;
  case?: FuzzCase;
}

export interface LetbJson {
  liverMl: number;
  letbPercent: number;
  placements: { meanHu: number; sdHu: number; roiVoxels: number; enhancingMl: number }[];
}

/**
 * A seeded mutation campaign over real files (issue 12 item 9): makes `count` cases (generateCase),
 * runs each the way a user would meet it (concord import, concord letb, the services' volume
 * loading) and judges every case (outcomes.ts). Never throws for a product failure: they are
 * results. Throws only when the campaign itself cannot be set up (e.g. the clean demo fails).
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const log = (line: string) => options.log?.(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const rssCapMb = options.rssCapMb ?? 768;
  const importRssLimitMb = options.importRssLimitMb ?? 300;
  const fileTimeoutMs = options.fileTimeoutMs ?? 60_000;
  const batchSize = options.batchSize ?? 200;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), `concord-fuzz-${options.seed}-`));
  mkdirSync(workDir, { recursive: true });
  const worker = new FuzzWorker(rssCapMb);
  const results: CaseResult[] = [];
  const runFailures: string[] = [];
  const peak = { batchImport: 0, singleImport: 0, letbMask: 0, worker: 0 };
  let runs = 0;
  const newDir = (what: string) => {
    const dir = join(workDir, 'runs', `${what}-${++runs}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  const cli = async (argv: string[], timeoutMs = fileTimeoutMs): Promise<CliResult | Abnormal> => {
    const r = await worker.request<CliResult>({ op: 'cli', argv }, timeoutMs);
    if ('abnormal' in r) return r.abnormal;
    if ('thrown' in r) return { kind: 'crash', detail: `harness: ${r.thrown}` };
    return r.value;
  };
  const must = async <T>(
    what: string,
    p: Promise<{ value: T } | { abnormal: Abnormal } | { thrown: string }>,
  ): Promise<T> => {
    const r = await p;
    if ('value' in r) return r.value;
    throw new Error(
      `fuzz set-up: ${what} failed: ${'abnormal' in r ? `${r.abnormal.kind} ${r.abnormal.detail}` : r.thrown}`,
    );
  };

  try {
    // --- Set-up: the demo cohort, the baseline data folder, the clean results. ---
    const demoDir = join(workDir, 'demo');
    const demo = await must<CliResult>(
      'concord demo',
      worker.request({ op: 'cli', argv: ['demo', '--out', demoDir, '--size', 'small', '--json'] }, 300_000),
    );
    if (demo.code !== 0) throw new Error(`fuzz set-up: concord demo failed: ${demo.err}`);
    const corpus = loadCorpus(demoDir);
    const baselineDir = join(workDir, 'baseline');
    for (const folder of corpus.baselineFolders) {
      const r = await must<CliResult>(
        'baseline import',
        worker.request({ op: 'cli', argv: ['import', folder, '--data-dir', baselineDir, '--json'] }, 300_000),
      );
      if (r.code !== 0) throw new Error(`fuzz set-up: baseline import of ${folder} failed: ${r.err}`);
    }
    const baseline = await must<Inventory>(
      'baseline inventory',
      worker.request({ op: 'inventory', dataDir: baselineDir }, 120_000),
    );
    const target = await must<LoadResult>(
      'baseline arterial series',
      worker.request({ op: 'load', dataDir: baselineDir, seriesInstanceUid: corpus.arterialSeriesUid }, 120_000),
    );
    if (!target.ok) throw new Error(`fuzz set-up: the clean arterial series does not load: ${target.error.message}`);
    await worker.request({ op: 'close' }, 60_000);

    const letbArgv = (ctx: LetbContext, arterial: string, mask: string) => [
      'letb',
      '--pre',
      ctx.pre,
      '--arterial',
      arterial,
      '--mask',
      mask,
      ...ctx.rois.flatMap((r) => ['--roi', r]),
      '--roi-ml',
      String(ctx.roiMl),
      '--json',
    ];
    const maskDir = join(workDir, 'masks');
    mkdirSync(maskDir, { recursive: true });
    const cleanMasks = new Map<string, { path: string; result: LetbJson }>();
    for (const [n, m] of corpus.masks.entries()) {
      const path = join(maskDir, `clean-${n}${m.suffix}`);
      writeFileSync(path, m.bytes);
      const r = await cli(letbArgv(corpus.contexts[m.context]!, corpus.contexts[m.context]!.arterial, path), 300_000);
      if ('kind' in r || r.code !== 0)
        throw new Error(`fuzz set-up: the clean mask ${m.name} gives no LETB: ${'kind' in r ? r.detail : r.err}`);
      cleanMasks.set(m.name, { path, result: JSON.parse(r.out) as LetbJson });
    }
    const cleanDemoMask = cleanMasks.get(corpus.masks[0]!.name)!;
    log(
      `fuzz: seed ${options.seed}, clean demo LETB ${cleanDemoMask.result.letbPercent.toFixed(4)} %, liver ${cleanDemoMask.result.liverMl} mL; work folder ${workDir}`,
    );

    // --- The cases. ---
    const caseDir = join(workDir, 'cases');
    mkdirSync(caseDir, { recursive: true });
    const byFamily: Record<Family | 'control', CaseFile[]> = {
      control: [],
      import: [],
      letb: [],
      join: [],
      mask: [],
      hostile: [],
    };
    if (!options.only) {
      for (const [n, src] of [...corpus.shared, ...corpus.demo].entries()) {
        const fresh = withFreshUids(src, caseRng(options.seed, `control:${n}`));
        const fileName = `control-${String(n).padStart(3, '0')}.dcm`;
        const path = join(caseDir, fileName);
        writeFileSync(path, fresh.bytes);
        byFamily.control.push({
          path,
          result: {
            id: `control:${n}`,
            index: -1 - n,
            family: 'control',
            kind: 'control',
            variant: 'unmutated, fresh UIDs',
            source: src.name,
            expect: 'either',
            fileName,
            outcome: 'ok',
            message: '',
          },
        });
      }
    }
    const indices = options.only ?? Array.from({ length: options.count }, (_, i) => i);
    for (const index of indices) {
      const c = await generateCase(corpus, options.seed, index);
      const path = join(caseDir, c.fileName);
      writeFileSync(path, c.bytes);
      const { bytes: _bytes, ...rest } = c;
      byFamily[c.family].push({
        path,
        case: { ...rest, bytes: new Uint8Array(0) },
        result: {
          id: c.id,
          index,
          family: c.family,
          kind: c.kind,
          variant: c.variant,
          source: c.source,
          expect: c.expect,
          fileName: c.fileName,
          outcome: 'ok',
          message: '',
        },
      });
    }
    log(
      `fuzz: ${indices.length} cases made (${Object.entries(byFamily)
        .map(([f, l]) => `${f} ${l.length}`)
        .join(', ')})`,
    );
    const done = (f: CaseFile, outcome: Outcome, message: string) => {
      f.result.outcome = outcome;
      f.result.message = message.slice(0, 500);
      results.push(f.result);
    };

    // --- Hostile files: one process each, peak memory measured. ---
    const hostile = async (f: CaseFile) => {
      if (f.case!.use === 'mask') {
        const m = corpus.masks.find((x) => x.name === f.result.source)!;
        const c = corpus.contexts[m.context]!;
        const r = await runConcord(letbArgv(c, c.arterial, f.path), {
          timeoutMs: fileTimeoutMs,
          rssCapMb,
          scratchDir: workDir,
        });
        peak.letbMask = Math.max(peak.letbMask, r.peakRssMb);
        f.result.peakRssMb = Math.round(r.peakRssMb);
        const [outcome, message] = judgeLetb(
          r.abnormal ?? { code: r.code ?? 1, out: r.stdout, err: r.stderr },
          cleanMasks.get(m.name)!.result,
          f.result.expect,
        );
        return done(f, outcome, `${message} (peak ${Math.round(r.peakRssMb)} MB)`);
      }
      const runDir = newDir('hostile');
      const dataDir = join(runDir, 'data');
      cpSync(baselineDir, dataDir, { recursive: true });
      const folder = join(runDir, 'in');
      mkdirSync(folder);
      linkOrCopy(f.path, join(folder, f.result.fileName));
      const r = await runConcord(['import', folder, '--data-dir', dataDir, '--json'], {
        timeoutMs: fileTimeoutMs,
        rssCapMb,
        scratchDir: workDir,
      });
      peak.singleImport = Math.max(peak.singleImport, r.peakRssMb);
      f.result.peakRssMb = Math.round(r.peakRssMb);
      const runProblem = importRunProblem(r.abnormal ?? { code: r.code ?? 1, out: r.stdout, err: r.stderr });
      let outcome: Outcome;
      let message: string;
      if (runProblem) [outcome, message] = [runProblem.outcome, runProblem.message];
      else {
        const checked = await checkImported([f], {
          dataDir,
          folder,
          imported: JSON.parse(r.stdout) as ImportJson,
          worker,
          baseline,
          fileTimeoutMs,
          cli,
        });
        await worker.request({ op: 'close' }, 60_000);
        [outcome, message] = checked.get(f)!;
      }
      if (r.peakRssMb > importRssLimitMb)
        [outcome, message] = [
          worse(outcome, 'memory'),
          `concord import peaked at ${Math.round(r.peakRssMb)} MB (limit ${importRssLimitMb} MB); ${message}`,
        ];
      done(f, outcome, `${message} (peak ${Math.round(r.peakRssMb)} MB)`);
      if (!options.keep) rmSync(runDir, { recursive: true, force: true });
    };
    // Their own processes run beside the worker's phases below (two lanes); the worker, which
    // also checks their imports, takes one request at a time.
    const queue = [...byFamily.hostile];
    const hostileDone = Promise.all(
      [0, 1].map(async () => {
        for (let f = queue.shift(); f; f = queue.shift()) await hostile(f);
      }),
    );

    // --- Import: batches through the real CLI; a failing batch is split until the file is found. ---
    const batchOptions = {
      worker,
      baselineDir,
      baseline,
      fileTimeoutMs,
      newDir,
      done,
      runFailures,
      cli,
      keep: options.keep === true,
    };
    const importCases = [...byFamily.control, ...byFamily.import];
    for (let start = 0; start < importCases.length; start += batchSize) {
      const batch = importCases.slice(start, start + batchSize);
      const t0 = Date.now();
      const mb = await importRun(batch, {
        ...batchOptions,
        real: { rssCapMb, importRssLimitMb, onPeak: (v) => (peak.batchImport = Math.max(peak.batchImport, v)) },
      });
      log(
        `fuzz: import batch ${start / batchSize + 1}/${Math.ceil(importCases.length / batchSize)}: ${batch.length} files, ${((Date.now() - t0) / 1000).toFixed(1)} s, concord import peak ${Math.round(mb)} MB`,
      );
    }

    // A mutation's expectation is relative to its source: a "same" re-encoding of a file that
    // is no image (a report, a DICOMDIR) is rightly skipped like the file itself. And say so
    // when a file fails at load as its unmutated copy does (the defect is the source's).
    const controlOutcome = new Map(byFamily.control.map((f) => [f.result.source, f.result.outcome]));
    for (const f of [...byFamily.import, ...byFamily.hostile]) {
      const control = controlOutcome.get(f.result.source);
      if (f.result.outcome === 'refusedValid' && (control === 'named' || control === 'indexedUnloadable')) {
        f.result.outcome = 'named';
        f.result.message = `${f.result.message} (its unmutated copy is refused too)`;
      }
      if (f.result.outcome === 'indexedUnloadable' && control === 'indexedUnloadable')
        f.result.message = `${f.result.message} (its unmutated copy fails alike)`;
    }

    // --- Join: files claiming the indexed arterial series, each on a copy of the baseline. ---
    for (const f of byFamily.join) {
      const runDir = newDir('join');
      const dataDir = join(runDir, 'data');
      cpSync(baselineDir, dataDir, { recursive: true });
      const folder = join(runDir, 'in');
      mkdirSync(folder);
      linkOrCopy(f.path, join(folder, f.result.fileName));
      const r = await cli(['import', folder, '--data-dir', dataDir, '--json']);
      const runProblem = importRunProblem(r);
      if (runProblem) {
        done(f, runProblem.outcome, runProblem.message);
        continue;
      }
      const checked = await checkImported([f], {
        dataDir,
        folder,
        imported: JSON.parse((r as CliResult).out) as ImportJson,
        worker,
        baseline,
        fileTimeoutMs,
        cli,
        skipBaseline: corpus.arterialSeriesUid,
      });
      let [outcome, message] = checked.get(f)!;
      const inv = checked.inventory;
      const before = baseline.series[corpus.arterialSeriesUid]!;
      const after = inv?.series[corpus.arterialSeriesUid];
      if (inv && after?.digest !== before.digest) {
        // The indexed series changed: acceptable only when it is now refused with a reason.
        const flagged = checked.seriesFlags.get(corpus.arterialSeriesUid);
        const load =
          flagged?.loadable === false
            ? undefined
            : await worker.request<LoadResult>(
                { op: 'load', dataDir, seriesInstanceUid: corpus.arterialSeriesUid },
                fileTimeoutMs,
              );
        const what = `the indexed arterial series went from ${before.instances} to ${after?.instances ?? 0} instances`;
        if (flagged?.loadable === false)
          [outcome, message] = [
            worse(outcome, 'named'),
            `${what} and is flagged not loadable: ${flagged.problems.join('; ')}`,
          ];
        else if (load && 'abnormal' in load)
          [outcome, message] = [load.abnormal.kind, `${what}; loading it: ${load.abnormal.detail}`];
        else if (load && 'value' in load && !load.value.ok)
          [outcome, message] =
            isUnexpectedMessage(load.value.error.message) || load.value.error.code === 'INTERNAL'
              ? ['unexpected', load.value.error.message]
              : [worse(outcome, 'named'), `${what}; it is refused at load: ${load.value.error.message}`];
        else if (load && 'value' in load && load.value.ok)
          [outcome, message] = [
            'silentlyWrong',
            `${what} and loads without a word${load.value.digest === target.digest ? ' (same voxels)' : `, ${target.ok ? target.dims.join('x') : '?'} -> ${load.value.dims.join('x')}, other voxels`}`,
          ];
      }
      done(f, outcome, message);
      await worker.request({ op: 'close' }, 60_000);
      if (!options.keep) rmSync(runDir, { recursive: true, force: true });
    }
    log(`fuzz: join cases done (${byFamily.join.length})`);

    // --- LETB: one arterial slice replaced by the mutated file. ---
    const ctx = corpus.contexts.demo!;
    for (const f of byFamily.letb) {
      const runDir = newDir('letb');
      const art = join(runDir, 'ART');
      mkdirSync(art);
      for (const s of corpus.arterial) {
        if (s.fileName === f.case!.slice) copyFileSync(f.path, join(art, s.fileName));
        else linkOrCopy(join(ctx.arterial, s.fileName), join(art, s.fileName));
      }
      const [outcome, message] = judgeLetb(
        await cli(letbArgv(ctx, art, cleanDemoMask.path)),
        cleanDemoMask.result,
        f.result.expect,
      );
      done(f, outcome, message);
      if (!options.keep) rmSync(runDir, { recursive: true, force: true });
    }
    log(`fuzz: LETB cases done (${byFamily.letb.length})`);

    // --- Masks: concord letb with the mutated mask. ---
    for (const f of byFamily.mask) {
      const m = corpus.masks.find((x) => x.name === f.result.source)!;
      const c = corpus.contexts[m.context]!;
      const [outcome, message] = judgeLetb(
        await cli(letbArgv(c, c.arterial, f.path)),
        cleanMasks.get(m.name)!.result,
        f.result.expect,
      );
      done(f, outcome, message);
    }
    log(`fuzz: mask cases done (${byFamily.mask.length})`);
    await hostileDone;

    log(`fuzz: hostile cases done (${byFamily.hostile.length})`);
  } finally {
    peak.worker = worker.peakRssMb;
    await worker.close();
    if (!options.keep && !options.workDir) rmSync(workDir, { recursive: true, force: true });
  }

  results.sort((a, b) => (a.index < 0 && b.index < 0 ? b.index - a.index : a.index - b.index));
  return {
    seed: options.seed,
    count: options.only ? options.only.length : options.count,
    filesTried: results.length,
    results,
    runFailures,
    peakRssMb: {
      batchImport: Math.round(peak.batchImport),
      singleImport: Math.round(peak.singleImport),
      letbMask: Math.round(peak.letbMask),
      worker: Math.round(peak.worker),
    },
    workerRestarts: worker.restarts,
    durationMs: Date.now() - started,
    workDir,
  };
}

export function failures(report: CampaignReport): CaseResult[] {
  return report.results.filter((r) => failing.includes(r.outcome));
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

interface ImportJson {
  skipped: { path: string; reason: string }[];
  state: string;
}

/** The whole import failed: a crash, a hang, memory, or a reason on stderr instead of the summary. */
export function importRunProblem(r: CliResult | Abnormal): { outcome: Outcome; message: string } | undefined {
  if ('kind' in r) return { outcome: r.kind, message: r.detail };
  if (r.code !== 0)
    return {
      outcome: isUnexpectedMessage(r.err) ? 'unexpected' : 'aborted',
      message: `concord import exit ${r.code}: ${lastLines(r.err)}`,
    };
  try {
    const json = JSON.parse(r.out) as ImportJson;
    if (!Array.isArray(json.skipped))
      return { outcome: 'unexpected', message: 'concord import --json printed no skip list' };
  } catch {
    return { outcome: 'unexpected', message: `concord import --json printed no JSON: ${r.out.slice(0, 200)}` };
  }
  return undefined;
}

interface CheckContext {
  dataDir: string;
  folder: string;
  imported: ImportJson;
  worker: FuzzWorker;
  baseline: Inventory;
  fileTimeoutMs: number;
  cli: (argv: string[], timeoutMs?: number) => Promise<CliResult | Abnormal>;
  /** A baseline series the case is meant to target (judged by the caller). */
  skipBaseline?: string;
}

interface SeriesFlags {
  loadable?: boolean;
  problems: string[];
  modality?: string;
}

/**
 * Modalities the app opens as a volume (the series list's Open and LETB); other series (DICOM SEG masks, RT
 * dose, …) are inputs of other screens.
 */
const volumeModalities = new Set(['CT', 'MR']);

type Checked = Map<CaseFile, [Outcome, string]> & {
  inventory?: Inventory;
  seriesFlags: Map<string, SeriesFlags>;
  runProblem?: { outcome: Outcome; message: string };
};

/**
 * After an import that finished: every file indexed (its series loads, or is flagged not
 * loadable with its problems) or listed with its reason; the baseline series untouched; no
 * empty series; concord db-check ok. A problem of the run (baseline, empty series, db-check)
 * is returned as `runProblem` for the caller to pin on a file.
 */
async function checkImported(files: readonly CaseFile[], c: CheckContext): Promise<Checked> {
  const out = new Map() as Checked;
  out.seriesFlags = new Map();
  const inv = await c.worker.request<Inventory>(
    { op: 'inventory', dataDir: c.dataDir },
    c.fileTimeoutMs + files.length * 100,
  );
  if (!('value' in inv)) {
    const problem =
      'abnormal' in inv
        ? { outcome: inv.abnormal.kind, message: `listing the index: ${inv.abnormal.detail}` }
        : { outcome: 'unexpected' as Outcome, message: `the index cannot be read: ${inv.thrown}` };
    for (const f of files) out.set(f, [problem.outcome, problem.message]);
    out.runProblem = problem;
    return out;
  }
  const inventory = inv.value;
  out.inventory = inventory;

  const changed = Object.entries(c.baseline.series).filter(
    ([uid, s]) => uid !== c.skipBaseline && inventory.series[uid]?.digest !== s.digest,
  );
  const runProblems: { outcome: Outcome; message: string }[] = [];
  if (changed.length > 0)
    runProblems.push({
      outcome: 'cleanChanged',
      message: `series imported before changed: ${changed.map(([uid, s]) => `${uid} (${s.instances} -> ${inventory.series[uid]?.instances ?? 0} instances)`).join(', ')}`,
    });
  if (inventory.emptySeries.length > 0)
    runProblems.push({
      outcome: 'emptySeries',
      message: `series without instances: ${inventory.emptySeries.join(', ')}`,
    });
  const check = await c.cli(['db-check', '--data-dir', c.dataDir, '--json']);
  if ('kind' in check) runProblems.push({ outcome: check.kind, message: `concord db-check: ${check.detail}` });
  else if (check.code !== 0)
    runProblems.push({ outcome: 'dbCheck', message: `concord db-check: ${lastLines(check.out + check.err)}` });

  // loadable / problems per series, when `concord series --json` reports them.
  const listed = await c.cli(['series', '--data-dir', c.dataDir, '--json']);
  if (!('kind' in listed) && listed.code === 0) {
    for (const s of JSON.parse(listed.out) as {
      seriesInstanceUid: string;
      modality?: string;
      loadable?: boolean;
      problems?: string[];
    }[]) {
      out.seriesFlags.set(s.seriesInstanceUid, {
        ...(s.loadable === undefined ? {} : { loadable: s.loadable }),
        problems: s.problems ?? [],
        ...(s.modality === undefined ? {} : { modality: s.modality }),
      });
    }
  } else
    runProblems.push({
      outcome: 'kind' in listed ? listed.kind : isUnexpectedMessage(listed.err) ? 'unexpected' : 'aborted',
      message: `concord series: ${'kind' in listed ? listed.detail : lastLines(listed.err)}`,
    });

  const skipped = new Map(c.imported.skipped.map((s) => [basename(s.path), s.reason]));
  const indexed = new Map(Object.entries(inventory.files).map(([path, series]) => [basename(path), { path, series }]));
  const loads = new Map<string, Promise<[Outcome, string]>>();
  const loadSeries = (uid: string): Promise<[Outcome, string]> => {
    let p = loads.get(uid);
    if (!p) {
      p = (async (): Promise<[Outcome, string]> => {
        const r = await c.worker.request<LoadResult>(
          { op: 'load', dataDir: c.dataDir, seriesInstanceUid: uid },
          c.fileTimeoutMs,
        );
        if ('abnormal' in r) return [r.abnormal.kind, `loading its series: ${r.abnormal.detail}`];
        if ('thrown' in r) return ['unexpected', `loading its series: ${r.thrown}`];
        if (r.value.ok) return ['ok', `indexed and loadable (${r.value.dims.join('x')})`];
        const e = r.value.error;
        if (e.code === 'INTERNAL' || isUnexpectedMessage(e.message))
          return ['unexpected', `loading its series: ${e.code}: ${e.message}`];
        return ['indexedUnloadable', e.message];
      })();
      loads.set(uid, p);
    }
    return p;
  };
  for (const f of files) {
    const hit = indexed.get(f.result.fileName);
    const reason = skipped.get(f.result.fileName);
    let verdict: [Outcome, string];
    if (hit) {
      const flags = out.seriesFlags.get(hit.series);
      if (flags?.loadable === false)
        verdict = [
          refusal(f.result.expect),
          `indexed, series flagged not loadable: ${flags.problems.join('; ') || '(no problem named)'}`,
        ];
      else {
        const [o, m] = await loadSeries(hit.series);
        if (o === 'ok') verdict = [acceptance(f.result.expect), m];
        else if (o === 'indexedUnloadable' && f.case?.pixelDataOnly)
          verdict = [refusal(f.result.expect), `indexed (header intact), refused at load: ${m}`];
        // A SEG is used as a mask (its geometry is the mask loader's, checked by the mask cases),
        // never opened as a volume; nor are other non-CT/MR series: a named refusal when loaded
        // as a volume is what a user calling it so would get.
        else if (o === 'indexedUnloadable' && flags?.modality !== undefined && !volumeModalities.has(flags.modality)) {
          verdict = [
            refusal(f.result.expect),
            `indexed as ${flags.modality} (not opened as a volume); loading it as one is refused: ${m}`,
          ];
        } else if (o === 'indexedUnloadable') verdict = [o, `indexed without a word, then refused at load: ${m}`];
        else verdict = [o, m];
      }
      if (flags?.loadable === false && flags.problems.length === 0)
        verdict = ['unaccounted', 'series flagged not loadable without a problem'];
    } else if (reason !== undefined) {
      verdict = isUnexpectedMessage(reason)
        ? ['unexpected', `skipped: ${reason}`]
        : [refusal(f.result.expect), `skipped: ${reason}`];
    } else verdict = ['unaccounted', 'neither indexed nor listed as skipped'];
    out.set(f, verdict);
  }
  if (runProblems.length > 0) {
    out.runProblem = runProblems.reduce((a, b) => (worse(a.outcome, b.outcome) === b.outcome ? b : a));
    for (const f of files) {
      const [o, m] = out.get(f)!;
      out.set(f, [worse(o, out.runProblem.outcome), `${out.runProblem.message}; ${m}`]);
    }
  }
  return out;
}

interface RunContext {
  worker: FuzzWorker;
  baselineDir: string;
  baseline: Inventory;
  fileTimeoutMs: number;
  newDir: (what: string) => string;
  done: (f: CaseFile, outcome: Outcome, message: string) => void;
  runFailures: string[];
  cli: (argv: string[], timeoutMs?: number) => Promise<CliResult | Abnormal>;
  keep: boolean;
  /** Run through the real bin (peak memory measured) instead of the worker. */
  real?: { rssCapMb: number; importRssLimitMb: number; onPeak: (mb: number) => void };
}

/**
 * Imports `files` together into a copy of the baseline. When the run as a whole fails (crash,
 * hang, memory, an aborted import, a changed baseline, an empty series, db-check), the files
 * are split in two and each half imported again, down to the single files to blame.
 * @returns the peak memory of the real CLI run (0 through the worker)
 */
async function importRun(files: readonly CaseFile[], c: RunContext): Promise<number> {
  const runDir = c.newDir('import');
  const dataDir = join(runDir, 'data');
  cpSync(c.baselineDir, dataDir, { recursive: true });
  const folder = join(runDir, 'in');
  mkdirSync(folder);
  for (const f of files) linkOrCopy(f.path, join(folder, f.result.fileName));
  const argv = ['import', folder, '--data-dir', dataDir, '--json'];
  const timeoutMs = c.fileTimeoutMs + 1000 * files.length;
  let raw: CliResult | Abnormal;
  let peakMb = 0;
  if (c.real) {
    const r = await runConcord(argv, { timeoutMs, rssCapMb: c.real.rssCapMb, scratchDir: runDir });
    peakMb = r.peakRssMb;
    c.real.onPeak(peakMb);
    raw = r.abnormal ?? { code: r.code ?? 1, out: r.stdout, err: r.stderr };
    if (!r.abnormal && peakMb > c.real.importRssLimitMb)
      c.runFailures.push(
        `concord import of ${files.length} files peaked at ${Math.round(peakMb)} MB (limit ${c.real.importRssLimitMb} MB)`,
      );
  } else raw = await c.cli(argv, timeoutMs);

  let problem = importRunProblem(raw);
  let checked: Checked | undefined;
  if (!problem) {
    checked = await checkImported(files, {
      dataDir,
      folder,
      imported: JSON.parse((raw as CliResult).out) as ImportJson,
      worker: c.worker,
      baseline: c.baseline,
      fileTimeoutMs: c.fileTimeoutMs,
      cli: c.cli,
    });
    problem = checked.runProblem;
  }
  await c.worker.request({ op: 'close' }, 60_000);
  if (!c.keep) rmSync(runDir, { recursive: true, force: true });

  if (!problem) {
    for (const f of files) c.done(f, ...checked!.get(f)!);
    return peakMb;
  }
  if (files.length === 1) {
    c.done(files[0]!, ...(checked?.get(files[0]!) ?? [problem.outcome, problem.message]));
    return peakMb;
  }
  const failuresBefore = c.runFailures.length;
  const blamedBefore = countBlamed(files);
  const half = Math.ceil(files.length / 2);
  await importRun(files.slice(0, half), { ...c, real: undefined });
  await importRun(files.slice(half), { ...c, real: undefined });
  if (countBlamed(files) === blamedBefore && c.runFailures.length === failuresBefore) {
    c.runFailures.push(
      `an import of ${files.length} files failed (${problem.outcome}: ${problem.message}) but no smaller import did`,
    );
  }
  return peakMb;
}

function countBlamed(files: readonly CaseFile[]): number {
  return files.filter((f) => failing.includes(f.result.outcome) && f.result.message !== '').length;
}

/** A `concord letb` run against the clean result. */
export function judgeLetb(r: CliResult | Abnormal, clean: LetbJson, expect: Expectation): [Outcome, string] {
  if ('kind' in r) return [r.kind, r.detail];
  if (r.code !== 0) {
    const line = lastLines(r.err, 1);
    return isUnexpectedMessage(r.err) ? ['unexpected', line] : [refusal(expect), line];
  }
  let got: LetbJson;
  try {
    got = JSON.parse(r.out) as LetbJson;
  } catch {
    return ['unexpected', `concord letb --json printed no JSON: ${r.out.slice(0, 200)}`];
  }
  const same =
    got.liverMl === clean.liverMl &&
    got.letbPercent === clean.letbPercent &&
    got.placements.length === clean.placements.length &&
    got.placements.every(
      (p, i) =>
        p.meanHu === clean.placements[i]!.meanHu &&
        p.sdHu === clean.placements[i]!.sdHu &&
        p.roiVoxels === clean.placements[i]!.roiVoxels &&
        p.enhancingMl === clean.placements[i]!.enhancingMl,
    );
  if (same) return [acceptance(expect), 'the clean LETB'];
  const fmt = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : String(x));
  return [
    difference(expect),
    `LETB ${fmt(clean.letbPercent)} % -> ${fmt(got.letbPercent)} %, liver ${fmt(clean.liverMl)} -> ${fmt(got.liverMl)} mL`,
  ];
}
