import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoGroundTruthPath } from '../../../core/demo/demoStudy';
import type { ImportSummary } from '../../../core/ipc/contract';
import type { ServiceContext } from '../context';
import { importFolder } from '../dicomImport/importFolder';
import type { JobContext } from '../jobs';
import { writeDemoStudy } from './writeDemoStudy';

/** Where the app keeps its demo study: inside the data folder, written once. */
export const demoFolderName = 'demo-study';

/**
 * "Open demo study": writes the standard-size demo (512x512, two timepoints, three phases)
 * into `<dataDir>/demo-study` unless it is already there, then imports it like any folder.
 * Generation is synchronous CPU work of several seconds, done once per data folder.
 */
export async function openDemoStudy(ctx: ServiceContext, job: JobContext): Promise<ImportSummary> {
  const folder = join(ctx.dataDir, demoFolderName);
  if (!existsSync(join(folder, demoGroundTruthPath))) {
    job.progress(0, 2, 'Writing the demo study (takes about ten seconds, once)…');
    // Let the progress event leave before the CPU-bound generation starts.
    await new Promise((r) => setTimeout(r, 20));
    await writeDemoStudy(folder, { size: 'standard', force: true });
  }
  job.progress(1, 2, 'Importing the demo study…');
  return importFolder(ctx.db, folder, {
    signal: job.signal,
    onProgress: (p) => job.progress(1, 2, `Importing the demo study: ${p.filesSeen} files seen`),
  });
}
