import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import { sharedDataDir } from '../../electron/platform/paths';
import { worklistOrder } from '../../core/studies/worklistOrder';
import type { CoordinatorCase, ReadingStudySummary, WorklistEntry } from '../../core/ipc/contract';
import { makeTempDir } from '../helpers/tempDir';

let temp: ReturnType<typeof makeTempDir>;
let services: Services;
let study: ReadingStudySummary;
const coordinator = 'conn-coordinator';
const readers = ['conn-reader-1', 'conn-reader-2'];

const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
};

beforeAll(async () => {
  temp = makeTempDir();
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
  const demo = await writeDemoStudy(join(temp.path, 'demo'), { size: 'small' });
  await importFolder(services.context.db, demo.out);
  await importFolder(services.context.db, join(sharedDataDir, 'dicom'));
  study = ok(
    await services.dispatch(
      'createReadingStudy',
      { name: 'Blind study', coordinatorName: 'Coordinator', passphrase: 'coordinator pass', seed: 42 },
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
}, 60_000);
afterAll(async () => {
  await services.close();
  temp.cleanup();
});

describe('cases and worklists', () => {
  it('creates one case per patient with two or more exams, baseline first, and only once', async () => {
    const first = ok<{ created: number; cases: CoordinatorCase[] }>(
      await services.dispatch('addCasesFromIndex', { studyId: study.id }, coordinator),
    );
    const multiExamPatients = (
      await services.context.db.all('SELECT patient_ref FROM studies GROUP BY patient_ref HAVING COUNT(*) >= 2')
    ).length;
    expect(first.created).toBe(multiExamPatients);
    expect(first.cases.map((c) => c.caseCode)).toEqual(
      Array.from({ length: multiExamPatients }, (_, n) => `C-${String(n + 1).padStart(3, '0')}`),
    );
    const demo = first.cases.find((c) => c.patientId === 'DEMO-0001')!;
    expect(demo.patientName).toBe('DEMO^PATIENT');
    expect(demo.timepoints.map((t) => [t.ordinal, t.studyDate, t.label])).toEqual([
      [0, '20240110', 'baseline'],
      [1, '20240221', '+6 weeks'],
    ]);
    expect(
      ok<{ created: number }>(await services.dispatch('addCasesFromIndex', { studyId: study.id }, coordinator)).created,
    ).toBe(0);
  });

  it("gives each reader every case in the order drawn from the study seed and the reader's id", async () => {
    const cases = ok<CoordinatorCase[]>(await services.dispatch('listStudyCases', { studyId: study.id }, coordinator));
    const orders: string[][] = [];
    for (const conn of readers) {
      const me = ok<{ userId: number }>(await services.dispatch('whoAmI', undefined, conn));
      const list = ok<WorklistEntry[]>(await services.dispatch('getMyWorklist', undefined, conn));
      expect(list.map((e) => e.position)).toEqual(cases.map((_, n) => n + 1));
      const expected = worklistOrder(
        cases.map((c) => c.caseCode),
        42,
        `reader-${me.userId}`,
      );
      expect(list.map((e) => e.caseCode)).toEqual(expected);
      expect(ok<WorklistEntry[]>(await services.dispatch('getMyWorklist', undefined, conn))).toEqual(list); // same seed → same order
      orders.push(list.map((e) => e.caseCode));
    }
    if (cases.length >= 4) expect(orders[0]).not.toEqual(orders[1]);
  });

  it("keeps every identifying field of the demo out of a reader's worklist", async () => {
    const payload = JSON.stringify(ok(await services.dispatch('getMyWorklist', undefined, readers[0])));
    const db = services.context.db;
    const identity = await db.get<{ patient_name: string; patient_id: string; birth_date: string }>(
      "SELECT patient_name, patient_id, birth_date FROM patients WHERE patient_id = 'DEMO-0001'",
    );
    const exams = await db.all<{
      study_date: string;
      accession_number: string;
      institution_name: string;
      study_instance_uid: string;
    }>(
      'SELECT study_date, accession_number, institution_name, study_instance_uid FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE p.patient_id = ?',
      ['DEMO-0001'],
    );
    const phi = [
      identity!.patient_name,
      'DEMO',
      identity!.patient_id,
      identity!.birth_date,
      ...exams.flatMap((e) => [e.study_date, e.accession_number, e.institution_name, e.study_instance_uid]),
    ];
    for (const value of phi.filter((v) => v.length > 0)) expect(payload, value).not.toContain(value);
    expect(payload).toContain('+6 weeks');
  });

  it('refuses the coordinator views to readers and the worklist to the coordinator', async () => {
    expect(await services.dispatch('listStudyCases', { studyId: study.id }, readers[0])).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await services.dispatch('addCasesFromIndex', { studyId: study.id }, readers[1])).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await services.dispatch('getMyWorklist', undefined, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await services.dispatch('getMyWorklist', undefined, 'conn-nobody')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await services.dispatch('listStudyCases', { studyId: 999 }, coordinator)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
