import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CoordinatorCase,
  OutcomeAnalysis,
  ReadingStudySummary,
  ReadView,
  WorklistEntry,
} from '../../core/ipc/contract';
import { createServices, type Services } from '../../electron/services/createServices';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import { silentLogger } from '../../electron/services/logger';
import { caliper, ok } from '../helpers/readingStudy';
import { makeTempDir } from '../helpers/tempDir';

/**
 * A patient treated more than once (SPEC §1: each treatment is one case): the coordinator splits
 * the patient's exams into treatment cases and can join them back until a reader opens them;
 * overall survival and time to untreatable progression then count the patient once (SPEC §5).
 * Two demo cohorts with different seeds give every demo patient four exams.
 */

let temp: ReturnType<typeof makeTempDir>;
let services: Services;
let study: ReadingStudySummary;
const coordinator = 'conn-coordinator';
const readers = ['conn-reader-1', 'conn-reader-2'];

const cases = async () =>
  ok<CoordinatorCase[]>(await services.dispatch('listStudyCases', { studyId: study.id }, coordinator));
const demoCase = async (patientId: string) => (await cases()).filter((c) => c.patientId === patientId);
const auditActions = async () =>
  (
    await services.context.db.all<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'study.case.%' ORDER BY id",
    )
  ).map((r) => r.action);

beforeAll(async () => {
  temp = makeTempDir();
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
  for (const seed of [1, 2])
    await importFolder(
      services.context.db,
      (await writeDemoStudy(join(temp.path, `demo-${seed}`), { size: 'small', seed })).out,
    );
  study = ok(
    await services.dispatch(
      'createReadingStudy',
      { name: 'Treatments', coordinatorName: 'Coordinator', passphrase: 'coordinator pass', seed: 5 },
      coordinator,
    ),
  );
  for (const [n, conn] of readers.entries()) {
    ok(
      await services.dispatch(
        'addStudyReader',
        { studyId: study.id, displayName: `Reader ${n + 1}`, passphrase: `reader ${n + 1} passphrase` },
        coordinator,
      ),
    );
    ok(
      await services.dispatch(
        'signIn',
        { studyId: study.id, displayName: `Reader ${n + 1}`, passphrase: `reader ${n + 1} passphrase` },
        conn,
      ),
    );
  }
  ok(await services.dispatch('addCasesFromIndex', { studyId: study.id }, coordinator));
}, 120_000);
afterAll(async () => {
  await services.close();
  temp.cleanup();
});

