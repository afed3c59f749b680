import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readerMethods,
  type ReaderMethod,
  type ReadView,
  type StudyUser,
  type WorklistEntry,
  type JobStarted,
} from '../../core/ipc/contract';
import { makeTempDir } from '../helpers/tempDir';
import { caliper, ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { demoPhi, phiFound } from '../helpers/demoPhi';

/**
 * Blinding is enforced in the main process: every contract method, called by reader B on reader
 * A's data, is refused (FORBIDDEN / NOT_FOUND) or answers with B's own data only. The table has
 * one row per method (the compiler insists), so a new method cannot skip this test.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let phi: string[];
let aRead: ReadView;
let aJob: string;
let seriesUid: string;

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 2);
  phi = await demoPhi(f.services.context.db);
  const a = f.readers[0]!.connection;
  aRead = ok<ReadView>(await f.services.dispatch('openRead', { caseId: f.demoCase.caseId }, a));
  ok(
    await f.services.dispatch(
      'saveReadEntry',
      { readId: aRead.readId, timepoint: 0, item: 'target1.longest', value: caliper(41.5) },
      a,
    ),
  );
  ok(
    await f.services.dispatch(
      'saveReadEntry',
      { readId: aRead.readId, timepoint: 0, item: 'enhancement', value: 'iso-/hypoenhancing' },
      a,
    ),
  );
  aJob = ok<JobStarted>(await f.services.dispatch('startDatabaseCheck', undefined, a)).jobId;
  seriesUid = (await f.services.context.db.get<{ series_instance_uid: string }>(
    "SELECT series_instance_uid FROM series WHERE modality = 'CT' LIMIT 1",
  ))!.series_instance_uid;
}, 120_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

type Row =
  | { req: () => unknown; refused: 'FORBIDDEN' | 'NOT_FOUND' }
  | { req: () => unknown; allowed: string; check?: (value: unknown) => void };

const forbidden = (req: () => unknown = () => undefined): Row => ({ req, refused: 'FORBIDDEN' });
const study = () => ({ studyId: f.study.id });

const table: Record<ReaderMethod, Row> = {
  getAppInfo: { req: () => undefined, allowed: 'product, version, data folder' },
  startDatabaseCheck: { req: () => undefined, allowed: "B's own job" },
  getJob: { req: () => ({ jobId: aJob }), refused: 'NOT_FOUND' },
  cancelJob: { req: () => ({ jobId: aJob }), refused: 'NOT_FOUND' },
  chooseFolder: forbidden(),
  startImport: forbidden(() => ({ folderPath: temp.path })),
  listImportRuns: forbidden(),
  listDicomIndex: forbidden(),
  setSeriesPhase: forbidden(() => ({ seriesInstanceUid: seriesUid, phase: 'arterial' })),
  openDemoStudy: forbidden(),
  loadVolume: forbidden(() => ({ seriesInstanceUid: seriesUid })),
  openLetbSession: forbidden(() => ({ arterialSeriesUid: seriesUid, mask: { seriesInstanceUid: seriesUid } })),
  evaluateLetbRoi: forbidden(() => ({
    sessionId: 'letb-0000000000000000',
    centerLps: [0, 0, 0],
    volumeMl: 1,
    shape: 'sphere',
  })),
  saveLetbPlacement: forbidden(() => ({
    sessionId: 'letb-0000000000000000',
    centerLps: [0, 0, 0],
    volumeMl: 1,
    shape: 'sphere',
    placementNo: 1,
  })),
  deleteLetbPlacement: forbidden(() => ({ sessionId: 'letb-0000000000000000', placementId: 1 })),
  exportLetbMask: forbidden(() => ({ sessionId: 'letb-0000000000000000', format: 'nifti' })),
  getLetbReproducibility: forbidden(),
  getLetbTimeline: forbidden(() => ({ seriesInstanceUid: seriesUid })),
  listReadingStudies: {
    req: () => undefined,
    allowed: 'study names for the sign-in screen',
    check: (v) => expect(JSON.stringify(v)).not.toMatch(/unblind|seed|protocol/i),
  },
  createReadingStudy: forbidden(() => ({ name: 'Another', coordinatorName: 'B', passphrase: 'b passphrase 123' })),
  addStudyReader: forbidden(() => ({ ...study(), displayName: 'Reader 9', passphrase: 'reader 9 passphrase' })),
  signIn: {
    req: () => ({ ...study(), displayName: 'Reader 1', passphrase: f.readers[1]!.passphrase }),
    refused: 'FORBIDDEN',
  },
  signOut: { req: () => undefined, allowed: "B's own connection" },
  whoAmI: { req: () => undefined, allowed: 'B', check: (v) => expect((v as StudyUser).displayName).toBe('Reader 2') },
  getSignInSecurity: forbidden(study),
  setSessionSettings: forbidden(() => ({
    ...study(),
    idleTimeoutMinutes: 480,
    absoluteTimeoutMinutes: 1440,
    lockoutMinutes: 1,
  })),
  unlockStudyUser: forbidden(() => ({ ...study(), userId: f.readers[0]!.user.userId })),
  addCasesFromIndex: forbidden(study),
  listStudyCases: forbidden(study),
  splitStudyCase: forbidden(() => ({ caseId: f.demoCase.caseId, atTimepoint: 1 })),
  joinStudyCase: forbidden(() => ({ caseId: f.demoCase.caseId })),
  getMyWorklist: {
    req: () => undefined,
    allowed: "B's own worklist",
    check: (v) =>
      expect((v as WorklistEntry[]).find((e) => e.caseId === f.demoCase.caseId)!.readState).toBe('not_started'),
  },
  updateStudyProtocol: forbidden(() => ({ ...study(), protocol: {} })),
  getStudyOverview: forbidden(study),
  openRead: {
    req: () => ({ caseId: f.demoCase.caseId }),
    allowed: "B's own read of the same case",
    check: (v) => {
      const view = v as ReadView;
      expect(view.readId).not.toBe(aRead.readId);
      expect(view.entries).toEqual([]);
    },
  },
  loadCaseSeries: {
    req: () => ({ caseId: f.demoCase.caseId, seriesKey: 't0-s1' }),
    allowed: 'the images of a case B reads',
  },
  openReadLetb: { req: () => ({ readId: aRead.readId, timepoint: 0 }), refused: 'NOT_FOUND' },
  evaluateReadLetbRoi: {
    req: () => ({ readId: aRead.readId, timepoint: 0, centerLps: [0, 0, 0], volumeMl: 1, shape: 'sphere' }),
    refused: 'NOT_FOUND',
  },
  saveReadEntry: {
    req: () => ({ readId: aRead.readId, timepoint: 0, item: 'burden', value: '>75%' }),
    refused: 'NOT_FOUND',
  },
  submitRead: { req: () => ({ readId: aRead.readId }), refused: 'NOT_FOUND' },
  reopenRead: forbidden(() => ({ readId: aRead.readId, reason: 'B tries' })),
  unblindStudy: forbidden(study),
  getUnblindedReads: forbidden(study),
  exportStudyReads: forbidden(() => ({ ...study(), format: 'csv' })),
  getStudyAgreement: forbidden(study),
  exportStudyReport: forbidden(() => ({ ...study(), includeIdentity: true })),
  importOutcomes: forbidden(() => ({
    ...study(),
    csv: 'case_code,last_followup_date,death,hepatic_progression_date,progression_date,untreatable_progression_date\n',
  })),
  getOutcomeAnalysis: forbidden(study),
};

describe("reader B on reader A's data", () => {
  it('has a row for every contract method', () => {
    expect(Object.keys(table).sort()).toEqual([...readerMethods].sort());
  });

  it.each(readerMethods.map((m) => [m]))('%s', async (method) => {
    const b = f.readers[1]!;
    const row = table[method];
    const result = await f.services.dispatch(method, row.req() as never, b.connection);
    if ('refused' in row) {
      expect(result).toMatchObject({ ok: false, error: { code: row.refused } });
    } else {
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) row.check?.(result.value);
    }
    // Whatever the answer, nothing of A's read and no PHI reaches B.
    expect(phiFound(result, phi)).toEqual([]);
    expect(JSON.stringify(result, (_k, v) => (ArrayBuffer.isView(v) ? '[pixels]' : v))).not.toMatch(
      /41\.5|iso-\/hypoenhancing"(?!\])/,
    );
    // A stays untouched, and B stays signed in for the next row.
    if (method === 'signOut')
      ok(
        await f.services.dispatch(
          'signIn',
          { studyId: f.study.id, displayName: 'Reader 2', passphrase: b.passphrase },
          b.connection,
        ),
      );
  });

  it("leaves A's read exactly as A saved it", async () => {
    const view = ok<ReadView>(
      await f.services.dispatch('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection),
    );
    expect(view.entries.map((e) => [e.item, e.value])).toEqual([
      ['enhancement', 'iso-/hypoenhancing'],
      ['target1.longest', expect.objectContaining({ lengthMm: 41.5 })],
    ]);
    expect(view.state).toBe('in_progress');
  });

  it('refuses a reader of another study the cases and reads of this one', async () => {
    ok(
      await f.services.dispatch(
        'signIn',
        { ...study(), displayName: 'Coordinator', passphrase: 'coordinator pass' },
        'conn-other-coordinator',
      ),
    );
    const other = ok<{ id: number }>(
      await f.services.dispatch(
        'createReadingStudy',
        { name: 'Other study', coordinatorName: 'Other coordinator', passphrase: 'other coordinator' },
        'conn-other-coordinator',
      ),
    );
    ok(
      await f.services.dispatch(
        'addStudyReader',
        { studyId: other.id, displayName: 'Outsider', passphrase: 'outsider passphrase' },
        'conn-other-coordinator',
      ),
    );
    ok(
      await f.services.dispatch(
        'signIn',
        { studyId: other.id, displayName: 'Outsider', passphrase: 'outsider passphrase' },
        'conn-outsider',
      ),
    );
    expect(await f.services.dispatch('openRead', { caseId: f.demoCase.caseId }, 'conn-outsider')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await f.services.dispatch('loadCaseSeries', { caseId: f.demoCase.caseId, seriesKey: 't0-s1' }, 'conn-outsider'),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await f.services.dispatch(
        'saveReadEntry',
        { readId: aRead.readId, timepoint: 0, item: 'burden', value: '>75%' },
        'conn-outsider',
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await f.services.dispatch('getStudyOverview', study(), 'conn-other-coordinator')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await f.services.dispatch(
        'reopenRead',
        { readId: aRead.readId, reason: 'other study' },
        'conn-other-coordinator',
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Sign-in security is per study too: another study's coordinator can neither see this one's
    // users and lockouts nor change its sessions or unlock its readers.
    for (const [method, req] of [
      ['getSignInSecurity', study()],
      ['setSessionSettings', { ...study(), idleTimeoutMinutes: 480, absoluteTimeoutMinutes: 1440, lockoutMinutes: 1 }],
      ['unlockStudyUser', { ...study(), userId: f.readers[0]!.user.userId }],
    ] as const) {
      expect(await f.services.dispatch(method, req, 'conn-other-coordinator'), method).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });
});
