import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CoordinatorCase,
  LetbSession,
  Placement,
  ReadLetbView,
  ReadSaved,
  ReadView,
  SeriesSummary,
} from '../../core/ipc/contract';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import type { Volume } from '../../core/imaging/volume';
import { buildLetbField, type LetbField } from '../../core/letb/letbField';
import { evaluatePlacement } from '../../core/letb/evaluatePlacement';
import { letbChange } from '../../core/letb/letbChange';
import { readNifti } from '../../core/nifti/readNifti';
import { referenceProtocol } from '../../core/studies/protocol';
import type { LetbRoiValue } from '../../core/studies/readForm';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { loadSeriesVolume } from '../../electron/services/dicom/loadSeriesVolume';
import { demoPhi, phiFound } from '../helpers/demoPhi';
import { caliper, ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { makeTempDir } from '../helpers/tempDir';

/**
 * LETB inside a blinded read (SPEC §2, §3): each reader places the three ROIs of every timepoint
 * on the exam's own liver mask; the main process measures them exactly as core does on volumes
 * loaded independently from the files, stores them as answers, and sends the reader nothing
 * identifying.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let truth: DemoGroundTruth;
let demoDir: string;
let phi: string[];
let read: ReadView;
const fields: LetbField[] = [];
let niftiMaskSha: string[] = [];

const reader = () => f.readers[0]!.connection;
const save = (timepoint: number, item: string, value: unknown, as = reader()) =>
  f.services.dispatch('saveReadEntry', { readId: read.readId, timepoint, item, value }, as);
const roi = (centerLps: number[], volumeMl = 1, shape = 'sphere') => ({ status: 'placed', centerLps, volumeMl, shape });

const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** The indexed DICOM SEG file of an exam. */
async function examSegFile(studyInstanceUid: string): Promise<string> {
  const row = await f.services.context.db.get<{ file_path: string }>(
    `SELECT i.file_path FROM instances i JOIN series s ON s.id = i.series_ref JOIN studies st ON st.id = s.study_ref WHERE s.modality = 'SEG' AND st.study_instance_uid = ?`,
    [studyInstanceUid],
  );
  return row!.file_path;
}

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 2, { protocol: { ...referenceProtocol, letb: true } });
  demoDir = join(temp.path, 'demo');
  truth = JSON.parse(readFileSync(join(demoDir, 'ground-truth.json'), 'utf8')) as DemoGroundTruth;
  phi = await demoPhi(f.services.context.db);
  // Before reading starts (the study's inputs freeze with its first read): the coordinator
  // attaches the follow-up's NIfTI liver mask to its arterial series.
  const followUpArterial = (await listSeries(f.services.context.db)).find(
    (s: SeriesSummary) => s.studyInstanceUid === truth.timepoints[1]!.studyInstanceUid && s.phase === 'arterial',
  )!;
  ok<LetbSession>(
    await f.services.dispatch(
      'openLetbSession',
      {
        arterialSeriesUid: followUpArterial.seriesInstanceUid,
        mask: { path: join(demoDir, truth.timepoints[1]!.liverMaskNifti) },
      },
      f.coordinator,
    ),
  );
  read = ok<ReadView>(await f.services.dispatch('openRead', { caseId: f.demoCase.caseId }, reader()));
  // The independent path: the exam's files → volumes, its NIfTI liver mask → core's LETB field.
  for (const tp of truth.timepoints) {
    const folder = join(demoDir, tp.folder);
    const load = async (sub: string) =>
      (
        await loadSeriesVolume(
          readdirSync(join(folder, sub)).map((x) => join(folder, sub, x)),
          sub,
        )
      ).volume;
    const mask = readNifti(new Uint8Array(readFileSync(join(demoDir, tp.liverMaskNifti)))).volume as Volume<Uint8Array>;
    fields.push(buildLetbField(await load('ART'), await load('PRE'), mask));
  }
  niftiMaskSha = fields.map((x) => createHash('sha256').update(x.liverMask).digest('hex'));
}, 180_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

