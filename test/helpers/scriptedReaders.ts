import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoordinatorCase, ReadView } from '../../core/ipc/contract';
import type { DemoCohortGroundTruth } from '../../core/demo/demoCohortGroundTruth';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import { ok, type ReadingStudyFixture } from './readingStudy';

/** How a scripted reader departs from the truth: calipers scaled, and their own visual answers. */
export interface ReaderStyle {
  /** Multiplies every caliper around its midpoint (1 = the true diameter). */
  caliperScale: (caseIndex: number, lesion: number) => number;
  enhancement: (caseIndex: number) => string;
  burden: (caseIndex: number) => string;
  /**
   * For a study that measures LETB: where the reader puts ROI placement `placement` (0-2) of
   * timepoint `timepoint`, as an offset in mm (LPS) from the ground truth's ROI centre
   * (`roiCentresLpsMm` of the patient's ground-truth file), every ROI a 1.0 cm³ sphere; null marks
   * the placement not evaluable. Without it the reader places no LETB ROI.
   */
  letbOffsetMm?: (caseIndex: number, timepoint: number, placement: number) => [number, number, number] | null;
}

/**
 * Reads every case of the demo cohort through the contract as `reader` would with calipers at
 * the ground truth's end points (scaled by the style), the truth's non-target and new-lesion
 * findings and the style's answers — and, with `style.letbOffsetMm`, the three LETB ROIs of every
 * timepoint near the ground truth's ROI centres — then submits. Returns the reads.
 */
export async function readCohort(
  f: ReadingStudyFixture,
  demoDir: string,
  readerIndex: number,
  style: ReaderStyle,
): Promise<ReadView[]> {
  const truth = JSON.parse(readFileSync(join(demoDir, 'cohort-ground-truth.json'), 'utf8')) as DemoCohortGroundTruth;
  const reader = f.readers[readerIndex]!;
  const cases = ok<CoordinatorCase[]>(
    await f.services.dispatch('listStudyCases', { studyId: f.study.id }, f.coordinator),
  );
  const out: ReadView[] = [];
  for (const [caseIndex, patient] of truth.patients.entries()) {
    const c = cases.find((x) => x.patientId === patient.patientId)!;
    const view = ok<ReadView>(await f.services.dispatch('openRead', { caseId: c.caseId }, reader.connection));
    const save = (timepoint: number, item: string, value: unknown) =>
      f.services.dispatch('saveReadEntry', { readId: view.readId, timepoint, item, value }, reader.connection).then(ok);
    const letbTruth = style.letbOffsetMm
      ? (JSON.parse(readFileSync(join(demoDir, patient.groundTruth), 'utf8')) as DemoGroundTruth)
      : null;
    for (const [t, tp] of patient.timepoints.entries()) {
      for (const [k, centre] of (letbTruth?.timepoints[t]?.roiCentresLpsMm ?? []).entries()) {
        const offset = style.letbOffsetMm!(caseIndex, t, k);
        await save(
          t,
          `letb.roi${k + 1}`,
          offset === null
            ? { status: 'not_evaluable' }
            : { status: 'placed', centerLps: centre.map((v, i) => v + offset[i]!), volumeMl: 1, shape: 'sphere' },
        );
      }
      for (const lesion of tp.lesions.filter((l) => l.role === 'target')) {
        const scale = style.caliperScale(caseIndex, lesion.target!);
        const caliper = (ends: [number[], number[]] | null) => {
          if (!ends) return { status: 'absent' };
          const mid = ends[0].map((v, i) => (v + ends[1][i]!) / 2);
          const at = (p: number[]) => p.map((v, i) => mid[i]! + (v - mid[i]!) * scale);
          return { status: 'measured', aLps: at(ends[0]), bLps: at(ends[1]), seriesKey: `t${t}-s1` };
        };
        await save(t, `target${lesion.target}.longest`, caliper(lesion.longestCaliperLpsMm));
        await save(t, `target${lesion.target}.viable`, caliper(lesion.viableCaliperLpsMm));
      }
      await save(t, 'nontarget', tp.lesions.some((l) => l.role === 'non-target') ? 'present' : 'absent');
      if (t > 0)
        await save(
          t,
          'new_lesion',
          tp.lesions.some((l) => l.role === 'new'),
        );
    }
    await save(0, 'enhancement', style.enhancement(caseIndex));
    await save(0, 'burden', style.burden(caseIndex));
    out.push(ok<ReadView>(await f.services.dispatch('submitRead', { readId: view.readId }, reader.connection)));
  }
  return out;
}
