import { createHash, randomBytes } from 'node:crypto';
import type {
  LetbSession,
  LetbSessionRequest,
  Placement,
  RoiRequest,
  StoredPlacement,
} from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { buildLetbField, LetbInputError, type LetbField } from '../../../core/letb/letbField';
import { evaluatePlacement } from '../../../core/letb/evaluatePlacement';
import type { Volume } from '../../../core/imaging/volume';
import { getSeries, loadableSeriesFiles, seriesFiles } from '../../db/repositories/dicomIndex';
import {
  attachMask,
  deletePlacement,
  listPlacements,
  savePlacement,
  type PlacementContext,
} from '../../db/repositories/letb';
import { loadSeriesVolume } from '../dicom/loadSeriesVolume';
import { examReference } from '../masks/examReference';
import { segFileMismatches } from '../masks/inspectSegFile';
import { loadMask, otherReferenceRefusal } from '../masks/loadMask';
import { exportMask } from '../masks/exportMask';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ServiceContext } from '../context';

interface Session {
  field: LetbField;
  placement: PlacementContext;
  arterialDescription: string;
}

/** Sessions hold both phases of a timepoint in memory; keep the most recent few only. */
const maxSessions = 2;

/**
 * LETB sessions of the main process: the field of a timepoint is built once (the expensive
 * pass) and then every ROI is evaluated against it, live while the reader drags it.
 */
