import { parseAgreementProtocol } from '../../../core/agreement/agreementProtocol';
import { InputDataError } from '../../../core/agreement/inputDataError';
import type { ItemAgreement } from '../../../core/agreement/itemAgreement';
import { readsAgreement, readsAgreementWithBootstrap } from '../../../core/agreement/readsAgreement';
import type { ItemBootstrap } from '../../../core/agreement/bootstrapAgreement';
import { randomInt } from 'node:crypto';
import { AppException } from '../../../core/ipc/result';
import { readJsonFile } from '../../../core/tables/readJsonFile';
import { maxTableBytes } from '../../../core/tables/tableLimits';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';
import { readInputFile, shortPath } from '../readInputFile';

/**
 * Runs a command whose `usage` has several lines (its --help text): a usage error is reported
 * on one line with the usage's first line only, exit 2, like the other commands' usage errors.
 */
export async function withOneLineUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError)
      throw new AppException('INVALID_INPUT', `${err.message} (usage: ${usage.split('\n')[0]})`);
    throw err;
  }
}

/** Runs a parse of a data file, turning its InputDataError into bad input (exit 2) prefixed with the file's path. */
export function asInvalidInput<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InputDataError) throw new AppException('INVALID_INPUT', `${shortPath(path)}: ${err.message}`);
    throw err;
  }
}

const fixed = (v: number | null, digits = 2) => (v === null ? 'n/a' : v.toFixed(digits));
const interval = (ci: [number, number] | null, digits = 2) =>
  ci === null ? '' : ` (${fixed(ci[0], digits)} to ${fixed(ci[1], digits)})`;

function bootstrapText(b: ItemBootstrap): string {
  const parts = Object.entries(b.intervals).map(
    ([name, r]) =>
      `${name} ${r.estimable ? `${fixed(r.ci[0], 3)} to ${fixed(r.ci[1], 3)}${r.replicatesNotEstimable > 0 ? ` (${r.replicatesNotEstimable} resamples n/a)` : ''}` : `n/a (${r.reason})`}`,
  );
  return `  bootstrap ${Math.round(b.confidenceLevel * 100)} % CI (B ${b.replicates}, seed ${b.seed}): ${parts.length > 0 ? parts.join('; ') : 'nothing to resample'}`;
}

function itemText(a: ItemAgreement & { bootstrap?: ItemBootstrap }): string {
  const head = `${a.item}${a.timepoint === null ? '' : ` @ ${a.timepoint}`} [${a.scale}]: n ${a.n}, ${a.raters.length} reader(s)${a.excludedCases > 0 ? `, ${a.excludedCases} case(s) excluded (not rated by every reader)` : ''}`;
  const lines = [head];
  if (a.scale === 'continuous') {
    if (a.icc !== null && a.reason === null) {
      lines.push(
        `  ${Object.entries(a.icc)
          .map(([form, f]) => `${form} ${f.value === null ? 'n/a' : `${fixed(f.value, 3)}${interval(f.ci, 3)}`}`)
          .join('; ')}`,
      );
    }
    const ba = a.blandAltman;
    if (ba !== null && ba.reason === null) {
      lines.push(
        `  Bland–Altman ${ba.raters[0]} − ${ba.raters[1]}: bias ${fixed(ba.bias, 3)}, limits ${fixed(ba.lowerLimit, 3)} to ${fixed(ba.upperLimit, 3)}`,
      );
    }
  } else if (a.raters.length === 2 && a.kappa !== null) {
    lines.push(
      `  kappa ${fixed(a.kappa)}${interval(a.kappaCi)} ${a.band}; agreement ${fixed(a.percentAgreement, 1)} %`,
    );
    if (a.weightedKappaLinear !== null || a.weightedKappaQuadratic !== null) {
      lines.push(
        `  weighted kappa: linear ${fixed(a.weightedKappaLinear)}${interval(a.weightedKappaLinearCi)}, quadratic ${fixed(a.weightedKappaQuadratic)}${interval(a.weightedKappaQuadraticCi)}`,
      );
    }
  } else if (a.fleissKappa !== null) {
    lines.push(
      `  Fleiss' kappa ${fixed(a.fleissKappa)} ${a.band}; all readers agree on ${fixed(a.percentAgreement, 1)} %`,
    );
    for (const p of a.pairwise ?? [])
      lines.push(
        `  ${p.raters[0]} vs ${p.raters[1]}: kappa ${p.kappa === null ? `n/a (${p.reason})` : `${fixed(p.kappa)}${interval(p.kappaCi)} ${p.band}`}`,
      );
  }
  if (a.reason !== null) lines.push(`  not estimable: ${a.reason}`);
  if (a.bootstrap) lines.push(bootstrapText(a.bootstrap));
  return lines.join('\n');
}

