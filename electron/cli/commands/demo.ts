import { writeDemoStudy } from '../../services/demo/writeDemoStudy';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'write the synthetic demo cohort: four patients, three-phase liver CT before/after TACE, with LETB and RECIST/mRECIST ground truth',
  usage: 'concord demo --out DIR [--size small|standard] [--seed N] [--force] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      out: { type: 'string' },
      size: { type: 'string', default: 'standard' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (values.out === undefined || values.out === '') throw new UsageError('--out DIR is required');
    const size = values.size;
    if (size !== 'small' && size !== 'standard')
      throw new UsageError(`--size must be small or standard, not "${size}"`);
    let seed: number | undefined;
    if (values.seed !== undefined) {
      if (!/^\d{1,9}$/.test(values.seed))
        throw new UsageError(`--seed must be a whole number from 0 to 999999999, not "${values.seed}"`);
      seed = Number(values.seed);
    }
    const summary = await writeDemoStudy(values.out, {
      size,
      force: values.force === true,
      ...(seed === undefined ? {} : { seed }),
    });
    const json = {
      out: summary.out,
      files: summary.files,
      series: summary.series,
      patients: summary.patients,
      groundTruth: summary.groundTruth,
      cohortGroundTruth: summary.cohortGroundTruth,
    };
    printJsonOrText(
      io,
      values.json === true,
      json,
      `Wrote ${summary.files} files (${summary.series} series, ${summary.patients} patients) to ${summary.out}; ground truth: ${summary.groundTruth}; cohort ground truth: ${summary.cohortGroundTruth}`,
    );
    return 0;
  },
};
