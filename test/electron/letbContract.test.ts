import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { writeDemoStudy } from '../../electron/services/demo/writeDemoStudy';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import { loadSeriesVolume } from '../../electron/services/dicom/loadSeriesVolume';
import { buildLetbField } from '../../core/letb/letbField';
import { evaluatePlacement } from '../../core/letb/evaluatePlacement';
import { readNifti } from '../../core/nifti/readNifti';
import type { LetbSession, LetbTimeline, Placement, SeriesSummary, StoredPlacement } from '../../core/ipc/contract';
import { letbChange, reportResponderThresholds } from '../../core/letb/letbChange';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import type { Volume } from '../../core/imaging/volume';
import { readFileSync } from 'node:fs';
import { concord } from '../helpers/concord';
import { makeTempDir } from '../helpers/tempDir';
import { icc } from '../../core/stats/icc';
import { verifyAudit } from '../../electron/db/audit';

let temp: ReturnType<typeof makeTempDir>;
let services: Services;
let truth: DemoGroundTruth;
let demoDir: string;
let arterial: SeriesSummary;
let seg: SeriesSummary;

const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
};

beforeAll(async () => {
  temp = makeTempDir();
  const demo = await writeDemoStudy(join(temp.path, 'demo'), { size: 'small' });
  truth = demo.truth;
  demoDir = demo.out;
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
  await importFolder(services.context.db, demo.out);
  const all = await listSeries(services.context.db);
  arterial = all.find((s) => s.description === 'LIVER LATE ART 35s 2.5mm')!;
  seg = all.find((s) => s.modality === 'SEG' && s.studyInstanceUid === arterial.studyInstanceUid)!;
}, 60_000);
afterAll(async () => {
  await services.close();
  temp.cleanup();
});

