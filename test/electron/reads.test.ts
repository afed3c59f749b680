import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CaseVolume,
  ReadSaved,
  ReadView,
  StudyOverview,
  UnblindedCase,
  WorklistEntry,
} from '../../core/ipc/contract';
import { referenceProtocol } from '../../core/studies/protocol';
import { verifyAudit } from '../../electron/db/audit';
import { makeTempDir } from '../helpers/tempDir';
import { caliper, completeAnswersWith, ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { demoPhi, phiFound } from '../helpers/demoPhi';

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let phi: string[];
const call = (method: string, req: unknown, connection: string) =>
  f.services.dispatch(method as never, req, connection);

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 2);
  phi = await demoPhi(f.services.context.db);
}, 120_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

/** A complete read of the demo case: target 1 40 → 28 mm (−30 %: PR), viable 30 → 0 mm (CR). */
async function completeRead(connection: string, readId: number, followUpMm = 28): Promise<ReadSaved> {
  let last: ReadSaved | undefined;
  for (const [timepoint, item, value] of completeAnswersWith(followUpMm))
    last = ok<ReadSaved>(await call('saveReadEntry', { readId, timepoint, item, value }, connection));
  return last!;
}

describe('the protocol', () => {
  it('can be changed by the coordinator until the first read opens, then is frozen', async () => {
    const changed = { ...referenceProtocol, targets: { organ: 'liver', maxTotal: 5, maxPerOrgan: 2 } };
    const overview = ok<StudyOverview>(
      await call('updateStudyProtocol', { studyId: f.study.id, protocol: changed }, f.coordinator),
    );
    expect(overview.study.protocol.targets.maxTotal).toBe(5);
    expect(
      await call('updateStudyProtocol', { studyId: f.study.id, protocol: { version: 1 } }, f.coordinator),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/criteria/) } });
    expect(
      await call('updateStudyProtocol', { studyId: f.study.id, protocol: changed }, f.readers[0]!.connection),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    ok(await call('updateStudyProtocol', { studyId: f.study.id, protocol: referenceProtocol }, f.coordinator));

    ok(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection));
    expect(await call('updateStudyProtocol', { studyId: f.study.id, protocol: changed }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/frozen/) },
    });
    expect(
      ok<StudyOverview>(await call('getStudyOverview', { studyId: f.study.id }, f.coordinator)).study,
    ).toMatchObject({ frozen: true, unblinded: false, seed: 42 });
  });
});

