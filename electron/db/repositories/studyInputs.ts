import { AppException } from '../../../core/ipc/result';
import type { Database } from '../database';

/**
 * Study inputs are frozen from a study's first read (its `frozen_at`): the exams of its cases
 * keep their series, images and the phase each series shows to a reader, and in an LETB study
 * the liver mask of each exam's arterial series. A change is refused, naming the study; a study
 * that needs other inputs is a new study (on a new import). Migration 012's triggers hold the
 * same line for any SQL; these functions give the main process a clear message first.
 */

/**
 * The first reading study (by id) whose reads have started and whose cases use the exam of series
 * `seriesInstanceUid`.
 */
export async function frozenStudyOfSeries(
  db: Database,
  seriesInstanceUid: string,
  opts: { letbOnly?: boolean } = {},
): Promise<string | undefined> {
  const row = await db.get<{ name: string }>(
    `SELECT s.name FROM series se JOIN case_timepoints t ON t.dicom_study_ref = se.study_ref
       JOIN cases c ON c.id = t.case_ref JOIN reading_studies s ON s.id = c.study_ref
      WHERE se.series_instance_uid = ? AND s.frozen_at IS NOT NULL ${opts.letbOnly ? "AND json_extract(s.protocol_json, '$.letb') = 1" : ''}
      ORDER BY s.id LIMIT 1`,
    [seriesInstanceUid],
  );
  return row?.name;
}

/**
 * Refuses a phase change of a series of an exam a started study reads: `phase` (the new override,
 * null to clear it) would change the phase readers see.
 * @throws AppException CONFLICT naming the study
 */
export async function refuseFrozenPhase(db: Database, seriesInstanceUid: string, phase: string | null): Promise<void> {
  const s = await db.get<{ phase: string; phase_override: string | null }>(
    'SELECT phase, phase_override FROM series WHERE series_instance_uid = ?',
    [seriesInstanceUid],
  );
  if (!s || (phase ?? s.phase) === (s.phase_override ?? s.phase)) return;
  const study = await frozenStudyOfSeries(db, seriesInstanceUid);
  if (study) {
    throw new AppException(
      'CONFLICT',
      `This series is an input of reading study "${study}", whose reads have started: its phase stays ${s.phase_override ?? s.phase}. Set up a new study to read it with another phase.`,
    );
  }
}

/**
 * Refuses attaching a liver mask to the arterial series of an exam a started LETB study reads,
 * unless nothing changes for its readers: no mask attached yet and the new one is the exam's own
 * DICOM SEG file (which readers already measure on). Call inside the attaching transaction.
 * @throws AppException CONFLICT naming the study
 */
export async function refuseFrozenMask(
  db: Database,
  arterialSeriesUid: string,
  sourcePath: string,
  hasAttached: boolean,
): Promise<void> {
  const study = await frozenStudyOfSeries(db, arterialSeriesUid, { letbOnly: true });
  if (!study) return;
  // The exam's own SEG may still be attached while no mask is (readers measure on it already).
  const examSeg =
    !hasAttached &&
    (await db.get<{ file_path: string }>(
      `SELECT i.file_path FROM series a JOIN series seg ON seg.study_ref = a.study_ref AND seg.modality = 'SEG'
         JOIN instances i ON i.series_ref = seg.id WHERE a.series_instance_uid = ? AND i.file_path = ?`,
      [arterialSeriesUid, sourcePath],
    ));
  if (examSeg) return;
  throw new AppException(
    'CONFLICT',
    `The liver mask of this exam is an input of LETB study "${study}", whose reads have started: it cannot change. Set up a new study to measure on another mask.`,
  );
}

/**
 * DICOM studies (Study Instance UID → the reading study's name) that the cases of a started
 * reading study use: an import adds no series or images to them.
 */
export async function frozenExams(db: Database): Promise<Map<string, string>> {
  const rows = await db.all<{ uid: string; name: string }>(
    `SELECT st.study_instance_uid AS uid, MIN(s.name) AS name FROM studies st JOIN case_timepoints t ON t.dicom_study_ref = st.id
       JOIN cases c ON c.id = t.case_ref JOIN reading_studies s ON s.id = c.study_ref
      WHERE s.frozen_at IS NOT NULL GROUP BY st.id`,
  );
  return new Map(rows.map((r) => [r.uid, r.name]));
}

/** Whether an instance is in the index already (re-importing it changes nothing). */
export async function isIndexed(db: Database, sopInstanceUid: string): Promise<boolean> {
  return (await db.get('SELECT 1 FROM instances WHERE sop_instance_uid = ?', [sopInstanceUid])) !== undefined;
}
