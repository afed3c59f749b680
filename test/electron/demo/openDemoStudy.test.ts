import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamDemoStudy } from '../../../core/demo/demoStudy';
import { createServices, type Services } from '../../../electron/services/createServices';
import { demoFolderName, openDemoStudy } from '../../../electron/services/demo/openDemoStudy';
import type { JobContext } from '../../../electron/services/jobs';
import { silentLogger } from '../../../electron/services/logger';
import { makeTempDir } from '../../helpers/tempDir';

let temp: ReturnType<typeof makeTempDir>;
let services: Services;
const messages: string[] = [];
const job: JobContext = {
  signal: new AbortController().signal,
  progress: (_done, _total, message) => messages.push(message),
};
const folder = () => join(services.context.dataDir, demoFolderName);

beforeAll(async () => {
  temp = makeTempDir();
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
});
afterAll(async () => {
  await services.close();
  temp.cleanup();
});

/** Images of the cohort: four patients × two exams × (3 × 72 CT + 1 SEG). */
const cohortImages = 4 * 2 * (3 * 72 + 1);

describe('openDemoStudy', () => {
  it('completes a data folder that holds the single-patient demo of earlier versions, then imports the four patients', async () => {
    // What "Open demo study" left before the cohort: DEMO-0001 and ground-truth.json only.
    streamDemoStudy({ size: 'small' }, (file) => {
      const target = join(folder(), ...file.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.bytes);
    });
    const summary = await openDemoStudy(services.context, job, { size: 'small' });
    expect(messages[0]).toMatch(/^Writing the demo study, four patients/);
    expect(summary).toMatchObject({
      state: 'succeeded',
      patients: 4,
      studies: 8,
      series: 32,
      instances: cohortImages,
      added: cohortImages,
      alreadyIndexed: 0,
    });
    const patients = await services.context.db.all<{ patient_id: string }>(
      'SELECT patient_id FROM patients ORDER BY patient_id',
    );
    expect(patients.map((p) => p.patient_id)).toEqual(['DEMO-0001', 'DEMO-0002', 'DEMO-0003', 'DEMO-0004']);
  }, 60_000);

  it('writes nothing the second time and imports nothing twice', async () => {
    const written = statSync(join(folder(), 'cohort-ground-truth.json')).mtimeMs;
    messages.length = 0;
    const summary = await openDemoStudy(services.context, job, { size: 'small' });
    expect(messages.some((m) => m.startsWith('Writing'))).toBe(false);
    expect(statSync(join(folder(), 'cohort-ground-truth.json')).mtimeMs).toBe(written);
    expect(summary).toMatchObject({
      patients: 4,
      series: 32,
      instances: cohortImages,
      added: 0,
      alreadyIndexed: cohortImages,
    });
  }, 60_000);
});
