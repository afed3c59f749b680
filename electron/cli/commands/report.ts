import { resolve } from 'node:path';
import { createServices } from '../../services/createServices';
import { silentLogger } from '../../services/logger';
import { defaultDataDir } from '../../platform/dataDir';
import { writeStudyReport } from '../../services/report/studyReportService';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the agreement report of an unblinded study (report.pdf, report.html, reads.csv, agreement.json)',
  usage: 'concord report --data-dir D --study <id> --out <dir> [--include-identity] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'data-dir': { type: 'string' },
      study: { type: 'string' },
      out: { type: 'string' },
      'include-identity': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const studyId = Number(values.study);
    if (values.study === undefined || !Number.isSafeInteger(studyId) || studyId < 1)
      throw new UsageError('--study must be a study id (a positive integer)');
    if (!values.out) throw new UsageError('missing --out <dir>');
    // The command line is the coordinator's own machine and database: no sign-in, but audited as "cli".
    const services = await createServices({
      dataDir: values['data-dir'] ?? defaultDataDir(),
      shell: 'host',
      logger: silentLogger,
    });
    if (services.context.dataFolderNotice) io.err(`concord: warning: ${services.context.dataFolderNotice}\n`);
    try {
      const written = await writeStudyReport(services.context, studyId, resolve(values.out), {
        includeIdentity: values['include-identity'] === true,
        actor: 'cli',
      });
      printJsonOrText(
        io,
        values.json === true,
        written,
        [
          `Wrote the report of study ${studyId} to ${written.dir}:`,
          ...written.files.map((f) => `  ${f.name}  sha256 ${f.sha256}`),
          `Audit trail at generation: ${written.auditTrail.rows} rows, head HMAC ${written.auditTrail.lastMac}`,
        ].join('\n'),
      );
      return 0;
    } finally {
      await services.close();
    }
  },
};
