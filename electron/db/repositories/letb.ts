import type { LetbTimepoint, MaskInfo, StoredPlacement } from '../../../core/ipc/contract';
import type { MaskChecks } from '../../../core/masks/maskChecks';
import type { Placement } from '../../../core/letb/evaluatePlacement';
import { AppException } from '../../../core/ipc/result';
import type { Database } from '../database';
import { appendAudit } from '../audit';
import { refuseFrozenMask } from './studyInputs';

/** A mask to attach: its description (MaskInfo without the row id) and the timepoint it belongs to. */
export type NewMask = Omit<MaskInfo, 'id' | 'checks'> & {
  arterialSeriesUid: string;
  kind: 'liver' | 'tumour';
  checks: MaskChecks;
};

interface MaskRow {
  id: number;
  source_format: MaskInfo['sourceFormat'];
  source_path: string;
  file_name: string;
  segment_label: string | null;
  file_sha256: string;
  mask_sha256: string;
  voxels: number;
  volume_ml: number;
  checks: string | null;
}

export function toMaskInfo(r: MaskRow): MaskInfo {
  return {
    id: r.id,
    sourceFormat: r.source_format,
    sourcePath: r.source_path,
    fileName: r.file_name,
    segmentLabel: r.segment_label,
    fileSha256: r.file_sha256,
    maskSha256: r.mask_sha256,
    voxels: r.voxels,
    volumeMl: r.volume_ml,
    checks: r.checks === null ? null : (JSON.parse(r.checks) as MaskChecks),
  };
}

/**
 * Attaches a mask to a timepoint, with the result of its checks. The same mask (same mapped
 * voxels) attached again reuses its row, so placements keep pointing at one mask (the row keeps
 * the file and checks it was first attached with); a different mask detaches the previous one.
 * A SEG attached although its references differ from the exam's (`checks.overridden`) is audited
 * as such ('mask.reference.override', with what differed) every time it is confirmed.
 * A liver mask that readers of a started LETB study measure on stays (`refuseFrozenMask`).
 */