describe('a blinded read', () => {
  it('shows the case by code, relative timepoints and series keys, with what is still missing', async () => {
    const view = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection));
    expect(view).toMatchObject({ caseCode: f.demoCase.caseCode, state: 'in_progress', entries: [] });
    expect(view.timepoints.map((t) => t.label)).toEqual(['baseline', '+6 weeks']);
    expect(view.timepoints[0]!.series.map((s) => s.phase).sort()).toEqual(['arterial', 'portal_venous', 'precontrast']);
    expect(view.timepoints[1]!.series[0]!.seriesKey).toBe('t1-s1');
    expect(view.problems[0]).toMatch(/at least one target lesion/);
    expect(view.assessment.recist).toEqual({ estimable: false, reason: expect.stringMatching(/baseline longest/) });
    expect(phiFound(view, phi)).toEqual([]);
  });

  it('loads a series of the case as an HU volume with no DICOM identity', async () => {
    const view = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection));
    const key = view.timepoints[0]!.series.find((s) => s.phase === 'arterial')!.seriesKey;
    const volume = ok<CaseVolume>(
      await call('loadCaseSeries', { caseId: f.demoCase.caseId, seriesKey: key }, f.readers[0]!.connection),
    );
    expect(volume.voxels.length).toBe(volume.dims[0] * volume.dims[1] * volume.dims[2]);
    expect(Object.keys(volume)).not.toContain('seriesInstanceUid');
    expect(Object.keys(volume)).not.toContain('description');
    expect(phiFound(volume, phi)).toEqual([]);
    expect(
      await call('loadCaseSeries', { caseId: f.demoCase.caseId, seriesKey: 't9-s1' }, f.readers[0]!.connection),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('computes the caliper length and the RECIST 1.1 and mRECIST categories live from the answers', async () => {
    const { readId } = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection));
    const r = f.readers[0]!.connection;
    const first = ok<ReadSaved>(
      await call(
        'saveReadEntry',
        {
          readId,
          timepoint: 0,
          item: 'target1.longest',
          value: { status: 'measured', aLps: [10, 20, 30], bLps: [13, 24, 30], seriesKey: 't0-s1' },
        },
        r,
      ),
    );
    expect(first.entry!.value).toMatchObject({ status: 'measured', lengthMm: 5 }); // 3-4-5
    const saved = await completeRead(r, readId);
    const recist = saved.assessment.recist!;
    const mrecist = saved.assessment.mrecist!;
    expect(recist.estimable && recist.assessment.followUps[0]).toMatchObject({
      sumMm: 28,
      changeFromBaselinePercent: -30,
      targetResponse: 'PR',
      overallResponse: 'PR',
    });
    expect(mrecist.estimable && mrecist.assessment.followUps[0]).toMatchObject({
      sumMm: 0,
      targetResponse: 'CR',
      overallResponse: 'CR',
    });
    expect(saved.problems).toEqual([]);
    // One more millimetre is SD (−27.5 %); a new lesion makes both PD.
    const sd = ok<ReadSaved>(
      await call('saveReadEntry', { readId, timepoint: 1, item: 'target1.longest', value: caliper(29, 0, 't1-s1') }, r),
    );
    expect(sd.assessment.recist!.estimable && sd.assessment.recist!.assessment.followUps[0]!.overallResponse).toBe(
      'SD',
    );
    const pd = ok<ReadSaved>(await call('saveReadEntry', { readId, timepoint: 1, item: 'new_lesion', value: true }, r));
    expect(pd.assessment.recist!.estimable && pd.assessment.recist!.assessment.followUps[0]!.overallResponse).toBe(
      'PD',
    );
    expect(pd.assessment.mrecist!.estimable && pd.assessment.mrecist!.assessment.followUps[0]!.overallResponse).toBe(
      'PD',
    );
    ok(await call('saveReadEntry', { readId, timepoint: 1, item: 'new_lesion', value: false }, r));
    ok(
      await call('saveReadEntry', { readId, timepoint: 1, item: 'target1.longest', value: caliper(28, 0, 't1-s1') }, r),
    );
  });

  it.each([
    [{ timepoint: 0, item: 'target3.longest', value: caliper(20) }, /allows 2 liver target/],
    [{ timepoint: 0, item: 'target1.longest', value: { status: 'absent' } }, /measured at the baseline/],
    [{ timepoint: 1, item: 'burden', value: '<25%' }, /baseline only/],
    [{ timepoint: 0, item: 'burden', value: '<10%' }, /one of "<25%"/],
    [{ timepoint: 0, item: 'new_lesion', value: true }, /follow-ups only/],
    [{ timepoint: 2, item: 'nontarget', value: 'absent' }, /Timepoint 2 does not exist/],
    [{ timepoint: 0, item: 'nontarget', value: 'progression' }, /absent, present/],
    [{ timepoint: 0, item: 'recist_category', value: 'PR' }, /not an item/],
    [
      {
        timepoint: 0,
        item: 'target1.longest',
        value: { status: 'measured', aLps: [0, 0, 0], bLps: [0.2, 0, 0], seriesKey: 't0-s1' },
      },
      /0.20 mm long/,
    ],
    [
      {
        timepoint: 0,
        item: 'target1.longest',
        value: { status: 'measured', aLps: [0, 0, 0], bLps: [1, 0, 0], seriesKey: 't0-s1', lengthMm: 99 },
      },
      /unexpected field "lengthMm"/,
    ],
    [
      { timepoint: 0, item: 'target1.longest', value: { status: 'absent', aLps: [0, 0, 0] } },
      /unexpected field|no caliper points/,
    ],
  ])('refuses the answer %j with a message', async (req, message) => {
    const { readId } = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[1]!.connection));
    expect(await call('saveReadEntry', { readId, ...req }, f.readers[1]!.connection)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) },
    });
  });

  it('refuses to submit an incomplete read and says what is missing', async () => {
    const { readId } = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[1]!.connection));
    ok(
      await call(
        'saveReadEntry',
        { readId, timepoint: 0, item: 'target1.longest', value: caliper(8) },
        f.readers[1]!.connection,
      ),
    );
    const refused = await call('submitRead', { readId }, f.readers[1]!.connection);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const message = (refused as { error: { message: string } }).error.message;
    expect(message).toMatch(/longest diameter missing at follow-up 1/);
    expect(message).toMatch(/at least 10 mm/);
    expect(message).toMatch(/Visual hepatic tumour burden: answer missing at baseline/);
    ok(
      await call(
        'saveReadEntry',
        { readId, timepoint: 0, item: 'target1.longest', value: null },
        f.readers[1]!.connection,
      ),
    );
  });

  it('locks a submitted read: the service, and the database itself, refuse changes', async () => {
    const r = f.readers[0]!.connection;
    const { readId } = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, r));
    const submitted = ok<ReadView>(await call('submitRead', { readId }, r));
    expect(submitted).toMatchObject({ state: 'submitted', problems: [] });
    expect(submitted.submittedAt).toMatch(/^\d{4}-/);
    expect(await call('saveReadEntry', { readId, timepoint: 0, item: 'burden', value: '>75%' }, r)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/locked/) },
    });
    expect(await call('submitRead', { readId }, r)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await expect(
      f.services.context.db.run(
        "UPDATE read_entries SET value_json = '\">75%\"' WHERE read_ref = ? AND item = 'burden'",
        [readId],
      ),
    ).rejects.toThrow(/locked/);
    await expect(f.services.context.db.run('DELETE FROM read_entries WHERE read_ref = ?', [readId])).rejects.toThrow(
      /locked/,
    );
    const list = ok<WorklistEntry[]>(await call('getMyWorklist', undefined, r));
    expect(list.find((e) => e.caseId === f.demoCase.caseId)!.readState).toBe('submitted');
  });
});