describe('LETB in a blinded read', () => {
  it('tells the coordinator, per case timepoint, whether readers will find the phases and a liver mask', async () => {
    const cases = ok<CoordinatorCase[]>(
      await f.services.dispatch('listStudyCases', { studyId: f.study.id }, f.coordinator),
    );
    expect(cases.length).toBe(4);
    for (const c of cases) {
      for (const t of c.timepoints) {
        const attached = c.caseId === f.demoCase.caseId && t.ordinal === 1; // the NIfTI attached before reading started
        if (attached) {
          const nifti = join(demoDir, truth.timepoints[1]!.liverMaskNifti);
          expect(t.letb, `${c.caseCode} ${t.label}`).toEqual({
            ready: true,
            maskSource: "the coordinator's liver mask",
            mask: {
              origin: 'attached',
              fileName: basename(nifti),
              fileSha256: sha256File(nifti),
              checked: 'full',
              checks: { status: 'ok', warnings: [], overridden: [] },
            },
          });
          continue;
        }
        // The exam's SEG, named and hashed, its references checked against the exam from its header.
        const file = await examSegFile(t.studyInstanceUid);
        expect(t.letb, `${c.caseCode} ${t.label}`).toEqual({
          ready: true,
          maskSource: "the exam's DICOM SEG",
          mask: {
            origin: 'exam-seg',
            fileName: basename(file),
            fileSha256: sha256File(file),
            checked: 'header',
            checks: { status: 'ok', warnings: [], overridden: [] },
          },
        });
      }
    }
  });

  it("prepares the reader's LETB of a timepoint from the exam's DICOM SEG, with nothing identifying", async () => {
    const view = ok<ReadLetbView>(
      await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 0 }, reader()),
    );
    expect(view.liverVoxels).toBe(truth.timepoints[0]!.liverVoxels);
    expect(view.liverMl).toBeCloseTo(truth.timepoints[0]!.liverMl, 9);
    expect(view.maskSource).toBe("the exam's DICOM SEG");
    expect(view.maskSha256).toBe(niftiMaskSha[0]);
    expect(view.resampledPrecontrast).toBe(false);
    expect(view.subtraction).toBeInstanceOf(Int16Array);
    expect(view.liverMask.length).toBe(view.dims[0] * view.dims[1] * view.dims[2]);
    // The series key is the timepoint's arterial series as the read knows it.
    expect(read.timepoints[0]!.series.find((s) => s.seriesKey === view.seriesKey)?.phase).toBe('arterial');
    expect(phiFound(view, phi)).toEqual([]);
    const text = JSON.stringify(view, (_k, v) => (ArrayBuffer.isView(v) ? '[pixels]' : v));
    expect(text).not.toMatch(/\/|\\|\d+\.\d+\.\d+\.\d+/);
  });

  it('measures a live ROI exactly as core does on the independently loaded exam', async () => {
    const centre = truth.timepoints[0]!.roiCentresLpsMm[0]!;
    const live = ok<Placement>(
      await f.services.dispatch(
        'evaluateReadLetbRoi',
        { readId: read.readId, timepoint: 0, centerLps: centre, volumeMl: 1, shape: 'sphere' },
        reader(),
      ),
    );
    expect(live).toEqual(evaluatePlacement(fields[0]!, { centerLps: centre, volumeMl: 1, shape: 'sphere' }));
    // A ROI in tumour-free parenchyma shows what the demo was built to show.
    expect(Math.abs(live.meanHu - truth.expectedRoiSubtraction.meanHu)).toBeLessThan(
      (4 * truth.expectedRoiSubtraction.sdHu) / Math.sqrt(live.roiVoxels),
    );
    expect(live.sdHu / truth.expectedRoiSubtraction.sdHu).toBeGreaterThan(0.7);
    expect(live.sdHu / truth.expectedRoiSubtraction.sdHu).toBeLessThan(1.3);
    expect(live.flags.leavesLiver).toBe(false);
  });

  it('stores each placement with its measurement (computed by the main process) and the timepoint LETB as their mean', async () => {
    const stored: LetbRoiValue[] = [];
    for (const [k, centre] of truth.timepoints[0]!.roiCentresLpsMm.entries()) {
      const shape = k === 2 ? 'cube' : 'sphere';
      const volumeMl = k === 1 ? 0.5 : 1;
      const r = ok<ReadSaved>(await save(0, `letb.roi${k + 1}`, roi(centre, volumeMl, shape)));
      const v = r.entry!.value as LetbRoiValue;
      const {
        centerLps: _c,
        roiMl: _m,
        roiShape: _s,
        ...expected
      } = evaluatePlacement(fields[0]!, { centerLps: centre as [number, number, number], volumeMl, shape });
      expect(v).toEqual({
        status: 'placed',
        centerLps: centre,
        volumeMl,
        shape,
        measurement: {
          ...expected,
          maskSha256: niftiMaskSha[0],
          resampledPrecontrast: false,
          softwareVersion: f.services.context.appVersion,
        },
      });
      stored.push(v);
    }
    const again = ok<ReadView>(await f.services.dispatch('openRead', { caseId: f.demoCase.caseId }, reader()));
    const mean = stored.reduce((s, v) => s + (v.status === 'placed' ? v.measurement.letbPercent : Number.NaN), 0) / 3;
    expect(again.letb?.timepoints[0]).toMatchObject({
      timepoint: 0,
      placed: 3,
      notEvaluable: 0,
      letbPercent: mean,
      change: null,
    });
    expect(again.letb?.timepoints[1]).toMatchObject({ placed: 0, letbPercent: null, change: null });
    expect(again.problems).toContain('LETB: ROI placements missing at follow-up 1 (3 of 3).');
  });

  it('refuses what a client may not decide: a measurement sent along, a volume other than 1.0 or 0.5 cm³, a fourth ROI, an ROI outside the image', async () => {
    const centre = truth.timepoints[1]!.roiCentresLpsMm[0]!;
    expect(await save(1, 'letb.roi1', { ...roi(centre), measurement: { letbPercent: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('unexpected field "measurement"') },
    });
    expect(await save(1, 'letb.roi1', roi(centre, 0.7))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('1.0 or 0.5 cm³') },
    });
    expect(await save(1, 'letb.roi4', roi(centre))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('3 ROI placements') },
    });
    expect(await save(1, 'letb.roi1', roi([9000, 9000, 9000]))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/letb\.roi1 at follow-up 1: .*voxel/) },
    });
    expect(
      await f.services.dispatch(
        'evaluateReadLetbRoi',
        { readId: read.readId, timepoint: 5, centerLps: centre, volumeMl: 1, shape: 'sphere' },
        reader(),
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('uses the mask the coordinator attached to the arterial series instead of the SEG; once reading started, phases and masks stay', async () => {
    const arterial = (await listSeries(f.services.context.db)).find(
      (s: SeriesSummary) => s.studyInstanceUid === truth.timepoints[1]!.studyInstanceUid && s.phase === 'arterial',
    )!;
    const view = ok<ReadLetbView>(
      await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 1 }, reader()),
    );
    expect(view.maskSource).toBe("the coordinator's liver mask");
    const demoCase = ok<CoordinatorCase[]>(
      await f.services.dispatch('listStudyCases', { studyId: f.study.id }, f.coordinator),
    ).find((c) => c.caseId === f.demoCase.caseId)!;
    // The demo liver measures a plausible volume, so the attached NIfTI passes every check.
    expect(truth.timepoints[1]!.liverMl).toBeGreaterThan(300);
    const nifti = join(demoDir, truth.timepoints[1]!.liverMaskNifti);
    expect(demoCase.timepoints[1]!.letb).toEqual({
      ready: true,
      maskSource: "the coordinator's liver mask",
      mask: {
        origin: 'attached',
        fileName: basename(nifti),
        fileSha256: sha256File(nifti),
        checked: 'full',
        checks: { status: 'ok', warnings: [], overridden: [] },
      },
    });
    expect(view.maskSha256).toBe(niftiMaskSha[1]);
    expect(JSON.stringify(view, (_k, v) => (ArrayBuffer.isView(v) ? '[pixels]' : v))).not.toContain(demoDir);

    // The study's inputs are frozen since its first read (issue 13): the coordinator can neither
    // take the follow-up's precontrast phase away nor swap its mask; readers keep measuring on both.
    const pre = (await listSeries(f.services.context.db)).find(
      (s) => s.studyInstanceUid === arterial.studyInstanceUid && s.phase === 'precontrast',
    )!;
    expect(
      await f.services.dispatch(
        'setSeriesPhase',
        { seriesInstanceUid: pre.seriesInstanceUid, phase: 'other' },
        f.coordinator,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('reading study "Blind study"') },
    });
    expect(
      await f.services.dispatch(
        'openLetbSession',
        {
          arterialSeriesUid: arterial.seriesInstanceUid,
          mask: { path: join(demoDir, truth.timepoints[0]!.liverMaskNifti) },
        },
        f.coordinator,
      ),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const listed = ok<CoordinatorCase[]>(
      await f.services.dispatch('listStudyCases', { studyId: f.study.id }, f.coordinator),
    ).find((c) => c.caseId === f.demoCase.caseId)!;
    expect(listed.timepoints.map((t) => t.letb)).toEqual([
      { ready: true, maskSource: "the exam's DICOM SEG", mask: expect.objectContaining({ origin: 'exam-seg' }) },
      {
        ready: true,
        maskSource: "the coordinator's liver mask",
        mask: expect.objectContaining({ origin: 'attached' }),
      },
    ]);
    ok<ReadLetbView>(await f.services.dispatch('openReadLetb', { readId: read.readId, timepoint: 1 }, reader()));
  });

  it('gives the change from the baseline with responder flags, accepts not evaluable, and locks the placements on submit', async () => {
    const [a, b] = truth.timepoints[1]!.roiCentresLpsMm;
    ok(await save(1, 'letb.roi1', roi(a!)));
    ok(await save(1, 'letb.roi2', roi(b!)));
    const ne = ok<ReadSaved>(await save(1, 'letb.roi3', { status: 'not_evaluable' }));
    expect(ne.letb?.timepoints[1]).toMatchObject({ placed: 2, notEvaluable: 1, letbPercent: null, change: null });
    const placed = ok<ReadSaved>(await save(1, 'letb.roi3', roi(truth.timepoints[1]!.roiCentresLpsMm[2]!)));
    const [t0, t1] = placed.letb!.timepoints;
    expect(t1!.letbPercent).not.toBeNull();
    expect(placed.letb!.change).toEqual(letbChange(t0!.letbPercent!, t1!.letbPercent!));
    // The demo treats the tumour: LETB falls, as the ground truth says.
    expect(placed.letb!.change).toMatchObject({ estimable: true });
    if (placed.letb!.change?.estimable)
      expect(Math.sign(placed.letb!.change.changePercent)).toBe(Math.sign(truth.letbChangePercent));

    // Complete the rest of the form and submit; the ROIs are then locked like every answer.
    for (const t of [0, 1]) {
      ok(await save(t, 'target1.longest', caliper(40 - 10 * t)));
      ok(await save(t, 'target1.viable', caliper(30 - 10 * t)));
      ok(await save(t, 'nontarget', 'absent'));
    }
    ok(await save(1, 'new_lesion', false));
    ok(await save(0, 'enhancement', 'hyperenhancing'));
    ok(await save(0, 'burden', '<25%'));
    ok<ReadView>(await f.services.dispatch('submitRead', { readId: read.readId }, reader()));
    expect(await save(1, 'letb.roi3', { status: 'not_evaluable' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    // Every placement is in the audit trail with who saved it.
    const rows = await f.services.context.db.all<{ actor: string; after_json: string }>(
      "SELECT actor, after_json FROM audit_log WHERE action = 'read.entry.save' AND entity_id LIKE ?",
      [`${read.readId}/_/letb.roi_`],
    );
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => (JSON.parse(r.after_json) as LetbRoiValue).status === 'placed')).toHaveLength(6);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set([`user:${f.readers[0]!.user.userId}`]));
  });

  it('is refused in a study that does not measure LETB', async () => {
    const other = makeTempDir();
    const g = await setUpReadingStudy(other.path, 1);
    try {
      const r = ok<ReadView>(
        await g.services.dispatch('openRead', { caseId: g.demoCase.caseId }, g.readers[0]!.connection),
      );
      expect(r.letb).toBeNull();
      expect(
        await g.services.dispatch('openReadLetb', { readId: r.readId, timepoint: 0 }, g.readers[0]!.connection),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'This study does not measure LETB.' } });
      expect(
        await g.services.dispatch(
          'saveReadEntry',
          { readId: r.readId, timepoint: 0, item: 'letb.roi1', value: roi([0, 0, 0]) },
          g.readers[0]!.connection,
        ),
      ).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'letb.roi1: this study does not measure LETB.' },
      });
    } finally {
      await g.services.close();
      other.cleanup();
    }
  }, 120_000);
});