export async function attachMask(db: Database, m: NewMask, actor = 'local'): Promise<MaskInfo> {
  return db.transaction(async () => {
    const existing = await db.get<MaskRow>(
      'SELECT * FROM masks WHERE arterial_series_uid = ? AND kind = ? AND mask_sha256 = ? AND detached_at IS NULL',
      [m.arterialSeriesUid, m.kind, m.maskSha256],
    );
    let row = existing;
    if (!row) {
      const now = new Date().toISOString();
      const previous = await db.all<{ id: number; mask_sha256: string }>(
        'SELECT id, mask_sha256 FROM masks WHERE arterial_series_uid = ? AND kind = ? AND detached_at IS NULL',
        [m.arterialSeriesUid, m.kind],
      );
      if (m.kind === 'liver') await refuseFrozenMask(db, m.arterialSeriesUid, m.sourcePath, previous.length > 0);
      await db.run(
        'UPDATE masks SET detached_at = ? WHERE arterial_series_uid = ? AND kind = ? AND detached_at IS NULL',
        [now, m.arterialSeriesUid, m.kind],
      );
      const id = (
        await db.run(
          `INSERT INTO masks (arterial_series_uid, kind, source_format, source_path, file_name, segment_label, file_sha256, mask_sha256, voxels, volume_ml, checks, attached_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            m.arterialSeriesUid,
            m.kind,
            m.sourceFormat,
            m.sourcePath,
            m.fileName,
            m.segmentLabel,
            m.fileSha256,
            m.maskSha256,
            m.voxels,
            m.volumeMl,
            JSON.stringify(m.checks),
            now,
          ],
        )
      ).lastID;
      await appendAudit(db, {
        actor,
        action: 'mask.attach',
        entity: 'mask',
        entityId: id,
        before: previous.length > 0 ? { detached: previous } : null,
        after: { ...m, id },
      });
      row = (await db.get<MaskRow>('SELECT * FROM masks WHERE id = ?', [id]))!;
    }
    if (m.checks.overridden.length > 0) {
      await appendAudit(db, {
        actor,
        action: 'mask.reference.override',
        entity: 'mask',
        entityId: row.id,
        before: null,
        after: {
          arterialSeriesUid: m.arterialSeriesUid,
          fileName: m.fileName,
          sourcePath: m.sourcePath,
          fileSha256: m.fileSha256,
          differences: m.checks.overridden,
        },
      });
    }
    return toMaskInfo(row);
  });
}

interface PlacementRow {
  id: number;
  placement_no: number;
  center_lps: string;
  roi_ml: number;
  roi_shape: 'sphere' | 'cube';
  roi_voxels: number;
  mean_hu: number;
  sd_hu: number;
  threshold_hu: number;
  enhancing_voxels: number;
  enhancing_ml: number;
  liver_ml: number;
  letb_percent: number;
  flags: string;
  created_at: string;
}

function toStored(r: PlacementRow): StoredPlacement {
  return {
    id: r.id,
    placementNo: r.placement_no,
    createdAt: r.created_at,
    centerLps: JSON.parse(r.center_lps) as [number, number, number],
    roiMl: r.roi_ml,
    roiShape: r.roi_shape,
    roiVoxels: r.roi_voxels,
    meanHu: r.mean_hu,
    sdHu: r.sd_hu,
    thresholdHu: r.threshold_hu,
    enhancingVoxels: r.enhancing_voxels,
    enhancingMl: r.enhancing_ml,
    liverMl: r.liver_ml,
    letbPercent: r.letb_percent,
    flags: JSON.parse(r.flags) as Placement['flags'],
  };
}

/** Active (not deleted) placements of a timepoint on a mask, by number. */
export async function listPlacements(
  db: Database,
  arterialSeriesUid: string,
  maskRef: number,
): Promise<StoredPlacement[]> {
  const rows = await db.all<PlacementRow>(
    'SELECT * FROM letb_placements WHERE arterial_series_uid = ? AND mask_ref = ? AND deleted_at IS NULL ORDER BY placement_no',
    [arterialSeriesUid, maskRef],
  );
  return rows.map(toStored);
}

export interface PlacementContext {
  arterialSeriesUid: string;
  precontrastSeriesUid: string;
  maskRef: number;
  resampledPrecontrast: boolean;
  softwareVersion: string;
}

/** Stores a placement; an active placement with the same number is marked deleted first. */
export async function savePlacement(
  db: Database,
  ctx: PlacementContext,
  placementNo: number,
  p: Placement,
  actor = 'local',
): Promise<StoredPlacement> {
  return db.transaction(async () => {
    const now = new Date().toISOString();
    const replaced = await db.get<PlacementRow>(
      'SELECT * FROM letb_placements WHERE arterial_series_uid = ? AND mask_ref = ? AND placement_no = ? AND deleted_at IS NULL',
      [ctx.arterialSeriesUid, ctx.maskRef, placementNo],
    );
    await db.run(
      'UPDATE letb_placements SET deleted_at = ? WHERE arterial_series_uid = ? AND mask_ref = ? AND placement_no = ? AND deleted_at IS NULL',
      [now, ctx.arterialSeriesUid, ctx.maskRef, placementNo],
    );
    const { lastID } = await db.run(
      `INSERT INTO letb_placements (arterial_series_uid, precontrast_series_uid, mask_ref, placement_no, center_lps, roi_ml, roi_shape, roi_voxels,
         mean_hu, sd_hu, threshold_hu, enhancing_voxels, enhancing_ml, liver_ml, letb_percent, flags, resampled_precontrast, software_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        ctx.arterialSeriesUid,
        ctx.precontrastSeriesUid,
        ctx.maskRef,
        placementNo,
        JSON.stringify(p.centerLps),
        p.roiMl,
        p.roiShape,
        p.roiVoxels,
        p.meanHu,
        p.sdHu,
        p.thresholdHu,
        p.enhancingVoxels,
        p.enhancingMl,
        p.liverMl,
        p.letbPercent,
        JSON.stringify(p.flags),
        ctx.resampledPrecontrast ? 1 : 0,
        ctx.softwareVersion,
        now,
      ],
    );
    const stored = { ...p, id: lastID, placementNo, createdAt: now };
    await appendAudit(db, {
      actor,
      action: 'letb.placement.save',
      entity: 'letb_placement',
      entityId: lastID,
      before: replaced ? toStored(replaced) : null,
      after: { ...stored, ...ctx },
    });
    return stored;
  });
}

export async function deletePlacement(
  db: Database,
  arterialSeriesUid: string,
  placementId: number,
  actor = 'local',
): Promise<void> {
  await db.transaction(async () => {
    const before = await db.get<PlacementRow>(
      'SELECT * FROM letb_placements WHERE id = ? AND arterial_series_uid = ? AND deleted_at IS NULL',
      [placementId, arterialSeriesUid],
    );
    if (!before) throw new AppException('NOT_FOUND', `No active placement ${placementId} in this session.`);
    await db.run('UPDATE letb_placements SET deleted_at = ? WHERE id = ?', [new Date().toISOString(), placementId]);
    await appendAudit(db, {
      actor,
      action: 'letb.placement.delete',
      entity: 'letb_placement',
      entityId: placementId,
      before: toStored(before),
      after: null,
    });
  });
}

/**
 * LETB of placements 1-3 for every timepoint whose attached mask has all three (rows in a
 * stable order: arterial series UID), for the reproducibility ICC.
 */
export async function placementTriplets(db: Database): Promise<number[][]> {
  const rows = await db.all<{ key: string; placement_no: number; letb_percent: number }>(
    `SELECT p.arterial_series_uid || '|' || p.mask_ref AS key, p.placement_no, p.letb_percent
       FROM letb_placements p JOIN masks m ON m.id = p.mask_ref
      WHERE p.deleted_at IS NULL AND m.detached_at IS NULL AND p.placement_no BETWEEN 1 AND 3
      ORDER BY key, p.placement_no`,
  );
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const triplet = byKey.get(r.key) ?? [];
    triplet[r.placement_no - 1] = r.letb_percent;
    byKey.set(r.key, triplet);
  }
  return [...byKey.values()].filter((t) => t.length === 3 && t.every((v) => v !== undefined));
}

/**
 * Arterial-phase series of every study of the patient who owns `seriesInstanceUid`, in study
 * date order, with the mean LETB of their active placements on their attached mask.
 */
export async function patientLetbTimeline(db: Database, seriesInstanceUid: string): Promise<LetbTimepoint[]> {
  const owner = await db.get<{ patient_ref: number }>(
    'SELECT st.patient_ref FROM series s JOIN studies st ON st.id = s.study_ref WHERE s.series_instance_uid = ?',
    [seriesInstanceUid],
  );
  if (!owner) throw new AppException('NOT_FOUND', `No series ${seriesInstanceUid} in the index.`);
  const rows = await db.all<{ uid: string; study_date: string; placements: number; letb: number | null }>(
    `SELECT s.series_instance_uid AS uid, st.study_date,
            COUNT(p.id) AS placements, AVG(p.letb_percent) AS letb
       FROM series s JOIN studies st ON st.id = s.study_ref
       LEFT JOIN masks m ON m.arterial_series_uid = s.series_instance_uid AND m.detached_at IS NULL AND m.kind = 'liver'
       LEFT JOIN letb_placements p ON p.mask_ref = m.id AND p.deleted_at IS NULL
      WHERE st.patient_ref = ? AND COALESCE(s.phase_override, s.phase) = 'arterial'
      GROUP BY s.id ORDER BY st.study_date, st.study_time, s.series_instance_uid`,
    [owner.patient_ref],
  );
  return rows.map((r) => ({
    arterialSeriesUid: r.uid,
    studyDate: r.study_date,
    placements: r.placements,
    letbPercent: r.placements > 0 ? r.letb : null,
  }));
}
