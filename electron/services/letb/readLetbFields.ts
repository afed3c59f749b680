import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { LetbMaskSummary, LetbReadiness, Placement, ReadLetbView } from '../../../core/ipc/contract';
import { maskChecks, type MaskChecks } from '../../../core/masks/maskChecks';
import { describeReferenceMismatches } from '../../../core/masks/segReferenceMismatches';
import { AppException } from '../../../core/ipc/result';
import { buildLetbField, LetbInputError, type LetbField } from '../../../core/letb/letbField';
import { evaluatePlacement } from '../../../core/letb/evaluatePlacement';
import type { RoiSpec } from '../../../core/letb/roi';
import type { LetbRoiMeasurement } from '../../../core/studies/readForm';
import type { Volume } from '../../../core/imaging/volume';
import { loadableSeriesFiles, seriesFiles } from '../../db/repositories/dicomIndex';
import { caseSeries } from '../../db/repositories/reads';
import { loadSeriesVolume } from '../dicom/loadSeriesVolume';
import { examReference } from '../masks/examReference';
import { inspectSegFile } from '../masks/inspectSegFile';
import { loadMask, type LoadMaskOptions } from '../masks/loadMask';
import type { ServiceContext } from '../context';
import type { Database } from '../../db/database';
import { subtractionInt16 } from './letbSessions';

/** The LETB field of one timepoint of a case, and what a reader may know of it. */
interface TimepointField {
  field: LetbField;
  seriesKey: string;
  maskSha256: string;
  maskSource: string;
}

/** Fields hold both phases of a timepoint in memory; keep the most recent few only. */
const maxFields = 2;

/**
 * LETB fields of case timepoints for readers' blinded reads (SPEC §2): the timepoint's arterial
 * and precontrast series (by phase), and its liver mask, the one the coordinator attached to
 * the arterial series on the LETB screen or else the exam's only DICOM SEG, mapped onto the
 * arterial grid. Built once per timepoint (shared by every reader of the case: the field holds
 * no answer) and kept for the most recent timepoints. Messages name no path and no UID; the
 * details go to the log.
 */
export class ReadLetbFields {
  private readonly fields = new Map<string, Promise<TimepointField>>();

  constructor(private readonly ctx: ServiceContext) {}

  /** The view a reader's LETB tool needs for timepoint `timepoint` of case `caseId`. */
  async view(readId: number, caseId: number, timepoint: number): Promise<ReadLetbView> {
    const t = await this.get(caseId, timepoint);
    const { field } = t;
    return {
      readId,
      timepoint,
      seriesKey: t.seriesKey,
      dims: field.grid.dims,
      spacingMm: field.grid.spacingMm,
      originMm: field.grid.originMm,
      direction: field.grid.direction,
      liverVoxels: field.liverVoxels,
      liverMl: field.liverMl,
      voxelMl: field.voxelMl,
      resampledPrecontrast: field.resampledPrecontrast,
      maskSha256: t.maskSha256,
      maskSource: t.maskSource,
      liverMask: field.liverMask,
      subtraction: subtractionInt16(field),
    };
  }

  /** One ROI on the timepoint's field, not stored. */
  async evaluate(caseId: number, timepoint: number, roi: RoiSpec): Promise<Placement> {
    const { field } = await this.get(caseId, timepoint);
    try {
      return evaluatePlacement(field, roi);
    } catch (err) {
      if (err instanceof RangeError) throw new AppException('INVALID_INPUT', err.message, { cause: err });
      throw err;
    }
  }

  /**
   * A function measuring ROIs on the timepoint's field, for `checkEntry` (it throws RangeError
   * for an ROI that cannot be measured, which the form reports).
   */
  async measurer(caseId: number, timepoint: number): Promise<(roi: RoiSpec) => LetbRoiMeasurement> {
    const t = await this.get(caseId, timepoint);
    return (roi) => {
      const { centerLps: _c, roiMl: _m, roiShape: _s, ...p } = evaluatePlacement(t.field, roi);
      return {
        ...p,
        maskSha256: t.maskSha256,
        resampledPrecontrast: t.field.resampledPrecontrast,
        softwareVersion: this.ctx.appVersion,
      };
    };
  }

  /**
   * The field of a timepoint, built on first use. The key holds what the field is made of (the
   * series of each phase, the mask file and its size and modification time), so a phase set
   * again, a mask attached by the coordinator or a mask file changed on disk gives a new field
   * (checked again), never a stale one.
   */
  private async get(caseId: number, timepoint: number): Promise<TimepointField> {
    const inputs = await letbInputs(this.ctx.db, caseId, timepoint);
    const file = await stat(inputs.mask.path).then(
      (s) => [s.size, s.mtimeMs],
      () => null,
    );
    const key = JSON.stringify([
      caseId,
      timepoint,
      inputs.arterial.seriesInstanceUid,
      inputs.pre.seriesInstanceUid,
      inputs.mask.path,
      inputs.mask.segment,
      file,
    ]);
    let f = this.fields.get(key);
    if (f) {
      // Most recently used last.
      this.fields.delete(key);
      this.fields.set(key, f);
      return f;
    }
    f = this.build(caseId, timepoint, inputs);
    this.fields.set(key, f);
    // A failed build is not kept: the coordinator may fix the mask or the phases and the reader try again.
    f.catch(() => this.fields.get(key) === f && this.fields.delete(key));
    while (this.fields.size > maxFields) this.fields.delete(this.fields.keys().next().value!);
    return f;
  }

