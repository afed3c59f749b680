import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readerMethods,
  type ImportSummary,
  type LetbSession,
  type ReadingStudySummary,
  type ReadView,
  type SeriesSummary,
} from '../../core/ipc/contract';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import { referenceProtocol } from '../../core/studies/protocol';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { readHeader } from '../../electron/services/dicomImport/readHeader';
import { createHandlers } from '../../electron/services/handlers';
import { makeTempDir } from '../helpers/tempDir';
import { ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { startHostClient, type HostClient } from '../helpers/hostClient';

/**
 * Issue 13 item 10: the coordinator of one study could change another study's inputs, e.g. the
 * phase of a series that study's locked reads used. From a study's first read, the inputs its
 * reads depend on are frozen for it: the phase each series shows, the exams' series and images,
 * and (LETB study) each exam's liver mask. A change is refused naming the study, whoever asks;
 * a study that needs other inputs is a new study. Also: once a study exists, every method on the
 * global index and LETB needs a coordinator's sign-in.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let truth: DemoGroundTruth;
let demoSeries: SeriesSummary[];
let http: HostClient;
const other = 'conn-other-coordinator';
const call = (method: string, req: unknown, connection: string) =>
  f.services.dispatch(method as never, req, connection);
const db = () => f.services.context.db;
const phaseOf = async (uid: string) => (await listSeries(db())).find((s) => s.seriesInstanceUid === uid)!.phase;

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 1, { protocol: { ...referenceProtocol, letb: true } });
  truth = JSON.parse(readFileSync(join(temp.path, 'demo', 'ground-truth.json'), 'utf8')) as DemoGroundTruth;
  demoSeries = (await listSeries(db())).filter((s) =>
    truth.timepoints.some((t) => t.studyInstanceUid === s.studyInstanceUid),
  );
  // A second study with its own coordinator, on the same global index.
  ok(await call('signIn', { studyId: f.study.id, displayName: 'Coordinator', passphrase: 'coordinator pass' }, other));
  ok<ReadingStudySummary>(
    await call(
      'createReadingStudy',
      { name: 'Other study', coordinatorName: 'Other coordinator', passphrase: 'other coordinator' },
      other,
    ),
  );
  http = await startHostClient(f.services, temp.path);
}, 180_000);
afterAll(async () => {
  await http.close();
  await f.services.close();
  temp.cleanup();
});

const series = (t: number, phase: string) =>
  demoSeries.find((s) => s.studyInstanceUid === truth.timepoints[t]!.studyInstanceUid && s.phase === phase)!;
const frozenMessage = /reading study "Blind study", whose reads have started/;

describe('study inputs', () => {
  it('can still change before the first read: phases by any coordinator', async () => {
    const pre = series(1, 'precontrast');
    ok(await call('setSeriesPhase', { seriesInstanceUid: pre.seriesInstanceUid, phase: 'other' }, other));
    expect(await phaseOf(pre.seriesInstanceUid)).toBe('other');
    ok(await call('setSeriesPhase', { seriesInstanceUid: pre.seriesInstanceUid, phase: null }, other));
    expect(await phaseOf(pre.seriesInstanceUid)).toBe('precontrast');
  });

  it('are frozen for the study from its first read: no coordinator changes a phase its readers see (nor SQL)', async () => {
    const before = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection));
    const pre = series(1, 'precontrast');
    for (const who of [other, f.coordinator]) {
      expect(
        await call('setSeriesPhase', { seriesInstanceUid: pre.seriesInstanceUid, phase: 'other' }, who),
      ).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringMatching(frozenMessage) },
      });
    }
    // Setting the phase it already shows changes nothing for readers, and is allowed.
    ok(await call('setSeriesPhase', { seriesInstanceUid: pre.seriesInstanceUid, phase: 'precontrast' }, other));
    ok(await call('setSeriesPhase', { seriesInstanceUid: pre.seriesInstanceUid, phase: null }, other));
    await expect(
      db().run("UPDATE series SET phase_override = 'arterial' WHERE series_instance_uid = ?", [pre.seriesInstanceUid]),
    ).rejects.toThrow(/frozen: reading study "Blind study" has started/);
    await expect(
      db().run("UPDATE series SET phase = 'other' WHERE series_instance_uid = ?", [pre.seriesInstanceUid]),
    ).rejects.toThrow(/frozen/);
    expect(await phaseOf(pre.seriesInstanceUid)).toBe('precontrast');
    const after = ok<ReadView>(await call('openRead', { caseId: f.demoCase.caseId }, f.readers[0]!.connection));
    expect(after.timepoints).toEqual(before.timepoints);
  });

  it("are frozen for an LETB study's liver masks: the exam's own SEG only while none is attached (nor SQL)", async () => {
    const art = series(1, 'arterial');
    const nifti = join(temp.path, 'demo', truth.timepoints[1]!.liverMaskNifti);
    expect(
      await call('openLetbSession', { arterialSeriesUid: art.seriesInstanceUid, mask: { path: nifti } }, other),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(/input of LETB study "Blind study", whose reads have started/),
      },
    });
    // The exam's SEG is what its readers measure on already: attaching it changes nothing.
    const seg = demoSeries.find((s) => s.studyInstanceUid === art.studyInstanceUid && s.modality === 'SEG')!;
    const fromSeg = ok<LetbSession>(
      await call(
        'openLetbSession',
        { arterialSeriesUid: art.seriesInstanceUid, mask: { seriesInstanceUid: seg.seriesInstanceUid } },
        f.coordinator,
      ),
    );
    ok<LetbSession>(
      await call(
        'openLetbSession',
        { arterialSeriesUid: art.seriesInstanceUid, mask: { seriesInstanceUid: seg.seriesInstanceUid } },
        other,
      ),
    );
    // Once attached, the same voxels from another file reuse it; another mask is refused.
    expect(
      ok<LetbSession>(
        await call(
          'openLetbSession',
          { arterialSeriesUid: art.seriesInstanceUid, mask: { path: nifti } },
          f.coordinator,
        ),
      ).mask.id,
    ).toBe(fromSeg.mask.id);
    const baselineMask = join(temp.path, 'demo', truth.timepoints[0]!.liverMaskNifti);
    expect(
      await call(
        'openLetbSession',
        { arterialSeriesUid: art.seriesInstanceUid, mask: { path: baselineMask } },
        f.coordinator,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/LETB study "Blind study"/) },
    });
    await expect(
      db().run("UPDATE masks SET detached_at = 'now' WHERE arterial_series_uid = ?", [art.seriesInstanceUid]),
    ).rejects.toThrow(/LETB study "Blind study" has started/);
    expect(
      await db().all('SELECT source_format FROM masks WHERE arterial_series_uid = ? AND detached_at IS NULL', [
        art.seriesInstanceUid,
      ]),
    ).toEqual([{ source_format: 'seg' }]);
  });

  it('are frozen against imports: a new image of one of its exams is skipped with the reason (nor SQL)', async () => {
    // One CT file of the follow-up with a new SOP Instance UID (same length, last digit changed).
    const folder = join(temp.path, 'demo', truth.timepoints[1]!.folder, 'ART');
    const file = join(folder, readdirSync(folder).sort()[0]!);
    const { verdict: h } = readHeader(file, realpathSync(folder));
    if (h.kind !== 'image') throw new Error(`${file}: ${h.kind}`);
    const uid = h.header.sopInstanceUid;
    const newUid = uid.slice(0, -1) + (uid.endsWith('7') ? '8' : '7');
    const bytes = Buffer.from(readFileSync(file).toString('latin1').split(uid).join(newUid), 'latin1');
    const out = join(temp.path, 'late-image');
    mkdirSync(out);
    writeFileSync(join(out, 'new.dcm'), bytes);
    const instances = async () => (await db().get<{ n: number }>('SELECT COUNT(*) AS n FROM instances'))!.n;
    const n = await instances();
    const summary: ImportSummary = await importFolder(db(), out);
    expect(summary).toMatchObject({
      added: 0,
      skipped: [
        {
          path: join(out, 'new.dcm'),
          reason:
            'New image of an exam that reading study "Blind study" reads; its reads have started, so the exam\'s images are frozen',
        },
      ],
    });
    expect(await instances()).toBe(n);
    // Importing the exam again adds nothing and skips nothing: its images are already indexed. Its
    // phases stay as its readers saw them, even where recognition would now say otherwise (here
    // the stored detected phase of the arterial series is set to "other", as an older version's
    // recognition might have left it).
    const art = series(1, 'arterial').seriesInstanceUid;
    const trigger = (await db().get<{ sql: string }>(
      "SELECT sql FROM sqlite_master WHERE name = 'series_phase_frozen'",
    ))!.sql;
    await db().exec(
      `DROP TRIGGER series_phase_frozen; UPDATE series SET phase = 'other' WHERE series_instance_uid = '${art}'; ${trigger};`,
    );
    const again = await importFolder(db(), join(temp.path, 'demo', truth.timepoints[1]!.folder));
    expect(again).toMatchObject({ state: 'succeeded', added: 0 });
    expect(again.skipped.map((k) => k.reason)).toEqual([
      'Not a DICOM file (no DICM prefix and no recognisable data set).',
    ]); // the exam's NIfTI mask
    expect(await phaseOf(art)).toBe('other');
    await db().exec(
      `DROP TRIGGER series_phase_frozen; UPDATE series SET phase = 'arterial' WHERE series_instance_uid = '${art}'; ${trigger};`,
    );
    await expect(db().run('DELETE FROM instances WHERE sop_instance_uid = ?', [uid])).rejects.toThrow(/frozen/);
    await expect(
      db().run("UPDATE instances SET file_path = '/elsewhere.dcm' WHERE sop_instance_uid = ?", [uid]),
    ).rejects.toThrow(/frozen/);
  });
});

describe('the global index once a study exists', () => {
  const coordinatorMethods = () =>
    readerMethods.filter((m) => createHandlers(f.services.context)[m].access === 'coordinator');

  it('needs a coordinator sign-in for every index, import and LETB method (unsigned page over HTTP)', async () => {
    const methods = coordinatorMethods();
    for (const m of [
      'listDicomIndex',
      'setSeriesPhase',
      'startImport',
      'loadVolume',
      'openLetbSession',
      'saveLetbPlacement',
      'deleteLetbPlacement',
      'exportLetbMask',
      'getLetbReproducibility',
      'getLetbTimeline',
      'openDemoStudy',
      'chooseFolder',
    ]) {
      expect(methods).toContain(m);
    }
    for (const m of methods) {
      expect(await http.call(m, { anything: true }, 'unsignedPage00001'), m).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Sign in as the study coordinator first.' },
      });
    }
  });
});
