import { letbChange, defaultResponderThresholds, reportResponderThresholds } from '../../../core/letb/letbChange';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

function percent(name: string, raw: string | undefined): number {
  if (raw === undefined) throw new UsageError(`missing --${name}`);
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number (LETB in %), got "${raw}"`);
  return v;
}

export const letbChangeCommand: Command = {
  name: 'letb-change',
  summary: 'LETB change between two timepoints and the responder flags',
  usage: 'concord letb-change --pre-letb A --post-letb B [--threshold T ...] [--report-set] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'pre-letb': { type: 'string' },
      'post-letb': { type: 'string' },
      threshold: { type: 'string', multiple: true },
      'report-set': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const thresholds = values['report-set']
      ? [...reportResponderThresholds]
      : (values.threshold?.map((t) => percent('threshold', t)) ?? [...defaultResponderThresholds]);
    const change = letbChange(
      percent('pre-letb', values['pre-letb']),
      percent('post-letb', values['post-letb']),
      thresholds,
    );
    const text = change.estimable
      ? [
          `LETB ${change.preLetbPercent}% → ${change.postLetbPercent}%: change ${change.changePercent.toFixed(1)}%`,
          ...change.responders.map(
            (r) => `  threshold ${r.thresholdPercent}%: ${r.responder ? 'responder' : 'non-responder'}`,
          ),
        ].join('\n')
      : `LETB change not estimable: ${change.reason}`;
    printJsonOrText(io, values.json === true, change, text);
    return 0;
  },
};
