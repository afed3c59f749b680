import type { InstanceHeader } from '../../../core/dicom/instanceHeader';
import { seriesGrid } from '../../../core/dicom/seriesGrid';
import { recognizePhases, type Phase } from '../../../core/phases/recognizePhases';
import type { PatientNode, SeriesSummary, SkippedFile } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import type { Database } from '../database';
import { appendAudit } from '../audit';

export interface IndexedFile {
  header: InstanceHeader;
  filePath: string;
  fileSize: number;
}

/** Row ids already resolved during one import, so each batch does not look them up again. */
export interface IdCache {
  patients: Map<string, number>;
  studies: Map<string, number>;
  series: Map<string, number>;
}

export const newIdCache = (): IdCache => ({ patients: new Map(), studies: new Map(), series: new Map() });

/** A patient is the same person when PatientID and birth date match (name spellings vary). */
export function patientKey(h: InstanceHeader): string {
  return h.patientId ? `id:${h.patientId}|${h.patientBirthDate}` : `name:${h.patientName}|${h.patientBirthDate}`;
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

const instanceColumns = [
  'series_ref', 'sop_instance_uid', 'sop_class_uid', 'file_path', 'file_size', 'transfer_syntax_uid', 'instance_number',
  'acquisition_date', 'acquisition_time', 'content_time', 'contrast_agent', 'contrast_start_time', 'image_type', 'image_position',
  'image_orientation', 'pixel_spacing', 'slice_thickness_mm', 'rows', 'columns', 'bits_allocated', 'pixel_representation',
  'rescale_slope', 'rescale_intercept', 'number_of_frames',
];
const instanceRowPlaceholders = `(${instanceColumns.map(() => '?').join(', ')})`;

/**
 * Inserts one batch of instances in one transaction. An instance whose SOP Instance UID is
 * already indexed is left as it is (re-importing a folder adds nothing twice).
 * @returns how many instances were new and how many were already indexed
 */
export async function insertBatch(db: Database, files: readonly IndexedFile[], cache: IdCache): Promise<{ added: number; alreadyIndexed: number }> {
  return db.transaction(async () => {
    let added = 0;
    const rows: unknown[][] = [];
    for (const { header: h, filePath, fileSize } of files) {
      const pKey = patientKey(h);
      let patientRef = cache.patients.get(pKey);
      if (patientRef === undefined) {
        await db.run('INSERT OR IGNORE INTO patients (patient_key, patient_id, patient_name, birth_date, sex) VALUES (?, ?, ?, ?, ?)', [pKey, h.patientId, h.patientName, h.patientBirthDate, h.patientSex]);
        patientRef = (await db.get<{ id: number }>('SELECT id FROM patients WHERE patient_key = ?', [pKey]))!.id;
        cache.patients.set(pKey, patientRef);
      }
      let studyRef = cache.studies.get(h.studyInstanceUid);
      if (studyRef === undefined) {
        await db.run(
          'INSERT OR IGNORE INTO studies (patient_ref, study_instance_uid, study_date, study_time, description, accession_number, institution_name) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [patientRef, h.studyInstanceUid, h.studyDate, h.studyTime, h.studyDescription, h.accessionNumber, h.institutionName],
        );
        studyRef = (await db.get<{ id: number }>('SELECT id FROM studies WHERE study_instance_uid = ?', [h.studyInstanceUid]))!.id;
        cache.studies.set(h.studyInstanceUid, studyRef);
      }
      let seriesRef = cache.series.get(h.seriesInstanceUid);
      if (seriesRef === undefined) {
        await db.run(
          `INSERT OR IGNORE INTO series (study_ref, series_instance_uid, modality, description, series_number, series_date, series_time, frame_of_reference_uid, manufacturer, sop_class_uid)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [studyRef, h.seriesInstanceUid, h.modality, h.seriesDescription, h.seriesNumber, h.seriesDate, h.seriesTime, h.frameOfReferenceUid, h.manufacturer, h.sopClassUid],
        );
        seriesRef = (await db.get<{ id: number }>('SELECT id FROM series WHERE series_instance_uid = ?', [h.seriesInstanceUid]))!.id;
        cache.series.set(h.seriesInstanceUid, seriesRef);
      }
      rows.push([
        seriesRef, h.sopInstanceUid, h.sopClassUid, filePath, fileSize, h.transferSyntaxUid, h.instanceNumber,
        h.acquisitionDate, h.acquisitionTime, h.contentTime, h.contrastAgent, h.contrastStartTime, h.imageType.join('\\'),
        json(h.imagePositionPatient), json(h.imageOrientationPatient), json(h.pixelSpacingMm), h.sliceThicknessMm,
        h.rows, h.columns, h.bitsAllocated, h.pixelRepresentation, h.rescaleSlope, h.rescaleIntercept, h.numberOfFrames,
      ]);
    }
    // Multi-row INSERTs: one statement per 400 instances instead of one round trip each
    // (24 parameters a row stays far below SQLite's 32766-variable limit).
    for (let start = 0; start < rows.length; start += 400) {
      const chunk = rows.slice(start, start + 400);
      const result = await db.run(
        `INSERT OR IGNORE INTO instances (${instanceColumns.join(', ')}) VALUES ${chunk.map(() => instanceRowPlaceholders).join(', ')}`,
        chunk.flat(),
      );
      added += result.changes;
    }
    return { added, alreadyIndexed: files.length - added };
  });
}

export async function createImportRun(db: Database, folder: string): Promise<number> {
  const { lastID } = await db.run("INSERT INTO import_runs (folder, started_at, state) VALUES (?, ?, 'running')", [folder, new Date().toISOString()]);
  return lastID;
}

export async function recordSkips(db: Database, runId: number, skips: readonly SkippedFile[]): Promise<void> {
  if (skips.length === 0) return;
  await db.transaction(async () => {
    for (const s of skips) await db.run('INSERT INTO import_skips (run_ref, file_path, reason) VALUES (?, ?, ?)', [runId, s.path, s.reason]);
  });
}

export async function finishImportRun(
  db: Database,
  runId: number,
  state: 'succeeded' | 'cancelled' | 'failed',
  counts: { filesSeen: number; added: number; alreadyIndexed: number; skipped: number },
): Promise<void> {
  await db.transaction(async () => {
    await db.run('UPDATE import_runs SET finished_at = ?, state = ?, files_seen = ?, instances_added = ?, already_indexed = ?, files_skipped = ? WHERE id = ?', [
      new Date().toISOString(), state, counts.filesSeen, counts.added, counts.alreadyIndexed, counts.skipped, runId,
    ]);
    await appendAudit(db, { actor: 'local', action: 'dicom.import', entity: 'import_run', entityId: runId, before: null, after: { state, ...counts } });
  });
}

/**
 * Re-runs phase recognition for every series of the given studies and stores phase,
 * confidence and rule. A user's override is kept in its own column and wins when read.
 */
export async function recomputePhases(db: Database, studyInstanceUids: readonly string[]): Promise<void> {
  for (const studyUid of studyInstanceUids) {
    const rows = await db.all<{
      series_instance_uid: string; modality: string; description: string; image_type: string;
      contrast_agent: string; contrast_start_time: string; acquisition_time: string; series_time: string; images: number;
    }>(
      `SELECT s.series_instance_uid, s.modality, s.description, s.series_time,
              MAX(i.image_type) AS image_type, MAX(i.contrast_agent) AS contrast_agent, MAX(i.contrast_start_time) AS contrast_start_time,
              MIN(NULLIF(i.acquisition_time, '')) AS acquisition_time, SUM(i.number_of_frames) AS images
         FROM series s JOIN studies st ON st.id = s.study_ref JOIN instances i ON i.series_ref = s.id
        WHERE st.study_instance_uid = ? GROUP BY s.id`,
      [studyUid],
    );
    const guesses = recognizePhases(
      rows.map((r) => ({
        seriesInstanceUid: r.series_instance_uid,
        modality: r.modality,
        description: r.description,
        imageType: r.image_type.split('\\'),
        contrastAgent: r.contrast_agent ?? '',
        contrastStartTime: r.contrast_start_time ?? '',
        acquisitionTime: r.acquisition_time ?? r.series_time ?? '',
        images: r.images,
      })),
    );
    await db.transaction(async () => {
      for (const g of guesses) {
        await db.run('UPDATE series SET phase = ?, phase_confidence = ?, phase_rule = ? WHERE series_instance_uid = ?', [g.phase, g.confidence, g.rule, g.seriesInstanceUid]);
      }
    });
  }
}

interface SeriesRow {
  series_instance_uid: string;
  study_instance_uid: string;
  modality: string;
  description: string;
  series_number: number | null;
  phase: Phase;
  phase_confidence: number;
  phase_rule: string;
  phase_override: Phase | null;
  instances: number;
}

const seriesSelect = `
  SELECT s.series_instance_uid, st.study_instance_uid, s.modality, s.description, s.series_number,
         s.phase, s.phase_confidence, s.phase_rule, s.phase_override,
         (SELECT COUNT(*) FROM instances i WHERE i.series_ref = s.id) AS instances
    FROM series s JOIN studies st ON st.id = s.study_ref`;

async function toSummary(db: Database, row: SeriesRow): Promise<SeriesSummary> {
  const geometry = await db.all<{ image_position: string | null; image_orientation: string | null; pixel_spacing: string | null; rows: number | null; columns: number | null; number_of_frames: number }>(
    'SELECT image_position, image_orientation, pixel_spacing, rows, columns, number_of_frames FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_instance_uid = ?',
    [row.series_instance_uid],
  );
  const parse = (v: string | null) => (v ? (JSON.parse(v) as number[]) : null);
  const first = geometry[0];
  const grid = first
    ? seriesGrid(
        geometry.map((g) => ({ position: parse(g.image_position), orientation: parse(g.image_orientation), frames: g.number_of_frames })),
        first.rows,
        first.columns,
        parse(first.pixel_spacing),
      )
    : null;
  return {
    seriesInstanceUid: row.series_instance_uid,
    studyInstanceUid: row.study_instance_uid,
    modality: row.modality,
    description: row.description,
    seriesNumber: row.series_number,
    phase: row.phase_override ?? row.phase,
    phaseDetected: row.phase,
    phaseConfidence: row.phase_confidence,
    phaseRule: row.phase_override ? `set by the user (detected: ${row.phase}, ${row.phase_rule})` : row.phase_rule,
    phaseOverridden: row.phase_override !== null,
    dims: grid?.dims ?? null,
    spacingMm: grid?.spacingMm ?? null,
    instances: row.instances,
  };
}

export async function listSeries(db: Database): Promise<SeriesSummary[]> {
  const rows = await db.all<SeriesRow>(`${seriesSelect} ORDER BY st.study_date, st.study_time, st.study_instance_uid, s.series_number, s.series_instance_uid`);
  return Promise.all(rows.map((r) => toSummary(db, r)));
}

export async function getSeries(db: Database, seriesInstanceUid: string): Promise<SeriesSummary> {
  const row = await db.get<SeriesRow>(`${seriesSelect} WHERE s.series_instance_uid = ?`, [seriesInstanceUid]);
  if (!row) throw new AppException('NOT_FOUND', `No series ${seriesInstanceUid} in the index.`);
  return toSummary(db, row);
}

/** Patient → study → series, for the coordinator's browser (identity fields included). */
export async function listIndexTree(db: Database): Promise<PatientNode[]> {
  const series = await listSeries(db);
  const studies = await db.all<{ patient_key: string; patient_id: string; patient_name: string; birth_date: string; study_instance_uid: string; study_date: string; description: string }>(
    `SELECT p.patient_key, p.patient_id, p.patient_name, p.birth_date, st.study_instance_uid, st.study_date, st.description
       FROM studies st JOIN patients p ON p.id = st.patient_ref ORDER BY p.patient_name, p.patient_id, st.study_date, st.study_time`,
  );
  const patients = new Map<string, PatientNode>();
  for (const s of studies) {
    let p = patients.get(s.patient_key);
    if (!p) patients.set(s.patient_key, (p = { patientKey: s.patient_key, patientId: s.patient_id, patientName: s.patient_name, birthDate: s.birth_date, studies: [] }));
    p.studies.push({ studyInstanceUid: s.study_instance_uid, studyDate: s.study_date, description: s.description, series: series.filter((x) => x.studyInstanceUid === s.study_instance_uid) });
  }
  return [...patients.values()];
}

export async function setPhaseOverride(db: Database, seriesInstanceUid: string, phase: Phase | null, actor = 'local'): Promise<void> {
  await db.transaction(async () => {
    const before = await db.get<{ phase: Phase; phase_override: Phase | null }>('SELECT phase, phase_override FROM series WHERE series_instance_uid = ?', [seriesInstanceUid]);
    if (!before) throw new AppException('NOT_FOUND', `No series ${seriesInstanceUid} in the index.`);
    await db.run('UPDATE series SET phase_override = ?, phase_override_at = ? WHERE series_instance_uid = ?', [phase, phase ? new Date().toISOString() : null, seriesInstanceUid]);
    await appendAudit(db, {
      actor,
      action: 'series.phase.set',
      entity: 'series',
      entityId: seriesInstanceUid,
      before: { detected: before.phase, override: before.phase_override },
      after: { detected: before.phase, override: phase },
    });
  });
}

/** File paths of a series' instances, in InstanceNumber order (volume loading sorts by position). */
export async function seriesFiles(db: Database, seriesInstanceUid: string): Promise<string[]> {
  const rows = await db.all<{ file_path: string }>(
    'SELECT i.file_path FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_instance_uid = ? ORDER BY i.instance_number, i.file_path',
    [seriesInstanceUid],
  );
  if (rows.length === 0) throw new AppException('NOT_FOUND', `No series ${seriesInstanceUid} in the index.`);
  return rows.map((r) => r.file_path);
}
