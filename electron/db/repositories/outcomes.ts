import type { OutcomeDates } from '../../../core/outcomes/outcomeEndpoints';
import { AppException } from '../../../core/ipc/result';
import { appendAudit } from '../audit';
import type { Database } from '../database';

/** A case of a study with its baseline exam date (DICOM DA, as indexed): what outcome dates are measured from. */
export interface CaseBaseline {
  caseId: number;
  caseCode: string;
  /** The patient (index row id): several treatment cases may share one. */
  patientRef: number;
  baselineDate: string;
}

export async function caseBaselines(db: Database, studyId: number): Promise<CaseBaseline[]> {
  return db.all<CaseBaseline>(
    `SELECT c.id AS caseId, c.case_code AS caseCode, c.patient_ref AS patientRef, st.study_date AS baselineDate
       FROM cases c JOIN case_timepoints t ON t.case_ref = c.id AND t.ordinal = 0
       JOIN studies st ON st.id = t.dicom_study_ref
      WHERE c.study_ref = ? ORDER BY c.case_code`,
    [studyId],
  );
}

/** The stored outcome of a case, with the case and the import it came from. */
export interface StoredOutcome extends CaseBaseline {
  dates: OutcomeDates;
  importedAt: string;
  sourceSha256: string;
}

interface OutcomeRow {
  caseId: number;
  caseCode: string;
  patientRef: number;
  baselineDate: string;
  last_followup_date: string;
  death: number;
  hepatic_progression_date: string | null;
  progression_date: string | null;
  untreatable_progression_date: string | null;
  imported_at: string;
  source_sha256: string;
}

/** The study's stored outcomes, by case code. */
export async function studyOutcomes(db: Database, studyId: number): Promise<StoredOutcome[]> {
  const rows = await db.all<OutcomeRow>(
    `SELECT c.id AS caseId, c.case_code AS caseCode, c.patient_ref AS patientRef, st.study_date AS baselineDate, o.*
       FROM case_outcomes o JOIN cases c ON c.id = o.case_ref
       JOIN case_timepoints t ON t.case_ref = c.id AND t.ordinal = 0
       JOIN studies st ON st.id = t.dicom_study_ref
      WHERE c.study_ref = ? ORDER BY c.case_code`,
    [studyId],
  );
  return rows.map((r) => ({
    caseId: r.caseId,
    caseCode: r.caseCode,
    patientRef: r.patientRef,
    baselineDate: r.baselineDate,
    dates: {
      lastFollowupDate: r.last_followup_date,
      death: r.death === 1,
      hepaticProgressionDate: r.hepatic_progression_date,
      progressionDate: r.progression_date,
      untreatableProgressionDate: r.untreatable_progression_date,
    },
    importedAt: r.imported_at,
    sourceSha256: r.source_sha256,
  }));
}

/**
 * Replaces every outcome of the study with `rows` in one transaction, with its audit row
 * (`study.outcomes.import`: row counts and file hashes before and after, never the dates).
 * Refused (CONFLICT) unless the study is unblinded, checked inside the transaction.
 * @returns the import time (ISO)
 */
export async function replaceOutcomes(
  db: Database,
  studyId: number,
  rows: readonly { caseId: number; dates: OutcomeDates }[],
  sourceSha256: string,
  actor: string,
): Promise<string> {
  return db.transaction(async () => {
    const study = await db.get<{ unblinded_at: string | null }>(
      'SELECT unblinded_at FROM reading_studies WHERE id = ?',
      [studyId],
    );
    if (!study) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
    if (!study.unblinded_at)
      throw new AppException(
        'CONFLICT',
        'The study is still blinded: outcomes can be imported only after unblinding, once every read is submitted and locked.',
      );
    const previous = await db.get<{ rows: number; sha: string | null }>(
      'SELECT COUNT(*) AS rows, MAX(o.source_sha256) AS sha FROM case_outcomes o JOIN cases c ON c.id = o.case_ref WHERE c.study_ref = ?',
      [studyId],
    );
    await db.run('DELETE FROM case_outcomes WHERE case_ref IN (SELECT id FROM cases WHERE study_ref = ?)', [studyId]);
    const now = new Date().toISOString();
    for (const r of rows) {
      const d = r.dates;
      await db.run(
        `INSERT INTO case_outcomes (case_ref, last_followup_date, death, hepatic_progression_date, progression_date, untreatable_progression_date, imported_at, source_sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          r.caseId,
          d.lastFollowupDate,
          d.death ? 1 : 0,
          d.hepaticProgressionDate,
          d.progressionDate,
          d.untreatableProgressionDate,
          now,
          sourceSha256,
        ],
      );
    }
    await appendAudit(db, {
      actor,
      action: 'study.outcomes.import',
      entity: 'reading_study',
      entityId: studyId,
      before: previous && previous.rows > 0 ? { rows: previous.rows, sha256: previous.sha } : null,
      after: { rows: rows.length, sha256: sourceSha256 },
    });
    return now;
  });
}