describe('LETB through the contract (demo study, pre-treatment timepoint)', () => {
  const pre = () => truth.timepoints[0]!;

  it('opens a session from the imported SEG series, finding the precontrast itself', async () => {
    const session = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { seriesInstanceUid: seg.seriesInstanceUid },
      }),
    );
    expect(session.liverVoxels).toBe(pre().liverVoxels);
    expect(session.liverMl).toBeCloseTo(pre().liverMl, 6);
    expect(session.mask).toMatchObject({ sourceFormat: 'seg', segmentLabel: 'Liver', voxels: pre().liverVoxels });
    expect(session.mask.maskSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(session.liverMask).toBeInstanceOf(Uint8Array);
    expect(session.subtraction).toBeInstanceOf(Int16Array);
    expect(session.subtraction.length).toBe(128 * 128 * 72);
    expect(session.resampledPrecontrast).toBe(false);
  });

  it('the NIfTI mask of the same liver is the same mask (same voxels, same attached row)', async () => {
    const fromSeg = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { seriesInstanceUid: seg.seriesInstanceUid },
      }),
    );
    const fromNifti = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { path: join(demoDir, pre().liverMaskNifti) },
      }),
    );
    expect(fromNifti.mask.maskSha256).toBe(fromSeg.mask.maskSha256);
    // The attached row is the SEG's: it says so (file and checks), since readers get that file.
    expect(fromNifti.mask.id).toBe(fromSeg.mask.id);
    expect(fromNifti.mask).toMatchObject({
      sourceFormat: 'seg',
      fileName: fromSeg.mask.fileName,
      fileSha256: fromSeg.mask.fileSha256,
    });
  });

  it('evaluates ROIs exactly as core does on volumes loaded independently, stores them with their audit inputs, replaces and deletes', async () => {
    const session = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { seriesInstanceUid: seg.seriesInstanceUid },
      }),
    );
    // Independent path: files → volumes → NIfTI mask → core.
    const folder = join(demoDir, pre().folder);
    const load = async (sub: string) =>
      (
        await loadSeriesVolume(
          readdirSync(join(folder, sub)).map((f) => join(folder, sub, f)),
          sub,
        )
      ).volume;
    const mask = readNifti(new Uint8Array(readFileSync(join(demoDir, pre().liverMaskNifti))))
      .volume as Volume<Uint8Array>;
    const field = buildLetbField(await load('ART'), await load('PRE'), mask);

    const stored: StoredPlacement[] = [];
    for (const [n, centre] of pre().roiCentresLpsMm.entries()) {
      const roi = { sessionId: session.sessionId, centerLps: centre, volumeMl: 1, shape: 'sphere' };
      const live = ok<Placement>(await services.dispatch('evaluateLetbRoi', roi));
      expect(live).toEqual(evaluatePlacement(field, { centerLps: centre, volumeMl: 1, shape: 'sphere' }));
      stored.push(ok<StoredPlacement>(await services.dispatch('saveLetbPlacement', { ...roi, placementNo: n + 1 })));
    }
    expect(stored.map((p) => p.placementNo)).toEqual([1, 2, 3]);

    const rows = await services.context.db.all<Record<string, unknown>>('SELECT * FROM letb_placements ORDER BY id');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      arterial_series_uid: arterial.seriesInstanceUid,
      mask_ref: session.mask.id,
      roi_ml: 1,
      roi_shape: 'sphere',
      software_version: services.context.appVersion,
      deleted_at: null,
    });
    expect(JSON.parse(rows[0]!.center_lps as string)).toEqual(pre().roiCentresLpsMm[0]);
    const maskRow = await services.context.db.get<Record<string, unknown>>('SELECT * FROM masks WHERE id = ?', [
      session.mask.id,
    ]);
    expect(maskRow).toMatchObject({
      file_sha256: session.mask.fileSha256,
      mask_sha256: session.mask.maskSha256,
      voxels: pre().liverVoxels,
    });

    // Re-placing ROI 2 keeps the old row, marked deleted; deleting ROI 3 likewise.
    const moved = ok<StoredPlacement>(
      await services.dispatch('saveLetbPlacement', {
        sessionId: session.sessionId,
        centerLps: pre().roiCentresLpsMm[0],
        volumeMl: 0.5,
        shape: 'cube',
        placementNo: 2,
      }),
    );
    expect(
      ok(await services.dispatch('deleteLetbPlacement', { sessionId: session.sessionId, placementId: stored[2]!.id })),
    ).toEqual({ deleted: true });
    const reopened = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { seriesInstanceUid: seg.seriesInstanceUid },
      }),
    );
    expect(reopened.placements.map((p) => [p.placementNo, p.id])).toEqual([
      [1, stored[0]!.id],
      [2, moved.id],
    ]);
    expect(reopened.placements[1]).toMatchObject({ roiShape: 'cube', roiMl: 0.5 });
    expect((await services.context.db.all('SELECT id FROM letb_placements WHERE deleted_at IS NOT NULL')).length).toBe(
      2,
    );
    expect(
      await services.dispatch('deleteLetbPlacement', { sessionId: session.sessionId, placementId: stored[2]!.id }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Every write is in the audit trail, the replaced placement as "before", and the chain verifies.
    const audit = await services.context.db.all<{ action: string; entity_id: string; before_json: string | null }>(
      "SELECT action, entity_id, before_json FROM audit_log WHERE action LIKE 'letb.%' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual([
      'letb.placement.save',
      'letb.placement.save',
      'letb.placement.save',
      'letb.placement.save',
      'letb.placement.delete',
    ]);
    expect(JSON.parse(audit[3]!.before_json!)).toMatchObject({ id: stored[1]!.id, placementNo: 2 });
    expect((await verifyAudit(services.context.db)).ok).toBe(true);
  });

  it('exports the session mask as SEG and NIfTI that read back onto the same voxels', async () => {
    const session = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { path: join(demoDir, pre().liverMaskNifti) },
      }),
    );
    for (const format of ['seg', 'nifti'] as const) {
      const out = ok<{ path: string; sha256: string }>(
        await services.dispatch('exportLetbMask', { sessionId: session.sessionId, format }),
      );
      expect(out.path.startsWith(join(services.context.dataDir, 'exports'))).toBe(true);
      expect(out.path).toMatch(format === 'seg' ? /\.seg\.dcm$/ : /\.nii\.gz$/);
      const back = ok<LetbSession>(
        await services.dispatch('openLetbSession', {
          arterialSeriesUid: arterial.seriesInstanceUid,
          mask: { path: out.path },
        }),
      );
      expect(back.mask.maskSha256).toBe(session.mask.maskSha256);
      expect(back.mask.id).toBe(session.mask.id); // the same voxels: the row attached first, kept with its placements
    }
    expect(await services.dispatch('exportLetbMask', { sessionId: session.sessionId, format: 'png' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('flags an ROI outside the liver or image, and rejects one with no voxels', async () => {
    const session = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { seriesInstanceUid: seg.seriesInstanceUid },
      }),
    );
    const grid = truth.timepoints[0]!.grid;
    const corner = grid.originMm;
    const p = ok<Placement>(
      await services.dispatch('evaluateLetbRoi', {
        sessionId: session.sessionId,
        centerLps: corner,
        volumeMl: 1,
        shape: 'sphere',
      }),
    );
    expect(p.flags).toMatchObject({ leavesImage: true, leavesLiver: true, liverFraction: 0 });
    const far = await services.dispatch('evaluateLetbRoi', {
      sessionId: session.sessionId,
      centerLps: [9000, 9000, 9000],
      volumeMl: 1,
      shape: 'sphere',
    });
    expect(far).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/0 voxel/) },
    });
  });

  it.each([
    [
      'evaluateLetbRoi',
      { sessionId: 'letb-0000000000000000', centerLps: [0, 0, 0], volumeMl: 1, shape: 'sphere' },
      'NOT_FOUND',
    ],
    ['evaluateLetbRoi', { sessionId: 'nope', centerLps: [0, 0, 0], volumeMl: 1, shape: 'sphere' }, 'INVALID_INPUT'],
    [
      'evaluateLetbRoi',
      { sessionId: 'letb-0000000000000000', centerLps: [0, 0], volumeMl: 1, shape: 'sphere' },
      'INVALID_INPUT',
    ],
    [
      'evaluateLetbRoi',
      { sessionId: 'letb-0000000000000000', centerLps: [0, 0, 'x'], volumeMl: 1, shape: 'sphere' },
      'INVALID_INPUT',
    ],
    [
      'evaluateLetbRoi',
      { sessionId: 'letb-0000000000000000', centerLps: [0, 0, 0], volumeMl: 0, shape: 'sphere' },
      'INVALID_INPUT',
    ],
    [
      'evaluateLetbRoi',
      { sessionId: 'letb-0000000000000000', centerLps: [0, 0, 0], volumeMl: 1, shape: 'ball' },
      'INVALID_INPUT',
    ],
    [
      'saveLetbPlacement',
      { sessionId: 'letb-0000000000000000', centerLps: [0, 0, 0], volumeMl: 1, shape: 'sphere', placementNo: 0 },
      'INVALID_INPUT',
    ],
    [
      'openLetbSession',
      { arterialSeriesUid: '1.2.3', mask: { path: '/a', seriesInstanceUid: '1.2' } },
      'INVALID_INPUT',
    ],
    ['openLetbSession', { arterialSeriesUid: '1.2.3', mask: {} }, 'INVALID_INPUT'],
    ['openLetbSession', { arterialSeriesUid: '1.2.3', mask: { path: 'relative.nii' } }, 'INVALID_INPUT'],
    ['openLetbSession', { arterialSeriesUid: '1.2.3', mask: { seriesInstanceUid: '1.2' } }, 'NOT_FOUND'],
  ])('%s(%j) → %s', async (method, payload, code) => {
    expect(await services.dispatch(method, payload)).toMatchObject({ ok: false, error: { code } });
  });

  it('refuses a CT file as mask, and a study without a precontrast, with clear messages', async () => {
    const ctFile = join(demoDir, pre().folder, 'ART', readdirSync(join(demoDir, pre().folder, 'ART'))[0]!);
    expect(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { path: ctFile },
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const precontrast = (await listSeries(services.context.db)).find(
      (s) => s.studyInstanceUid === arterial.studyInstanceUid && s.phase === 'precontrast',
    )!;
    await services.dispatch('setSeriesPhase', { seriesInstanceUid: precontrast.seriesInstanceUid, phase: 'other' });
    const res = await services.dispatch('openLetbSession', {
      arterialSeriesUid: arterial.seriesInstanceUid,
      mask: { seriesInstanceUid: seg.seriesInstanceUid },
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/No precontrast series/) },
    });
    await services.dispatch('setSeriesPhase', { seriesInstanceUid: precontrast.seriesInstanceUid, phase: null });
  });
});

