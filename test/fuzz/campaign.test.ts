import { beforeAll, describe, expect, it } from 'vitest';
import { runCampaign, type CampaignReport, type CaseResult } from './run/campaign';
import type { Outcome } from './run/outcomes';
import { details, headline, reproduce, table } from './run/summary';

// Issue 12 item 9: a seeded mutation campaign over ../shared/data and the demo, in CI.
// CONCORD_FUZZ_SEED / CONCORD_FUZZ_COUNT run another campaign the same way; `npm run fuzz --
// --count N --seed S` runs longer ones and re-makes a single case with --case.
const seed = Number(process.env.CONCORD_FUZZ_SEED ?? 20240612);
const count = Number(process.env.CONCORD_FUZZ_COUNT ?? 1000);
let report: CampaignReport;

beforeAll(async () => {
  report = await runCampaign({ seed, count, log: (line) => console.log(line) });
  console.log(`${headline(report)}\n\n${table(report)}\n\n${details(report, 3, false)}`);
}, 40 * 60_000);

/** Asserts no case ended so; the message lists the first 25 with the command that re-makes each. */
function expectNone(...outcomes: Outcome[]): void {
  const hits = report.results.filter((r) => outcomes.includes(r.outcome));
  const lines = hits
    .slice(0, 25)
    .map(
      (r: CaseResult) =>
        `${r.family}/${r.kind} ${r.variant} [${r.source}] -> ${r.outcome}: ${r.message} (${reproduce(report, r)})`,
    );
  expect(
    hits.length,
    `${hits.length} case(s):\n${lines.join('\n')}${hits.length > 25 ? `\n… and ${hits.length - 25} more` : ''}`,
  ).toBe(0);
}

describe(`fuzz campaign, seed ${seed}`, () => {
  it('tries at least 1,000 files', () => {
    expect(report.filesTried).toBeGreaterThanOrEqual(Math.min(1000, count));
  });

  it('has no crash, no hang and no child over its memory cap', () => {
    expectNone('crash', 'hang', 'memory');
  });

  it('never answers "unexpected error" (nor an engine or SQLite error as the reason)', () => {
    expectNone('unexpected');
  });

  it('never gives a different LETB, liver volume or series volume without a word', () => {
    expectNone('silentlyWrong');
  });

  it('indexes each file so that it loads, or lists it with its reason; one file never stops an import', () => {
    expectNone('unaccounted', 'indexedUnloadable', 'aborted');
  });

  it('leaves the series imported before untouched, no empty series, concord db-check ok', () => {
    expectNone('cleanChanged', 'emptySeries', 'dbCheck');
    expect(report.runFailures).toEqual([]);
  });
});
