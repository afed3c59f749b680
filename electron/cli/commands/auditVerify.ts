import { verifyAudit, type AuditHead } from '../../db/audit';
import { openDataFolder } from '../openDataFolder';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

export const auditVerifyCommand: Command = {
  name: 'audit-verify',
  summary: 'check the audit trail: keyed chain, anchor, tables against its replay (and heads printed in exports)',
  usage: 'concord audit-verify [--data-dir D] [--head ROWS:MAC ...] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'data-dir': { type: 'string' },
      head: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    });
    const printedHeads: AuditHead[] = (values.head ?? []).map((h) => {
      const m = /^(\d{1,12}):([0-9a-fA-F]{64})$/.exec(h.trim());
      if (!m)
        throw new UsageError(
          `--head must be ROWS:MAC as an export or report prints it (rows, a colon, 64 hex digits), got "${h.slice(0, 80)}"`,
        );
      return { rows: Number(m[1]), lastMac: m[2]!.toLowerCase() };
    });
    // Opened even when the anchor does not match: reporting that is this command's job.
    const { db } = await openDataFolder(values['data-dir'], io, { auditAnchorMismatch: 'report' });
    try {
      const result = await verifyAudit(db, { printedHeads });
      const text = result.ok
        ? `audit trail: ${result.rows} rows, chain, anchor and tables agree${printedHeads.length > 0 ? `, and it holds the ${printedHeads.length} printed head(s)` : ''}`
        : `audit trail: ${result.rows} rows, broken at ${result.firstBrokenRow.id === null ? 'its anchor' : `row ${result.firstBrokenRow.id}`}: ${result.firstBrokenRow.reason}`;
      printJsonOrText(io, values.json === true, result, text);
      return result.ok ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