describe('LETB reproducibility (ICC of the three placements)', () => {
  it('is not estimable with one timepoint, then equals the ICC of the stored LETB triplets', async () => {
    const all = await listSeries(services.context.db);
    const timepoints = truth.timepoints.map((tp, n) => {
      const art = all.find(
        (s) =>
          s.phase === 'arterial' &&
          s.studyInstanceUid ===
            (n === 0 ? arterial.studyInstanceUid : all.find((x) => x.description === 'ARTERIAL 35s')!.studyInstanceUid),
      )!;
      const mask = all.find((s) => s.modality === 'SEG' && s.studyInstanceUid === art.studyInstanceUid)!;
      return { tp, art, mask };
    });
    const letbs: number[][] = [];
    for (const [n, { tp, art, mask }] of timepoints.entries()) {
      const session = ok<LetbSession>(
        await services.dispatch('openLetbSession', {
          arterialSeriesUid: art.seriesInstanceUid,
          mask: { seriesInstanceUid: mask.seriesInstanceUid },
        }),
      );
      const row: number[] = [];
      for (const [k, c] of tp.roiCentresLpsMm.entries()) {
        row.push(
          ok<StoredPlacement>(
            await services.dispatch('saveLetbPlacement', {
              sessionId: session.sessionId,
              centerLps: c,
              volumeMl: 1,
              shape: 'sphere',
              placementNo: k + 1,
            }),
          ).letbPercent,
        );
      }
      letbs.push(row);
      const r = ok<{ timepoints: number; icc: { estimable: boolean; forms?: Record<string, { value: number }> } }>(
        await services.dispatch('getLetbReproducibility', undefined),
      );
      expect(r.timepoints).toBe(n + 1);
      expect(r.icc.estimable).toBe(n + 1 >= 2);
    }
    // The post timepoint's change from the pre (baseline) timepoint, from the stored means.
    const mean = (row: number[]) => row.reduce((a, b) => a + b, 0) / row.length;
    const timeline = ok<LetbTimeline>(
      await services.dispatch('getLetbTimeline', { seriesInstanceUid: timepoints[1]!.art.seriesInstanceUid }),
    );
    expect(timeline.timepoints.map((t) => t.placements)).toEqual([3, 3]);
    expect(timeline.change).toEqual(letbChange(mean(letbs[0]!), mean(letbs[1]!), reportResponderThresholds));
    expect(timeline.change!.estimable && timeline.change!.changePercent).toBeLessThan(-25.8); // the demo is a responder
    const baselineView = ok<LetbTimeline>(
      await services.dispatch('getLetbTimeline', { seriesInstanceUid: timepoints[0]!.art.seriesInstanceUid }),
    );
    expect(baselineView.change).toBeNull();

    const r = ok<{ icc: { estimable: true; forms: Record<string, { value: number; ci: [number, number] }> } }>(
      await services.dispatch('getLetbReproducibility', undefined),
    );
    const expected = icc(letbs);
    if (!expected.estimable) throw new Error('expected estimable');
    expect(r.icc.forms.ICC1).toEqual(expected.forms.ICC1);
  });
});

