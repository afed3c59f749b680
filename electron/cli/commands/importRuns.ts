import { listImportRuns } from '../../db/repositories/dicomIndex';
import { parseCommandArgs, printJsonOrText, type Command } from '../command';
import { openDataFolder } from '../openDataFolder';

export const importRunsCommand: Command = {
  name: 'import-runs',
  summary: 'list past imports (newest first) with state and counts; a run whose process died shows as interrupted',
  usage: 'concord import-runs [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const { db } = await openDataFolder(values['data-dir'], io);
    try {
      const runs = await listImportRuns(db);
      const text = runs
        .map(
          (r) =>
            `${r.startedAt}  ${r.state.padEnd(11)} ${String(r.filesSeen).padStart(6)} files, ${r.added} new, ${r.alreadyIndexed} already indexed, ${r.skipped} skipped  ${r.folder}`,
        )
        .join('\n');
      printJsonOrText(io, values.json === true, runs, text || 'No imports yet.');
      return 0;
    } finally {
      await db.close();
    }
  },
};
