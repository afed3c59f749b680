import { openDatabase } from '../../db/openDatabase';
import { listImportRuns } from '../../db/repositories/dicomIndex';
import { appVersion } from '../../platform/appVersion';
import { defaultDataDir } from '../../platform/dataDir';
import { parseCommandArgs, printJsonOrText, type Command } from '../command';

export const importRunsCommand: Command = {
  name: 'import-runs',
  summary: 'list past imports (newest first) with state and counts; a run whose process died shows as interrupted',
  usage: 'concord import-runs [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
    const { db } = await openDatabase(values['data-dir'] ?? defaultDataDir(), { appVersion });
    try {
      const runs = await listImportRuns(db);
      const text = runs
        .map((r) => `${r.startedAt}  ${r.state.padEnd(11)} ${String(r.filesSeen).padStart(6)} files, ${r.added} new, ${r.alreadyIndexed} already indexed, ${r.skipped} skipped  ${r.folder}`)
        .join('\n');
      printJsonOrText(io, values.json === true, runs, text || 'No imports yet.');
      return 0;
    } finally {
      await db.close();
    }
  },
};
