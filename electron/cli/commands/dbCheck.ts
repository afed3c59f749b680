import { checkDatabase } from '../../db/checkDatabase';
import { openDataFolder } from '../openDataFolder';
import { defaultDataDir } from '../../platform/dataDir';
import { parseCommandArgs, printJsonOrText, type Command } from '../command';

export const dbCheckCommand: Command = {
  name: 'db-check',
  summary: 'open a data folder (applying migrations) and check its reader database',
  usage: 'concord db-check [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const dataDir = values['data-dir'] ?? defaultDataDir();
    const { db, schemaVersion } = await openDataFolder(dataDir, io);
    try {
      const report = await checkDatabase(db, schemaVersion);
      const json = report.ok ? { schemaVersion: report.schemaVersion, ok: true } : report;
      const text = report.ok
        ? `${dataDir}: database schema ${report.schemaVersion}, integrity ok`
        : `${dataDir}: ${report.problems.length} problem(s)\n${report.problems.map((p) => `  ${p}`).join('\n')}`;
      printJsonOrText(io, values.json === true, json, text);
      return report.ok ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
