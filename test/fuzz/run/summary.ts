import type { CampaignReport, CaseResult } from './campaign';
import { failing, reported, type Outcome } from './outcomes';

const labels: Record<Outcome, string> = {
  ok: 'ok',
  named: 'named',
  refusedValid: 'refused valid',
  acceptedInvalid: 'accepted invalid',
  changed: 'changed (blind)',
  silentlyWrong: 'silently wrong',
  unaccounted: 'unaccounted',
  indexedUnloadable: 'indexed, fails at load',
  cleanChanged: 'clean series changed',
  emptySeries: 'empty series',
  dbCheck: 'db-check',
  aborted: 'import aborted',
  unexpected: 'unexpected error',
  crash: 'crash',
  hang: 'hang',
  memory: 'memory',
};

export function count(results: readonly CaseResult[], ...outcomes: Outcome[]): number {
  return results.filter((r) => outcomes.includes(r.outcome)).length;
}

/** The figures the issue asks for: files tried, crashes, hangs, silently wrong, named, peak memory. */
export function headline(report: CampaignReport): string {
  const r = report.results;
  const failed = count(r, ...failing);
  return [
    `seed ${report.seed}: ${report.filesTried} files tried (${report.count} mutated + ${report.filesTried - report.count} controls) in ${(report.durationMs / 1000).toFixed(0)} s`,
    `crashes ${count(r, 'crash')}, hangs ${count(r, 'hang')}, memory ${count(r, 'memory')}, unexpected errors ${count(r, 'unexpected')}, silently wrong ${count(r, 'silentlyWrong')}, ` +
      `unaccounted ${count(r, 'unaccounted')}, indexed but failing at load ${count(r, 'indexedUnloadable')}, import aborted ${count(r, 'aborted')}, ` +
      `clean series changed ${count(r, 'cleanChanged')}, empty series ${count(r, 'emptySeries')}, db-check ${count(r, 'dbCheck')}`,
    `named refusals ${count(r, 'named', 'refusedValid')} (of valid inputs ${count(r, 'refusedValid')}), accepted ok ${count(r, 'ok', 'acceptedInvalid')} (of invalid inputs ${count(r, 'acceptedInvalid')}), changed by blind corruption ${count(r, 'changed')}`,
    `peak memory: concord import batches ${report.peakRssMb.batchImport} MB, concord import of one hostile file ${report.peakRssMb.singleImport} MB, concord letb with a hostile mask ${report.peakRssMb.letbMask} MB, worker ${report.peakRssMb.worker} MB (restarted ${report.workerRestarts} times)`,
    `${failed} failing case(s), ${report.runFailures.length} run failure(s); of the ${count(r, 'indexedUnloadable')} files failing at load, ${r.filter((x) => x.outcome === 'indexedUnloadable' && (x.family === 'control' || x.message.endsWith('(its unmutated copy fails alike)'))).length} are unmutated files or fail as their unmutated copy does`,
  ].join('\n');
}

/** Mutation kind → outcome counts, as a Markdown table (outcome columns that occur, failures last). */
export function table(report: CampaignReport): string {
  const rows = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const key = `${r.family}/${r.kind}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const columns = (Object.keys(labels) as Outcome[]).filter(
    (o) => o === 'ok' || o === 'named' || report.results.some((r) => r.outcome === o),
  );
  const head = `| kind | files | ${columns.map((c) => labels[c]).join(' | ')} |`;
  const rule = `|---|---:|${columns.map(() => '---:').join('|')}|`;
  const lines = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => `| ${key} | ${list.length} | ${columns.map((c) => count(list, c) || '').join(' | ')} |`);
  const total = `| **all** | **${report.results.length}** | ${columns.map((c) => `**${count(report.results, c)}**`).join(' | ')} |`;
  return [head, rule, ...lines, total].join('\n');
}

/** Up to `perGroup` examples of each failing (and reported) outcome by kind, with how to re-make them. */
export function details(report: CampaignReport, perGroup = 3, includeReported = true): string {
  const wanted = includeReported ? [...failing, ...reported] : failing;
  const groups = new Map<string, CaseResult[]>();
  for (const r of report.results.filter((x) => wanted.includes(x.outcome))) {
    const key = `${labels[r.outcome]} — ${r.family}/${r.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const order = (k: string) => wanted.findIndex((o) => k.startsWith(`${labels[o]} —`));
  const out: string[] = [];
  for (const [key, list] of [...groups.entries()].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))) {
    out.push(`${key} (${list.length}):`);
    for (const r of list.slice(0, perGroup)) out.push(`  ${r.id} ${r.variant} [${r.source}]: ${r.message}`);
  }
  if (report.runFailures.length > 0) out.push('run failures:', ...report.runFailures.map((f) => `  ${f}`));
  return out.join('\n');
}

export function reproduce(report: CampaignReport, r: CaseResult): string {
  return r.index >= 0
    ? `npm run fuzz -- --seed ${report.seed} --case ${r.index}`
    : `npm run fuzz -- --seed ${report.seed} --count 0 (controls)`;
}
