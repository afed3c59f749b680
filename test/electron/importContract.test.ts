import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import type { ImportSummary, JobProgress, PatientNode } from '../../core/ipc/contract';
import { sharedDataDir } from '../../electron/platform/paths';
import { makeTempDir } from '../helpers/tempDir';

const ct3 = join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice');
let services: Services;
let temp: ReturnType<typeof makeTempDir>;
beforeEach(async () => {
  temp = makeTempDir();
  services = await createServices({ dataDir: temp.path, shell: 'host', logger: silentLogger });
});
afterEach(async () => {
  await services.close();
  temp.cleanup();
});

async function runImport(folderPath: string): Promise<{ events: JobProgress[]; summary: ImportSummary }> {
  const events: JobProgress[] = [];
  const off = services.subscribe('jobProgress', (e) => events.push(e));
  const started = await services.dispatch('startImport', { folderPath });
  if (!started.ok) throw new Error(started.error.message);
  await services.context.jobs.idle();
  off();
  const last = events.at(-1)!;
  if (last.jobType !== 'importFolder' || !last.result) throw new Error(`import did not finish: ${JSON.stringify(last)}`);
  return { events, summary: last.result };
}

describe('import through the contract', () => {
  it('runs as a job with progress and lists patient → study → series afterwards', async () => {
    const { events, summary } = await runImport(ct3);
    expect(events[0]).toMatchObject({ jobType: 'importFolder', state: 'running' });
    expect(events.at(-1)).toMatchObject({ state: 'succeeded' });
    expect(summary).toMatchObject({ instances: 3, series: 1, skipped: [] });
    const tree = await services.dispatch('listDicomIndex', undefined);
    expect(tree.ok).toBe(true);
    const patients = (tree as { value: PatientNode[] }).value;
    expect(patients).toHaveLength(1);
    expect(patients[0]!.studies[0]!.series[0]).toMatchObject({ modality: 'CT', dims: [512, 512, 3], instances: 3 });
  });

  it('reports a folder that does not exist as a failed job with an IO error', async () => {
    const events: JobProgress[] = [];
    services.subscribe('jobProgress', (e) => events.push(e));
    await services.dispatch('startImport', { folderPath: '/no/such/folder' });
    await services.context.jobs.idle();
    expect(events.at(-1)).toMatchObject({ state: 'failed', error: { code: 'IO', message: 'The folder /no/such/folder does not exist.' } });
  });

  it.each([
    [{}, /"folderPath" must be a string/],
    [{ folderPath: 'relative/path' }, /must be an absolute path/],
    [{ folderPath: '/a\0b' }, /NUL/],
    [{ folderPath: '/tmp', extra: 1 }, /unexpected field/],
  ])('rejects startImport(%j) before touching the disk', async (payload, message) => {
    const res = await services.dispatch('startImport', payload);
    expect(res).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
  });

  it('keeps a user phase override over the detected phase, and clears it again', async () => {
    await runImport(ct3);
    const tree = (await services.dispatch('listDicomIndex', undefined)) as { value: PatientNode[] };
    const uid = tree.value[0]!.studies[0]!.series[0]!.seriesInstanceUid;
    const set = await services.dispatch('setSeriesPhase', { seriesInstanceUid: uid, phase: 'arterial' });
    expect(set).toMatchObject({ ok: true, value: { phase: 'arterial', phaseOverridden: true, phaseDetected: 'other' } });
    // Re-importing re-runs detection but the override still wins.
    await runImport(ct3);
    const again = (await services.dispatch('listDicomIndex', undefined)) as { value: PatientNode[] };
    expect(again.value[0]!.studies[0]!.series[0]).toMatchObject({ phase: 'arterial', phaseOverridden: true });
    const cleared = await services.dispatch('setSeriesPhase', { seriesInstanceUid: uid, phase: null });
    expect(cleared).toMatchObject({ ok: true, value: { phase: 'other', phaseOverridden: false } });
  });

  it('rejects bad phase requests and unknown series', async () => {
    expect(await services.dispatch('setSeriesPhase', { seriesInstanceUid: '1.2.3', phase: 'late' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await services.dispatch('setSeriesPhase', { seriesInstanceUid: 'DROP TABLE', phase: null })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await services.dispatch('setSeriesPhase', { seriesInstanceUid: '1.2.3', phase: null })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers UNSUPPORTED for the folder dialog in the browser host', async () => {
    expect(await services.dispatch('chooseFolder', undefined)).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });
});
