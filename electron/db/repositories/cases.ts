import type { CoordinatorCase, ReadState, WorklistEntry } from '../../../core/ipc/contract';
import { caseCode } from '../../../core/studies/caseCode';
import { relativeTimepointLabel } from '../../../core/studies/relativeDate';
import { worklistOrder } from '../../../core/studies/worklistOrder';
import { AppException } from '../../../core/ipc/result';
import { appendAudit } from '../audit';
import type { Database } from '../database';

/**
 * Adds one case per imported patient with ≥ 2 exams that has no case in the study yet. The
 * new case codes continue the study's numbering in an order shuffled with the study seed.
 */
export async function addCasesFromIndex(db: Database, studyId: number, actor: string): Promise<number> {
  return db.transaction(async () => {
    const study = await db.get<{ randomization_seed: number }>('SELECT randomization_seed FROM reading_studies WHERE id = ?', [studyId]);
    if (!study) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
    const candidates = await db.all<{ patient_ref: number }>(
      `SELECT st.patient_ref FROM studies st
        WHERE st.patient_ref NOT IN (SELECT patient_ref FROM cases WHERE study_ref = ?)
        GROUP BY st.patient_ref HAVING COUNT(*) >= 2 ORDER BY st.patient_ref`,
      [studyId],
    );
    const existing = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases WHERE study_ref = ?', [studyId]))!.n;
    const shuffled = worklistOrder(candidates, study.randomization_seed, `case-codes-${existing}`);
    const now = new Date().toISOString();
    for (const [n, c] of shuffled.entries()) {
      const code = caseCode(existing + n + 1);
      const caseId = (await db.run('INSERT INTO cases (study_ref, case_code, patient_ref, created_at) VALUES (?, ?, ?, ?)', [studyId, code, c.patient_ref, now])).lastID;
      const exams = await db.all<{ id: number }>('SELECT id FROM studies WHERE patient_ref = ? ORDER BY study_date, study_time, id', [c.patient_ref]);
      for (const [ordinal, e] of exams.entries()) await db.run('INSERT INTO case_timepoints (case_ref, ordinal, dicom_study_ref) VALUES (?, ?, ?)', [caseId, ordinal, e.id]);
      await appendAudit(db, { actor, action: 'study.case.add', entity: 'case', entityId: caseId, before: null, after: { studyId, caseCode: code, patientRef: c.patient_ref, timepoints: exams.length } });
    }
    return shuffled.length;
  });
}

interface CaseRow {
  case_id: number;
  case_code: string;
  patient_id: string;
  patient_name: string;
  ordinal: number;
  study_instance_uid: string;
  study_date: string;
}

/** Cases with identity and real dates: the coordinator's view. */
export async function listCases(db: Database, studyId: number): Promise<CoordinatorCase[]> {
  const rows = await db.all<CaseRow>(
    `SELECT c.id AS case_id, c.case_code, p.patient_id, p.patient_name, t.ordinal, st.study_instance_uid, st.study_date
       FROM cases c JOIN patients p ON p.id = c.patient_ref
       JOIN case_timepoints t ON t.case_ref = c.id JOIN studies st ON st.id = t.dicom_study_ref
      WHERE c.study_ref = ? ORDER BY c.case_code, t.ordinal`,
    [studyId],
  );
  const byCase = new Map<number, CoordinatorCase>();
  for (const r of rows) {
    let c = byCase.get(r.case_id);
    if (!c) byCase.set(r.case_id, (c = { caseId: r.case_id, caseCode: r.case_code, patientId: r.patient_id, patientName: r.patient_name, timepoints: [] }));
    const baseline = c.timepoints[0]?.studyDate ?? r.study_date;
    c.timepoints.push({ ordinal: r.ordinal, studyInstanceUid: r.study_instance_uid, studyDate: r.study_date, label: relativeTimepointLabel(baseline, r.study_date), letb: null });
  }
  return [...byCase.values()];
}

/**
 * A reader's worklist: every case of the study in the order drawn from the study seed and the
 * reader's id. Built from case ids, codes and relative labels only: nothing identifying
 * leaves this function.
 */
export async function readerWorklist(db: Database, studyId: number, readerUserId: number): Promise<WorklistEntry[]> {
  const study = await db.get<{ randomization_seed: number }>('SELECT randomization_seed FROM reading_studies WHERE id = ?', [studyId]);
  if (!study) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
  const cases = (await listCases(db, studyId)).map((c) => ({ caseId: c.caseId, caseCode: c.caseCode, timepoints: c.timepoints.map((t) => ({ ordinal: t.ordinal, label: t.label })) }));
  const states = new Map((await db.all<{ case_ref: number; state: ReadState }>('SELECT case_ref, state FROM reads WHERE reader_ref = ?', [readerUserId])).map((r) => [r.case_ref, r.state]));
  return worklistOrder(cases, study.randomization_seed, `reader-${readerUserId}`).map((c, n) => ({ position: n + 1, ...c, readState: states.get(c.caseId) ?? 'not_started' }));
}
