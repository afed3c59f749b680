import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSeries } from '../../../electron/db/repositories/dicomIndex';
import { importFolder } from '../../../electron/services/dicomImport/importFolder';
import { projectRoot } from '../../../electron/platform/paths';
import { useTempServices } from '../../helpers/tempServices';

// Through the contract (what the viewer and the LETB screen call): a series whose only file has
// corrupt compressed pixel data is a DICOM error naming the file and the frame, never INTERNAL.
const env = useTempServices();
const corrupt = join(projectRoot, 'test', 'fixtures', 'dicom', 'corrupt');

async function loadVolumeOf(fixture: string) {
  const folder = join(env.dir, 'in');
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(corrupt, `${fixture}.dcm`), join(folder, `${fixture}.dcm`));
  await importFolder(env.services.context.db, folder);
  const [series] = await listSeries(env.services.context.db);
  expect(series, `${fixture} was indexed`).toBeDefined();
  return env.services.dispatch('loadVolume', { seriesInstanceUid: series!.seriesInstanceUid });
}

describe('loadVolume on corrupt compressed pixel data', () => {
  it('loads the intact JPEG lossless file', async () => {
    const res = await loadVolumeOf('mr-jpeg-sv1--clean');
    expect(res).toMatchObject({ ok: true, value: { dims: [64, 64, 1] } });
  });

  it.each([
    ['mr-jpeg-sv1--flip-16', /JPEG lossless: the entropy-coded data of scan 1 ends before the last sample/],
    ['mr-jpeg-sv1--no-eoi', /JPEG codestream: it ends at byte \d+ without an EOI marker/],
    ['mr-j2k--no-eoc', /JPEG 2000 codestream: it ends at byte \d+ without EOC/],
    ['mr-j2k--truncated-60-psot-eoc', /Frame 1 of 1 \(JPEG 2000 Lossless\): /],
    ['mr-rle--segment-truncated', /RLE Lossless: segment 2 decodes to \d+ bytes; the frame needs 4096/],
    ['mr-jpeg-ls--flip-01', /Frame 1 of 1 \(JPEG-LS Lossless\): /],
  ])('%s is a DICOM error naming the file and the frame', async (fixture, detail) => {
    const res = await loadVolumeOf(fixture);
    expect(res.ok).toBe(false);
    const error = (res as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('DICOM');
    expect(error.message).toContain(`file ${fixture}.dcm: Frame 1 of 1 (`);
    expect(error.message).toMatch(detail);
  });
});
