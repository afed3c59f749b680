import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import type { CoordinatorCase, ReadingStudySummary, StudyUser } from '../../core/ipc/contract';

export const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
};

export interface ReadingStudyFixture {
  services: Services;
  study: ReadingStudySummary;
  /** Connection ids: the coordinator's and one per reader (signed in). */
  coordinator: string;
  readers: { connection: string; user: StudyUser; passphrase: string }[];
  cases: CoordinatorCase[];
  /** The case of the demo patient (two timepoints). */
  demoCase: CoordinatorCase;
}

/**
 * Services on `<dir>/data` with the small demo study imported, a reading study (seed 42) with its
 * coordinator, `readerCount` signed-in readers ("Reader 1"… unless `opts.readerNames`) and the demo case.
 * Everything goes through the
 * contract except the import (a folder of real DICOM files, as a user would import it).
 */
export async function setUpReadingStudy(
  dir: string,
  readerCount = 2,
  opts: { protocol?: unknown; readerNames?: string[] } = {},
): Promise<ReadingStudyFixture> {
  const services = await createServices({ dataDir: join(dir, 'data'), shell: 'host', logger: silentLogger });
  const demo = await writeDemoStudy(join(dir, 'demo'), { size: 'small' });
  await importFolder(services.context.db, demo.out);
  const coordinator = 'conn-coordinator';
  const study = ok<ReadingStudySummary>(
    await services.dispatch(
      'createReadingStudy',
      {
        name: 'Blind study',
        coordinatorName: 'Coordinator',
        passphrase: 'coordinator pass',
        seed: 42,
        ...(opts.protocol ? { protocol: opts.protocol } : {}),
      },
      coordinator,
    ),
  );
  const readers: ReadingStudyFixture['readers'] = [];
  for (let n = 1; n <= readerCount; n++) {
    const passphrase = `reader ${n} passphrase`;
    const displayName = opts.readerNames?.[n - 1] ?? `Reader ${n}`;
    ok(await services.dispatch('addStudyReader', { studyId: study.id, displayName, passphrase }, coordinator));
    const connection = `conn-reader-${n}`;
    const user = ok<StudyUser>(
      await services.dispatch('signIn', { studyId: study.id, displayName, passphrase }, connection),
    );
    readers.push({ connection, user, passphrase });
  }
  const { cases } = ok<{ cases: CoordinatorCase[] }>(
    await services.dispatch('addCasesFromIndex', { studyId: study.id }, coordinator),
  );
  const demoCase = cases.find((c) => c.patientId === 'DEMO-0001');
  if (!demoCase) throw new Error('the demo case was not created');
  return { services, study, coordinator, readers, cases, demoCase };
}

/** Caliper end points `lengthMm` apart along x at (0, 0, z). */
export const caliper = (lengthMm: number, z = 0, seriesKey = 't0-s1') => ({
  status: 'measured' as const,
  aLps: [0, 0, z],
  bLps: [lengthMm, 0, z],
  seriesKey,
});

/**
 * Every answer the reference protocol needs for a two-timepoint case (target 1 at 40 mm, then
 * `followUpMm`; viable 30 mm → absent; no non-target or new lesion): a read with these is complete.
 */
export const completeAnswersWith = (followUpMm: number): readonly [number, string, unknown][] => [
  [0, 'target1.longest', caliper(40)],
  [1, 'target1.longest', caliper(followUpMm, 0, 't1-s1')],
  [0, 'target1.viable', caliper(30)],
  [1, 'target1.viable', { status: 'absent' }],
  [0, 'nontarget', 'absent'],
  [1, 'nontarget', 'absent'],
  [1, 'new_lesion', false],
  [0, 'enhancement', 'hyperenhancing'],
  [0, 'burden', '<25%'],
];

/** `completeAnswersWith(28)`: target 1 40 → 28 mm (−30 %: PR). */
export const completeAnswers = completeAnswersWith(28);
