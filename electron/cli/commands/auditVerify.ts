import { verifyAudit } from '../../db/audit';
import { openDataFolder } from '../openDataFolder';
import { appVersion } from '../../platform/appVersion';
import { parseCommandArgs, printJsonOrText, type Command } from '../command';

export const auditVerifyCommand: Command = {
  name: 'audit-verify',
  summary: 'check that the audit trail is complete and unaltered (hash chain)',
  usage: 'concord audit-verify [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
    const { db } = await openDataFolder(values['data-dir'], io);
    try {
      const result = await verifyAudit(db);
      const text = result.ok ? `audit trail: ${result.rows} rows, chain intact` : `audit trail: ${result.rows} rows, broken at row ${result.firstBrokenRow.id}: ${result.firstBrokenRow.reason}`;
      printJsonOrText(io, values.json === true, result, text);
      return result.ok ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
