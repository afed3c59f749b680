import type { InstanceHeader } from '../../../core/dicom/instanceHeader';
import { seriesGrid } from '../../../core/dicom/seriesGrid';
import { seriesProblems, type IndexedImage, type MissingImage } from '../../../core/dicom/seriesProblems';
import { recognizePhases, type Phase } from '../../../core/phases/recognizePhases';
import { hostname } from 'node:os';
import type { ImportRun, PatientNode, SeriesSummary, SkippedFile } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import type { Database } from '../database';
import { appendAudit } from '../audit';

export interface IndexedFile {
  header: InstanceHeader;
  filePath: string;
  fileSize: number;
  /** SHA-256 of the bytes the import read (`readHeader`): same SOP UID, same content? */
  contentDigest: string;
}

/** A file the import did not index; `seriesInstanceUid` when it is a refused image of that series. */
export interface ImportSkip extends SkippedFile {
  seriesInstanceUid?: string;
}

/** What tells two files carrying one SOP Instance UID apart. */
export interface InstanceFacts {
  path: string;
  size: number;
  transferSyntaxUid: string;
  /** SHA-256 of the bytes read (`readHeader`); null for rows indexed before digests. */
  digest: string | null;
  /** The indexed values that make the instance (`instanceKey`). */
  key: string;
}

/** UIDs, geometry, size, pixel format, rescale, numbering: what two copies of one instance share. */
export function instanceKey(h: InstanceHeader): string {
  return [
    h.seriesInstanceUid,
    h.studyInstanceUid,
    json(h.imagePositionPatient),
    json(h.imageOrientationPatient),
    h.rows,
    h.columns,
    h.bitsAllocated,
    h.rescaleSlope,
    h.rescaleIntercept,
    h.instanceNumber,
    h.numberOfFrames,
  ].join('|');
}

/**
 * Whether two files with one SOP Instance UID hold the same instance: in one transfer syntax,
 * the same size and bytes read (header and the start of the pixel data) and the same indexed
 * values; in different transfer syntaxes (an instance transcoded, which DICOM allows under one
 * UID), the same indexed values. A row indexed before digests compares by size and values.
 */
export function sameContent(a: InstanceFacts, b: InstanceFacts): boolean {
  if (a.key !== b.key) return false;
  if (a.transferSyntaxUid !== b.transferSyntaxUid) return true;
  return a.size === b.size && (a.digest === null || b.digest === null || a.digest === b.digest);
}

/** Row ids already resolved during one import, so each batch does not look them up again. */
export interface IdCache {
  patients: Map<string, number>;
  studies: Map<string, number>;
  series: Map<string, number>;
  /** SOP Instance UIDs accepted so far in this run: the file that stands for each. */
  instances: Map<string, InstanceFacts>;
}

export const newIdCache = (): IdCache => ({
  patients: new Map(),
  studies: new Map(),
  series: new Map(),
  instances: new Map(),
});

