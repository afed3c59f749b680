import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { demoGroundTruthPath, type DemoStudyOptions } from '../../../core/demo/demoStudy';
import { demoCohortGroundTruthPath, streamDemoCohort } from '../../../core/demo/demoCohort';
import type { DemoCohortGroundTruth } from '../../../core/demo/demoCohortGroundTruth';
import type { DemoGroundTruth } from '../../../core/demo/demoGroundTruth';
import { AppException } from '../../../core/ipc/result';

export interface WriteDemoStudyOptions extends DemoStudyOptions {
  /** Write into a folder that already holds files (existing files with the same names are replaced, others kept). */
  force?: boolean;
}

export interface DemoStudySummary {
  /** Absolute path of the folder written. */
  out: string;
  /** Files written: DICOM images, SEGs, NIfTI masks and the ground-truth files. */
  files: number;
  /** DICOM series written: three CT phases and one SEG per timepoint of every patient. */
  series: number;
  /** Patients written: DEMO-0001 to DEMO-0004. */
  patients: number;
  /** Absolute path of ground-truth.json (DEMO-0001's LETB ground truth). */
  groundTruth: string;
  /** Absolute path of cohort-ground-truth.json (every patient's lesion diameters and responses). */
  cohortGroundTruth: string;
  /** DEMO-0001's ground truth, the content of ground-truth.json. */
  truth: DemoGroundTruth;
  cohort: DemoCohortGroundTruth;
  /** Every patient's LETB ground truth, DEMO-0001 first. */
  patientTruths: DemoGroundTruth[];
}

/**
 * Writes the synthetic demo cohort (core/demo/demoCohort.ts: the demo study DEMO-0001 at the
 * requested size, three more patients on the small grid, cohort-ground-truth.json last) under
 * `outDir`, creating folders as needed, one file at a time so it is never all held in memory.
 * Generation is synchronous CPU work (about 2.5 s for 'small', 7.5 s for 'standard').
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
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AppException('IO', `Cannot read ${out}: ${(err as Error).message}`, { cause: err });
  }
  if (existing.length > 0 && options.force !== true) {
    throw new AppException('CONFLICT', `${out} is not empty; choose an empty folder or pass --force.`);
  }

  let files = 0;
  const made = new Set<string>();
  try {
    mkdirSync(out, { recursive: true });
    const { cohort, patients } = streamDemoCohort(options, (file) => {
      const target = join(out, ...file.path.split('/'));
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileSync(target, file.bytes);
      files++;
    });
    const series = patients.reduce((n, p) => n + p.timepoints.reduce((m, tp) => m + tp.series.length + 1, 0), 0);
    return {
      out,
      files,
      series,
      patients: patients.length,
      groundTruth: join(out, demoGroundTruthPath),
      cohortGroundTruth: join(out, demoCohortGroundTruthPath),
      truth: patients[0]!,
      cohort,
      patientTruths: patients,
    };
  } catch (err) {
    if (err instanceof AppException) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string')
      throw new AppException('IO', `Cannot write the demo study to ${out}: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}