  private async build(caseId: number, timepoint: number, inputs: LetbInputs): Promise<TimepointField> {
    const { logger } = this.ctx;
    const { where, arterial, pre, mask } = inputs;
    let arterialVolume: Volume;
    let preVolume: Volume;
    try {
      [arterialVolume, preVolume] = await Promise.all([
        this.volume(arterial.seriesInstanceUid),
        this.volume(pre.seriesInstanceUid),
      ]);
    } catch (err) {
      logger.error(`LETB of case ${caseId} timepoint ${timepoint}: loading the phases`, err);
      throw new AppException(
        'DICOM',
        `The images of ${where} cannot be loaded for LETB; the coordinator can see why in the log.`,
      );
    }
    let loaded;
    try {
      const exam = await examReference(this.ctx.db, arterial.seriesInstanceUid);
      // A SEG of other images only as the coordinator attached it, having confirmed it.
      const options: LoadMaskOptions = { exam, allowOtherReference: mask.attached?.checks?.status === 'overridden' };
      if (mask.segment !== null) options.segment = mask.segment;
      loaded = await loadMask(mask.path, arterialVolume, options);
    } catch (err) {
      logger.error(`LETB of case ${caseId} timepoint ${timepoint}: the liver mask ${mask.path}`, err);
      if (err instanceof AppException && err.code === 'NEEDS_CONFIRMATION') {
        throw new AppException(
          'INVALID_INPUT',
          `The liver mask of ${where} (${mask.source}) was drawn on other images than this exam: the study coordinator checks it on the LETB screen.`,
        );
      }
      throw new AppException(
        'INVALID_INPUT',
        `The liver mask of ${where} (${mask.source}) cannot be placed on the arterial images; the coordinator can see why in the log.`,
      );
    }
    if (mask.attached && loaded.sha256 !== mask.attached.fileSha256) {
      logger.error(
        `LETB of case ${caseId} timepoint ${timepoint}: ${mask.path} has SHA-256 ${loaded.sha256}, attached as ${mask.attached.fileSha256}`,
      );
      throw new AppException(
        'INVALID_INPUT',
        `The liver mask file of ${where} has changed since the study coordinator attached it: the coordinator puts the original file back (or, before reading starts, attaches the new one on the LETB screen).`,
      );
    }
    if (loaded.warnings.length > 0)
      logger.info(
        `LETB of case ${caseId} timepoint ${timepoint}: the liver mask ${mask.path}: ${loaded.warnings.join(' ')}`,
      );
    let field: LetbField;
    try {
      field = buildLetbField(arterialVolume, preVolume, loaded.mask);
    } catch (err) {
      if (err instanceof LetbInputError) {
        logger.error(`LETB of case ${caseId} timepoint ${timepoint}`, err);
        throw new AppException('INVALID_INPUT', `LETB cannot be measured at ${where}: ${withoutUids(err.message)}`);
      }
      throw err;
    }
    return {
      field,
      seriesKey: arterial.seriesKey,
      maskSha256: createHash('sha256').update(loaded.mask.voxels).digest('hex'),
      maskSource: mask.source,
    };
  }

  private async volume(seriesInstanceUid: string): Promise<Volume> {
    return (await loadSeriesVolume(await loadableSeriesFiles(this.ctx.db, seriesInstanceUid), seriesInstanceUid))
      .volume;
  }
}

/** What the LETB field of a case timepoint is made of. */
export interface LetbInputs {
  /** The timepoint as a reader knows it ("baseline", "+6 weeks"). */
  where: string;
  arterial: { seriesKey: string; seriesInstanceUid: string };
  pre: { seriesKey: string; seriesInstanceUid: string };
  /**
   * The liver mask file, its segment (null: the only one), where it came from in words, and for
   * the coordinator's attached mask its file and stored checks (null: the exam's only DICOM SEG).
   */
  mask: {
    path: string;
    segment: string | null;
    source: string;
    attached: { fileName: string; fileSha256: string; checks: MaskChecks | null } | null;
  };
}

/**
 * The timepoint's arterial and precontrast series (exactly one of each, by phase) and its liver
 * mask: the coordinator's current liver mask of the arterial series, else the exam's only DICOM
 * SEG. Database only (nothing is loaded), so the coordinator's case list can ask it of every
 * timepoint (passing the case's `caseSeries` it has already read).
 * @throws AppException naming what is missing, in words for a reader (no path, no UID)
 */
