import type { Database } from '../database';

/**
 * LETB of each timepoint of each case of a study: the mean of the stored placements on the
 * timepoint's arterial series (the series recognised or set as arterial in the case's exam, with
 * its current liver mask); null for a timepoint without placements.
 */
export async function caseTimepointLetb(db: Database, studyId: number): Promise<Map<string, (number | null)[]>> {
  const rows = await db.all<{ case_code: string; ordinal: number; letb: number | null }>(
    `SELECT c.case_code, t.ordinal, AVG(p.letb_percent) AS letb
       FROM cases c JOIN case_timepoints t ON t.case_ref = c.id
       JOIN series s ON s.study_ref = t.dicom_study_ref AND COALESCE(s.phase_override, s.phase) = 'arterial'
       LEFT JOIN masks m ON m.arterial_series_uid = s.series_instance_uid AND m.detached_at IS NULL AND m.kind = 'liver'
       LEFT JOIN letb_placements p ON p.mask_ref = m.id AND p.deleted_at IS NULL
      WHERE c.study_ref = ?
      GROUP BY c.id, t.ordinal ORDER BY c.case_code, t.ordinal`,
    [studyId],
  );
  const out = new Map<string, (number | null)[]>();
  for (const r of rows) {
    const list = out.get(r.case_code) ?? [];
    list[r.ordinal] = r.letb;
    out.set(r.case_code, list);
  }
  return out;
}
