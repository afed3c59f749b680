import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readerMethods,
  type CoordinatorCase,
  type ReaderMethod,
  type ReadingStudySummary,
  type ReadView,
  type StudyOverview,
  type UnblindedCase,
} from '../../core/ipc/contract';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import { verifyAudit } from '../../electron/db/audit';
import { posixPermissions } from '../../electron/db/folderPermissions';
import { makeTempDir } from '../helpers/tempDir';
import { completeAnswers, ok } from '../helpers/readingStudy';
import { referenceProtocol } from '../../core/studies/protocol';

/**
 * Issue 13 item 5: unblinding froze nothing. A reader added afterwards could open and save a read,
 * which then appeared in the results and exports, and cases could still be added. Now the study
 * is final once unblinded: the main process refuses, and the database triggers refuse the same
 * through bare SQL. Three demo patients are read; the fourth is imported after unblinding.
 */

let temp: ReturnType<typeof makeTempDir>;
let services: Services;
let demoDir: string;
let study: ReadingStudySummary;
let cases: CoordinatorCase[];
const coordinator = 'conn-coordinator';
const readers = ['conn-reader-1', 'conn-reader-2'];
const call = <T = unknown>(method: string, req: unknown, connection: string) =>
  services.dispatch(method as never, req, connection) as Promise<{
    ok: boolean;
    value?: T;
    error?: { code: string; message: string };
  }>;
const db = () => services.context.db;

beforeAll(async () => {
  temp = makeTempDir();
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
  demoDir = (await writeDemoStudy(join(temp.path, 'demo'), { size: 'small' })).out;
  for (const p of ['DEMO-0001', 'DEMO-0002', 'DEMO-0003']) await importFolder(db(), join(demoDir, p));
  study = ok<ReadingStudySummary>(
    await call(
      'createReadingStudy',
      { name: 'Frozen study', coordinatorName: 'Coordinator', passphrase: 'coordinator pass', seed: 5 },
      coordinator,
    ),
  );
  for (const [n, connection] of readers.entries()) {
    ok(
      await call(
        'addStudyReader',
        { studyId: study.id, displayName: `Reader ${n + 1}`, passphrase: `reader ${n + 1} passphrase` },
        coordinator,
      ),
    );
    ok(
      await call(
        'signIn',
        { studyId: study.id, displayName: `Reader ${n + 1}`, passphrase: `reader ${n + 1} passphrase` },
        connection,
      ),
    );
  }
  cases = ok<{ cases: CoordinatorCase[] }>(await call('addCasesFromIndex', { studyId: study.id }, coordinator)).cases;
  for (const connection of readers) {
    for (const c of cases) {
      const { readId } = ok<ReadView>(await call('openRead', { caseId: c.caseId }, connection));
      for (const [timepoint, item, value] of completeAnswers)
        ok(await call('saveReadEntry', { readId, timepoint, item, value }, connection));
      ok(await call('submitRead', { readId }, connection));
    }
  }
  ok(await call('unblindStudy', { studyId: study.id }, coordinator));
}, 180_000);
afterAll(async () => {
  await services.close();
  temp.cleanup();
});

const refusedBySql = (sql: string, params: unknown[] = []) =>
  expect(db().run(sql, params)).rejects.toThrow(/unblinded|locked|frozen/);

