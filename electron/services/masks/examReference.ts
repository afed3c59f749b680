import { AppException } from '../../../core/ipc/result';
import { realpathSync } from 'node:fs';
import { parse } from 'node:path';
import { readHeader } from '../dicomImport/readHeader';
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
  return {
    seriesInstanceUid: arterialSeriesUid,
    frameOfReferenceUid: row.frame_of_reference_uid,
    patientId: row.patient_id,
  };
}

/**
 * The exam of a folder's CT images (the CLI's --arterial folder), from their headers: their one
 * series, its Frame of Reference and patient ID. Files that are not images are left to the
 * volume loader to report.
 * @throws AppException('INVALID_INPUT') when the images belong to several series, or none is readable
 */
export function examReferenceOfFiles(paths: readonly string[], what: string): ExamReference {
  const found = new Map<string, ExamReference>();
  for (const path of paths) {
    // Files the user named: links are followed (as the volume loader does), then read bounded.
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    const { verdict } = readHeader(real, parse(real).root);
    if (verdict.kind !== 'image') continue;
    const h = verdict.header;
    if (!found.has(h.seriesInstanceUid))
      found.set(h.seriesInstanceUid, {
        seriesInstanceUid: h.seriesInstanceUid,
        frameOfReferenceUid: h.frameOfReferenceUid,
        patientId: h.patientId,
      });
  }
  if (found.size === 0) throw new AppException('INVALID_INPUT', `${what} holds no readable DICOM image.`);
  if (found.size > 1)
    throw new AppException(
      'INVALID_INPUT',
      `${what} holds images of ${found.size} series (${[...found.keys()].join(', ')}): give a folder of one series.`,
    );
  return [...found.values()][0]!;
}
