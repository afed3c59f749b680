import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { verifyAudit } from '../../electron/db/audit';
import { databaseFileName } from '../../electron/db/openDatabase';
import { sharedDataDir } from '../../electron/platform/paths';
import { concord } from '../helpers/concord';
import { makeTempDir } from '../helpers/tempDir';

const temps: { cleanup(): void }[] = [];
const open: Services[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  temps.splice(0).forEach((t) => t.cleanup());
});

/** A data folder with an import and two phase changes: three audited writes. */
async function auditedFolder(): Promise<{ dir: string; services: Services }> {
  const t = makeTempDir();
  temps.push(t);
  const services = await createServices({ dataDir: t.path, shell: 'host', logger: silentLogger });
  open.push(services);
  await importFolder(services.context.db, join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice'));
  const [series] = await listSeries(services.context.db);
  await services.dispatch('setSeriesPhase', { seriesInstanceUid: series!.seriesInstanceUid, phase: 'arterial' });
  await services.dispatch('setSeriesPhase', { seriesInstanceUid: series!.seriesInstanceUid, phase: null });
  return { dir: t.path, services };
}

/** Raw SQL on the file, as someone with access to it (not through Concord) could run. */
function tamper(dir: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(join(dir, databaseFileName), (e) => {
      if (e) return reject(e);
      db.exec(sql, (x) => db.close(() => (x ? reject(x) : resolve())));
    });
  });
}

describe('audit trail', () => {
  it('records every write with who, what, before and after, and verifies', async () => {
    const { services } = await auditedFolder();
    const rows = await services.context.db.all<{ id: number; actor: string; action: string; before_json: string | null; after_json: string | null }>('SELECT * FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.action)).toEqual(['dicom.import', 'series.phase.set', 'series.phase.set']);
    expect(rows.every((r) => r.actor === 'local')).toBe(true);
    expect(JSON.parse(rows[1]!.before_json!)).toEqual({ detected: 'other', override: null });
    expect(JSON.parse(rows[1]!.after_json!)).toEqual({ detected: 'other', override: 'arterial' });
    expect(JSON.parse(rows[2]!.after_json!)).toEqual({ detected: 'other', override: null });
    expect(await verifyAudit(services.context.db)).toEqual({ rows: 3, ok: true });
  });

  it('refuses UPDATE and DELETE through SQL', async () => {
    const { services } = await auditedFolder();
    await expect(services.context.db.run("UPDATE audit_log SET actor = 'x' WHERE id = 1")).rejects.toThrow(/append-only/);
    await expect(services.context.db.run('DELETE FROM audit_log WHERE id = 2')).rejects.toThrow(/append-only/);
  });

  it.each([
    ['an edited row', "UPDATE audit_log SET after_json = '{\"detected\":\"other\",\"override\":\"portal_venous\"}' WHERE id = 2", 2, /edited/],
    ['a deleted middle row', 'DELETE FROM audit_log WHERE id = 2', 3, /missing/],
    ['a re-hashed forged row', "UPDATE audit_log SET hash = 'f'||substr(hash, 2) WHERE id = 3", 3, /edited/],
  ])('finds %s when the triggers are dropped, and the CLI exits 1 naming it', async (_what, sql, brokenId, reason) => {
    const { dir, services } = await auditedFolder();
    await services.close();
    open.splice(0);
    await tamper(dir, `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ${sql};`);
    const { code, stdout } = await concord('audit-verify', '--data-dir', dir, '--json');
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { ok: boolean; firstBrokenRow: { id: number; reason: string } };
    expect(out.ok).toBe(false);
    expect(out.firstBrokenRow.id).toBe(brokenId);
    expect(out.firstBrokenRow.reason).toMatch(reason);
  });

  it('audit-verify --json prints {"rows":n,"ok":true} on an intact folder', async () => {
    const { dir, services } = await auditedFolder();
    await services.close();
    open.splice(0);
    const { code, stdout } = await concord('audit-verify', '--data-dir', dir, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ rows: 3, ok: true });
  });
});
