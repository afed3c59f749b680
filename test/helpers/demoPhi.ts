import type { Database } from '../../electron/db/database';

/**
 * Every identifying value of the demo patient as the index stores it: name (and its parts), ID,
 * birth date, and per exam the real date, accession number, institution and the study and
 * series UIDs (UIDs can encode dates and sites). A reader-visible payload must contain none.
 */
export async function demoPhi(db: Database): Promise<string[]> {
  const p = await db.get<{ id: number; patient_name: string; patient_id: string; birth_date: string }>(
    "SELECT id, patient_name, patient_id, birth_date FROM patients WHERE patient_id = 'DEMO-0001'",
  );
  if (!p) throw new Error('the demo patient is not imported');
  const exams = await db.all<{
    study_date: string;
    accession_number: string;
    institution_name: string;
    study_instance_uid: string;
  }>('SELECT study_date, accession_number, institution_name, study_instance_uid FROM studies WHERE patient_ref = ?', [
    p.id,
  ]);
  const series = await db.all<{ series_instance_uid: string; series_date: string }>(
    'SELECT se.series_instance_uid, se.series_date FROM series se JOIN studies st ON st.id = se.study_ref WHERE st.patient_ref = ?',
    [p.id],
  );
  const isoDates = exams.map(
    (e) => `${e.study_date.slice(0, 4)}-${e.study_date.slice(4, 6)}-${e.study_date.slice(6, 8)}`,
  );
  return [
    p.patient_name,
    ...p.patient_name.split('^'),
    p.patient_id,
    p.birth_date,
    ...exams.flatMap((e) => [e.study_date, e.accession_number, e.institution_name, e.study_instance_uid]),
    ...isoDates,
    ...series.flatMap((s) => [s.series_instance_uid, s.series_date]),
  ].filter((v) => v.length > 0);
}

/** The PHI values found in a payload (serialized as JSON; typed arrays are left out). */
export function phiFound(payload: unknown, phi: readonly string[]): string[] {
  const text =
    typeof payload === 'string'
      ? payload
      : JSON.stringify(payload, (_k, v) => (ArrayBuffer.isView(v) ? `[${v.constructor.name}]` : v));
  return phi.filter((v) => text.includes(v));
}
