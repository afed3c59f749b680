import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorCase, LetbSession, ReadView, SeriesSummary } from '../../core/ipc/contract';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import { referenceProtocol } from '../../core/studies/protocol';
import { verifyAudit } from '../../electron/db/audit';
import { openDatabase } from '../../electron/db/openDatabase';
import { migrations } from '../../electron/db/migrations/index';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { makeTempDir } from '../helpers/tempDir';

/**
 * Mask identity and sanity through the contract (issue 12 item 7): a SEG of other images is
 * refused until the coordinator confirms it (audited, stored with the mask), readers get only
 * what the coordinator attached or an exam SEG that belongs to the exam, never a changed file,
 * and the case table says which mask each timepoint uses with what its checks found.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let truth: DemoGroundTruth;
let demoDir: string;
let read: ReadView;
let series: SeriesSummary[];

const reader = () => f.readers[0]!.connection;
const arterialOf = (t: number) =>
  series.find((s) => s.studyInstanceUid === truth.timepoints[t]!.studyInstanceUid && s.phase === 'arterial')!;
const segOf = (t: number) =>
  series.find((s) => s.studyInstanceUid === truth.timepoints[t]!.studyInstanceUid && s.modality === 'SEG')!;
const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const demoCaseTimepoints = async () =>
  ok<CoordinatorCase[]>(await f.services.dispatch('listStudyCases', { studyId: f.study.id }, f.coordinator)).find(
    (c) => c.caseId === f.demoCase.caseId,
  )!.timepoints;
async function segFilePath(seriesInstanceUid: string): Promise<string> {
  return (await f.services.context.db.get<{ file_path: string }>(
    'SELECT i.file_path FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_instance_uid = ?',
    [seriesInstanceUid],
  ))!.file_path;
}

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 1, { protocol: { ...referenceProtocol, letb: true } });
  demoDir = join(temp.path, 'demo');
  truth = JSON.parse(readFileSync(join(demoDir, 'ground-truth.json'), 'utf8')) as DemoGroundTruth;
  series = await listSeries(f.services.context.db);
  // The first read is opened after the coordinator has attached the masks: from then on the
  // study's inputs are frozen (issue 13), masks included.
}, 180_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

describe('a DICOM SEG of other images', () => {
  it('is refused with NEEDS_CONFIRMATION naming both series and frames of reference, before any volume is loaded', async () => {
    // The follow-up exam's SEG offered for the baseline's arterial series: same patient, other series and
    // Frame of Reference.
    const res = await f.services.dispatch(
      'openLetbSession',
      { arterialSeriesUid: arterialOf(0).seriesInstanceUid, mask: { seriesInstanceUid: segOf(1).seriesInstanceUid } },
      f.coordinator,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'NEEDS_CONFIRMATION' } });
    const message = (res as { error: { message: string } }).error.message;
    expect(message).toContain(
      `it references series ${arterialOf(1).seriesInstanceUid}, not the CT's series ${arterialOf(0).seriesInstanceUid}`,
    );
    expect(message).toMatch(/its Frame of Reference is [\d.]+, not the CT's [\d.]+/);
    expect(message).not.toContain('patient ID'); // the same patient
    expect(
      await f.services.context.db.get('SELECT COUNT(*) AS n FROM masks WHERE arterial_series_uid = ?', [
        arterialOf(0).seriesInstanceUid,
      ]),
    ).toEqual({ n: 0 });
  });

  it('is attached when the coordinator confirms: the override is stored with the mask and audited with what differed', async () => {
    const session = ok<LetbSession>(
      await f.services.dispatch(
        'openLetbSession',
        {
          arterialSeriesUid: arterialOf(0).seriesInstanceUid,
          mask: { seriesInstanceUid: segOf(1).seriesInstanceUid },
          allowOtherReference: true,
        },
        f.coordinator,
      ),
    );
    expect(session.mask.checks?.status).toBe('overridden');
    expect(session.mask.checks?.overridden.map((m) => m.what)).toEqual(['series', 'frame-of-reference']);
    expect(session.mask.fileName).toBe(basename(await segFilePath(segOf(1).seriesInstanceUid)));
    const row = await f.services.context.db.get<{ checks: string; file_name: string }>(
      'SELECT checks, file_name FROM masks WHERE id = ?',
      [session.mask.id],
    );
    expect(JSON.parse(row!.checks)).toEqual(session.mask.checks);
    const audit = await f.services.context.db.all<{ actor: string; after_json: string }>(
      "SELECT actor, after_json FROM audit_log WHERE action = 'mask.reference.override' AND entity_id = ?",
      [String(session.mask.id)],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^user:\d+$/); // the signed-in coordinator
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({
      arterialSeriesUid: arterialOf(0).seriesInstanceUid,
      fileSha256: session.mask.fileSha256,
      differences: [
        { what: 'series', mask: arterialOf(1).seriesInstanceUid, exam: arterialOf(0).seriesInstanceUid },
        { what: 'frame-of-reference', mask: expect.any(String), exam: expect.any(String) },
      ],
    });
    expect((await verifyAudit(f.services.context.db)).ok).toBe(true);
    // The case table shows it as overridden; readers measure on it (the coordinator confirmed it).
    expect((await demoCaseTimepoints())[0]!.letb).toMatchObject({
      ready: true,
      mask: { origin: 'attached', checked: 'full', checks: { status: 'overridden' } },
    });
    read = ok<ReadView>(await f.services.dispatch('openRead', { caseId: f.demoCase.caseId }, reader()));
    const view = await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 0 }, reader());
    expect(view.ok).toBe(true);
  });

  it("keeps an exam's own SEG of other images from readers: not ready in the case table, refused without UIDs", async () => {
    // The follow-up exam's SEG rewritten to reference another series (one digit of the UID changed, same length).
    const path = await segFilePath(segOf(1).seriesInstanceUid);
    const original = readFileSync(path);
    copyFileSync(path, `${path}.orig`);
    const uid = arterialOf(1).seriesInstanceUid;
    const other = uid.slice(0, -1) + (uid.endsWith('9') ? '8' : String(Number(uid.at(-1)) + 1));
    writeFileSync(path, Buffer.from(original.toString('latin1').replaceAll(uid, other), 'latin1'));
    try {
      const letb = (await demoCaseTimepoints())[1]!.letb!;
      expect(letb.ready).toBe(false);
      expect(letb).toMatchObject({
        reason: `The exam's DICOM SEG ${basename(path)} was drawn on other images: it references series ${other}, not the CT's series ${uid}. Attach it on the LETB screen (confirming) or attach another liver mask.`,
      });
      const refused = await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 1 }, reader());
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message:
            "The liver mask of +6 weeks (the exam's DICOM SEG) was drawn on other images than this exam: the study coordinator checks it on the LETB screen.",
        },
      });
    } finally {
      copyFileSync(`${path}.orig`, path);
    }
    expect((await demoCaseTimepoints())[1]!.letb).toMatchObject({
      ready: true,
      mask: { origin: 'exam-seg', fileSha256: sha256File(path) },
    });
  });
});

describe('an attached mask file that changes afterwards', () => {
  it('is refused to readers while it differs from the file the coordinator attached', async () => {
    // The SEG file the coordinator attached (confirming) to the baseline above, changed on disk
    // once reading has started: its last pixel byte flipped.
    const path = await segFilePath(segOf(1).seriesInstanceUid);
    expect(
      ok<{ maskSource: string }>(
        await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 0 }, reader()),
      ).maskSource,
    ).toBe("the coordinator's liver mask");
    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 0x01;
    writeFileSync(path, changed);
    try {
      const refused = await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 0 }, reader());
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: expect.stringMatching(
            /^The liver mask file of .+ has changed since the study coordinator attached it: the coordinator puts the original file back/,
          ),
        },
      });
      // Frozen: the coordinator cannot swap it for the changed file once reading has started.
      expect(
        await f.services.dispatch(
          'openLetbSession',
          {
            arterialSeriesUid: arterialOf(0).seriesInstanceUid,
            mask: { path: join(demoDir, truth.timepoints[0]!.liverMaskNifti) },
          },
          f.coordinator,
        ),
      ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    } finally {
      writeFileSync(path, original);
    }
    expect(
      ok<{ maskSource: string }>(
        await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 0 }, reader()),
      ).maskSource,
    ).toBe("the coordinator's liver mask");
  });
});

describe('migration 010', () => {
  it('names the files of masks attached before it and leaves their checks unrecorded', async () => {
    const dir = makeTempDir();
    try {
      const old = await openDatabase(dir.path, {
        appVersion: 'old',
        migrations: migrations.filter((m) => m.version <= 8),
      });
      await old.db.run(
        `INSERT INTO masks (arterial_series_uid, kind, source_format, source_path, segment_label, file_sha256, mask_sha256, voxels, volume_ml, attached_at)
         VALUES ('1.2.3', 'liver', 'nifti', '/data/masks/Doe liver.nii.gz', NULL, 'a', 'b', 1, 0.1, 'now'), ('1.2.4', 'liver', 'seg', 'C:\\masks\\seg.dcm', NULL, 'c', 'd', 1, 0.1, 'now')`,
      );
      await old.db.close();
      const upgraded = await openDatabase(dir.path, { appVersion: 'new' });
      try {
        expect(upgraded.applied).toContain(10);
        expect(await upgraded.db.all('SELECT file_name, checks FROM masks ORDER BY id')).toEqual([
          { file_name: 'Doe liver.nii.gz', checks: null },
          { file_name: 'seg.dcm', checks: null },
        ]);
        await expect(upgraded.db.run("UPDATE masks SET checks = 'not json' WHERE id = 1")).rejects.toThrow(
          /CHECK constraint failed/,
        );
      } finally {
        await upgraded.db.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
