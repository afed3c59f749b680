import { AppException } from '../../../core/ipc/result';
import type { ExamReference } from '../../../core/masks/segReferenceMismatches';
import type { Database } from '../../db/database';

/**
 * The exam a mask on `arterialSeriesUid` must belong to, as the DICOM index knows it: the series
 * itself, its Frame of Reference and its patient's ID.
 * @throws AppException('NOT_FOUND') when the series is not indexed
 */
export async function examReference(db: Database, arterialSeriesUid: string): Promise<ExamReference> {
  const row = await db.get<{ frame_of_reference_uid: string; patient_id: string }>(
    `SELECT s.frame_of_reference_uid, p.patient_id FROM series s JOIN studies st ON st.id = s.study_ref JOIN patients p ON p.id = st.patient_ref
      WHERE s.series_instance_uid = ?`,
    [arterialSeriesUid],
  );
  if (!row) throw new AppException('NOT_FOUND', `No series ${arterialSeriesUid} in the index.`);
  return { seriesInstanceUid: arterialSeriesUid, frameOfReferenceUid: row.frame_of_reference_uid, patientId: row.patient_id };
}