describe('concord letb', () => {
  it('prints the documented JSON, the same numbers as the contract and the ground truth', async () => {
    const tp = truth.timepoints[0]!;
    const folder = join(demoDir, tp.folder);
    const rois = tp.roiCentresLpsMm.flatMap((c) => ['--roi', c.join(',')]);
    const { code, stdout, stderr } = await concord(
      'letb',
      '--pre',
      join(folder, 'PRE'),
      '--arterial',
      join(folder, 'ART'),
      '--mask',
      join(demoDir, tp.liverMaskNifti),
      ...rois,
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { liverMl: number; placements: Record<string, unknown>[]; letbPercent: number };
    expect(Object.keys(out).slice(0, 3)).toEqual(['liverMl', 'placements', 'letbPercent']);
    expect(out.liverMl).toBeCloseTo(tp.liverMl, 6);
    expect(out.placements).toHaveLength(3);
    for (const key of ['centerLps', 'roiVoxels', 'meanHu', 'sdHu', 'thresholdHu', 'enhancingMl', 'letbPercent'])
      expect(out.placements[0]).toHaveProperty(key);
    const session = ok<LetbSession>(
      await services.dispatch('openLetbSession', {
        arterialSeriesUid: arterial.seriesInstanceUid,
        mask: { seriesInstanceUid: seg.seriesInstanceUid },
      }),
    );
    for (const [n, c] of tp.roiCentresLpsMm.entries()) {
      const p = ok<Placement>(
        await services.dispatch('evaluateLetbRoi', {
          sessionId: session.sessionId,
          centerLps: c,
          volumeMl: 1,
          shape: 'sphere',
        }),
      );
      expect(out.placements[n]!.letbPercent).toBeCloseTo(p.letbPercent, 12);
      expect(out.placements[n]!.thresholdHu).toBeCloseTo(p.thresholdHu, 12);
    }
    expect(Math.abs(out.letbPercent - tp.letbPercent)).toBeLessThan(2);
    // Which mask, and what its checks found: the demo liver is whole (2,030 mL), so nothing to note.
    const niftiPath = join(demoDir, tp.liverMaskNifti);
    expect((out as unknown as { mask: unknown }).mask).toEqual({
      file: basename(niftiPath),
      format: 'nifti',
      sha256: createHash('sha256').update(readFileSync(niftiPath)).digest('hex'),
      checks: { status: 'ok', warnings: [], overridden: [] },
    });
  });

  it("refuses the other timepoint's DICOM SEG, naming both series, and measures on it with --allow-other-reference", async () => {
    const tp = truth.timepoints[0]!;
    const folder = join(demoDir, tp.folder);
    const followUp = (await listSeries(services.context.db)).find(
      (s) => s.modality === 'SEG' && s.studyInstanceUid === truth.timepoints[1]!.studyInstanceUid,
    )!;
    const segPath = (await services.context.db.get<{ file_path: string }>(
      'SELECT i.file_path FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_instance_uid = ?',
      [followUp.seriesInstanceUid],
    ))!.file_path;
    const args = [
      'letb',
      '--pre',
      join(folder, 'PRE'),
      '--arterial',
      join(folder, 'ART'),
      '--mask',
      segPath,
      '--roi',
      tp.roiCentresLpsMm[0]!.join(','),
    ];
    const refused = await concord(...args, '--json');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      `it references series ${(await listSeries(services.context.db)).find((s) => s.studyInstanceUid === truth.timepoints[1]!.studyInstanceUid && s.phase === 'arterial')!.seriesInstanceUid}, not the CT's series ${arterial.seriesInstanceUid}`,
    );
    expect(refused.stderr).toMatch(
      /Pass --allow-other-reference to measure on it anyway; the output then records what differed\.\n$/,
    );
    const allowed = await concord(...args, '--allow-other-reference', '--json');
    expect(allowed.code).toBe(0);
    const out = JSON.parse(allowed.stdout) as { mask: { checks: { status: string; overridden: { what: string }[] } } };
    expect(out.mask.checks.status).toBe('overridden');
    expect(out.mask.checks.overridden.map((m) => m.what)).toEqual(['series', 'frame-of-reference']);
    const text = await concord(...args, '--allow-other-reference');
    expect(text.stdout).toMatch(
      /^mask IM\d+\.dcm \(seg, sha256 [0-9a-f]{12}…\): checks overridden; other images, measured as asked: it references series /,
    );
  });

  it('takes negative coordinates, cube ROIs of 0.5 mL, and rejects bad input', async () => {
    const tp = truth.timepoints[0]!;
    const folder = join(demoDir, tp.folder);
    const c = tp.roiCentresLpsMm[0]!;
    const cube = await concord(
      'letb',
      '--pre',
      join(folder, 'PRE'),
      '--arterial',
      join(folder, 'ART'),
      '--mask',
      join(demoDir, tp.liverMaskNifti),
      '--roi',
      c.join(','),
      '--roi-ml',
      '0.5',
      '--roi-shape',
      'cube',
      '--json',
    );
    expect(cube.code).toBe(0);
    expect(c[0]).toBeLessThan(0); // the centre starts with "-": the argument parser must take it as a value
    const noRoi = await concord(
      'letb',
      '--pre',
      join(folder, 'PRE'),
      '--arterial',
      join(folder, 'ART'),
      '--mask',
      join(demoDir, tp.liverMaskNifti),
    );
    expect(noRoi.code).toBe(2);
    expect(noRoi.stderr).toMatch(/at least one --roi/);
    const badShape = await concord(
      'letb',
      '--pre',
      'x',
      '--arterial',
      'y',
      '--mask',
      'z',
      '--roi',
      '1,2,3',
      '--roi-shape',
      'ball',
    );
    expect(badShape.code).toBe(2);
    const ctAsMask = await concord(
      'letb',
      '--pre',
      join(folder, 'PRE'),
      '--arterial',
      join(folder, 'ART'),
      '--mask',
      join(folder, 'ART', readdirSync(join(folder, 'ART'))[0]!),
      '--roi',
      c.join(','),
    );
    expect(ctAsMask.code).toBe(2);
    expect(ctAsMask.stderr.trim().split('\n')).toHaveLength(1);
  });
});