export async function letbInputs(
  db: Database,
  caseId: number,
  timepoint: number,
  series?: Awaited<ReturnType<typeof caseSeries>>,
): Promise<LetbInputs> {
  const tp = (series ?? (await caseSeries(db, caseId))).find((t) => t.ordinal === timepoint);
  if (!tp) throw new AppException('NOT_FOUND', `This case has no timepoint ${timepoint}.`);
  const where = tp.label;
  const one = (phase: 'arterial' | 'precontrast', name: string) => {
    const found = tp.series.filter((s) => s.phase === phase);
    if (found.length !== 1) {
      throw new AppException(
        'INVALID_INPUT',
        `LETB at ${where} needs one ${name} series; this exam has ${found.length}. Ask the study coordinator to set the phases.`,
      );
    }
    return found[0]!;
  };
  const arterial = one('arterial', 'late arterial');
  const pre = one('precontrast', 'precontrast');
  const attached = await db.get<{
    source_path: string;
    segment_label: string | null;
    file_name: string;
    file_sha256: string;
    checks: string | null;
  }>(
    `SELECT source_path, segment_label, file_name, file_sha256, checks FROM masks WHERE arterial_series_uid = ? AND kind = 'liver' AND detached_at IS NULL ORDER BY id DESC LIMIT 1`,
    [arterial.seriesInstanceUid],
  );
  if (attached) {
    const checks = attached.checks === null ? null : (JSON.parse(attached.checks) as MaskChecks);
    return {
      where,
      arterial,
      pre,
      mask: {
        path: attached.source_path,
        segment: attached.segment_label,
        source: "the coordinator's liver mask",
        attached: { fileName: attached.file_name, fileSha256: attached.file_sha256, checks },
      },
    };
  }
  const segs = await db.all<{ uid: string }>(
    `SELECT se.series_instance_uid AS uid FROM case_timepoints t JOIN series se ON se.study_ref = t.dicom_study_ref
      WHERE t.case_ref = ? AND t.ordinal = ? AND se.modality = 'SEG'`,
    [caseId, timepoint],
  );
  if (segs.length !== 1) {
    throw new AppException(
      'NOT_FOUND',
      segs.length === 0
        ? `No liver mask for ${where}: the study coordinator attaches one on the LETB screen (or imports the exam's DICOM SEG).`
        : `The exam of ${where} has ${segs.length} DICOM SEG series: the study coordinator chooses the liver mask on the LETB screen.`,
    );
  }
  const files = await seriesFiles(db, segs[0]!.uid);
  if (files.length !== 1)
    throw new AppException(
      'INVALID_INPUT',
      `The DICOM SEG of ${where} has ${files.length} files: the study coordinator chooses the liver mask on the LETB screen.`,
    );
  return {
    where,
    arterial,
    pre,
    mask: { path: files[0]!, segment: null, source: "the exam's DICOM SEG", attached: null },
  };
}

/**
 * Whether readers can measure LETB at a case timepoint, for the coordinator's case table: the
 * phases and liver mask of `letbInputs`, and which mask with what its checks found. An attached
 * mask shows the checks stored when it was attached; the exam's DICOM SEG is checked here from
 * its header (`inspectSegFile`, cached per file): a SEG of other images than the exam's is not
 * ready until the coordinator attaches it on the LETB screen, confirming.
 */
export async function letbReadiness(
  db: Database,
  caseId: number,
  timepoint: number,
  series?: Awaited<ReturnType<typeof caseSeries>>,
): Promise<LetbReadiness> {
  let inputs: LetbInputs;
  try {
    inputs = await letbInputs(db, caseId, timepoint, series);
  } catch (err) {
    if (err instanceof AppException) return { ready: false, reason: err.message };
    throw err;
  }
  const { mask } = inputs;
  if (mask.attached) {
    return {
      ready: true,
      maskSource: mask.source,
      mask: {
        origin: 'attached',
        fileName: mask.attached.fileName,
        fileSha256: mask.attached.fileSha256,
        checked: 'full',
        checks: mask.attached.checks,
      },
    };
  }
  let seg;
  try {
    seg = await inspectSegFile(mask.path, await examReference(db, inputs.arterial.seriesInstanceUid));
  } catch (err) {
    if (err instanceof AppException)
      return { ready: false, reason: `The exam's DICOM SEG cannot be read: ${err.message}` };
    throw err;
  }
  if (seg.mismatches.length > 0) {
    return {
      ready: false,
      reason: `The exam's DICOM SEG ${seg.fileName} was drawn on other images: ${describeReferenceMismatches(seg.mismatches)}. Attach it on the LETB screen (confirming) or attach another liver mask.`,
    };
  }
  const summary: LetbMaskSummary = {
    origin: 'exam-seg',
    fileName: seg.fileName,
    fileSha256: seg.fileSha256,
    checked: 'header',
    checks: maskChecks([], []),
  };
  return { ready: true, maskSource: mask.source, mask: summary };
}

/** DICOM UIDs (which may encode dates and sites) removed from a message a reader will see. */
export const withoutUids = (s: string) => s.replace(/\b\d+(?:\.\d+){3,}\b/g, '[uid]');
