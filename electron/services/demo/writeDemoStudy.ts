import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { streamDemoStudy, demoGroundTruthPath, type DemoStudyOptions } from '../../../core/demo/demoStudy';
import type { DemoGroundTruth } from '../../../core/demo/demoGroundTruth';
import { AppException } from '../../../core/ipc/result';

export interface WriteDemoStudyOptions extends DemoStudyOptions {
  /** Write into a folder that already holds files (existing files with the same names are replaced, others kept). */
  force?: boolean;
}

export interface DemoStudySummary {
  /** Absolute path of the folder written. */
  out: string;
  /** Files written: DICOM images, SEGs, NIfTI masks and ground-truth.json. */
  files: number;
  /** DICOM series written: three CT phases and one SEG per timepoint. */
  series: number;
  /** Absolute path of ground-truth.json. */
  groundTruth: string;
  truth: DemoGroundTruth;
}

/**
 * Writes the synthetic demo study (core/demo/demoStudy.ts) under `outDir`, creating folders as
 * needed, one file at a time so the whole study is never held in memory.
 * Generation is synchronous CPU work (about 1 s for 'small', 8 s for 'standard').
 * @throws AppException CONFLICT when `outDir` exists and is not empty (unless `force`),
 *   IO when it is a file or cannot be written
 */
export async function writeDemoStudy(outDir: string, options: WriteDemoStudyOptions = {}): Promise<DemoStudySummary> {
  const out = resolve(outDir);
  let existing: string[] = [];
  try {
    if (!statSync(out).isDirectory()) throw new AppException('IO', `${out} is a file, not a folder.`);
    existing = readdirSync(out);
  } catch (err) {
    if (err instanceof AppException) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppException('IO', `Cannot read ${out}: ${(err as Error).message}`, { cause: err });
  }
  if (existing.length > 0 && options.force !== true) {
    throw new AppException('CONFLICT', `${out} is not empty; choose an empty folder or pass --force.`);
  }

  let files = 0;
  const made = new Set<string>();
  try {
    mkdirSync(out, { recursive: true });
    const truth = streamDemoStudy(options, (file) => {
      const target = join(out, ...file.path.split('/'));
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileSync(target, file.bytes);
      files++;
    });
    const series = truth.timepoints.reduce((n, tp) => n + tp.series.length + 1, 0);
    return { out, files, series, groundTruth: join(out, demoGroundTruthPath), truth };
  } catch (err) {
    if (err instanceof AppException) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new AppException('IO', `Cannot write the demo study to ${out}: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}
