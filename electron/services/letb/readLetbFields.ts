import { createHash } from 'node:crypto';
import type { Placement, ReadLetbView } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { buildLetbField, LetbInputError, type LetbField } from '../../../core/letb/letbField';
import { evaluatePlacement } from '../../../core/letb/evaluatePlacement';
import type { RoiSpec } from '../../../core/letb/roi';
import type { LetbRoiMeasurement } from '../../../core/studies/readForm';
import type { Volume } from '../../../core/imaging/volume';
import { loadableSeriesFiles, seriesFiles } from '../../db/repositories/dicomIndex';
import { caseSeries } from '../../db/repositories/reads';
import { loadSeriesVolume } from '../dicom/loadSeriesVolume';
import { loadMask } from '../masks/loadMask';
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
      return { ...p, maskSha256: t.maskSha256, resampledPrecontrast: t.field.resampledPrecontrast, softwareVersion: this.ctx.appVersion };
    };
  }

  /**
   * The field of a timepoint, built on first use. The key holds what the field is made of (the
   * series of each phase and the mask file), so a phase set again or a mask attached by the
   * coordinator gives a new field, never a stale one.
   */
  private async get(caseId: number, timepoint: number): Promise<TimepointField> {
    const inputs = await letbInputs(this.ctx.db, caseId, timepoint);
    const key = JSON.stringify([caseId, timepoint, inputs.arterial.seriesInstanceUid, inputs.pre.seriesInstanceUid, inputs.mask.path, inputs.mask.segment]);
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
      [arterialVolume, preVolume] = await Promise.all([this.volume(arterial.seriesInstanceUid), this.volume(pre.seriesInstanceUid)]);
    } catch (err) {
      logger.error(`LETB of case ${caseId} timepoint ${timepoint}: loading the phases`, err);
      throw new AppException('DICOM', `The images of ${where} cannot be loaded for LETB; the coordinator can see why in the log.`);
    }
    let loaded;
    try {
      loaded = await loadMask(mask.path, arterialVolume, mask.segment === null ? {} : { segment: mask.segment });
    } catch (err) {
      logger.error(`LETB of case ${caseId} timepoint ${timepoint}: the liver mask ${mask.path}`, err);
      throw new AppException('INVALID_INPUT', `The liver mask of ${where} (${mask.source}) cannot be placed on the arterial images; the coordinator can see why in the log.`);
    }
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
    return { field, seriesKey: arterial.seriesKey, maskSha256: createHash('sha256').update(loaded.mask.voxels).digest('hex'), maskSource: mask.source };
  }

  private async volume(seriesInstanceUid: string): Promise<Volume> {
    return (await loadSeriesVolume(await loadableSeriesFiles(this.ctx.db, seriesInstanceUid), seriesInstanceUid)).volume;
  }
}

/** What the LETB field of a case timepoint is made of. */
export interface LetbInputs {
  /** The timepoint as a reader knows it ("baseline", "+6 weeks"). */
  where: string;
  arterial: { seriesKey: string; seriesInstanceUid: string };
  pre: { seriesKey: string; seriesInstanceUid: string };
  /** The liver mask file, its segment (null: the only one), and where it came from in words. */
  mask: { path: string; segment: string | null; source: string };
}

/**
 * The timepoint's arterial and precontrast series (exactly one of each, by phase) and its liver
 * mask: the coordinator's current liver mask of the arterial series, else the exam's only DICOM
 * SEG. Database only (nothing is loaded), so the coordinator's case list can ask it of every
 * timepoint (passing the case's `caseSeries` it has already read).
 * @throws AppException naming what is missing, in words for a reader (no path, no UID)
 */
export async function letbInputs(db: Database, caseId: number, timepoint: number, series?: Awaited<ReturnType<typeof caseSeries>>): Promise<LetbInputs> {
  const tp = (series ?? (await caseSeries(db, caseId))).find((t) => t.ordinal === timepoint);
  if (!tp) throw new AppException('NOT_FOUND', `This case has no timepoint ${timepoint}.`);
  const where = tp.label;
  const one = (phase: 'arterial' | 'precontrast', name: string) => {
    const found = tp.series.filter((s) => s.phase === phase);
    if (found.length !== 1) {
      throw new AppException('INVALID_INPUT', `LETB at ${where} needs one ${name} series; this exam has ${found.length}. Ask the study coordinator to set the phases.`);
    }
    return found[0]!;
  };
  const arterial = one('arterial', 'late arterial');
  const pre = one('precontrast', 'precontrast');
  const attached = await db.get<{ source_path: string; segment_label: string | null }>(
    `SELECT source_path, segment_label FROM masks WHERE arterial_series_uid = ? AND kind = 'liver' AND detached_at IS NULL ORDER BY id DESC LIMIT 1`,
    [arterial.seriesInstanceUid],
  );
  if (attached) return { where, arterial, pre, mask: { path: attached.source_path, segment: attached.segment_label, source: "the coordinator's liver mask" } };
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
  if (files.length !== 1) throw new AppException('INVALID_INPUT', `The DICOM SEG of ${where} has ${files.length} files: the study coordinator chooses the liver mask on the LETB screen.`);
  return { where, arterial, pre, mask: { path: files[0]!, segment: null, source: "the exam's DICOM SEG" } };
}

/** DICOM UIDs (which may encode dates and sites) removed from a message a reader will see. */
export const withoutUids = (s: string) => s.replace(/\b\d+(?:\.\d+){3,}\b/g, '[uid]');