describe('an unblinded study is final', () => {
  it('adds no reader (the main process refuses, and so does SQL)', async () => {
    expect(
      await call(
        'addStudyReader',
        { studyId: study.id, displayName: 'Late reader', passphrase: 'late reader passphrase' },
        coordinator,
      ),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'Study "Frozen study" is unblinded: its readers are final, no reader can be added.',
      },
    });
    expect(ok<StudyOverview>(await call('getStudyOverview', { studyId: study.id }, coordinator)).readers).toHaveLength(
      2,
    );
    await refusedBySql(
      "INSERT INTO study_users (study_ref, role, display_name, passphrase_hash, created_at) VALUES (?, 'reader', 'Sneaky', 'x', 'now')",
      [study.id],
    );
  });

  it('adds no case, even for a patient imported since', async () => {
    await importFolder(db(), join(demoDir, 'DEMO-0004'));
    expect(await call('addCasesFromIndex', { studyId: study.id }, coordinator)).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'Study "Frozen study" is unblinded: its cases are final, no case can be added.',
      },
    });
    expect(ok<CoordinatorCase[]>(await call('listStudyCases', { studyId: study.id }, coordinator))).toHaveLength(3);
    const patient = (await db().get<{ id: number }>("SELECT id FROM patients WHERE patient_id = 'DEMO-0004'"))!.id;
    await refusedBySql(
      "INSERT INTO cases (study_ref, case_code, patient_ref, created_at) VALUES (?, 'C-099', ?, 'now')",
      [study.id, patient],
    );
    await refusedBySql('DELETE FROM case_timepoints WHERE case_ref = ?', [cases[0]!.caseId]);
    expect(await call('splitStudyCase', { caseId: cases[0]!.caseId, atTimepoint: 1 }, coordinator)).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/CONFLICT|INVALID_INPUT/) },
    });
  });

  it('starts no read and changes no answer, state or protocol (the main process refuses, and so does SQL)', async () => {
    const [read] = ok<UnblindedCase[]>(await call('getUnblindedReads', { studyId: study.id }, coordinator))[0]!.reads;
    expect(
      await call('saveReadEntry', { readId: read!.readId, timepoint: 0, item: 'burden', value: '>75%' }, readers[0]!),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('reopenRead', { readId: read!.readId, reason: 'after unblinding' }, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await call('updateStudyProtocol', { studyId: study.id, protocol: {} }, coordinator)).toMatchObject({
      ok: false,
    });
    await refusedBySql("UPDATE read_entries SET value_json = '\">75%\"' WHERE read_ref = ? AND item = 'burden'", [
      read!.readId,
    ]);
    await refusedBySql('DELETE FROM read_entries WHERE read_ref = ?', [read!.readId]);
    await refusedBySql("UPDATE reads SET state = 'in_progress' WHERE id = ?", [read!.readId]);
    await refusedBySql('UPDATE reading_studies SET unblinded_at = NULL WHERE id = ?', [study.id]);
    await refusedBySql("UPDATE reading_studies SET protocol_json = '{}' WHERE id = ?", [study.id]);
    await refusedBySql('UPDATE reading_studies SET randomization_seed = 6 WHERE id = ?', [study.id]);
    await refusedBySql('DELETE FROM reads WHERE id = ?', [read!.readId]);
    const coordinatorId = (await db().get<{ id: number }>(
      "SELECT id FROM study_users WHERE role = 'coordinator' AND study_ref = ?",
      [study.id],
    ))!.id;
    await refusedBySql(
      "INSERT INTO reads (case_ref, reader_ref, state, started_at) VALUES (?, ?, 'in_progress', 'now')",
      [cases[0]!.caseId, coordinatorId],
    );
  });

  /**
   * Every contract method after unblinding: a change to the study (its readers, cases, reads,
   * answers, protocol, unblinding, or the inputs its reads used) is refused with CONFLICT, by
   * whoever may otherwise call it; the rest do not change the study. One row per method (the
   * compiler insists), so a new method has to say which it is.
   */
  it('refuses every change to the study, method by method', async () => {
    const [read] = ok<UnblindedCase[]>(await call('getUnblindedReads', { studyId: study.id }, coordinator))[0]!.reads;
    const arterial = (await db().get<{ series_instance_uid: string }>(
      `SELECT se.series_instance_uid FROM series se JOIN case_timepoints t ON t.dicom_study_ref = se.study_ref WHERE t.case_ref = ? AND se.modality = 'CT' AND COALESCE(se.phase_override, se.phase) <> 'other' LIMIT 1`,
      [cases[0]!.caseId],
    ))!.series_instance_uid;
    type Row = { refused: 'CONFLICT'; as: string; req: () => unknown } | { unaffected: string };
    const byCoordinator = (req: () => unknown): Row => ({ refused: 'CONFLICT', as: coordinator, req });
    const byReader = (req: () => unknown): Row => ({ refused: 'CONFLICT', as: readers[0]!, req });
    const globalIndex: Row = { unaffected: 'the global index or the app, not this study' };
    const readOnly: Row = { unaffected: 'reads the study without changing it' };
    const table: Record<ReaderMethod, Row> = {
      getAppInfo: globalIndex,
      startDatabaseCheck: globalIndex,
      getJob: globalIndex,
      cancelJob: globalIndex,
      chooseFolder: globalIndex,
      startImport: { unaffected: 'the global index (a new image of one of its exams is skipped: studyInputs.test.ts)' },
      listDicomIndex: globalIndex,
      setSeriesPhase: byCoordinator(() => ({ seriesInstanceUid: arterial, phase: 'other' })),
      openDemoStudy: globalIndex,
      loadVolume: globalIndex,
      openLetbSession: {
        unaffected: "the coordinator's own LETB (its readers do not measure LETB, so masks are not their input)",
      },
      evaluateLetbRoi: globalIndex,
      saveLetbPlacement: { unaffected: "the coordinator's own LETB placements" },
      deleteLetbPlacement: { unaffected: "the coordinator's own LETB placements" },
      exportLetbMask: globalIndex,
      getLetbReproducibility: globalIndex,
      getLetbTimeline: globalIndex,
      listReadingStudies: readOnly,
      createReadingStudy: { unaffected: 'another study' },
      addStudyReader: byCoordinator(() => ({
        studyId: study.id,
        displayName: 'Reader 9',
        passphrase: 'reader 9 passphrase',
      })),
      signIn: { unaffected: 'a session, not the study' },
      signOut: { unaffected: 'a session, not the study' },
      whoAmI: readOnly,
      addCasesFromIndex: byCoordinator(() => ({ studyId: study.id })),
      listStudyCases: readOnly,
      splitStudyCase: byCoordinator(() => ({ caseId: cases[0]!.caseId, atTimepoint: 1 })),
      joinStudyCase: byCoordinator(() => ({ caseId: cases[0]!.caseId })),
      getMyWorklist: readOnly,
      updateStudyProtocol: byCoordinator(() => ({ studyId: study.id, protocol: referenceProtocol })),
      getStudyOverview: readOnly,
      openRead: { unaffected: 'opens an existing locked read (a new one is refused: the SQL test above)' },
      loadCaseSeries: readOnly,
      openReadLetb: readOnly,
      evaluateReadLetbRoi: readOnly,
      saveReadEntry: byReader(() => ({ readId: read!.readId, timepoint: 0, item: 'burden', value: '>75%' })),
      submitRead: byReader(() => ({ readId: read!.readId })),
      reopenRead: byCoordinator(() => ({ readId: read!.readId, reason: 'after unblinding' })),
      unblindStudy: byCoordinator(() => ({ studyId: study.id })),
      getUnblindedReads: readOnly,
      exportStudyReads: { unaffected: 'writes an export of the locked reads' },
      getStudyAgreement: readOnly,
      exportStudyReport: { unaffected: 'writes the report of the locked reads' },
      importOutcomes: { unaffected: "the cases' outcomes, imported after unblinding by design" },
      getOutcomeAnalysis: readOnly,
      listImportRuns: globalIndex,
      getSignInSecurity: readOnly,
      setSessionSettings: { unaffected: "the study's sign-in policy (session times), not its reads" },
      unlockStudyUser: { unaffected: "a user's sign-in lockout, not the study's reads" },
    };
    expect(Object.keys(table).sort()).toEqual([...readerMethods].sort());
    const auditRows = async () => (await db().get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
    const rowsBefore = await auditRows();
    for (const m of readerMethods) {
      const row = table[m];
      if ('unaffected' in row) continue;
      expect(await call(m, row.req(), row.as), m).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    }
    expect(await auditRows()).toBe(rowsBefore);
  });

  it('prints the head of the audit trail in every export and report, each file owner-only', async () => {
    const macOf = async (row: number) =>
      (await db().get<{ hash: string }>('SELECT hash FROM audit_log WHERE id = ?', [row]))!.hash;
    const rowsNow = async () => (await db().get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

    let before = await rowsNow();
    const csv = ok<{ path: string; sha256: string; auditTrail: { rows: number; lastMac: string } }>(
      await call('exportStudyReads', { studyId: study.id, format: 'csv' }, coordinator),
    );
    expect(csv.auditTrail).toEqual({ rows: before, lastMac: await macOf(before) });
    const sidecar = JSON.parse(readFileSync(`${csv.path}.audit.json`, 'utf8'));
    expect(sidecar).toEqual({
      format: 'concord-export-audit',
      formatVersion: 1,
      file: basename(csv.path),
      sha256: csv.sha256,
      rows: expect.any(Number),
      auditTrail: csv.auditTrail,
    });
    expect(createHash('sha256').update(readFileSync(csv.path)).digest('hex')).toBe(csv.sha256);
    // The export's own audit row follows the printed head and names the file's hash.
    expect(
      JSON.parse(
        (await db().get<{ after_json: string }>('SELECT after_json FROM audit_log WHERE id = ?', [before + 1]))!
          .after_json,
      ),
    ).toMatchObject({ format: 'csv', path: csv.path, sha256: csv.sha256 });

    before = await rowsNow();
    const json = ok<{ path: string; auditTrail: { rows: number; lastMac: string } }>(
      await call('exportStudyReads', { studyId: study.id, format: 'json' }, coordinator),
    );
    expect(JSON.parse(readFileSync(json.path, 'utf8')).auditTrail).toEqual({
      rows: before,
      lastMac: await macOf(before),
    });

    before = await rowsNow();
    const report = ok<{
      dir: string;
      files: { name: string; path: string }[];
      auditTrail: { rows: number; lastMac: string };
    }>(await call('exportStudyReport', { studyId: study.id, includeIdentity: false }, coordinator));
    expect(report.auditTrail).toEqual({ rows: before, lastMac: await macOf(before) });
    const html = readFileSync(join(report.dir, 'report.html'), 'utf8');
    expect(html).toContain(
      `${before} rows when generated; head HMAC <span class="mac">${report.auditTrail.lastMac}</span>`,
    );
    expect(html).toContain(
      `Audit trail at generation: ${before} rows, head HMAC <span class="mac">${report.auditTrail.lastMac}</span>.`,
    );
    expect(JSON.parse(readFileSync(join(report.dir, 'agreement.json'), 'utf8')).study.auditTrail).toEqual(
      report.auditTrail,
    );
    if (posixPermissions) {
      for (const path of [csv.path, `${csv.path}.audit.json`, json.path, ...report.files.map((f) => f.path)])
        expect([path, mode(path)]).toEqual([path, '600']);
      expect(mode(report.dir)).toBe('700');
    }
    expect(await verifyAudit(db())).toEqual({ rows: await rowsNow(), ok: true });
  }, 120_000);

  it('keeps open reads out of results and exports, whatever reached the tables', async () => {
    // Someone with the database file and a plain sqlite shell drops the guards and adds a reader
    // with an open read: the app still shows and exports the submitted reads only.
    await db().exec(
      'DROP TRIGGER study_users_unblinded; DROP TRIGGER reads_unblinded_insert; DROP TRIGGER read_entries_unblinded_insert;',
    );
    const now = new Date().toISOString();
    const userId = (
      await db().run(
        "INSERT INTO study_users (study_ref, role, display_name, passphrase_hash, created_at) VALUES (?, 'reader', 'Late reader', 'x', ?)",
        [study.id, now],
      )
    ).lastID;
    const readId = (
      await db().run("INSERT INTO reads (case_ref, reader_ref, state, started_at) VALUES (?, ?, 'in_progress', ?)", [
        cases[0]!.caseId,
        userId,
        now,
      ])
    ).lastID;
    await db().run(
      "INSERT INTO read_entries (read_ref, timepoint, item, value_json, saved_at) VALUES (?, 0, 'burden', '\">75%\"', ?)",
      [readId, now],
    );

    const unblinded = ok<UnblindedCase[]>(await call('getUnblindedReads', { studyId: study.id }, coordinator));
    expect(unblinded.flatMap((c) => c.reads.map((r) => r.reader)).sort()).toEqual([
      'Reader 1',
      'Reader 1',
      'Reader 1',
      'Reader 2',
      'Reader 2',
      'Reader 2',
    ]);
    const csv = ok<{ path: string }>(await call('exportStudyReads', { studyId: study.id, format: 'csv' }, coordinator));
    expect(readFileSync(csv.path, 'utf8')).not.toContain('Late reader');
    const json = ok<{ path: string }>(
      await call('exportStudyReads', { studyId: study.id, format: 'json' }, coordinator),
    );
    expect(readFileSync(json.path, 'utf8')).not.toContain('Late reader');
  });
});