describe('treatment cases', () => {
  it('splits a patient’s exams into two treatments: the shared exam ends the first and is the baseline of the second', async () => {
    const [whole] = await demoCase('DEMO-0001');
    expect(whole!.timepoints).toHaveLength(4);
    const after = ok<CoordinatorCase[]>(
      await services.dispatch('splitStudyCase', { caseId: whole!.caseId, atTimepoint: 2 }, coordinator),
    );
    expect(after).toHaveLength(5);
    const [first, second] = after.filter((c) => c.patientId === 'DEMO-0001');
    expect(first!.caseCode).toBe(whole!.caseCode);
    expect(first!.timepoints.map((t) => t.studyInstanceUid)).toEqual(
      whole!.timepoints.slice(0, 3).map((t) => t.studyInstanceUid),
    );
    expect(second!.caseCode).toBe('C-005');
    expect(second!.timepoints.map((t) => t.studyInstanceUid)).toEqual(
      whole!.timepoints.slice(2).map((t) => t.studyInstanceUid),
    );
    expect(second!.timepoints.map((t) => t.ordinal)).toEqual([0, 1]);
    expect(second!.timepoints[0]!.label).toBe('baseline');
    expect(await auditActions()).toEqual([
      'study.case.add',
      'study.case.add',
      'study.case.add',
      'study.case.add',
      'study.case.split',
    ]);
    // Readers get the new case, its dates relative to its own baseline.
    const worklist = ok<WorklistEntry[]>(await services.dispatch('getMyWorklist', undefined, readers[0]));
    expect(worklist.map((w) => w.caseCode).sort()).toEqual(after.map((c) => c.caseCode).sort());
    expect(worklist.find((w) => w.caseCode === 'C-005')!.timepoints.map((t) => t.label)).toEqual([
      'baseline',
      second!.timepoints[1]!.label,
    ]);
  });

  it('refuses a split that would leave a treatment without a baseline and a follow-up, and a case of no study of the caller', async () => {
    const [first, second] = await demoCase('DEMO-0001');
    expect(
      await services.dispatch('splitStudyCase', { caseId: first!.caseId, atTimepoint: 2 }, coordinator),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('split at exam 1 to 1') },
    });
    expect(
      await services.dispatch('splitStudyCase', { caseId: second!.caseId, atTimepoint: 1 }, coordinator),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Case C-005 has 2 exams: a case needs a baseline and a follow-up, so it cannot be split.`,
      },
    });
    expect(await services.dispatch('splitStudyCase', { caseId: 9999, atTimepoint: 1 }, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await services.dispatch('joinStudyCase', { caseId: first!.caseId }, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('does not continue another case') },
    });
    expect(
      await services.dispatch('splitStudyCase', { caseId: first!.caseId, atTimepoint: 1 }, readers[0]),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('joins the second treatment back (the undo of the split), and splits again', async () => {
    const [, second] = await demoCase('DEMO-0001');
    const joined = ok<CoordinatorCase[]>(
      await services.dispatch('joinStudyCase', { caseId: second!.caseId }, coordinator),
    );
    expect(joined).toHaveLength(4);
    expect(joined.find((c) => c.patientId === 'DEMO-0001')!.timepoints).toHaveLength(4);
    const [whole] = await demoCase('DEMO-0001');
    ok(await services.dispatch('splitStudyCase', { caseId: whole!.caseId, atTimepoint: 1 }, coordinator));
    expect((await demoCase('DEMO-0001')).map((c) => c.timepoints.length)).toEqual([2, 3]);
    expect((await auditActions()).slice(-2)).toEqual(['study.case.join', 'study.case.split']);
  });

  it('freezes the grouping of a case once a reader opens it', async () => {
    const [, second] = await demoCase('DEMO-0001');
    ok<ReadView>(await services.dispatch('openRead', { caseId: second!.caseId }, readers[0]));
    expect(await services.dispatch('joinStudyCase', { caseId: second!.caseId }, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('A reader has opened case') },
    });
    expect(
      await services.dispatch('splitStudyCase', { caseId: second!.caseId, atTimepoint: 1 }, coordinator),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('counts a patient treated twice once in overall survival and time to untreatable progression, every treatment in PFS', async () => {
    const all = await cases();
    for (const conn of readers) {
      for (const c of all) {
        const read = ok<ReadView>(await services.dispatch('openRead', { caseId: c.caseId }, conn));
        const save = (timepoint: number, item: string, value: unknown) =>
          services.dispatch('saveReadEntry', { readId: read.readId, timepoint, item, value }, conn).then(ok);
        for (const t of c.timepoints.keys()) {
          await save(t, 'target1.longest', caliper(40 - 5 * t));
          await save(t, 'target1.viable', caliper(30 - 8 * t));
          await save(t, 'nontarget', 'absent');
          if (t > 0) await save(t, 'new_lesion', false);
        }
        await save(0, 'enhancement', 'hyperenhancing');
        await save(0, 'burden', '<25%');
        ok(await services.dispatch('submitRead', { readId: read.readId }, conn));
      }
    }
    ok(await services.dispatch('unblindStudy', { studyId: study.id }, coordinator));
    const iso = (da: string, days: number) =>
      new Date(Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8))) + days * 86_400_000)
        .toISOString()
        .slice(0, 10);
    const header =
      'case_code,last_followup_date,death,hepatic_progression_date,progression_date,untreatable_progression_date';
    const rows = all.map(
      (c, n) =>
        `${c.caseCode},${iso(c.timepoints[0]!.studyDate, 400 + 30 * n)},1,${iso(c.timepoints[0]!.studyDate, 100 + 10 * n)},,`,
    );
    ok(
      await services.dispatch('importOutcomes', { studyId: study.id, csv: [header, ...rows].join('\n') }, coordinator),
    );
    const analysis = ok<OutcomeAnalysis>(
      await services.dispatch('getOutcomeAnalysis', { studyId: study.id }, coordinator),
    );
    const [, later] = await demoCase('DEMO-0001');
    const recist = analysis.groupings.find((g) => g.kind === 'recist')!.comparison;
    const n = (e: keyof typeof recist.endpoints) => recist.endpoints[e].nPositive + recist.endpoints[e].nNegative;
    expect(n('hepaticPfs')).toBe(5);
    expect(n('pfs')).toBe(5);
    expect(n('overallSurvival')).toBe(4);
    expect(n('timeToUntreatableProgression')).toBe(4);
    expect(analysis.endpoints.find((e) => e.endpoint === 'overallSurvival')!.definition).toContain(
      `not counted here: ${later!.caseCode}`,
    );
    expect(analysis.endpoints.find((e) => e.endpoint === 'hepaticPfs')!.definition).not.toContain('Per patient');
    // The split is final once unblinded.
    expect(await services.dispatch('joinStudyCase', { caseId: later!.caseId }, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  }, 120_000);
});