describe('the coordinator', () => {
  it('sees the state of every read but no answers, and cannot unblind while reads are open', async () => {
    const overview = ok<StudyOverview>(await call('getStudyOverview', { studyId: f.study.id }, f.coordinator));
    expect(overview.readers.map((r) => [r.displayName, r.submitted, r.cases])).toEqual([
      ['Reader 1', 1, f.cases.length],
      ['Reader 2', 0, f.cases.length],
    ]);
    expect(JSON.stringify(overview)).not.toMatch(/"entries"|lengthMm|"assessment"/);
    expect(await call('unblindStudy', { studyId: f.study.id }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/not submitted/) },
    });
    expect(await call('getUnblindedReads', { studyId: f.study.id }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/still blinded/) },
    });
    expect(await call('exportStudyReads', { studyId: f.study.id, format: 'csv' }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('reopens a submitted read with a reason (audited), after which the reader can change it', async () => {
    const r = f.readers[0]!.connection;
    const { readId } = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, r));
    expect(await call('reopenRead', { readId, reason: 'x' }, r)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    ok(await call('reopenRead', { readId, reason: 'Reader asked to correct the follow-up diameter' }, f.coordinator));
    expect(ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, r)).state).toBe('in_progress');
    ok(
      await call('saveReadEntry', { readId, timepoint: 1, item: 'target1.longest', value: caliper(27, 0, 't1-s1') }, r),
    );
    ok(await call('submitRead', { readId }, r));
    const audit = await f.services.context.db.all<{ action: string; after_json: string }>(
      "SELECT action, after_json FROM audit_log WHERE action = 'read.reopen'",
    );
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({
      state: 'in_progress',
      reason: 'Reader asked to correct the follow-up diameter',
    });
  });

  it('unblinds once every read is submitted, then sees all reads side by side and exports them without PHI', async () => {
    for (const reader of f.readers) {
      for (const c of f.cases) {
        const view = ok<ReadView>(await call('openRead', { caseId: c.caseId }, reader.connection));
        if (view.state === 'submitted') continue;
        await completeRead(reader.connection, view.readId, reader === f.readers[0] ? 28 : 33);
        ok(await call('submitRead', { readId: view.readId }, reader.connection));
      }
    }
    const overview = ok<StudyOverview>(await call('unblindStudy', { studyId: f.study.id }, f.coordinator));
    expect(overview).toMatchObject({ allSubmitted: true, study: { unblinded: true } });
    const reads = ok<UnblindedCase[]>(await call('getUnblindedReads', { studyId: f.study.id }, f.coordinator));
    const demo = reads.find((c) => c.caseId === f.demoCase.caseId)!;
    expect(demo.reads.map((r) => r.reader)).toEqual(['Reader 1', 'Reader 2']);
    const categories = demo.reads.map(
      (r) => r.assessment.recist!.estimable && r.assessment.recist!.assessment.followUps[0]!.overallResponse,
    );
    expect(categories).toEqual(['PR', 'SD']); // 40 → 27 mm (−32.5 %) and 40 → 33 mm (−17.5 %)

    const csv = ok<{ path: string; rows: number }>(
      await call('exportStudyReads', { studyId: f.study.id, format: 'csv' }, f.coordinator),
    );
    const text = readFileSync(csv.path, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('case_code,reader,timepoint,item,value');
    expect(lines).toHaveLength(csv.rows + 1);
    expect(lines).toContain(`${f.demoCase.caseCode},Reader 1,1,target1.longest,27.00`);
    expect(lines).toContain(`${f.demoCase.caseCode},Reader 2,1,recist.overall_response,SD`);
    expect(lines).toContain(`${f.demoCase.caseCode},Reader 1,1,mrecist.target_response,CR`);
    expect(lines).toContain(`${f.demoCase.caseCode},Reader 1,,recist.objective_response,yes`);
    expect(phiFound(text, phi)).toEqual([]);
    const json = ok<{ path: string }>(
      await call('exportStudyReads', { studyId: f.study.id, format: 'json' }, f.coordinator),
    );
    const doc = JSON.parse(readFileSync(json.path, 'utf8'));
    expect(doc.study).toMatchObject({ name: 'Blind study', randomizationSeed: 42 });
    expect(phiFound(readFileSync(json.path, 'utf8'), phi)).toEqual([]);

    const readId = demo.reads[0]!.readId;
    expect(await call('reopenRead', { readId, reason: 'too late' }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/unblinded/) },
    });
    expect(await verifyAudit(f.services.context.db)).toMatchObject({ ok: true });
  });
});