const usage = [
  'concord agreement --reads <long.csv> --protocol <protocol.json> [--bootstrap B [--seed S]] [--json]',
  '',
  '  --reads     CSV with a header: case_id,reader_id,item,value (optional timepoint), or the',
  "              study export's reads.csv (case_code,reader,timepoint,item,value).",
  '  --protocol  {"items":[{"id":"burden","scale":"nominal|ordinal|continuous","levels":[...]}]}',
  '              (the study protocol with "kind" works too). Export items such as',
  '              recist.overall_response may omit scale and levels: nominal over CR/PR/SD/PD/NE.',
  '  --json      one JSON array, one object per item (and timepoint when the file has them):',
  '              item, timepoint, scale, levels, n, raters, excludedCases, excludedCaseIds,',
  '              kappa, kappaSe, kappaCi, observedAgreement, expectedAgreement,',
  '              weightedKappaLinear(+Se, Ci), weightedKappaQuadratic(+Se, Ci), fleissKappa,',
  '              fleissKappaSe, fleissKappaP, band, percentAgreement, confusion, pairwise, icc,',
  '              blandAltman, reason. Fields that do not apply or cannot be estimated are null;',
  '              reason says why the main statistic is null.',
  '  --bootstrap B  also percentile bootstrap CIs of every kappa and ICC form, over B resamples',
  '              of the cases (Efron & Tibshirani 1993): each item gets "bootstrap" {seed,',
  '              replicates, confidenceLevel, intervals: {kappa: {estimable, estimate, ci, ...}}}.',
  '  --seed S    the resampling seed (an integer); drawn and printed with the result when not',
  '              given, so every interval can be reproduced.',
  '',
  '  n counts the cases rated by every reader of the item; the others are excludedCases.',
  "  2 readers: Cohen's kappa (FCE 1969 SE, 95 % CI), weighted kappas for ordinal items and the",
  '  confusion table over all levels (rows = first reader in sorted reader_id order).',
  "  3+ readers: Fleiss' kappa and pairwise Cohen's kappas. band: Landis & Koch of the kappa",
  '  shown. percentAgreement: % of cases all readers agree on. Continuous items: the six ICC',
  '  forms (psych::ICC) with 95 % CIs, and Bland–Altman (first − second reader) for 2 readers.',
  '  Empty cells (and NE/NA for continuous items) are no answer; other values must be levels.',
  '',
  '  Limits: reads file at most 16 MiB, protocol at most 1 MiB, both UTF-8 (a BOM is fine; an',
  '  invalid byte is an error naming its line and column); cells at most 4,096 characters;',
  '  numbers finite and within ±1e15; at most 500 items, 50 levels per item and 50 readers per',
  "  item. In the study export's layout a leading apostrophe the export put before a cell",
  '  starting with =, +, -, @, tab or CR is taken off.',
].join('\n');

/** --bootstrap B and --seed S: B an integer 1-100,000; S an integer, drawn when not given. */
function bootstrapOption(
  replicates: string | undefined,
  seed: string | undefined,
): { replicates: number; seed: number } | null {
  if (replicates === undefined) {
    if (seed !== undefined) throw new UsageError('--seed needs --bootstrap B');
    return null;
  }
  const b = Number(replicates);
  if (!/^\d+$/.test(replicates) || b < 1 || b > 100_000)
    throw new UsageError(`--bootstrap must be a number of resamples from 1 to 100000, got "${replicates}"`);
  if (seed === undefined) return { replicates: b, seed: randomInt(2 ** 31) };
  if (!/^-?\d+$/.test(seed) || !Number.isSafeInteger(Number(seed)))
    throw new UsageError(`--seed must be an integer, got "${seed}"`);
  return { replicates: b, seed: Number(seed) };
}

export const agreementCommand: Command = {
  name: 'agreement',
  summary: "interreader agreement per item of a long reads file: Cohen's / weighted / Fleiss' kappa, ICC, Bland–Altman",
  usage,
  async run(argv, io) {
    return withOneLineUsage(usage, async () => {
      const { values } = parseCommandArgs(argv, {
        reads: { type: 'string' },
        protocol: { type: 'string' },
        bootstrap: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      });
      if (values.reads === undefined) throw new UsageError('missing --reads <long.csv>');
      if (values.protocol === undefined) throw new UsageError('missing --protocol <protocol.json>');
      const bootstrap = bootstrapOption(values.bootstrap, values.seed);
      const reads = readInputFile(values.reads, 'reads file', maxTableBytes.reads);
      const protocolBytes = readInputFile(values.protocol, 'protocol file', maxTableBytes.protocolJson);
      const items = asInvalidInput(values.protocol, () =>
        parseAgreementProtocol(
          readJsonFile(protocolBytes, { maxBytes: maxTableBytes.protocolJson, what: 'a protocol file' }),
        ),
      );
      const result = asInvalidInput(values.reads, () =>
        bootstrap ? readsAgreementWithBootstrap(reads, items, bootstrap) : readsAgreement(reads, items),
      );
      printJsonOrText(io, values.json === true, result, result.map(itemText).join('\n'));
      return 0;
    });
  },
};
