import { parseSurvivalCsv } from '../../../core/agreement/parseSurvivalCsv';
import { survivalByGroup, type SurvivalComparison } from '../../../core/agreement/survivalByGroup';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';
import { maxTableBytes } from '../../../core/tables/tableLimits';
import { readInputFile } from '../readInputFile';
import { asInvalidInput, withOneLineUsage } from './agreement';

const usage = [
  'concord survival --in <csv> --time <col> --event <col> --group <col> [--json]',
  '',
  '  --in     CSV with a header line; other columns are ignored.',
  '  --time   follow-up time column (a number >= 0, any unit).',
  '  --event  event column: 1/true/yes = event, 0/false/no = censored (any case).',
  '  --group  group column (e.g. responder / nonresponder).',
  '  --json   {"n", "events", "groups": [{"group", "n", "events", "median", "medianCi": [lower, upper],',
  '           "expected"}], "chisq", "df", "p", "reason"}: Kaplan-Meier medians with 95 % CIs (log',
  '           transform, as R survfit) and the log-rank test (as R survdiff); null where not',
  '           reached or not estimable, with reason. Groups sorted (numbers by value, then text).',
  '  A row with a bad time, event or empty group is an error naming its line.',
  '  Limits: at most 8 MiB of UTF-8 (an invalid byte is an error naming its line and column);',
  '  times finite, >= 0 and at most 1e15; at most 100 groups (more: is --group an id column?);',
  '  labels are compared as written, and two that differ only in NFC/NFD are refused.',
].join('\n');

const time = (v: number | null) => (v === null ? 'not reached' : String(v));

function text(s: SurvivalComparison, groupColumn: string): string {
  return [
    ...s.groups.map(
      (g) =>
        `${groupColumn} ${g.group}: n ${g.n}, ${g.events} events, median ${time(g.median)} (95 % CI ${time(g.medianCi[0])} to ${time(g.medianCi[1])})`,
    ),
    s.chisq === null
      ? `log-rank: not estimable (${s.reason})`
      : `log-rank chi-square ${s.chisq.toFixed(3)} on ${s.df} df, p ${s.p!.toPrecision(3)}`,
  ].join('\n');
}

export const survivalCommand: Command = {
  name: 'survival',
  summary: 'Kaplan–Meier medians per group and the log-rank test from a CSV of follow-up times',
  usage,
  async run(argv, io) {
    return withOneLineUsage(usage, async () => {
      const { values } = parseCommandArgs(argv, {
        in: { type: 'string' },
        time: { type: 'string' },
        event: { type: 'string' },
        group: { type: 'string' },
        json: { type: 'boolean', default: false },
      });
      for (const name of ['in', 'time', 'event', 'group'] as const) {
        if (values[name] === undefined || values[name].trim() === '') throw new UsageError(`missing --${name}`);
      }
      const csv = readInputFile(values.in!, 'survival file', maxTableBytes.survival);
      const subjects = asInvalidInput(values.in!, () =>
        parseSurvivalCsv(csv, { time: values.time!, event: values.event!, group: values.group! }),
      );
      const result = survivalByGroup(subjects);
      printJsonOrText(io, values.json === true, result, text(result, values.group!.trim()));
      return 0;
    });
  },
};
