import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { verifyAudit, type AuditRow } from '../../electron/db/audit';
import { AuditChain, auditAnchorFileName, auditKeyFileName, keyIdOf } from '../../electron/db/auditChain';
import { databaseFileName } from '../../electron/db/openDatabase';
import { posixPermissions } from '../../electron/db/folderPermissions';
import { projectRoot, sharedDataDir } from '../../electron/platform/paths';
import type { ReadView } from '../../core/ipc/contract';
import { AppException } from '../../core/ipc/result';
import { concord } from '../helpers/concord';
import { makeTempDir } from '../helpers/tempDir';
import { completeAnswers, ok, setUpReadingStudy } from '../helpers/readingStudy';

const temps: { cleanup(): void }[] = [];
const open: Services[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  temps.splice(0).forEach((t) => t.cleanup());
});
const tempDir = () => {
  const t = makeTempDir();
  temps.push(t);
  return t.path;
};

/** A data folder with an import and two phase changes: three audited writes. */
async function auditedFolder(): Promise<{ dir: string; services: Services }> {
  const dir = tempDir();
  const services = await createServices({ dataDir: dir, shell: 'host', logger: silentLogger });
  open.push(services);
  await importFolder(services.context.db, join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice'));
  const [series] = await listSeries(services.context.db);
  await services.dispatch('setSeriesPhase', { seriesInstanceUid: series!.seriesInstanceUid, phase: 'arterial' });
  await services.dispatch('setSeriesPhase', { seriesInstanceUid: series!.seriesInstanceUid, phase: null });
  return { dir, services };
}

type RawRow = AuditRow;

/** Raw SQL on the file, as someone with access to it (not through Concord) could run. */
async function tamper(dir: string, work: string | ((db: sqlite3.Database) => Promise<void>)): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(join(dir, databaseFileName), (e) => (e ? reject(e) : resolve(d)));
  });
  try {
    if (typeof work === 'string')
      await new Promise<void>((resolve, reject) => db.exec(work, (e) => (e ? reject(e) : resolve())));
    else await work(db);
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
const rawAll = <T>(db: sqlite3.Database, sql: string, params: unknown[] = []) =>
  new Promise<T[]>((resolve, reject) => db.all(sql, params, (e, rows) => (e ? reject(e) : resolve(rows as T[]))));
const rawRun = (db: sqlite3.Database, sql: string, params: unknown[] = []) =>
  new Promise<void>((resolve, reject) => db.run(sql, params, (e) => (e ? reject(e) : resolve())));

/**
 * The unkeyed chain as schema 4-8 computed it, written here independently: what someone
 * without the key can compute. SHA-256 over the previous hash, "\n" and the row's fields as a
 * JSON array.
 */
const unkeyedHash = (prev: string, r: Omit<RawRow, 'hash' | 'prev_hash'>) =>
  createHash('sha256')
    .update(prev)
    .update('\n')
    .update(JSON.stringify([r.id, r.at, r.actor, r.action, r.entity, r.entity_id, r.before_json, r.after_json]))
    .digest('hex');

const dropGuards = 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;';

async function verifyCli(
  dir: string,
): Promise<{
  code: number;
  out: { rows: number; ok: boolean; firstBrokenRow?: { id: number | null; reason: string } };
}> {
  const { code, stdout, stderr } = await concord('audit-verify', '--data-dir', dir, '--json');
  if (!stdout) throw new Error(`audit-verify printed nothing: ${stderr}`);
  return { code, out: JSON.parse(stdout) };
}

describe('audit trail', () => {
  it('records every write with who, what, before and after, and verifies', async () => {
    const { services } = await auditedFolder();
    const rows = await services.context.db.all<{
      id: number;
      actor: string;
      action: string;
      before_json: string | null;
      after_json: string | null;
    }>('SELECT * FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.action)).toEqual(['dicom.import', 'series.phase.set', 'series.phase.set']);
    expect(rows.every((r) => r.actor === 'local')).toBe(true);
    expect(JSON.parse(rows[1]!.before_json!)).toEqual({ detected: 'other', override: null });
    expect(JSON.parse(rows[1]!.after_json!)).toEqual({ detected: 'other', override: 'arterial' });
    expect(JSON.parse(rows[2]!.after_json!)).toEqual({ detected: 'other', override: null });
    expect(await verifyAudit(services.context.db)).toEqual({ rows: 3, ok: true });
  });

  it('refuses UPDATE and DELETE through SQL', async () => {
    const { services } = await auditedFolder();
    await expect(services.context.db.run("UPDATE audit_log SET actor = 'x' WHERE id = 1")).rejects.toThrow(
      /append-only/,
    );
    await expect(services.context.db.run('DELETE FROM audit_log WHERE id = 2')).rejects.toThrow(/append-only/);
  });

  it.each([
    [
      'an edited row',
      'UPDATE audit_log SET after_json = \'{"detected":"other","override":"portal_venous"}\' WHERE id = 2',
      2,
      /edited/,
    ],
    ['a deleted middle row', 'DELETE FROM audit_log WHERE id = 2', 3, /missing/],
    [
      'a re-hashed forged row',
      "UPDATE audit_log SET hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) WHERE id = 3",
      3,
      /edited/,
    ],
  ])('finds %s when the triggers are dropped, and the CLI exits 1 naming it', async (_what, sql, brokenId, reason) => {
    const { dir, services } = await auditedFolder();
    await services.close();
    open.splice(0);
    await tamper(dir, `${dropGuards} ${sql};`);
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(1);
    expect(out.ok).toBe(false);
    expect(out.firstBrokenRow!.id).toBe(brokenId);
    expect(out.firstBrokenRow!.reason).toMatch(reason);
  });

  it('audit-verify --json prints {"rows":n,"ok":true} on an intact folder', async () => {
    const { dir, services } = await auditedFolder();
    await services.close();
    open.splice(0);
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(0);
    expect(out).toEqual({ rows: 3, ok: true });
  });
});

/**
 * Issue 13 item 4: with the unkeyed chain, audit-verify said ok after each of these. A study with
 * both readers' locked reads of every case (about 100 audit rows) is tampered with as someone with the
 * database file and a plain sqlite shell would; the key stays in its file.
 */
describe('the keyed chain, its anchor and the replay of reads', () => {
  let base: ReturnType<typeof makeTempDir>;
  let pristine: string;
  let rows: number;
  let burden: { readId: number; row: number };

  beforeAll(async () => {
    base = makeTempDir();
    const f = await setUpReadingStudy(base.path, 2);
    for (const reader of f.readers) {
      for (const c of f.cases) {
        const { readId } = ok<ReadView>(await f.services.dispatch('openRead', { caseId: c.caseId }, reader.connection));
        for (const [timepoint, item, value] of completeAnswers)
          ok(await f.services.dispatch('saveReadEntry', { readId, timepoint, item, value }, reader.connection));
        ok(await f.services.dispatch('submitRead', { readId }, reader.connection));
      }
    }
    rows = (await f.services.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
    const save = (await f.services.context.db.get<{ id: number; entity_id: string }>(
      "SELECT id, entity_id FROM audit_log WHERE action = 'read.entry.save' AND entity_id LIKE '%/0/burden' ORDER BY id DESC LIMIT 1",
    ))!;
    burden = { readId: Number(save.entity_id.split('/')[0]), row: save.id };
    await f.services.close();
    pristine = join(base.path, 'data');
  }, 180_000);
  afterAll(() => base.cleanup());

  /** A copy of the pristine data folder (database, key and anchor). */
  function copy(): string {
    const dir = join(tempDir(), 'data');
    cpSync(pristine, dir, { recursive: true });
    return dir;
  }

  it('verifies the untouched study', async () => {
    expect(rows).toBeGreaterThan(60);
    const { code, out } = await verifyCli(copy());
    expect(code).toBe(0);
    expect(out).toEqual({ rows, ok: true });
  });

  it.each([1, 5, 50])(
    'finds the last %i row(s) deleted (a cut tail), and the app refuses to open the folder',
    async (k) => {
      const dir = copy();
      await tamper(dir, `${dropGuards} DELETE FROM audit_log WHERE id > ${rows - k};`);
      const { code, out } = await verifyCli(dir);
      expect(code).toBe(1);
      expect(out).toEqual({
        rows: rows - k,
        ok: false,
        firstBrokenRow: {
          id: rows - k + 1,
          reason: `the chain ends at row ${rows - k} but was anchored at ${rows} rows: rows ${rows - k + 1}-${rows} were cut from the end`,
        },
      });
      const before = createHash('sha256')
        .update(readFileSync(join(dir, databaseFileName)))
        .digest('hex');
      const err = await createServices({ dataDir: dir, shell: 'host', logger: silentLogger }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppException);
      expect((err as AppException).message).toMatch(
        /does not match its anchor: the chain ends at row .* cut from the end\. .*Nothing was changed; "concord audit-verify --data-dir /,
      );
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, databaseFileName)))
          .digest('hex'),
      ).toBe(before);
    },
  );

  it('finds a forged study.unblind row appended with a correct unkeyed hash', async () => {
    const dir = copy();
    await tamper(dir, async (db) => {
      const [last] = await rawAll<RawRow>(db, 'SELECT * FROM audit_log ORDER BY id DESC LIMIT 1');
      const row = {
        id: last!.id + 1,
        at: new Date().toISOString(),
        actor: 'user:1',
        action: 'study.unblind',
        entity: 'reading_study',
        entity_id: '1',
        before_json: null,
        after_json: '{"unblindedAt":"2026-01-01T00:00:00.000Z","reads":8}',
      };
      await rawRun(db, 'INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        row.id,
        row.at,
        row.actor,
        row.action,
        row.entity,
        row.entity_id,
        row.before_json,
        row.after_json,
        last!.hash,
        unkeyedHash(last!.hash, row),
      ]);
    });
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(1);
    expect(out.firstBrokenRow).toEqual({
      id: rows + 1,
      reason: "its MAC does not verify under this data folder's key: the row was edited, or written without the key",
    });
  });

  it('finds row 1 edited and the whole chain recomputed without the key', async () => {
    const dir = copy();
    await tamper(dir, async (db) => {
      await rawRun(db, dropGuards.split(';')[0]!);
      const all = await rawAll<RawRow>(db, 'SELECT * FROM audit_log ORDER BY id');
      let prev = '0'.repeat(64);
      for (const r of all) {
        const edited = r.id === 1 ? { ...r, actor: 'user:99' } : r;
        const hash = unkeyedHash(prev, edited);
        await rawRun(db, 'UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?', [
          edited.actor,
          prev,
          hash,
          r.id,
        ]);
        prev = hash;
      }
    });
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(1);
    expect(out.firstBrokenRow).toEqual({
      id: 1,
      reason: `none of the ${rows} rows is under this data folder's key: the chain was rewritten (or forged) without the key`,
    });
  });

  it('finds a row inserted in the middle', async () => {
    const dir = copy();
    await tamper(dir, async (db) => {
      await rawRun(db, dropGuards.split(';')[0]!);
      await rawRun(db, 'UPDATE audit_log SET id = -id WHERE id > 10');
      await rawRun(db, 'UPDATE audit_log SET id = 1 - id WHERE id < 0');
      const [tenth] = await rawAll<RawRow>(db, 'SELECT * FROM audit_log WHERE id = 10');
      const row = {
        id: 11,
        at: tenth!.at,
        actor: 'local',
        action: 'series.phase.set',
        entity: 'series',
        entity_id: '1.2.3',
        before_json: null,
        after_json: '{"override":"arterial"}',
      };
      await rawRun(db, 'INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        ...Object.values(row),
        tenth!.hash,
        unkeyedHash(tenth!.hash, row),
      ]);
    });
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(1);
    expect(out.firstBrokenRow).toEqual({
      id: 11,
      reason: "its MAC does not verify under this data folder's key: the row was edited, or written without the key",
    });
  });

  it("finds a locked read reopened by SQL, an answer changed, and the read locked again (the tables disagree with the audit's replay)", async () => {
    const dir = copy();
    await tamper(
      dir,
      `DROP TRIGGER reads_reopen_audited; DROP TRIGGER reads_submit_audited; DROP TRIGGER read_entries_locked_update;
       UPDATE reads SET state = 'in_progress' WHERE id = ${burden.readId};
       UPDATE read_entries SET value_json = '">75%"' WHERE read_ref = ${burden.readId} AND timepoint = 0 AND item = 'burden';
       UPDATE reads SET state = 'submitted' WHERE id = ${burden.readId};`,
    );
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(1);
    expect(out.firstBrokenRow).toEqual({
      id: burden.row,
      reason: `the tables disagree with the audit trail: answer burden at timepoint 0 of read ${burden.readId} is ">75%" in the read_entries table, but "<25%" after audit row ${burden.row}`,
    });
  });

  it('finds a read left reopened by SQL, and an answer deleted', async () => {
    const dir = copy();
    await tamper(
      dir,
      `DROP TRIGGER reads_reopen_audited; DROP TRIGGER read_entries_locked_delete; UPDATE reads SET state = 'in_progress', submitted_at = NULL WHERE id = ${burden.readId};`,
    );
    const reopened = await verifyCli(dir);
    expect(reopened.out.firstBrokenRow!.reason).toMatch(
      new RegExp(
        `^the tables disagree with the audit trail: read ${burden.readId} is "in_progress" in the reads table, but "submitted" after audit row \\d+$`,
      ),
    );
    const dir2 = copy();
    await tamper(
      dir2,
      `DROP TRIGGER read_entries_locked_delete; DELETE FROM read_entries WHERE read_ref = ${burden.readId} AND item = 'burden';`,
    );
    expect((await verifyCli(dir2)).out.firstBrokenRow).toEqual({
      id: burden.row,
      reason: `the tables disagree with the audit trail: answer burden at timepoint 0 of read ${burden.readId} (audit row ${burden.row}) is missing from the read_entries table`,
    });
  });

  it('finds a missing or altered anchor', async () => {
    const dir = copy();
    rmSync(join(dir, auditAnchorFileName));
    expect((await verifyCli(dir)).out.firstBrokenRow).toEqual({
      id: null,
      reason: 'the anchor file audit-anchor.json is missing, so a cut tail cannot be ruled out',
    });
    const dir2 = copy();
    const anchor = JSON.parse(readFileSync(join(dir2, auditAnchorFileName), 'utf8')) as { rows: number };
    writeFileSync(join(dir2, auditAnchorFileName), JSON.stringify({ ...anchor, rows: anchor.rows - 1 }));
    expect((await verifyCli(dir2)).out.firstBrokenRow).toEqual({
      id: null,
      reason: "the anchor file audit-anchor.json was altered (it does not verify under this data folder's key)",
    });
  });

  it('checks heads printed in exports and reports: a chain rebuilt even with the key and anchor no longer holds them', async () => {
    const dir = copy();
    const printed = JSON.parse(readFileSync(join(dir, auditAnchorFileName), 'utf8')) as {
      rows: number;
      lastMac: string;
    };
    const head = `${printed.rows}:${printed.lastMac}`;
    expect(await concord('audit-verify', '--data-dir', dir, '--head', head, '--json')).toMatchObject({ code: 0 });
    // Someone holding the key rewrites row 1, re-MACs every row and re-anchors: only a printed head shows it.
    const keyHex = readFileSync(join(dir, auditKeyFileName), 'utf8').trim();
    const key = Buffer.from(keyHex, 'hex');
    const chain = new AuditChain(key, keyIdOf(key), join(dir, auditAnchorFileName));
    let last = { rows: 0, lastMac: '' };
    await tamper(dir, async (db) => {
      await rawRun(db, dropGuards.split(';')[0]!);
      let prev = '0'.repeat(64);
      for (const r of await rawAll<RawRow>(db, 'SELECT * FROM audit_log ORDER BY id')) {
        const edited = r.id === 1 ? { ...r, actor: 'user:99' } : r;
        const mac = chain.mac(
          prev,
          JSON.stringify([
            edited.id,
            edited.at,
            edited.actor,
            edited.action,
            edited.entity,
            edited.entity_id,
            edited.before_json,
            edited.after_json,
          ]),
        );
        await rawRun(db, 'UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?', [
          edited.actor,
          prev,
          mac,
          r.id,
        ]);
        prev = mac;
        last = { rows: r.id, lastMac: mac };
      }
    });
    await chain.writeAnchor(last);
    expect((await verifyCli(dir)).code).toBe(0);
    const { code, stdout } = await concord('audit-verify', '--data-dir', dir, '--head', head, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).firstBrokenRow).toEqual({
      id: rows,
      reason: `its MAC is not the one printed for it (${printed.lastMac}): the chain was rewritten since`,
    });
    const bad = await concord('audit-verify', '--data-dir', dir, '--head', 'latest');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--head must be ROWS:MAC/);
  });

  it('opens after a crash between a commit and its anchor: later rows that verify are anchored again', async () => {
    const dir = copy();
    // The anchor as it was three commits earlier, written with the folder's own key.
    const key = Buffer.from(readFileSync(join(dir, auditKeyFileName), 'utf8').trim(), 'hex');
    let head = { rows: 0, lastMac: '' };
    await tamper(dir, async (db) => {
      const [r] = await rawAll<RawRow>(db, 'SELECT * FROM audit_log WHERE id = ?', [rows - 3]);
      head = { rows: r!.id, lastMac: r!.hash };
    });
    await new AuditChain(key, keyIdOf(key), join(dir, auditAnchorFileName)).writeAnchor(head);
    // A process killed while writing the anchor left its temporary file (two minutes ago).
    const stale = join(dir, `${auditAnchorFileName}.4242.partial`);
    writeFileSync(stale, '{"rows":');
    utimesSync(stale, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const services = await createServices({ dataDir: dir, shell: 'host', logger: silentLogger });
    open.push(services);
    expect(JSON.parse(readFileSync(join(dir, auditAnchorFileName), 'utf8'))).toMatchObject({ rows });
    expect(existsSync(stale)).toBe(false);
    expect(await verifyAudit(services.context.db)).toEqual({ rows, ok: true });
  });

  it("keeps the key outside the database, owner-only, and refuses to go on without it or with another folder's", async () => {
    const dir = copy();
    const key = readFileSync(join(dir, auditKeyFileName), 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, databaseFileName)).includes(Buffer.from(key))).toBe(false);
    if (posixPermissions) {
      expect((statSync(join(pristine, auditKeyFileName)).mode & 0o777).toString(8)).toBe('600');
      expect((statSync(join(pristine, auditAnchorFileName)).mode & 0o777).toString(8)).toBe('600');
    }
    rmSync(join(dir, auditKeyFileName));
    const missing = await concord('audit-verify', '--data-dir', dir, '--json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^concord audit-verify: The audit key .*audit\.key of this data folder is missing: .*Restore the file from a backup of the data folder; nothing was changed\.\n$/,
    );
    const other = await auditedFolder();
    copyFileSync(join(other.dir, auditKeyFileName), join(dir, auditKeyFileName));
    const err = await createServices({ dataDir: dir, shell: 'host', logger: silentLogger }).catch((e: unknown) => e);
    expect((err as AppException).message).toMatch(/is not this data folder's audit key/);
  });
});

