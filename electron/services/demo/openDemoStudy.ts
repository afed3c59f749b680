import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoCohortGroundTruthPath } from '../../../core/demo/demoCohort';
import type { DemoSize } from '../../../core/demo/demoStudy';
import type { ImportSummary } from '../../../core/ipc/contract';
import type { ServiceContext } from '../context';
import { importFolder } from '../dicomImport/importFolder';
import type { JobContext } from '../jobs';
import { writeDemoStudy } from './writeDemoStudy';

/** Where the app keeps its demo study: inside the data folder, written once. */
export const demoFolderName = 'demo-study';

/**
 * "Open demo study": writes the demo cohort (DEMO-0001 at the standard 512x512 size, two
 * timepoints of three phases, and DEMO-0002…0004 on the small grid) into
 * `<dataDir>/demo-study` unless it is complete there already, then imports it like any folder.
 * cohort-ground-truth.json is written last, so its presence means a complete cohort; a folder
 * from before the cohort (or an interrupted write) is written again over the same files.
 * Generation is synchronous CPU work of several seconds, done once per data folder.
 * `options.size` sizes DEMO-0001 (default 'standard'; the tests use 'small').
 */
export async function openDemoStudy(
  ctx: ServiceContext,
  job: JobContext,
  options: { size?: DemoSize } = {},
): Promise<ImportSummary> {
  const folder = join(ctx.dataDir, demoFolderName);
  if (!existsSync(join(folder, demoCohortGroundTruthPath))) {
    job.progress(0, 2, 'Writing the demo study, four patients (takes about ten seconds, once)…');
    // Let the progress event leave before the CPU-bound generation starts.
    await new Promise((r) => setTimeout(r, 20));
    await writeDemoStudy(folder, { size: options.size ?? 'standard', force: true });
  }
  job.progress(1, 2, 'Importing the demo study…');
  return importFolder(ctx.db, folder, {
    signal: job.signal,
    onProgress: (p) => job.progress(1, 2, `Importing the demo study: ${p.filesSeen} files seen`),
  });
}
