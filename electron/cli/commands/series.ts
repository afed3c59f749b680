import { openDataFolder } from '../openDataFolder';
import { listSeries } from '../../db/repositories/dicomIndex';
import { parseCommandArgs, printJsonOrText, type Command } from '../command';

export const seriesCommand: Command = {
  name: 'series',
  summary: 'list the imported series with their detected phases',
  usage: 'concord series [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const { db } = await openDataFolder(values['data-dir'], io);
    try {
      const series = await listSeries(db);
      const text = series
        .map(
          (s) =>
            `${s.phase.padEnd(13)} ${s.modality.padEnd(4)} ${(s.dims ? s.dims.join('x') : '?').padEnd(12)} ${String(s.instances).padStart(5)}  ${s.description || '(no description)'}  ${s.seriesInstanceUid}`,
        )
        .join('\n');
      printJsonOrText(io, values.json === true, series, text || 'No series imported yet.');
      return 0;
    } finally {
      await db.close();
    }
  },
};