/** A data folder written by Concord before schema 12 (unkeyed SHA-256 chain): test/fixtures/legacy-schema8. */
describe('a data folder from before the keyed chain', () => {
  const fixture = join(projectRoot, 'test/fixtures/legacy-schema8/concord.sqlite');
  function legacyFolder(): string {
    const dir = join(tempDir(), 'data');
    mkdirSync(dir);
    copyFileSync(fixture, join(dir, databaseFileName));
    if (posixPermissions) chmodSync(join(dir, databaseFileName), 0o644);
    return dir;
  }

  it('is verified and sealed under a new key ("chain re-keyed at row 6"), then verifies', async () => {
    const dir = legacyFolder();
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(0);
    expect(out).toEqual({ rows: 6, ok: true });
    let seal: RawRow | undefined;
    let fifth: RawRow | undefined;
    await tamper(dir, async (db) => {
      [fifth, seal] = await rawAll<RawRow>(db, 'SELECT * FROM audit_log WHERE id >= 5 ORDER BY id');
    });
    expect(seal).toMatchObject({
      actor: 'local',
      action: 'audit.rekey',
      entity: 'audit_log',
      entity_id: null,
      prev_hash: fifth!.hash,
    });
    expect(JSON.parse(seal!.before_json!)).toEqual({ legacyRows: 5, legacyHead: fifth!.hash, algorithm: 'sha256' });
    const key = Buffer.from(readFileSync(join(dir, auditKeyFileName), 'utf8').trim(), 'hex');
    expect(JSON.parse(seal!.after_json!)).toEqual({
      note: 'chain re-keyed at row 6',
      algorithm: 'hmac-sha256',
      keyId: keyIdOf(key),
      legacyChain: 'intact',
    });
    // Opened by the app afterwards: nothing is sealed twice, and new rows are keyed.
    const services = await createServices({ dataDir: dir, shell: 'host', logger: silentLogger });
    open.push(services);
    ok(
      await services.dispatch(
        'signIn',
        { studyId: 1, displayName: 'Reader 1', passphrase: 'reader 1 passphrase' },
        'reader',
      ),
    );
    expect(await verifyAudit(services.context.db)).toEqual({ rows: 7, ok: true });
    expect(
      (await services.context.db.get<{ action: string }>('SELECT action FROM audit_log WHERE id = 7'))!.action,
    ).toBe('auth.signin');
  });

  it('is sealed once when two processes open it at the same moment', async () => {
    const dir = legacyFolder();
    const [a, b] = await Promise.all([verifyCli(dir), verifyCli(dir)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.out, b.out]).toEqual([
      { rows: 6, ok: true },
      { rows: 6, ok: true },
    ]);
  });

  it('still finds an edit of a row from before the seal', async () => {
    const dir = legacyFolder();
    expect((await verifyCli(dir)).code).toBe(0);
    await tamper(dir, `${dropGuards} UPDATE audit_log SET actor = 'user:7' WHERE id = 2;`);
    expect((await verifyCli(dir)).out.firstBrokenRow).toEqual({
      id: 2,
      reason: 'its contents do not match its hash (the row was edited)',
    });
  });

  it('finds the sealed rows re-chained without the key: the seal no longer follows them', async () => {
    const dir = legacyFolder();
    expect((await verifyCli(dir)).code).toBe(0);
    await tamper(dir, async (db) => {
      await rawRun(db, dropGuards.split(';')[0]!);
      let prev = '0'.repeat(64);
      for (const r of await rawAll<RawRow>(db, 'SELECT * FROM audit_log WHERE id <= 5 ORDER BY id')) {
        const edited = r.id === 2 ? { ...r, actor: 'user:7' } : r;
        const hash = unkeyedHash(prev, edited);
        await rawRun(db, 'UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?', [
          edited.actor,
          prev,
          hash,
          r.id,
        ]);
        prev = hash;
      }
    });
    expect((await verifyCli(dir)).out.firstBrokenRow).toEqual({
      id: 6,
      reason: 'its previous-MAC does not match the row before it (a row was removed, inserted or replaced)',
    });
  });

  it('seals a legacy chain that was already broken, and keeps reporting where', async () => {
    const dir = legacyFolder();
    await tamper(dir, `${dropGuards} UPDATE audit_log SET actor = 'user:7' WHERE id = 3;`);
    const { code, out } = await verifyCli(dir);
    expect(code).toBe(1);
    expect(out.firstBrokenRow).toEqual({ id: 3, reason: 'its contents do not match its hash (the row was edited)' });
    await tamper(dir, async (db) => {
      const [seal] = await rawAll<RawRow>(db, "SELECT * FROM audit_log WHERE action = 'audit.rekey'");
      expect(JSON.parse(seal!.after_json!)).toMatchObject({ legacyChain: 'broken at row 3' });
    });
  });
});