/** A patient is the same person when PatientID and birth date match (name spellings vary). */
export function patientKey(h: InstanceHeader): string {
  return h.patientId ? `id:${h.patientId}|${h.patientBirthDate}` : `name:${h.patientName}|${h.patientBirthDate}`;
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

const instanceColumns = [
  'series_ref',
  'sop_instance_uid',
  'sop_class_uid',
  'file_path',
  'file_size',
  'transfer_syntax_uid',
  'instance_number',
  'acquisition_date',
  'acquisition_time',
  'content_time',
  'contrast_agent',
  'contrast_start_time',
  'image_type',
  'image_position',
  'image_orientation',
  'pixel_spacing',
  'slice_thickness_mm',
  'rows',
  'columns',
  'bits_allocated',
  'pixel_representation',
  'rescale_slope',
  'rescale_intercept',
  'number_of_frames',
  'problems',
  'content_digest',
  'frame_positions',
];
const instanceRowPlaceholders = `(${instanceColumns.map(() => '?').join(', ')})`;
/** SQLite allows 32766 bound variables per statement; 27 a row x 400 rows stays well below. */
const rowsPerInsert = 400;

/** Where an indexed series belongs, to refuse a file that would join it from another exam. */
export interface SeriesIdentity {
  patientKey: string;
  patientId: string;
  studyInstanceUid: string;
  frameOfReferenceUid: string;
  /** Modality is a series attribute: one series, one modality. */
  modality: string;
}

/** The identity of an indexed series, or undefined when it is not in the index. */
export async function seriesIdentity(db: Database, seriesInstanceUid: string): Promise<SeriesIdentity | undefined> {
  const row = await db.get<{
    patient_key: string;
    patient_id: string;
    study_instance_uid: string;
    frame_of_reference_uid: string;
    modality: string;
  }>(
    `SELECT p.patient_key, p.patient_id, st.study_instance_uid, s.frame_of_reference_uid, s.modality
       FROM series s JOIN studies st ON st.id = s.study_ref JOIN patients p ON p.id = st.patient_ref WHERE s.series_instance_uid = ?`,
    [seriesInstanceUid],
  );
  return (
    row && {
      patientKey: row.patient_key,
      patientId: row.patient_id,
      studyInstanceUid: row.study_instance_uid,
      frameOfReferenceUid: row.frame_of_reference_uid,
      modality: row.modality,
    }
  );
}

/** The patient an indexed study belongs to, or undefined when the study is not in the index. */
export async function studyPatient(
  db: Database,
  studyInstanceUid: string,
): Promise<{ patientKey: string; patientId: string } | undefined> {
  const row = await db.get<{ patient_key: string; patient_id: string }>(
    'SELECT p.patient_key, p.patient_id FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.study_instance_uid = ?',
    [studyInstanceUid],
  );
  return row && { patientKey: row.patient_key, patientId: row.patient_id };
}

export interface BatchResult {
  added: number;
  alreadyIndexed: number;
  /** Files refused while inserting: duplicates, SOP Instance UID conflicts, rows the database would not take. */
  skipped: ImportSkip[];
  /** Files now in the index (added, or already there with the same content). */
  accepted: IndexedFile[];
}

/**
 * Stores one batch in one transaction: its instances (creating patient, study and series rows
 * only for instances actually inserted, so no series is ever left empty), the skips found since
 * the last batch, and the run's counts so far (an interrupted run keeps what it did).
 * - A SOP Instance UID met earlier in this run: a duplicate (same content) or a conflict; the
 *   first file is kept.
 * - A SOP Instance UID already indexed with the same content (`contentDigest`; size alone for
 *   rows indexed before digests) counts as already indexed (re-importing adds nothing twice);
 *   with different content it is a conflict: the first file stays, this one is skipped naming both.
 * - If the multi-row INSERT fails, each row is retried alone inside a savepoint: a row the
 *   database refuses becomes that file's skip reason and the rest of the batch goes in.
 */
export async function insertBatch(
  db: Database,
  runId: number,
  files: readonly IndexedFile[],
  skips: readonly ImportSkip[],
  cache: IdCache,
  counts: { filesSeen: number; added: number; alreadyIndexed: number; skipped: number },
): Promise<BatchResult> {
  return db.transaction(async () => {
    const existing = new Map<string, InstanceFacts>();
    for (let start = 0; start < files.length; start += 500) {
      const uids = files.slice(start, start + 500).map((f) => f.header.sopInstanceUid);
      const rows = await db.all<{
        sop_instance_uid: string;
        file_path: string;
        file_size: number;
        content_digest: string | null;
        transfer_syntax_uid: string;
        series_instance_uid: string;
        study_instance_uid: string;
        image_position: string | null;
        image_orientation: string | null;
        rows: number | null;
        columns: number | null;
        bits_allocated: number | null;
        rescale_slope: number | null;
        rescale_intercept: number | null;
        instance_number: number | null;
        number_of_frames: number;
      }>(
        `SELECT i.sop_instance_uid, i.file_path, i.file_size, i.content_digest, i.transfer_syntax_uid, s.series_instance_uid, st.study_instance_uid,
                i.image_position, i.image_orientation, i.rows, i.columns, i.bits_allocated, i.rescale_slope, i.rescale_intercept, i.instance_number, i.number_of_frames
           FROM instances i JOIN series s ON s.id = i.series_ref JOIN studies st ON st.id = s.study_ref
          WHERE i.sop_instance_uid IN (${uids.map(() => '?').join(', ')})`,
        uids,
      );
      for (const r of rows) {
        existing.set(r.sop_instance_uid, {
          path: r.file_path,
          size: r.file_size,
          transferSyntaxUid: r.transfer_syntax_uid,
          digest: r.content_digest,
          key: [
            r.series_instance_uid,
            r.study_instance_uid,
            r.image_position,
            r.image_orientation,
            r.rows,
            r.columns,
            r.bits_allocated,
            r.rescale_slope,
            r.rescale_intercept,
            r.instance_number,
            r.number_of_frames,
          ].join('|'),
        });
      }
    }
    const skipped: ImportSkip[] = [];
    const accepted: IndexedFile[] = [];
    let alreadyIndexed = 0;
    const fresh: IndexedFile[] = [];
    for (const f of files) {
      const uid = f.header.sopInstanceUid;
      const facts: InstanceFacts = {
        path: f.filePath,
        size: f.fileSize,
        transferSyntaxUid: f.header.transferSyntaxUid,
        digest: f.contentDigest,
        key: instanceKey(f.header),
      };
      const earlier = cache.instances.get(uid);
      const old = existing.get(uid);
      if (earlier) {
        skipped.push({
          path: f.filePath,
          reason: sameContent(earlier, facts)
            ? `Duplicate of ${earlier.path} (same SOP Instance UID ${uid} and content)`
            : `Conflict: SOP Instance UID ${uid} is also in ${earlier.path} with different content; the first file is kept`,
        });
        continue;
      }
      if (!old) {
        fresh.push(f);
      } else if (sameContent(old, facts)) {
        alreadyIndexed++;
        accepted.push(f);
      } else {
        skipped.push({
          path: f.filePath,
          reason: `Conflict: SOP Instance UID ${uid} is already indexed from ${old.path} with different content (${old.size === f.fileSize ? 'same size, different header or pixels' : `${old.size} vs ${f.fileSize} bytes`}); the first file is kept`,
        });
        continue;
      }
      cache.instances.set(uid, facts);
    }

    const created = new Set<number>();
    const rows: { file: IndexedFile; values: unknown[] }[] = [];
    for (const file of fresh) rows.push({ file, values: await instanceRow(db, file, cache, created) });
    let added = 0;
    try {
      await db.exec('SAVEPOINT batch_rows');
      for (let start = 0; start < rows.length; start += rowsPerInsert) {
        const chunk = rows.slice(start, start + rowsPerInsert);
        const result = await db.run(
          `INSERT INTO instances (${instanceColumns.join(', ')}) VALUES ${chunk.map(() => instanceRowPlaceholders).join(', ')}`,
          chunk.flatMap((r) => r.values),
        );
        added += result.changes;
      }
      await db.exec('RELEASE batch_rows');
    } catch {
      await db.exec('ROLLBACK TO batch_rows; RELEASE batch_rows');
      added = 0;
      for (const { file, values } of rows) {
        try {
          await db.exec('SAVEPOINT one_row');
          await db.run(
            `INSERT INTO instances (${instanceColumns.join(', ')}) VALUES ${instanceRowPlaceholders}`,
            values,
          );
          await db.exec('RELEASE one_row');
          added++;
        } catch (err) {
          await db.exec('ROLLBACK TO one_row; RELEASE one_row');
          cache.instances.delete(file.header.sopInstanceUid);
          skipped.push({
            path: file.filePath,
            reason: `Cannot be stored in the index: ${err instanceof Error ? err.message : String(err)}`,
            seriesInstanceUid: file.header.seriesInstanceUid,
          });
        }
      }
    }
    if (created.size > 0 && added < rows.length) await dropEmpty(db, created, cache);
    for (const { file } of rows)
      if (cache.instances.get(file.header.sopInstanceUid)?.path === file.filePath) accepted.push(file);

    const allSkips = [...skips, ...skipped];
    for (const k of allSkips) {
      await db.run('INSERT INTO import_skips (run_ref, file_path, reason, series_instance_uid) VALUES (?, ?, ?, ?)', [
        runId,
        k.path,
        k.reason,
        k.seriesInstanceUid ?? null,
      ]);
    }
    await db.run(
      'UPDATE import_runs SET files_seen = ?, instances_added = ?, already_indexed = ?, files_skipped = ? WHERE id = ?',
      [
        counts.filesSeen,
        counts.added + added,
        counts.alreadyIndexed + alreadyIndexed,
        counts.skipped + skipped.length,
        runId,
      ],
    );
    return { added, alreadyIndexed, skipped, accepted };
  });
}

/** The instance row of a file, creating its patient, study and series rows when new (ids in `created`). */
async function instanceRow(
  db: Database,
  { header: h, filePath, fileSize, contentDigest }: IndexedFile,
  cache: IdCache,
  created: Set<number>,
): Promise<unknown[]> {
  const pKey = patientKey(h);
  let patientRef = cache.patients.get(pKey);
  if (patientRef === undefined) {
    await db.run(
      'INSERT OR IGNORE INTO patients (patient_key, patient_id, patient_name, birth_date, sex) VALUES (?, ?, ?, ?, ?)',
      [pKey, h.patientId, h.patientName, h.patientBirthDate, h.patientSex],
    );
    patientRef = (await db.get<{ id: number }>('SELECT id FROM patients WHERE patient_key = ?', [pKey]))!.id;
    cache.patients.set(pKey, patientRef);
  }
  let studyRef = cache.studies.get(h.studyInstanceUid);
  if (studyRef === undefined) {
    await db.run(
      'INSERT OR IGNORE INTO studies (patient_ref, study_instance_uid, study_date, study_time, description, accession_number, institution_name) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        patientRef,
        h.studyInstanceUid,
        h.studyDate,
        h.studyTime,
        h.studyDescription,
        h.accessionNumber,
        h.institutionName,
      ],
    );
    studyRef = (await db.get<{ id: number }>('SELECT id FROM studies WHERE study_instance_uid = ?', [
      h.studyInstanceUid,
    ]))!.id;
    cache.studies.set(h.studyInstanceUid, studyRef);
  }
  let seriesRef = cache.series.get(h.seriesInstanceUid);
  if (seriesRef === undefined) {
    const inserted = await db.run(
      `INSERT OR IGNORE INTO series (study_ref, series_instance_uid, modality, description, series_number, series_date, series_time, frame_of_reference_uid, manufacturer, sop_class_uid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyRef,
        h.seriesInstanceUid,
        h.modality,
        h.seriesDescription,
        h.seriesNumber,
        h.seriesDate,
        h.seriesTime,
        h.frameOfReferenceUid,
        h.manufacturer,
        h.sopClassUid,
      ],
    );
    seriesRef = (await db.get<{ id: number }>('SELECT id FROM series WHERE series_instance_uid = ?', [
      h.seriesInstanceUid,
    ]))!.id;
    if (inserted.changes > 0) created.add(seriesRef);
    cache.series.set(h.seriesInstanceUid, seriesRef);
  }
  return [
    seriesRef,
    h.sopInstanceUid,
    h.sopClassUid,
    filePath,
    fileSize,
    h.transferSyntaxUid,
    h.instanceNumber,
    h.acquisitionDate,
    h.acquisitionTime,
    h.contentTime,
    h.contrastAgent,
    h.contrastStartTime,
    h.imageType.join('\\'),
    json(h.imagePositionPatient),
    json(h.imageOrientationPatient),
    json(h.pixelSpacingMm),
    h.sliceThicknessMm,
    h.rows,
    h.columns,
    h.bitsAllocated,
    h.pixelRepresentation,
    h.rescaleSlope,
    h.rescaleIntercept,
    h.numberOfFrames,
    JSON.stringify(h.problems),
    contentDigest,
    json(h.framePositions),
  ];
}

/** Removes series created in this batch that received no instance (and forgets their ids). */
async function dropEmpty(db: Database, created: Set<number>, cache: IdCache): Promise<void> {
  for (const id of created) {
    const { changes } = await db.run(
      'DELETE FROM series WHERE id = ? AND NOT EXISTS (SELECT 1 FROM instances WHERE series_ref = ?)',
      [id, id],
    );
    if (changes > 0) for (const [uid, ref] of cache.series) if (ref === id) cache.series.delete(uid);
  }
}

/** Import runs under way in this process (their rows say `running` and they are alive). */
const activeRuns = new Set<number>();

export async function createImportRun(db: Database, folder: string): Promise<number> {
  const { lastID } = await db.run(
    "INSERT INTO import_runs (folder, started_at, state, owner_pid, owner_host) VALUES (?, ?, 'running', ?, ?)",
    [folder, new Date().toISOString(), process.pid, hostname()],
  );
  activeRuns.add(lastID);
  return lastID;
}

export async function finishImportRun(
  db: Database,
  runId: number,
  state: 'succeeded' | 'cancelled' | 'failed',
  counts: { filesSeen: number; added: number; alreadyIndexed: number; skipped: number },
): Promise<void> {
  activeRuns.delete(runId);
  await db.transaction(async () => {
    await db.run(
      'UPDATE import_runs SET finished_at = ?, state = ?, files_seen = ?, instances_added = ?, already_indexed = ?, files_skipped = ? WHERE id = ?',
      [new Date().toISOString(), state, counts.filesSeen, counts.added, counts.alreadyIndexed, counts.skipped, runId],
    );
    await appendAudit(db, {
      actor: 'local',
      action: 'dicom.import',
      entity: 'import_run',
      entityId: runId,
      before: null,
      after: { state, ...counts },
    });
  });
}

/**
 * Marks `interrupted` every run left `running` by a process that is gone (killed, crashed, power
 * lost): one started on this machine whose process no longer exists, or by this very process
 * but not under way in it (a reused process id), or one from before runs recorded their owner.
 * A run of another live process (the CLI beside the app) is left alone.
 * @returns the ids of the runs marked
 */
export async function markInterruptedRuns(db: Database): Promise<number[]> {
  const running = await db.all<{
    id: number;
    owner_pid: number | null;
    owner_host: string | null;
    files_seen: number;
    instances_added: number;
    already_indexed: number;
    files_skipped: number;
  }>(
    "SELECT id, owner_pid, owner_host, files_seen, instances_added, already_indexed, files_skipped FROM import_runs WHERE state = 'running'",
  );
  const host = hostname();
  const dead = running.filter((r) => {
    if (r.owner_pid === null || r.owner_host === null) return true;
    if (r.owner_host !== host) return false;
    if (r.owner_pid === process.pid) return !activeRuns.has(r.id);
    return !processAlive(r.owner_pid);
  });
  if (dead.length === 0) return [];
  await db.transaction(async () => {
    for (const r of dead) {
      await db.run("UPDATE import_runs SET state = 'interrupted', finished_at = ? WHERE id = ? AND state = 'running'", [
        new Date().toISOString(),
        r.id,
      ]);
      await appendAudit(db, {
        actor: 'local',
        action: 'dicom.import',
        entity: 'import_run',
        entityId: r.id,
        before: { state: 'running' },
        after: {
          state: 'interrupted',
          filesSeen: r.files_seen,
          added: r.instances_added,
          alreadyIndexed: r.already_indexed,
          skipped: r.files_skipped,
        },
      });
    }
  });
  return dead.map((r) => r.id);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Past import runs, newest first (at most `limit`), with state and counts; interrupted runs marked first. */
export async function listImportRuns(db: Database, limit = 50): Promise<ImportRun[]> {
  await markInterruptedRuns(db);
  const rows = await db.all<{
    id: number;
    folder: string;
    started_at: string;
    finished_at: string | null;
    state: ImportRun['state'];
    files_seen: number;
    instances_added: number;
    already_indexed: number;
    files_skipped: number;
  }>(
    'SELECT id, folder, started_at, finished_at, state, files_seen, instances_added, already_indexed, files_skipped FROM import_runs ORDER BY id DESC LIMIT ?',
    [limit],
  );
  return rows.map((r) => ({
    runId: r.id,
    folder: r.folder,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    state: r.state,
    filesSeen: r.files_seen,
    added: r.instances_added,
    alreadyIndexed: r.already_indexed,
    skipped: r.files_skipped,
  }));
}

/**
 * Re-runs phase recognition for every series of the given studies and stores phase,
 * confidence and rule. A user's override is kept in its own column and wins when read.
 */
export async function recomputePhases(db: Database, studyInstanceUids: readonly string[]): Promise<void> {
  for (const studyUid of studyInstanceUids) {
    const rows = await db.all<{
      series_instance_uid: string;
      modality: string;
      description: string;
      image_type: string;
      contrast_agent: string;
      contrast_start_time: string;
      acquisition_time: string;
      series_time: string;
      images: number;
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
        await db.run(
          'UPDATE series SET phase = ?, phase_confidence = ?, phase_rule = ? WHERE series_instance_uid = ?',
          [g.phase, g.confidence, g.rule, g.seriesInstanceUid],
        );
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

interface InstanceGeometryRow {
  file_path: string;
  image_position: string | null;
  image_orientation: string | null;
  pixel_spacing: string | null;
  rows: number | null;
  columns: number | null;
  bits_allocated: number | null;
  number_of_frames: number;
  problems: string;
  frame_positions: string | null;
}

/**
 * Images of each series that the import refused for a defect of their own and that are still
 * missing: not indexed since, and not seen again without a skip by a later successful import of
 * a folder holding them (the file was fixed or removed).
 */
async function missingImages(db: Database, seriesInstanceUid?: string): Promise<Map<string, MissingImage[]>> {
  const rows = await db.all<{ series_instance_uid: string; file_path: string; reason: string }>(
    `SELECT k.series_instance_uid, k.file_path, k.reason FROM import_skips k
      WHERE k.series_instance_uid IS NOT NULL ${seriesInstanceUid === undefined ? '' : 'AND k.series_instance_uid = ?'}
        AND NOT EXISTS (SELECT 1 FROM import_skips k2 WHERE k2.file_path = k.file_path AND k2.id > k.id)
        AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.file_path = k.file_path)
        AND NOT EXISTS (SELECT 1 FROM import_runs r WHERE r.id > k.run_ref AND r.state = 'succeeded'
                          AND substr(k.file_path, 1, length(r.folder) + 1) = r.folder || '/')
      ORDER BY k.file_path`,
    seriesInstanceUid === undefined ? [] : [seriesInstanceUid],
  );
  const bySeries = new Map<string, MissingImage[]>();
  for (const r of rows) {
    let list = bySeries.get(r.series_instance_uid);
    if (!list) bySeries.set(r.series_instance_uid, (list = []));
    list.push({ filePath: r.file_path, reason: r.reason });
  }
  return bySeries;
}

async function toSummary(db: Database, row: SeriesRow, missing: readonly MissingImage[]): Promise<SeriesSummary> {
  const geometry = await db.all<InstanceGeometryRow>(
    `SELECT i.file_path, i.image_position, i.image_orientation, i.pixel_spacing, i.rows, i.columns, i.bits_allocated, i.number_of_frames, i.problems, i.frame_positions
       FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_instance_uid = ? ORDER BY i.instance_number, i.file_path`,
    [row.series_instance_uid],
  );
  const parse = (v: string | null) => (v ? (JSON.parse(v) as number[]) : null);
  const images: IndexedImage[] = geometry.map((g) => {
    const position = parse(g.image_position);
    return {
      filePath: g.file_path,
      rows: g.rows,
      columns: g.columns,
      bitsAllocated: g.bits_allocated,
      orientation: parse(g.image_orientation),
      pixelSpacingMm: parse(g.pixel_spacing),
      positionsMm: g.frame_positions
        ? (JSON.parse(g.frame_positions) as number[][])
        : position && g.number_of_frames === 1
          ? [position]
          : [],
      frames: g.number_of_frames,
      problems: JSON.parse(g.problems) as string[],
    };
  });
  const stack = row.modality !== 'SEG';
  const grid = seriesGrid(images, { stack });
  const problems = seriesProblems(images, missing, { stack });
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
    loadable: problems.length === 0,
    problems,
  };
}

export async function listSeries(db: Database): Promise<SeriesSummary[]> {
  const rows = await db.all<SeriesRow>(
    `${seriesSelect} ORDER BY st.study_date, st.study_time, st.study_instance_uid, s.series_number, s.series_instance_uid`,
  );
  const missing = await missingImages(db);
  return Promise.all(rows.map((r) => toSummary(db, r, missing.get(r.series_instance_uid) ?? [])));
}

export async function getSeries(db: Database, seriesInstanceUid: string): Promise<SeriesSummary> {
  const row = await db.get<SeriesRow>(`${seriesSelect} WHERE s.series_instance_uid = ?`, [seriesInstanceUid]);
  if (!row) throw new AppException('NOT_FOUND', `No series ${seriesInstanceUid} in the index.`);
  return toSummary(db, row, (await missingImages(db, seriesInstanceUid)).get(seriesInstanceUid) ?? []);
}

/** Patient → study → series, for the coordinator's browser (identity fields included). */
export async function listIndexTree(db: Database): Promise<PatientNode[]> {
  const series = await listSeries(db);
  const studies = await db.all<{
    patient_key: string;
    patient_id: string;
    patient_name: string;
    birth_date: string;
    study_instance_uid: string;
    study_date: string;
    description: string;
  }>(
    `SELECT p.patient_key, p.patient_id, p.patient_name, p.birth_date, st.study_instance_uid, st.study_date, st.description
       FROM studies st JOIN patients p ON p.id = st.patient_ref ORDER BY p.patient_name, p.patient_id, st.study_date, st.study_time`,
  );
  const patients = new Map<string, PatientNode>();
  for (const s of studies) {
    let p = patients.get(s.patient_key);
    if (!p)
      patients.set(
        s.patient_key,
        (p = {
          patientKey: s.patient_key,
          patientId: s.patient_id,
          patientName: s.patient_name,
          birthDate: s.birth_date,
          studies: [],
        }),
      );
    p.studies.push({
      studyInstanceUid: s.study_instance_uid,
      studyDate: s.study_date,
      description: s.description,
      series: series.filter((x) => x.studyInstanceUid === s.study_instance_uid),
    });
  }
  return [...patients.values()];
}

export async function setPhaseOverride(
  db: Database,
  seriesInstanceUid: string,
  phase: Phase | null,
  actor = 'local',
): Promise<void> {
  await db.transaction(async () => {
    const before = await db.get<{ phase: Phase; phase_override: Phase | null }>(
      'SELECT phase, phase_override FROM series WHERE series_instance_uid = ?',
      [seriesInstanceUid],
    );
    if (!before) throw new AppException('NOT_FOUND', `No series ${seriesInstanceUid} in the index.`);
    await db.run('UPDATE series SET phase_override = ?, phase_override_at = ? WHERE series_instance_uid = ?', [
      phase,
      phase ? new Date().toISOString() : null,
      seriesInstanceUid,
    ]);
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

/**
 * File paths of a series to load as a volume, after checking it is loadable (`SeriesSummary.
 * loadable`): a series the import found defects in is refused with every reason, naming the
 * files, instead of failing somewhere in decoding or being stacked with a slice missing.
 * @throws AppException('DICOM') for a series that is not loadable; 'NOT_FOUND' for an unknown one
 */
export async function loadableSeriesFiles(db: Database, seriesInstanceUid: string): Promise<string[]> {
  const summary = await getSeries(db, seriesInstanceUid);
  if (!summary.loadable) {
    throw new AppException(
      'DICOM',
      `Series "${summary.description || summary.modality}" cannot be loaded: ${summary.problems.join(' ')}`,
    );
  }
  return seriesFiles(db, seriesInstanceUid);
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
