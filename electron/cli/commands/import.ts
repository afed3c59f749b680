import { openDataFolder } from '../openDataFolder';
import { importFolder } from '../../services/dicomImport/importFolder';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

export const importCommand: Command = {
  name: 'import',
  summary: 'index a folder of DICOM files into the reader database',
  usage: 'concord import <folder> [--data-dir D] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
      true,
    );
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'missing <folder>' : `expected one folder, got ${positionals.length}`,
      );
    const { db } = await openDataFolder(values['data-dir'], io);
    try {
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const s = await importFolder(db, positionals[0]!, { signal: controller.signal }).finally(() =>
        process.off('SIGINT', onSigint),
      );
      const json = {
        patients: s.patients,
        studies: s.studies,
        series: s.series,
        instances: s.instances,
        skipped: s.skipped,
        added: s.added,
        alreadyIndexed: s.alreadyIndexed,
        filesSeen: s.filesSeen,
        state: s.state,
      };
      const text = [
        `${s.folder}: ${s.filesSeen} files, ${s.instances} images in ${s.series} series, ${s.studies} studies, ${s.patients} patients`,
        `  ${s.added} new, ${s.alreadyIndexed} already indexed, ${s.skipped.length} skipped${s.state === 'cancelled' ? ' (cancelled)' : ''}`,
        ...s.skipped.map((k) => `  skipped ${k.path}: ${k.reason}`),
      ].join('\n');
      printJsonOrText(io, values.json === true, json, text);
      return s.state === 'cancelled' ? 130 : 0;
    } finally {
      await db.close();
    }
  },
};
