import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ImportSummary, JobProgress, PatientNode } from '../../core/ipc/contract';
import { sharedDataDir } from '../../electron/platform/paths';
import { useTempServices } from '../helpers/tempServices';

const ct3 = join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice');
const env = useTempServices();

async function runImport(folderPath: string): Promise<{ events: JobProgress[]; summary: ImportSummary }> {
  const events: JobProgress[] = [];
  const off = env.services.subscribe('jobProgress', (e) => events.push(e));
  const started = await env.services.dispatch('startImport', { folderPath });
  if (!started.ok) throw new Error(started.error.message);
  await env.services.context.jobs.idle();
  off();
  const last = events.at(-1)!;
  if (last.jobType !== 'importFolder' || !last.result)
    throw new Error(`import did not finish: ${JSON.stringify(last)}`);
  return { events, summary: last.result };
}

describe('import through the contract', () => {
  it('runs as a job with progress and lists patient → study → series afterwards', async () => {
    const { events, summary } = await runImport(ct3);
    expect(events[0]).toMatchObject({ jobType: 'importFolder', state: 'running' });
    expect(events.at(-1)).toMatchObject({ state: 'succeeded' });
    expect(summary).toMatchObject({ instances: 3, series: 1, skipped: [] });
    const tree = await env.services.dispatch('listDicomIndex', undefined);
    expect(tree.ok).toBe(true);
    const patients = (tree as { value: PatientNode[] }).value;
    expect(patients).toHaveLength(1);
    expect(patients[0]!.studies[0]!.series[0]).toMatchObject({ modality: 'CT', dims: [512, 512, 3], instances: 3 });
  });

  it('reports a folder that does not exist as a failed job with an IO error', async () => {
    const events: JobProgress[] = [];
    env.services.subscribe('jobProgress', (e) => events.push(e));
    await env.services.dispatch('startImport', { folderPath: '/no/such/folder' });
    await env.services.context.jobs.idle();
    expect(events.at(-1)).toMatchObject({
      state: 'failed',
      error: { code: 'IO', message: 'The folder /no/such/folder does not exist.' },
    });
  });

  it.each([
    [{}, /"folderPath" must be a string/],
    [{ folderPath: 'relative/path' }, /must be an absolute path/],
    [{ folderPath: '/a\0b' }, /NUL/],
    [{ folderPath: '/tmp', extra: 1 }, /unexpected field/],
  ])('rejects startImport(%j) before touching the disk', async (payload, message) => {
    const res = await env.services.dispatch('startImport', payload);
    expect(res).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
  });

  it('keeps a user phase override over the detected phase, and clears it again', async () => {
    await runImport(ct3);
    const tree = (await env.services.dispatch('listDicomIndex', undefined)) as { value: PatientNode[] };
    const uid = tree.value[0]!.studies[0]!.series[0]!.seriesInstanceUid;
    const set = await env.services.dispatch('setSeriesPhase', { seriesInstanceUid: uid, phase: 'arterial' });
    expect(set).toMatchObject({
      ok: true,
      value: { phase: 'arterial', phaseOverridden: true, phaseDetected: 'other' },
    });
    // Re-importing re-runs detection but the override still wins.
    await runImport(ct3);
    const again = (await env.services.dispatch('listDicomIndex', undefined)) as { value: PatientNode[] };
    expect(again.value[0]!.studies[0]!.series[0]).toMatchObject({ phase: 'arterial', phaseOverridden: true });
    const cleared = await env.services.dispatch('setSeriesPhase', { seriesInstanceUid: uid, phase: null });
    expect(cleared).toMatchObject({ ok: true, value: { phase: 'other', phaseOverridden: false } });
  });

  it('rejects bad phase requests and unknown series', async () => {
    expect(await env.services.dispatch('setSeriesPhase', { seriesInstanceUid: '1.2.3', phase: 'late' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await env.services.dispatch('setSeriesPhase', { seriesInstanceUid: 'DROP TABLE', phase: null }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await env.services.dispatch('setSeriesPhase', { seriesInstanceUid: '1.2.3', phase: null })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('answers UNSUPPORTED for the folder dialog in the browser host', async () => {
    expect(await env.services.dispatch('chooseFolder', undefined)).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });
});
