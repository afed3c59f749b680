/**
 * `npm run fuzz -- [--count N] [--seed S] [--case I[,J…]] [--keep] …`: a seeded mutation
 * campaign over ../shared/data and the demo (see test/fuzz/run/campaign.ts). Prints the seed,
 * a table of mutation kind → outcome and the failing cases with the command that re-makes each
 * one; exits 1 when any case fails.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { failures, runCampaign } from './run/campaign';
import { details, headline, table } from './run/summary';

const usage =
  'npm run fuzz -- [--count N] [--seed S] [--case I[,J...]] [--batch B] [--timeout-s T] [--rss-cap-mb M] [--import-rss-limit-mb M] [--keep] [--work-dir D] [--json FILE] [--examples K]';

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    process.stderr.write(`fuzz: --${name} must be a whole number >= ${min}, got "${raw}" (usage: ${usage})\n`);
    process.exit(2);
  }
  return Number(raw);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        count: { type: 'string' },
        seed: { type: 'string' },
        case: { type: 'string' },
        batch: { type: 'string' },
        'timeout-s': { type: 'string' },
        'rss-cap-mb': { type: 'string' },
        'import-rss-limit-mb': { type: 'string' },
        keep: { type: 'boolean', default: false },
        'work-dir': { type: 'string' },
        json: { type: 'string' },
        examples: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`fuzz: ${(err as Error).message.split('\n')[0]} (usage: ${usage})\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const seed = positiveInt('seed', v.seed, Math.floor(Math.random() * 1e9));
  const only = v.case?.split(',').map((s) => positiveInt('case', s.trim(), 0));
  const report = await runCampaign({
    seed,
    count: positiveInt('count', v.count, 1000),
    ...(only ? { only } : {}),
    batchSize: positiveInt('batch', v.batch, 200, 1),
    fileTimeoutMs: positiveInt('timeout-s', v['timeout-s'], 60, 1) * 1000,
    rssCapMb: positiveInt('rss-cap-mb', v['rss-cap-mb'], 768, 64),
    importRssLimitMb: positiveInt('import-rss-limit-mb', v['import-rss-limit-mb'], 300, 1),
    keep: v.keep,
    ...(v['work-dir'] ? { workDir: v['work-dir'] } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (v.json) writeFileSync(v.json, `${JSON.stringify(report, null, 1)}\n`);
  process.stdout.write(`${headline(report)}\n\n${table(report)}\n\n`);
  const more = details(report, positiveInt('examples', v.examples, 3));
  if (more) process.stdout.write(`${more}\n\n`);
  process.stdout.write(
    `Re-make a case: npm run fuzz -- --seed ${seed} --case <index> --keep (its file is under the printed work folder)\n`,
  );
  if (v.keep)
    process.stdout.write(
      `Work folder kept: ${report.workDir} (case files in cases/, each run's data folder and input in runs/)\n`,
    );
  return failures(report).length > 0 || report.runFailures.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