export class LetbSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Opens a timepoint: loads both phases and the mask, checks the mask against the exam (a SEG of
   * other images needs `allowOtherReference`, else NEEDS_CONFIRMATION) and attaches it with the
   * result of its checks (`actor` in the audit trail).
   */
  async open(req: LetbSessionRequest, actor = 'local'): Promise<LetbSession> {
    const { db } = this.ctx;
    const arterial = await getSeries(db, req.arterialSeriesUid);
    const preUid =
      req.precontrastSeriesUid ?? (await this.findPrecontrast(arterial.studyInstanceUid, arterial.seriesInstanceUid));
    const maskPath = 'path' in req.mask ? req.mask.path : await this.segFile(req.mask.seriesInstanceUid);
    const exam = await examReference(db, req.arterialSeriesUid);
    const confirm = (err: unknown) =>
      err instanceof AppException && err.code === 'NEEDS_CONFIRMATION'
        ? new AppException(
            'NEEDS_CONFIRMATION',
            `${err.message} Attach it anyway only if you are sure it belongs to this exam: the override is recorded in the audit trail.`,
          )
        : err;
    if (!req.allowOtherReference) {
      // A SEG of other images is refused (to be confirmed) before both phases are loaded for it.
      const mismatches = await segFileMismatches(maskPath, exam);
      if (mismatches.length > 0) throw confirm(otherReferenceRefusal(basename(maskPath), mismatches));
    }
    const [arterialVolume, preVolume] = await Promise.all([this.volume(req.arterialSeriesUid), this.volume(preUid)]);
    const mask = await loadMask(
      maskPath,
      arterialVolume,
      req.allowOtherReference ? { exam, allowOtherReference: true } : { exam },
    ).catch((err: unknown) => {
      throw confirm(err);
    });
    const maskSha256 = createHash('sha256').update(mask.mask.voxels).digest('hex');
    let field: LetbField;
    try {
      field = buildLetbField(arterialVolume, preVolume, mask.mask);
    } catch (err) {
      if (err instanceof LetbInputError) throw new AppException('INVALID_INPUT', err.message, { cause: err });
      throw err;
    }
    const info = await attachMask(
      db,
      {
        arterialSeriesUid: req.arterialSeriesUid,
        kind: 'liver',
        sourceFormat: mask.source,
        sourcePath: maskPath,
        fileName: mask.fileName,
        segmentLabel: mask.segmentLabel ?? null,
        fileSha256: mask.sha256,
        maskSha256,
        voxels: mask.voxels,
        volumeMl: mask.volumeMl,
        checks: mask.checks,
      },
      actor,
    );
    const sessionId = `letb-${randomBytes(8).toString('hex')}`;
    this.sessions.set(sessionId, {
      field,
      arterialDescription: arterial.description,
      placement: {
        arterialSeriesUid: req.arterialSeriesUid,
        precontrastSeriesUid: preUid,
        maskRef: info.id,
        resampledPrecontrast: field.resampledPrecontrast,
        softwareVersion: this.ctx.appVersion,
      },
    });
    while (this.sessions.size > maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    return {
      sessionId,
      arterialSeriesUid: req.arterialSeriesUid,
      precontrastSeriesUid: preUid,
      resampledPrecontrast: field.resampledPrecontrast,
      liverVoxels: field.liverVoxels,
      liverMl: field.liverMl,
      voxelMl: field.voxelMl,
      mask: info,
      liverMask: field.liverMask,
      subtraction: subtractionInt16(field),
      placements: await listPlacements(db, req.arterialSeriesUid, info.id),
    };
  }

  evaluate(req: RoiRequest): Placement {
    const session = this.session(req.sessionId);
    try {
      return evaluatePlacement(session.field, { centerLps: req.centerLps, volumeMl: req.volumeMl, shape: req.shape });
    } catch (err) {
      if (err instanceof RangeError) throw new AppException('INVALID_INPUT', err.message, { cause: err });
      throw err;
    }
  }

  async save(req: RoiRequest & { placementNo: number }): Promise<StoredPlacement> {
    const session = this.session(req.sessionId);
    return savePlacement(this.ctx.db, session.placement, req.placementNo, this.evaluate(req));
  }

  async remove(sessionId: string, placementId: number): Promise<void> {
    await deletePlacement(this.ctx.db, this.session(sessionId).placement.arterialSeriesUid, placementId);
  }

  /** Writes the liver mask of a session as SEG (referencing the arterial series) or NIfTI. */
  async exportMask(sessionId: string, format: 'seg' | 'nifti'): Promise<{ path: string; sha256: string }> {
    const session = this.session(sessionId);
    const { field, placement } = session;
    const safe = (session.arterialDescription || 'arterial').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const outPath = join(
      this.ctx.dataDir,
      'exports',
      `${safe}_liver_${stamp}.${format === 'seg' ? 'seg.dcm' : 'nii.gz'}`,
    );
    mkdirSync(dirname(outPath), { recursive: true });
    const mask = { ...field.grid, voxels: field.liverMask };
    const source =
      format === 'seg' ? { ctFilePaths: await seriesFiles(this.ctx.db, placement.arterialSeriesUid) } : undefined;
    const written = await exportMask(mask, source, outPath, format, {
      segment: 'liver',
      seriesDescription: 'Liver mask (Concord)',
    });
    return { path: written.path, sha256: written.sha256 };
  }

  private session(sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s) throw new AppException('NOT_FOUND', 'This LETB session has ended; open the timepoint again.');
    return s;
  }

  private async volume(seriesInstanceUid: string): Promise<Volume> {
    const series = await getSeries(this.ctx.db, seriesInstanceUid);
    return (
      await loadSeriesVolume(
        await loadableSeriesFiles(this.ctx.db, seriesInstanceUid),
        `${series.description || series.modality} (${seriesInstanceUid})`,
      )
    ).volume;
  }

  private async segFile(seriesInstanceUid: string): Promise<string> {
    const series = await getSeries(this.ctx.db, seriesInstanceUid);
    if (series.modality !== 'SEG')
      throw new AppException(
        'INVALID_INPUT',
        `Series ${series.description || seriesInstanceUid} is ${series.modality}, not a DICOM SEG.`,
      );
    const files = await seriesFiles(this.ctx.db, seriesInstanceUid);
    if (files.length !== 1)
      throw new AppException(
        'INVALID_INPUT',
        `SEG series ${series.description || seriesInstanceUid} has ${files.length} files; choose the mask file itself.`,
      );
    return files[0]!;
  }

  private async findPrecontrast(studyInstanceUid: string, arterialUid: string): Promise<string> {
    const rows = await this.ctx.db.all<{ uid: string }>(
      `SELECT s.series_instance_uid AS uid FROM series s JOIN studies st ON st.id = s.study_ref
        WHERE st.study_instance_uid = ? AND COALESCE(s.phase_override, s.phase) = 'precontrast' AND s.series_instance_uid <> ?`,
      [studyInstanceUid, arterialUid],
    );
    if (rows.length !== 1) {
      throw new AppException(
        'INVALID_INPUT',
        rows.length === 0
          ? 'No precontrast series in this study: set a series to Precontrast in the series list, or choose one.'
          : `The study has ${rows.length} precontrast series: choose one.`,
      );
    }
    return rows[0]!.uid;
  }
}

/** S = arterial − precontrast for display, rounded and clipped to int16 (NaN → 0). */
export function subtractionInt16(field: LetbField): Int16Array {
  const a = field.arterial;
  const p = field.precontrast;
  const out = new Int16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]! - p[i]!;
    out[i] = Number.isNaN(v) ? 0 : v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
  }
  return out;
}
